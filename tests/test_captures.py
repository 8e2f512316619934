"""Evidence captures: archived copies of cited pages, and quotes checked against them.

Real data: the article fixture's citations and the stored copies of the pages they
cite (``fixtures/belarus_hrw_2020.json``), uploaded as plain-text captures. Synthetic
data, where an edge case needs it, says so (``tests/data/captures/hostile.html``).
Fetching is tested against a server the test starts on 127.0.0.1, never the Internet.
"""

import gzip
import http.server
import io
import socket
import threading
import time
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from factcheck import workflow
from factcheck.capture_storage import capture_storage
from factcheck.captures import fetching, storing, warc
from factcheck.captures.extract import extract_text, html_text
from factcheck.captures.quotes import normalise, passage_found
from factcheck.models import Capture, Citation, Claim
from factcheck.models.captures import CaptureMethod

DATA = Path(__file__).parent / "data" / "captures"
HOSTILE = (DATA / "hostile.html").read_bytes()
CLAIM = "report-calls-for-international-torture-inquiry"
CITED = "gov-uk-joint-canada-uk-statement-belarus"
NO_CAPTURE = (
    "No archived copy: we hold no capture of this page, so this passage was checked by hand"
)


@pytest.fixture(autouse=True)
def _captures_in_a_temporary_folder(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "captures": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


def upload(source, payload: bytes, name: str, user, reason="Saved the cited page as read"):
    return storing.upload(source, SimpleUploadedFile(name, payload), user=user, reason=reason)


def excerpts(source) -> bytes:
    """What the fixture holds of a cited page: not the page (the stored copies we read
    give excerpts, see each source's notes) but its real passages, one per paragraph."""
    cited = Citation.objects.filter(source=source).order_by("pk")
    passages = cited.values_list("passage", flat=True)
    return "\n\n".join(dict.fromkeys(p for p in passages if p)).encode("utf-8")


def stored_copy_capture(source, user):
    """A plain-text capture of a cited page, made of the fixture's excerpts of it."""
    return upload(source, excerpts(source), f"{source.slug}.txt", user)


# Normalisation ---------------------------------------------------------------


@pytest.mark.parametrize(
    "passage, text",
    [
        ("in Professor Benedek's report", "in Professor Benedek’s report"),  # ’ -> '
        ('"systematic" torture', "“systematic” torture"),
        ('"systematic" torture', "„systematic‟ torture"),
        ('"systematic" torture', "«systematic» torture"),
        ("a 5'11\" man", "a 5′11″ man"),
        ("one two", "one\u00a0two"),  # no-break space
        ("one two", "one\u202ftwo"),  # narrow no-break space
        ("one two", "one\n\n  two"),  # line break and indentation
        ("one two", "one\ttwo"),
        ("  one\ntwo  ", "one two"),  # the passage's own spacing too
    ],
)
def test_whitespace_and_typographic_quotes_are_normalised(passage, text):
    assert passage_found(passage, text)


@pytest.mark.parametrize(
    "passage, text",
    [
        ("Human Rights Watch", "human rights watch"),  # no case folding
        ("2020-2021", "2020–2021"),  # no dash folding
        ("onetwo", "one two"),  # a space is not nothing
        ("café", "cafe"),  # no accent folding
        ("", "anything"),  # an empty passage is never "found"
    ],
)
def test_nothing_else_is_normalised(passage, text):
    assert not passage_found(passage, text)


def test_normalise_says_exactly_what_it_does():
    typed = "‘a’ ‚b‛ “c” „d‟ «e» 1′ 2″\u00a0\u2028x"
    assert normalise(typed) == '\'a\' \'b\' "c" "d" "e" 1\' 2" x'


# Text extraction ---------------------------------------------------------------


def test_html_text_is_what_a_reader_sees_scripts_and_styles_dropped():
    text = html_text(HOSTILE)
    assert "This synthetic passage is the evidence we quote." in text
    assert "Synthetic page" in text
    for hidden in ("PWNED", "document.cookie", "background: red", "Hostile capture"):
        assert hidden not in text


def test_inline_elements_do_not_split_words_and_blocks_do_not_run_together():
    # Synthetic markup for the edge case.
    text = html_text(b"<p>Tor<b>ture</b> was <i>systematic</i></p><p>Next</p>")
    assert text == "Torture was systematic\nNext"


# Passage found / not found, on the article fixture's real citations ----------------


def test_a_cited_passage_is_found_in_the_capture_of_its_page(article, researcher):
    citation = Citation.objects.get(claim__slug=CLAIM, source__slug=CITED)
    capture = stored_copy_capture(citation.source, researcher)
    assert "’" in citation.passage  # typographic apostrophes, as published
    assert passage_found(citation.passage, capture.text)
    # Typed with a straight apostrophe, it is found too.
    assert passage_found(citation.passage.replace("’", "'"), capture.text)


def test_every_quote_of_the_article_is_found_in_the_real_capture_of_its_page(article):
    """The article's page as captured (tests/data, plain text): each of the 44 curated
    quotes is found in its text, across its line breaks and typographic quotes."""
    page = (Path(__file__).parent / "data" / "hrw_2020_11_06_page_capture.txt").read_bytes()
    text = extract_text(page, "text/plain")
    quotes = list(Claim.objects.values_list("quote", flat=True))
    assert len(quotes) == 44
    assert all(passage_found(quote, text) for quote in quotes)


def test_a_passage_that_is_not_on_the_page_is_not_found(article, researcher):
    citation = Citation.objects.get(claim__slug=CLAIM, source__slug=CITED)
    capture = stored_copy_capture(citation.source, researcher)
    other = Citation.objects.exclude(source=citation.source).exclude(passage="").first()
    assert not passage_found(other.passage, capture.text)
    # One word changed is enough.
    assert not passage_found(citation.passage.replace("Canada", "Canadа"), capture.text)


# Storing: WARC, history, refusals ---------------------------------------------------


def test_an_upload_is_stored_as_warc_with_its_hash_and_history(article, researcher):
    source = Claim.objects.get(slug=CLAIM).citations.get(source__slug=CITED).source
    payload = excerpts(source)
    capture = stored_copy_capture(source, researcher)
    assert capture.sha256 == warc.sha256(payload)
    assert capture.size == len(payload)
    assert capture.content_type == "text/plain"
    assert capture.method == CaptureMethod.UPLOADED
    assert capture.url == source.url
    assert capture.payload() == payload
    # A standard WARC file: gzipped, its record says where it is from and its digest.
    with capture.warc.open("rb") as stream:
        record = gzip.decompress(stream.read())
    assert record.startswith(b"WARC/1.")
    assert f"WARC-Target-URI: {source.url}".encode() in record
    assert f"WARC-Payload-Digest: sha256:{capture.sha256}".encode() in record
    entry = capture.history.get()
    assert entry.history_user == researcher
    assert entry.history_change_reason == "Saved the cited page as read"


@pytest.mark.parametrize(
    "name, payload, message",
    [
        ("page.html", b"", "empty"),
        ("page.exe", b"MZ\x90\x00", "HTML, PDF or plain-text"),
        ("page.txt", b"\x00\x01\x02binary", "binary"),
        ("report.pdf", b"<html>not a pdf</html>", "not a PDF"),
        ("broken.pdf", b"%PDF-1.4\nbroken", "PDF"),
        ("page.txt", b"\xff\xfe\xfa not utf-8", "UTF-8"),
    ],
)
def test_a_bad_upload_is_refused_clearly_and_nothing_is_stored(
    article, researcher, tmp_path, name, payload, message
):
    source = Citation.objects.get(claim__slug=CLAIM, source__slug=CITED).source
    with pytest.raises(storing.CaptureRefused, match=message):
        upload(source, payload, name, researcher)
    assert not Capture.objects.exists()
    assert not list((tmp_path / "media").rglob("*.warc.gz"))


def test_the_size_cap_refuses_a_large_upload(article, researcher, settings):
    settings.CAPTURE_MAX_BYTES = 100
    source = Citation.objects.get(claim__slug=CLAIM, source__slug=CITED).source
    with pytest.raises(storing.CaptureRefused, match="size cap of 100 bytes"):
        upload(source, b"x" * 101, "page.txt", researcher)
    assert not Capture.objects.exists()


def test_s3_is_selected_by_the_environment():
    assert capture_storage({}, "/srv/media")["BACKEND"].endswith("FileSystemStorage")
    chosen = capture_storage(
        {
            "CAPTURES_S3_BUCKET": "evidence",
            "CAPTURES_S3_ENDPOINT_URL": "https://minio.internal:9000",
            "CAPTURES_S3_REGION": "eu-central-1",
        },
        "/srv/media",
    )
    assert chosen["BACKEND"] == "storages.backends.s3.S3Storage"
    assert chosen["OPTIONS"]["bucket_name"] == "evidence"
    assert chosen["OPTIONS"]["endpoint_url"] == "https://minio.internal:9000"
    assert chosen["OPTIONS"]["default_acl"] == "private"


# Fetching: a local server, never the Internet -------------------------------------


class Pages(http.server.BaseHTTPRequestHandler):
    routes: dict = {}

    def do_GET(self):
        status, headers, body, delay = self.routes.get(self.path, (404, {}, b"Not found", 0))
        if delay:
            time.sleep(delay)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def log_message(self, *args):
        pass


@contextmanager
def local_server(routes):
    handler = type("Routes", (Pages,), {"routes": routes})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def loopback_allowed(settings):
    settings.CAPTURE_FETCH_ALLOW_LOOPBACK = True
    settings.CAPTURE_FETCH_TIMEOUT = 2


HTML = {"Content-Type": "text/html; charset=utf-8"}


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://127.8.9.1:8080/page",
        "http://10.1.2.3/",
        "http://192.168.0.1/",
        "http://172.16.5.4/",
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata, link-local
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[fe80::1]/",
        "http://224.0.0.1/",  # multicast
        "http://0.0.0.0/",
        "http://240.0.0.1/",  # reserved
        "http://localhost/",  # a name that resolves to loopback
    ],
)
def test_private_and_loopback_addresses_are_refused(url):
    with pytest.raises(fetching.FetchRefused, match="not a public Internet address"):
        fetching.fetch(url)


