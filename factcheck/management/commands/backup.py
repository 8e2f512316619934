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
        total = sum(counts.values())
        self.stdout.write(f"Wrote {total} rows to {path}:")
        for label, count in counts.items():
            if count:
                self.stdout.write(f"  {label}: {count}")
