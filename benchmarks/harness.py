"""What every benchmark shares: Django set up on a throwaway test database."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
os.environ.setdefault("FACTCHECK_NO_BOOTSTRAP", "1")


def run_on_throwaway_database(run, args):
    """Call ``run(args)`` on a new test database (in memory for SQLite,
    ``test_<name>`` for PostgreSQL), destroyed afterwards."""
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(args)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