@pytest.mark.parametrize("url", ["ftp://example.org/a", "file:///etc/passwd", "gopher://x/"])
def test_only_http_and_https_are_fetched(url):
    with pytest.raises(fetching.FetchRefused, match="only http and https"):
        fetching.fetch(url)


def test_a_name_is_checked_at_connect_time_not_only_once(monkeypatch):
    """DNS rebinding: the name resolves to a public address when first asked and to a
    private one after. The connection goes only to an address that was checked."""
    answers = iter(["93.184.215.14", "127.0.0.1", "127.0.0.1"])
    real = socket.getaddrinfo

    def rebinding(host, port, *args, **kwargs):
        if host != "rebind.test":
            return real(host, port, *args, **kwargs)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]

    connected = []

    def connect(self, address):
        connected.append(address)
        raise ConnectionRefusedError("test: no connection is made")

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    monkeypatch.setattr(socket.socket, "connect", connect)
    with pytest.raises(fetching.FetchGone, match="refused"):
        fetching.fetch("http://rebind.test/")
    # The one connection attempted went to the address that was checked.
    assert connected == [("93.184.215.14", 80)]


def test_loopback_is_refused_unless_the_setting_allows_it(settings):
    with local_server({"/": (200, HTML, b"<p>hello</p>", 0)}) as base:
        with pytest.raises(fetching.FetchRefused):
            fetching.fetch(base + "/")
        settings.CAPTURE_FETCH_ALLOW_LOOPBACK = True
        assert fetching.fetch(base + "/").payload == b"<p>hello</p>"


