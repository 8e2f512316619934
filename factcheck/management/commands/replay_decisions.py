"""Replay the desk's recorded decisions for a fixture (see factcheck.decisions).

    manage.py replay_decisions belarus_hrw_2020

Safe to run again and again: each decision is replayed once, and never over
an editor's later work.
"""

from django.core.management.base import BaseCommand, CommandError

from factcheck import decisions
from factcheck.roles import RoleAccountRefused


class Command(BaseCommand):
    help = (
        "Replay the desk's recorded decisions (fixtures/<label>.decisions.json) through the "
        "review workflow: submit, approve and publish, as the desk's role accounts."
    )

    def add_arguments(self, parser):
        parser.add_argument("label", help="The fixture label, e.g. belarus_hrw_2020.")

    def handle(self, *args, label, verbosity, **options):
        try:
            report = decisions.replay(label)
        except (decisions.DecisionsInvalid, RoleAccountRefused) as problem:
            raise CommandError(f"{problem} Nothing was replayed.") from None
        if verbosity >= 1:
            self.stdout.write(f"Desk decisions for {label}: {report}.")
            for key, why in report.skipped:
                if why != "already replayed":
                    self.stdout.write(f"  left as it is: {key}: {why}")
