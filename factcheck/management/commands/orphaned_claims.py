"""List the claims whose quote no longer anchors in their source text."""

from django.core.management.base import BaseCommand, CommandError

from factcheck.models import Claim


class Command(BaseCommand):
    help = "List orphaned claims: their quote could not be re-anchored after a text change."

    def add_arguments(self, parser):
        parser.add_argument(
            "--fail-if-any", action="store_true", help="Exit with an error if any exist."
        )

    def handle(self, *args, fail_if_any, **options):
        orphans = Claim.objects.orphaned().select_related("source").order_by("source", "slug")
        for claim in orphans:
            self.stdout.write(f"{claim.source.slug}  {claim.slug}  {claim.anchor_note}")
        count = len(orphans)
        self.stdout.write(f"{count} orphaned claim{'s' if count != 1 else ''}.")
        if count and fail_if_any:
            raise CommandError(f"{count} orphaned claims need a fixed quote.")
