"""Import an article's claims from a CSV or JSON file, all or nothing.

    python3 manage.py import_claims claims.csv --source SLUG --user NAME --reason TEXT

JSON: a list of objects with slug, statement, quote, kind, attributed_to and
optionally quote_start, notes and citations (a list of objects with source,
passage, stance, locator). CSV: one claim per line with those columns; a claim
may cite one source with the columns citation_source, citation_passage,
citation_stance and citation_locator. Rows are numbered from 1, the header
line not counted.
"""

import csv
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from factcheck.importing import ImportRefused, import_rows
from factcheck.models import Source

CITATION_COLUMNS = ("source", "passage", "stance", "locator")
PROGRESS_EVERY = 10_000


def read_rows(path: Path) -> list:
    """The rows of a .json or .csv file, as ``import_rows`` takes them."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"Cannot read {path}: {error}") from None
    if path.suffix.lower() == ".json":
        try:
            rows = json.loads(text)
        except json.JSONDecodeError as error:
            raise CommandError(
                f"{path} is not valid JSON (line {error.lineno}, column {error.colno}): "
                f"{error.msg}. Nothing was imported."
            ) from None
        if not isinstance(rows, list):
            raise CommandError(f"{path}: expected a JSON list of claims. Nothing was imported.")
        return rows
    if path.suffix.lower() == ".csv":
        return [_csv_row(row) for row in csv.DictReader(text.splitlines(keepends=True))]
    raise CommandError(f"{path}: give a .csv or .json file.")


def _csv_row(row: dict) -> dict:
    row = {name: value for name, value in row.items() if name is not None}
    citation = {column: row.pop(f"citation_{column}", "") or "" for column in CITATION_COLUMNS}
    if any(citation.values()):
        row["citations"] = [citation]
    return {name: value for name, value in row.items() if value not in (None, "")}


class Command(BaseCommand):
    help = "Import claims of one source from a CSV or JSON file, with history; all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--source", required=True, help="Slug of the source quoted.")
        parser.add_argument("--user", required=True, help="Who imports (goes into the history).")
        parser.add_argument("--reason", required=True, help="Why (goes into the history).")

    def handle(self, *args, file, source, user, reason, **options):
        try:
            source_obj = Source.objects.get(slug=source)
        except Source.DoesNotExist:
            raise CommandError(f"No source with slug {source!r}.") from None
        try:
            account = get_user_model().objects.get_by_natural_key(user)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named {user!r}.") from None
        rows = read_rows(file)
        big = len(rows) >= PROGRESS_EVERY
        if big:
            self.stderr.write(f"Checking {len(rows)} rows of {file}…")
        try:
            claims = import_rows(source_obj, rows, user=account, reason=reason)
        except ImportRefused as refused:
            raise CommandError(str(refused)) from None
        except PermissionError as error:
            raise CommandError(str(error)) from None
        if big:
            self.stderr.write(f"Written {len(claims)} claims.")
        self.stdout.write(f"Imported {len(claims)} claims into {source_obj.slug}.")