def test_a_redirect_to_a_private_address_is_refused(loopback_allowed):
    routes = {"/moved": (302, {"Location": "http://10.0.0.7/admin"}, b"", 0)}
    with local_server(routes) as base, pytest.raises(fetching.FetchRefused, match=r"10\.0\.0\.7"):
        fetching.fetch(base + "/moved")


def test_redirects_are_followed_and_recorded(loopback_allowed):
    routes = {
        "/old": (301, {"Location": "/new"}, b"", 0),
        "/new": (200, HTML, b"<p>moved here</p>", 0),
    }
    with local_server(routes) as base:
        fetched = fetching.fetch(base + "/old")
    assert fetched.final_url == base + "/new"
    assert fetched.payload == b"<p>moved here</p>"


def test_the_size_cap_stops_a_large_page(loopback_allowed, settings):
    settings.CAPTURE_MAX_BYTES = 1000
    page = {"/big": (200, HTML, b"x" * 5000, 0)}
    with local_server(page) as base, pytest.raises(fetching.FetchError, match="size cap of 1,000"):
        fetching.fetch(base + "/big")


def test_a_slow_page_times_out(loopback_allowed, settings):
    settings.CAPTURE_FETCH_TIMEOUT = 0.3
    page = {"/slow": (200, HTML, b"<p>late</p>", 2)}
    with local_server(page) as base, pytest.raises(fetching.FetchError, match="Timed out"):
        fetching.fetch(base + "/slow")


