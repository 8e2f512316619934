"""Propose candidate claims for one source: its check-worthy sentences, ranked.

    python3 manage.py propose_candidates SOURCE_SLUG [--user NAME] [--reason TEXT]

Idempotent: a span proposed before (whatever was decided on it) is not proposed
again. Nothing becomes a claim: researchers accept or dismiss each candidate in
the admin.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from factcheck.candidates.proposing import propose_candidates
from factcheck.models import CandidateClaim, Source


class Command(BaseCommand):
    help = "Propose candidate claims (check-worthy sentences) for a source, with history."

    def add_arguments(self, parser):
        parser.add_argument("source", help="The source's slug.")
        parser.add_argument("--user", help="The account it is done as (needs to add claims).")
        parser.add_argument(
            "--reason",
            default="Proposed candidate claims (manage.py propose_candidates)",
            help="Why, for the history.",
        )

    def handle(self, *args, source, user, reason, **options):
        try:
            found = Source.objects.get(slug=source)
        except Source.DoesNotExist:
            raise CommandError(f"No source with the slug {source!r}.") from None
        account = None
        if user:
            try:
                account = get_user_model().objects.get_by_natural_key(user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"No account named {user!r}.") from None
        try:
            created = propose_candidates(found, user=account, reason=reason)
        except PermissionDenied as refused:
            raise CommandError(str(refused)) from None
        waiting = CandidateClaim.objects.filter(source=found).proposed().count()
        self.stdout.write(
            f"{len(created)} new candidate claim(s) for “{found.title}”; "
            f"{waiting} waiting for a decision."
        )
        if options["verbosity"] < 2:
            return
        for candidate in created:
            self.stdout.write(f"  {candidate.score:>4}  {candidate.reasons}: {candidate.text}")
