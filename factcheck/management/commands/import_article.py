"""Import an article from an HTML page or a plain-text capture.

    python3 manage.py import_article page.html --user researcher --reason "New article"
    python3 manage.py import_article capture.txt --dry-run
    python3 manage.py import_article capture.txt --start 579 --end 5715 --json --dry-run

``--dry-run`` prints what would be stored and stores nothing; ``--json`` prints
the text and each metadata field as JSON. Progress goes to stderr. A refusal
(empty, binary, undecodable or oversized file, no article text, the same text
imported already) exits non-zero with the reason.
"""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from factcheck.articles import importer, reading
from factcheck.candidates.proposing import propose_after_import
from factcheck.models import CandidateStatus


class Command(BaseCommand):
    help = "Import an article (HTML page or plain-text capture) as a new source."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The saved HTML page or text file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what would be stored; store nothing."
        )
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")
        parser.add_argument("--user", help="Who imports (username; goes into the history).")
        parser.add_argument(
            "--reason", default="", help="Why the article is imported (for its history)."
        )
        parser.add_argument("--url", default="", help="The page's address, if known.")
        parser.add_argument(
            "--kind",
            choices=[kind.value for kind in importer.IMPORT_KINDS],
            help="The kind of source (default: news_article).",
        )
        parser.add_argument(
            "--start", type=int, help="Plain text: character where the article starts."
        )
        parser.add_argument("--end", type=int, help="Plain text: character where it ends.")

    def handle(self, *args, file, dry_run, user, reason, url, kind, start, end, **options):
        as_json = options["json"]
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        size = path.stat().st_size
        if size > reading.max_bytes():
            raise CommandError(
                f"{file}: the file is too large ({size:,} bytes; the limit is "
                f"{reading.max_bytes():,} bytes, setting ARTICLE_IMPORT_MAX_BYTES)."
            )
        for value, name in ((start, "--start"), (end, "--end")):
            if value is not None and value < 0:
                raise CommandError(f"{name} must not be negative.")
        account = None
        if not dry_run:
            if not user or not reason.strip():
                raise CommandError("Saving needs --user and --reason (or use --dry-run).")
            try:
                account = get_user_model().objects.get_by_natural_key(user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"No user named {user!r}.") from None
            if not account.has_perm("factcheck.add_source"):
                raise CommandError(f"{user} may not add sources, so may not import an article.")

        def progress(message):
            self.stderr.write(message)

        try:
            draft = importer.prepare(
                path.read_bytes(),
                file_name=path.name,
                url=url,
                start=start,
                end=end,
                progress=progress,
            )
        except importer.ImportRefused as error:
            raise CommandError(f"{file}: {error}") from None
        if kind:
            draft.metadata["kind"] = kind
        if dry_run:
            self._print(draft, as_json=as_json, saved=None)
            if draft.duplicate is not None:
                raise CommandError(str(importer.AlreadyImported(draft.duplicate)))
            return
        try:
            source = importer.save(
                draft, user=account, reason=reason, after_import=propose_after_import
            )
        except importer.ImportRefused as error:
            raise CommandError(f"{file}: {error}") from None
        progress(f"Saved as source {source.slug} (id {source.pk}).")
        waiting = source.candidates.filter(status=CandidateStatus.PROPOSED).count()
        progress(f"{waiting} candidate claim(s) proposed: accept or dismiss them in the admin.")
        self._print(draft, as_json=as_json, saved=source)

    def _print(self, draft, *, as_json, saved):
        values = draft.as_dict()
        values["saved_as"] = saved.slug if saved else None
        if as_json:
            self.stdout.write(json.dumps(values, ensure_ascii=False, indent=2))
            return
        heading = f"Saved as {saved.slug}" if saved else "Dry run: nothing was stored"
        self.stdout.write(heading)
        for name, value in values.items():
            if name != "text":
                self.stdout.write(f"{name}: {value if value not in (None, '') else '—'}")
        self.stdout.write("")
        self.stdout.write(values["text"])