def test_a_gone_page_says_so(loopback_allowed):
    with local_server({}) as base, pytest.raises(fetching.FetchGone, match="404"):
        fetching.fetch(base + "/missing")


# check_citations ------------------------------------------------------------------


def _cited_source_at(url, citation):
    source = citation.source
    source.url = url
    source._change_reason = "Test: the cited page is served by the test's own server"
    source.save()
    return source


def test_check_citations_reports_unchanged_changed_and_gone_pages(
    article, researcher, loopback_allowed
):
    citation = Citation.objects.get(claim__slug=CLAIM, source__slug=CITED)
    page = excerpts(citation.source)
    text_type = {"Content-Type": "text/plain; charset=utf-8"}
    routes = {"/statement": (200, text_type, page, 0)}
    claims_before = list(Claim.objects.values_list("pk", "version").order_by("pk"))
    with local_server(routes) as base:
        source = _cited_source_at(base + "/statement", citation)
        first = storing.fetch(source, user=researcher, reason="Captured the statement as cited")
        assert first.method == CaptureMethod.FETCHED and first.http_status == 200
        claims_before = list(Claim.objects.values_list("pk", "version").order_by("pk"))

        out = io.StringIO()
        call_command("check_citations", stdout=out)
        assert "UNCHANGED" in out.getvalue()
        assert "1 page checked: 1 unchanged, 0 changed, 0 gone, 0 failed." in out.getvalue()

        # The page changes: the passage is gone from it.
        routes["/statement"] = (200, text_type, b"This statement was withdrawn.", 0)
        out = io.StringIO()
        with pytest.raises(CommandError, match="1 changed"):
            call_command("check_citations", stdout=out)
        report = out.getvalue()
        assert "CHANGED" in report
        assert f"{CLAIM}: passage NOT FOUND now" in report
        assert Capture.objects.count() == 1  # without --save nothing is stored

        with pytest.raises(CommandError):
            call_command("check_citations", "--save", stdout=io.StringIO())
        newest = Capture.objects.exclude(pk=first.pk).get()
        assert newest.text == "This statement was withdrawn."
        assert newest.history.get().history_change_reason.startswith("check_citations --save")

        # The page is gone.
        del routes["/statement"]
        out = io.StringIO()
        with pytest.raises(CommandError, match="1 gone"):
            call_command("check_citations", stdout=out)
        assert "GONE" in out.getvalue()
    # Never a claim changed by itself.
    assert list(Claim.objects.values_list("pk", "version").order_by("pk")) == claims_before


