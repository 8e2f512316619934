from django.core.management.base import BaseCommand

from factcheck import backup


class Command(BaseCommand):
    help = (
        "Write everything the tracker knows (sources, claims, citations, published revisions, "
        "every history row, users and groups) to one gzipped JSON file."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Where to write the backup, e.g. factcheck.json.gz")

    def handle(self, path, **options):
        counts = backup.dump(path)
        rows = {label: count for label, count in counts.items() if "." in label}
        self.stdout.write(f"Wrote {sum(rows.values())} rows to {path}:")
        for label, count in rows.items():
            if count:
                self.stdout.write(f"  {label}: {count}")
        self.stdout.write(f"  and the files of {counts['capture files']} captured page(s)")
        if missing := counts.get("capture files MISSING from storage"):
            self.stderr.write(
                f"{missing} capture file(s) were missing from the capture storage and are not "
                "in the backup (their names are listed in it, under missing_files)."
            )
