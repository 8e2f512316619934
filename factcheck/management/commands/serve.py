"""Set up and serve the site locally, in one command.

Migrates the database, loads the article fixtures (never undoing what an
editor changed or deleted), replays the desk's recorded decisions on them
(once: submitted, approved and published through the review workflow),
gives the desk's role accounts the demo password, collects the static files
(hashed names, as in production) and runs the development server. Safe to
run again and again.
"""

import os
import socket

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

ARTICLE_FIXTURES = ["belarus_hrw_2020"]


def check_port_free(addrport: str) -> None:
    """Refuse at once, before any set-up, when the address is taken."""
    host, _, port = addrport.rpartition(":")
    host = host.strip("[]") or "127.0.0.1"
    if not port.isdigit():
        raise CommandError(f"{addrport!r} is not a port or address:port, e.g. 8001.")
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as runserver does
            probe.bind((host, int(port)))
    except OSError as problem:
        raise CommandError(
            f"{host}:{port} is already in use ({problem.strerror}): another `serve` may be "
            f"running. Stop it, or serve on another port: python3 manage.py serve {int(port) + 1}"
        ) from None


class Command(BaseCommand):
    help = (
        "Migrate, load the article fixtures, create the demo accounts and serve the "
        "site on http://127.0.0.1:8000, or on the port given (`serve 8001`); local "
        "development only."
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--setup-only", action="store_true", help="Set everything up, then exit."
        )

    def handle(self, *args, addrport, setup_only, **options):
        if settings.PRODUCTION or not settings.DEBUG:
            raise CommandError(
                "`serve` is for local development. In production run migrations, then "
                "gunicorn: see README.md, “Deploying”."
            )
        # The autoreloader re-runs this command in a child process: set up once.
        if os.environ.get("RUN_MAIN") != "true":
            if not setup_only:
                check_port_free(addrport)
            self.set_up()
        if not setup_only:
            call_command("runserver", addrport)

    def set_up(self):
        self.stdout.write("Migrating the database ...")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Loading the article fixtures ...")
        call_command("loaddata", *ARTICLE_FIXTURES, keep_existing=True, verbosity=1)
        self.stdout.write("Replaying the desk's decisions on them ...")
        for label in ARTICLE_FIXTURES:
            call_command("replay_decisions", label, verbosity=1)
        call_command("create_demo_accounts")
        self.stdout.write("Collecting static files ...")
        call_command("collectstatic", interactive=False, verbosity=0)