def test_check_citations_reports_a_refused_connection_as_gone(article, researcher, settings):
    citation = Citation.objects.get(claim__slug=CLAIM, source__slug=CITED)
    settings.CAPTURE_FETCH_ALLOW_LOOPBACK = True
    with local_server({}) as base:
        pass  # the server is closed: its port now refuses connections
    source = _cited_source_at(base + "/statement", citation)
    stored_copy_capture(source, researcher)
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 gone"):
        call_command("check_citations", stdout=out)
    assert "refused the connection" in out.getvalue()


# Published revisions and the public archive ---------------------------------------------


def test_publishing_records_the_capture_each_passage_was_checked_against(
    article, newsroom, researcher, client
):
    claim = Claim.objects.get(slug=CLAIM)
    citation = claim.citations.get(source__slug=CITED)
    capture = stored_copy_capture(citation.source, researcher)

    # While nothing published refers to it, the archived copy is not public.
    for name in ("capture", "capture-text", "capture-original", "capture-warc"):
        assert client.get(reverse(f"public:{name}", args=[capture.pk])).status_code == 404

    newsroom.publish(claim)
    revision = claim.live_revision
    by_source = {c["source"]: c for c in revision.citations}
    assert by_source[CITED]["capture"] == {
        "id": capture.pk,
        "captured_at": capture.captured_at.isoformat(),
        "sha256": capture.sha256,
        "found": True,
    }
    assert all("capture" not in c for s, c in by_source.items() if s != CITED)

    page = client.get(reverse("public:claim", args=[CLAIM])).content.decode()
    assert "Quote checked against" in page
    assert reverse("public:capture", args=[capture.pk]) in page
    assert NO_CAPTURE in page
    assert client.get(reverse("public:capture", args=[capture.pk])).status_code == 200

    # A newer capture does not change what was published, and is not public itself.
    newer = upload(citation.source, b"The page now says something else.", "later.txt", researcher)
    revision.refresh_from_db()
    assert revision.citations == claim.live_revision.citations
    assert {c["source"]: c for c in revision.citations}[CITED]["capture"]["id"] == capture.pk
    page = client.get(reverse("public:claim", args=[CLAIM])).content.decode()
    assert reverse("public:capture", args=[capture.pk]) in page
    assert client.get(reverse("public:capture", args=[newer.pk])).status_code == 404

    # Withdrawn: its captures are no longer public either.
    workflow.unpublish(claim, user=newsroom.editor, reason="Test: withdrawn")
    assert client.get(reverse("public:capture", args=[capture.pk])).status_code == 404


def test_a_capture_added_after_approval_does_not_undo_the_approval(article, newsroom, researcher):
    """The approval digest covers what it always covered; the check is recorded at publish."""
    claim = Claim.objects.get(slug=CLAIM)
    digest = claim.content_digest()
    citation = claim.citations.get(source__slug=CITED)
    stored_copy_capture(citation.source, researcher)
    assert Claim.objects.get(pk=claim.pk).content_digest() == digest


def test_the_belarus_evidence_says_honestly_that_no_capture_exists(article, newsroom, client):
    claim = Claim.objects.get(slug=CLAIM)
    newsroom.publish(claim)
    page = client.get(reverse("public:claim", args=[CLAIM])).content.decode()
    assert page.count(NO_CAPTURE) == len([c for c in claim.live_revision.citations if c["passage"]])
    assert "Quote checked against" not in page


