"""Re-fetch every cited page we hold a capture of, and say what changed.

For each cited source with a capture: fetch its URL again (the rules of
``factcheck.captures.fetching``) and compare the payload's SHA-256 with the
latest capture's:

- unchanged: same bytes;
- changed: different bytes; for each citation, is its passage still there?
- gone: 404 or 410, a host name that no longer resolves, a refused connection;
- failed: any other error (timeout, size cap, server error, refused address).

It never changes a claim, a citation or a published revision. ``--save`` stores
the new copy of each changed page as a new capture (with history); the published
revisions keep pointing at the capture they were checked against. Exits non-zero
when a page changed, is gone or could not be checked.
"""

from django.core.management.base import BaseCommand, CommandError

from factcheck.captures import fetching, storing
from factcheck.captures.checking import latest_captures
from factcheck.captures.quotes import passage_found
from factcheck.captures.warc import sha256
from factcheck.models import Citation, Source


class Command(BaseCommand):
    help = "Re-fetch each cited page that has a capture; report unchanged, changed and gone pages."

    def add_arguments(self, parser):
        parser.add_argument(
            "--save",
            action="store_true",
            help="Store the new copy of each changed page as a new capture (nothing else changes).",
        )

    def handle(self, *args, save, **options):
        cited = Source.objects.filter(citations__isnull=False).distinct().order_by("slug")
        latest = latest_captures(cited.values_list("pk", flat=True))
        counts = {"unchanged": 0, "changed": 0, "gone": 0, "failed": 0}
        for source in cited.filter(pk__in=latest):
            outcome = self.check_source(source, latest[source.pk], save)
            counts[outcome] += 1
        checked = sum(counts.values())
        summary = f"{checked} page{'s' if checked != 1 else ''} checked: " + ", ".join(
            f"{n} {name}" for name, n in counts.items()
        )
        self.stdout.write(summary + ".")
        if counts["changed"] or counts["gone"] or counts["failed"]:
            raise CommandError(f"Cited pages need attention ({summary}).")

    def check_source(self, source, capture, save) -> str:
        url = capture.url
        try:
            fetched = fetching.fetch(url)
        except fetching.FetchError as error:
            outcome = "gone" if error.gone else "failed"
            self.stdout.write(f"{outcome.upper():9} {source.slug}  {url}  {error}")
            return outcome
        if sha256(fetched.payload) == capture.sha256:
            self.stdout.write(f"UNCHANGED {source.slug}  {url}")
            return "unchanged"
        self.stdout.write(
            f"CHANGED   {source.slug}  {url}  (captured {capture.captured_at:%Y-%m-%d %H:%M} "
            "UTC; the bytes differ now)"
        )
        try:
            new = storing.prepare_fetched(source, fetched, user=None)
        except storing.CaptureRefused as refusal:
            self.stdout.write(f"          its text cannot be read now: {refusal}")
            return "changed"
        citations = Citation.objects.filter(source=source).select_related("claim").order_by("pk")
        for citation in citations:
            if not citation.passage:
                continue
            before = passage_found(citation.passage, capture.text)
            now = passage_found(citation.passage, new.text)
            state = "still there" if now else "NOT FOUND now"
            if not before:
                state += " (not found in the earlier capture either)"
            where = f", {citation.locator}" if citation.locator else ""
            self.stdout.write(f"          {citation.claim.slug}{where}: passage {state}")
        if save:
            storing.commit(new, user=None, reason="check_citations --save: the page changed")
            self.stdout.write(f"          saved as capture {new.pk}")
        return "changed"
