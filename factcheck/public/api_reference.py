"""The human-readable API reference page, generated from the OpenAPI document."""

from functools import cache

from django.shortcuts import render
from django.views.decorators.http import require_safe

from factcheck.public.caching import conditional


@cache
def openapi_schema() -> dict:
    """The OpenAPI description, generated once from the API's serializers."""
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator(patterns=None, urlconf=None).get_schema(request=None, public=True)


def _schema_type(prop: dict, schema: dict) -> str:
    if "$ref" in prop:
        name = prop["$ref"].rsplit("/", 1)[-1]
        target = schema["components"]["schemas"][name]
        return _schema_type(target, schema) if "enum" in target else f"object ({name})"
    if "allOf" in prop:
        return _schema_type(prop["allOf"][0], schema)
    if "enum" in prop:
        return "one of: " + ", ".join(str(v) for v in prop["enum"] if v not in ("", None))
    if prop.get("type") == "array":
        return "list of " + _schema_type(prop.get("items", {}), schema)
    kind = prop.get("format") or prop.get("type", "")
    kind = {"uri": "URL", "date-time": "date and time (ISO 8601)", "date": "date (YYYY-MM-DD)"}.get(
        kind, kind
    )
    return f"{kind} or null" if prop.get("nullable") else kind


def _schema_fields(schema: dict, component: str) -> list[dict]:
    definition = schema["components"]["schemas"][component]
    return [
        {
            "name": name,
            "type": _schema_type(prop, schema),
            "help": prop.get("description", "").split("\n\n")[0],
        }
        for name, prop in definition["properties"].items()
    ]


@require_safe
@conditional
def api_reference(request):
    """The API's reference page, generated from the same OpenAPI description."""
    from factcheck.public.api import Pagination
    from factcheck.public.filters import ClaimFilter

    schema = openapi_schema()
    components = ["ClaimDetail", "Article", "Citation", "Revision", "Source", "VerdictCounts"]
    return render(
        request,
        "public/api.html",
        {
            "components": [(name, _schema_fields(schema, name)) for name in components],
            "filters": [
                {"name": name, "label": f.label, "help": f.extra.get("help_text", "")}
                for name, f in ClaimFilter.base_filters.items()
            ],
            "page_size": Pagination.page_size,
            "max_page_size": Pagination.max_page_size,
            "nav": "api",
        },
    )