def test_archived_copies_are_served_inert(article, newsroom, researcher, client):
    claim = Claim.objects.get(slug=CLAIM)
    citation = claim.citations.get(source__slug=CITED)
    capture = upload(citation.source, HOSTILE, "hostile.html", researcher)
    newsroom.publish(claim)
    for name in ("capture-original", "capture-warc"):
        response = client.get(reverse(f"public:{name}", args=[capture.pk]))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["Content-Security-Policy"].startswith("sandbox;")
        assert "allow-scripts" not in response["Content-Security-Policy"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert not response["Content-Type"].startswith("text/html")
    assert client.get(reverse("public:capture-original", args=[capture.pk])).content == HOSTILE
    text = client.get(reverse("public:capture-text", args=[capture.pk]))
    assert text["Content-Type"].startswith("text/plain")
    assert text["Content-Security-Policy"].startswith("sandbox;")
    page = client.get(reverse("public:capture", args=[capture.pk])).content.decode()
    assert "PWNED" not in page and "<script>document" not in page
    assert "This synthetic passage is the evidence we quote." in page


def test_a_capture_whose_file_is_gone_from_storage_answers_503_not_500(
    article, newsroom, researcher, client
):
    claim = Claim.objects.get(slug=CLAIM)
    citation = claim.citations.get(source__slug=CITED)
    capture = upload(citation.source, HOSTILE, "hostile.html", researcher)
    newsroom.publish(claim)
    capture.warc.storage.delete(capture.warc.name)  # a storage outage, a restore without files
    for name in ("capture-original", "capture-warc"):
        response = client.get(reverse(f"public:{name}", args=[capture.pk]))
        assert response.status_code == 503
        assert "cannot be read from storage" in response.content.decode()
    # The page itself shows the stored text and record.
    assert client.get(reverse("public:capture", args=[capture.pk])).status_code == 200


# The desk ----------------------------------------------------------------------------


def test_the_desk_uploads_a_capture_with_a_reason(article, researcher, client):
    source = Citation.objects.get(claim__slug=CLAIM, source__slug=CITED).source
    client.force_login(researcher)
    url = reverse("admin:factcheck_capture_add")
    page = client.get(url + f"?source={source.pk}")
    assert page.status_code == 200
    assert "Capture the URL now" not in page.content.decode()  # fetching is off by default
    response = client.post(
        url,
        {
            "source": source.pk,
            "file": SimpleUploadedFile("statement.txt", excerpts(source)),
            "change_reason": "Saved the statement page",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    capture = Capture.objects.get()
    assert capture.history.get().history_user == researcher
    assert capture.made_by == researcher

    claim = Claim.objects.get(slug=CLAIM)
    page = client.get(reverse("admin:factcheck_claim_change", args=[claim.pk])).content.decode()
    assert "found in the capture of" in page
    assert "No capture." in page  # the citations of pages never captured
    citation = claim.citations.get(source__slug=CITED)
    page = client.get(reverse("admin:factcheck_citation_change", args=[citation.pk]))
    assert "found in the capture of" in page.content.decode()
    text = client.get(reverse("admin:factcheck_capture_text", args=[capture.pk]))
    assert text.status_code == 200


def test_the_desk_sees_a_clear_error_for_a_bad_file(article, researcher, client):
    source = Citation.objects.get(claim__slug=CLAIM, source__slug=CITED).source
    client.force_login(researcher)
    response = client.post(
        reverse("admin:factcheck_capture_add"),
        {
            "source": source.pk,
            "file": SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff\xe0binary"),
            "change_reason": "Saved the page",
        },
    )
    assert response.status_code == 200
    assert "an HTML, PDF or plain-text (.txt) file" in response.content.decode()
    assert not Capture.objects.exists()


def test_a_viewer_without_permission_cannot_upload_or_read_captures(article, viewer, client):
    client.force_login(viewer)
    assert client.get(reverse("admin:factcheck_capture_add")).status_code == 403


def test_the_desk_fetches_a_url_now_when_enabled(article, researcher, client, settings):
    settings.CAPTURE_FETCH_ENABLED = True
    settings.CAPTURE_FETCH_ALLOW_LOOPBACK = True
    citation = Citation.objects.get(claim__slug=CLAIM, source__slug=CITED)
    routes = {"/s": (200, {"Content-Type": "text/plain"}, excerpts(citation.source), 0)}
    with local_server(routes) as base:
        source = _cited_source_at(base + "/s", citation)
        client.force_login(researcher)
        response = client.post(
            reverse("admin:factcheck_capture_add"),
            {"source": source.pk, "fetch_now": "on", "change_reason": "Captured it now"},
        )
    assert response.status_code == 302
    assert Capture.objects.get().method == CaptureMethod.FETCHED


def test_a_pdf_capture_has_its_text_layer_read(db, researcher):
    """A real PDF (pypdf's test resources, BSD-3-Clause: tests/data/README.md)."""
    from tests.factories import SourceFactory

    source = SourceFactory(url="https://evidence.example.org/crazyones.pdf")
    pdf = (DATA / "crazyones.pdf").read_bytes()
    capture = upload(source, pdf, "crazyones.pdf", researcher)
    assert capture.content_type == "application/pdf"
    assert passage_found("The round pegs in the square holes.", capture.text)
    # Its text layer has the ligature ﬁ (U+FB01): not folded, so "misfits" is not found.
    assert passage_found("The mis\ufb01ts.", capture.text)
    assert not passage_found("The misfits.", capture.text)


def test_a_sources_admin_page_lists_its_captures(article, researcher, client):
    source = Citation.objects.get(claim__slug=CLAIM, source__slug=CITED).source
    capture = stored_copy_capture(source, researcher)
    client.force_login(researcher)
    page = client.get(reverse("admin:factcheck_source_change", args=[source.pk])).content.decode()
    assert f"{capture.captured_at:%Y-%m-%d %H:%M} UTC" in page
    assert reverse("admin:factcheck_capture_text", args=[capture.pk]) in page
    assert f"{reverse('admin:factcheck_capture_add')}?source={source.pk}" in page


def test_publishing_many_claims_at_once_records_the_same_checks(article, newsroom, researcher):
    claim = Claim.objects.get(slug=CLAIM)
    capture = stored_copy_capture(claim.citations.get(source__slug=CITED).source, researcher)
    workflow.submit(claim, user=newsroom.researcher)
    workflow.approve(
        Claim.objects.get(pk=claim.pk),
        user=newsroom.factchecker,
        verdict="accurate",
        rationale="The statement says so.",
        fidelity="not_applicable",
    )
    (revision,) = workflow.publish_many([Claim.objects.get(pk=claim.pk)], user=newsroom.editor)
    revision.refresh_from_db()
    recorded = {c["source"]: c.get("capture") for c in revision.citations}
    assert recorded[CITED]["id"] == capture.pk and recorded[CITED]["found"] is True
    assert list(revision.checked_captures.all()) == [capture]


def test_the_api_gives_each_citations_capture_check(article, newsroom, researcher, client):
    claim = Claim.objects.get(slug=CLAIM)
    capture = stored_copy_capture(claim.citations.get(source__slug=CITED).source, researcher)
    newsroom.publish(claim)
    data = client.get(reverse("public-api:claim-detail", args=[CLAIM])).json()
    by_source = {c["source"]: c["capture"] for c in data["citations"]}
    assert by_source[CITED]["sha256"] == capture.sha256
    assert by_source[CITED]["found"] is True
    assert by_source[CITED]["archived_copy"].endswith(f"/archive/{capture.pk}/")
    assert all(check is None for source, check in by_source.items() if source != CITED)
    # As its OpenAPI document describes it.
    from tests.validators import openapi_response_errors

    document = client.get("/api/openapi.json").json()
    response = client.get(reverse("public-api:claim-detail", args=[CLAIM]))
    assert openapi_response_errors(document, response) == []
