"""Where captures are stored: ``STORAGES["captures"]``, chosen from the environment.

By default, local files under ``MEDIA_ROOT/captures/`` (Django's FileSystemStorage;
they are served only through the app's own views, never as static media).

With ``CAPTURES_S3_BUCKET`` set, an S3-compatible bucket through django-storages
(an optional extra: ``pip install django-storages[s3]``, see README "Evidence
captures"), configured by:

    CAPTURES_S3_BUCKET        the bucket's name
    CAPTURES_S3_ENDPOINT_URL  e.g. https://s3.eu-central-1.amazonaws.com or a MinIO URL
    CAPTURES_S3_REGION        e.g. eu-central-1
    CAPTURES_S3_PREFIX        a folder inside the bucket (default: none)
    AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY   read by boto3 itself
"""


def capture_storage(environ, media_root) -> dict:
    bucket = environ.get("CAPTURES_S3_BUCKET", "").strip()
    if not bucket:
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(media_root), "base_url": None},
        }
    options = {
        "bucket_name": bucket,
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
    }
    if endpoint := environ.get("CAPTURES_S3_ENDPOINT_URL", "").strip():
        options["endpoint_url"] = endpoint
    if region := environ.get("CAPTURES_S3_REGION", "").strip():
        options["region_name"] = region
    if prefix := environ.get("CAPTURES_S3_PREFIX", "").strip():
        options["location"] = prefix
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
