from django.core.management.base import BaseCommand, CommandError

from factcheck import backup


class Command(BaseCommand):
    help = (
        "Load a file made by `backup` into an empty, migrated database, exactly as it was, "
        "history included. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="A backup made by `manage.py backup`")

    def handle(self, path, **options):
        try:
            counts = backup.load(path)
        except backup.RestoreRefused as refused:
            raise CommandError(f"{refused} Nothing was restored.") from None
        self.stdout.write(f"Restored {sum(counts.values())} rows from {path}.")
