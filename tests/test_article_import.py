"""Importing an article: HTML pages, the plain-text seed capture, refusals, the admin page."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from factcheck.articles import boundaries, importer
from factcheck.articles.extraction import extract_html
from factcheck.models import ArticleImport, Source
from tests.conftest import ARTICLE_FIXTURE_PATH, ARTICLE_SLUG, SEED

PAGES = Path(__file__).resolve().parent / "data" / "html_pages"
REASON = "New article to check"


def fixture_text() -> str:
    objects = json.loads(ARTICLE_FIXTURE_PATH.read_text(encoding="utf-8"))
    (source,) = [
        o
        for o in objects
        if o["model"] == "factcheck.source" and o["fields"]["slug"] == ARTICLE_SLUG
    ]
    return source["fields"]["text"]


# --- the seed capture --------------------------------------------------------------


def test_the_seed_capture_proposes_exactly_the_article_text_of_the_fixture():
    capture = SEED.read_text(encoding="utf-8")
    proposal = boundaries.propose(capture)
    # Differences allowed: none. Headline, standfirst, photo caption, credit and 13
    # body paragraphs, with the share buttons between standfirst and caption left out.
    assert proposal.text == fixture_text()
    assert capture[proposal.start :].startswith("Belarus: Expert Report Calls for International")
    assert capture[proposal.end :].startswith("Your tax deductible gift")
    left_out = [s.text for s in proposal.segments if not s.kept]
    assert "Share this via Facebook" in left_out
    assert "Click to expand Image" in left_out
    assert any("Headline" in reason for reason in proposal.reasons)


def test_an_article_alone_is_kept_whole():
    text = fixture_text()
    assert boundaries.propose(text).text == text


def test_bounds_set_by_hand_move_the_start_and_end():
    capture = SEED.read_text(encoding="utf-8")
    start = capture.index("(Berlin)")
    end = capture.index("Protests are now in their fourth month.") - 1
    proposal = boundaries.propose(capture, start=start, end=end)
    # Only whole paragraphs inside the bounds: the one the end falls in is left out.
    paragraphs = proposal.text.split("\n\n")
    assert paragraphs[0].startswith("(Berlin) – A new expert report")
    assert paragraphs[-1].endswith("continue in Belarus.”")
    assert len(paragraphs) == 3
    assert any("by hand" in reason for reason in proposal.reasons)


def page_as_plain_text(name: str) -> str:
    """A real page's visible text, as copying it from a browser roughly gives it:
    every text node of the body (scripts and styles left out), one block a line."""
    import re

    import lxml.html

    document = lxml.html.fromstring((PAGES / name).read_bytes().decode("utf-8"))
    for element in document.xpath("//script|//style|//noscript"):
        element.drop_tree()
    text = re.sub(r"[ \t]+", " ", document.text_content())
    return re.sub(r"\n\s*\n+", "\n", text)


@pytest.mark.parametrize(
    ("name", "first", "last"),
    [
        (
            "readability-guardian-1.html",
            "'What is the sea telling us?': Māori tribes fearful over whale strandings",
            "So what is the sea telling us? We need to listen.”",
        ),
        (
            "readability-cnn.html",
            "The 'birth lottery' and economic mobility",
            "the levels of assistance in the U.S. are generally lower than in other countries.",
        ),
        (
            "readability-bbc-1.html",
            "Obama admits US gun laws are his 'biggest frustration'",
            "address the African Union when he travels on to Ethiopia on Sunday.",
        ),
    ],
)
def test_real_pages_copied_as_plain_text_are_cut_at_their_headline_and_last_paragraph(
    name, first, last
):
    proposal = boundaries.propose(page_as_plain_text(name))
    assert proposal.text.startswith(first + "\n\n")
    assert proposal.text.endswith(last)


# --- real HTML pages ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "title", "publisher", "published", "starts"),
    [
        (
            "readability-bbc-1.html",
            "Obama admits US gun laws are his 'biggest frustration'",
            "BBC News",
            "2015-07-24",
            "President Barack Obama has admitted that his failure to pass",
        ),
        (
            "readability-cnn.html",
            "The 'birth lottery' and economic mobility",
            "CNNMoney",
            "2016-02-01",
            "The U.S. has long been heralded as a land of opportunity",
        ),
        (
            "readability-guardian-1.html",
            # Its og:title adds " | Eleanor Ainge Roy", the byline: the headline is kept.
            "'What is the sea telling us?': Māori tribes fearful over whale strandings",
            "The Guardian",
            "2019-01-03",
            "Whale whisperer Hori Parata was just seven years old",
        ),
    ],
)
def test_real_news_pages_give_their_text_and_stated_metadata(
    name, title, publisher, published, starts
):
    result = extract_html((PAGES / name).read_bytes())
    assert result.title == title
    assert result.publisher == publisher
    assert result.published_on.isoformat() == published
    assert starts in result.text
    assert "\n\n" in result.text  # paragraphs separated by blank lines
    assert "<" not in result.text and "function(" not in result.text


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("readability-bbc-1.html", "http://www.bbc.com/news/world-us-canada-33646704"),
        (
            "readability-guardian-1.html",
            "https://www.theguardian.com/environment/2019/jan/03/"
            "what-is-the-sea-telling-us-maori-tribes-fearful-over-whale-strandings",
        ),
    ],
)
def test_the_url_is_the_canonical_link_the_page_states(name, canonical):
    """Each page states <link rel="canonical">; trafilatura alone gave the BBC page no
    URL and the Guardian's its og:url (http, not the canonical https)."""
    assert extract_html((PAGES / name).read_bytes()).url == canonical


def test_no_paragraph_that_trafilatura_finds_is_dropped():
    """A real page where trafilatura keeps each paragraph loose after its heading
    (IGN, from the Article Extraction Benchmark): a dropped paragraph could never
    be quoted, so every one of trafilatura's lines must be in the text."""
    import gzip

    import trafilatura

    page = gzip.decompress((PAGES / "aeb-287e4d9f.html.gz").read_bytes())
    ours = extract_html(page).text
    lines = [line for line in trafilatura.extract(page).splitlines() if line.strip()]
    assert len(lines) > 20
    # (its plain-text output marks list items with "- ", which our text does not)
    assert [line for line in lines if line.strip().removeprefix("- ") not in ours] == []
    assert "The price of one of the PS4 DualShock controllers has prematurely dropped" in ours


@pytest.mark.django_db
def test_a_broken_page_gives_what_it_holds_or_a_clear_refusal():
    """Real pages cut short (a broken download: unclosed tags, a cut character)."""
    bbc = (PAGES / "readability-bbc-1.html").read_bytes()
    half = importer.prepare(bbc[: len(bbc) // 2])
    assert half.text == extract_html(bbc).text  # its article lies in the first half
    guardian = (PAGES / "readability-guardian-1.html").read_bytes()
    with pytest.raises(importer.ImportRefused, match="No article text"):
        importer.prepare(guardian[: len(guardian) // 2])  # cut before its article


def test_a_date_only_in_the_address_is_not_taken_as_stated():
    # Synthetic page: a URL with a date, no date in the markup.
    page = (
        "<html><head><title>t</title><link rel=canonical href='https://example.org/2016/02/01/x'>"
        "</head><body><article><p>"
        + "A paragraph of synthetic text for a test. " * 10
        + "</p></article></body></html>"
    )
    assert extract_html(page).published_on is None


# --- refusals: clear, and nothing stored --------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n\n  ", "empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (bytes(range(256)) * 4, "binary"),
        ("Caf\u00e9 au lait, a short line of text that is long enough".encode("latin-1"), "UTF-8"),
        # Synthetic broken HTML: unclosed tags and no article in it.
        (b"<html><body><div><p>Menu<div><a href=x>Home</a><table><tr><td>", "No article"),
        (b"Home About Contact", "No article text"),
    ],
)
def test_bad_files_are_refused_clearly_and_nothing_is_stored(data, message):
    before = Source.objects.count()
    with pytest.raises(importer.ImportRefused, match=message):
        importer.prepare(data)
    assert Source.objects.count() == before


@pytest.mark.django_db
def test_an_oversized_file_is_refused(settings):
    settings.ARTICLE_IMPORT_MAX_BYTES = 1000
    with pytest.raises(importer.ImportRefused, match="too large"):
        importer.prepare(SEED.read_bytes())


# --- saving -----------------------------------------------------------------------


@pytest.mark.django_db
def test_saving_writes_the_source_and_its_history_with_who_and_why(researcher):
    calls = []
    draft = importer.prepare(SEED.read_bytes(), file_name="capture.txt")
    source = importer.save(
        draft,
        user=researcher,
        reason=REASON,
        after_import=lambda s, u: calls.append((s.pk, u)),
        kind="news_release",
        publisher="Human Rights Watch",
    )
    assert source.text == fixture_text()
    assert source.title == "Belarus: Expert Report Calls for International Inquiry into Torture"
    assert source.kind == "news_release" and source.publisher == "Human Rights Watch"
    assert source.retrieved_on is None and source.published_on is None and source.url == ""
    assert "plain-text capture" in source.notes and "capture.txt" in source.notes
    (row,) = source.history.all()
    assert row.history_user == researcher and row.history_change_reason == REASON
    record = ArticleImport.objects.get(source=source)
    assert record.imported_by == researcher and (record.start, record.end) == (579, 5715)
    assert record.history.get().history_change_reason == REASON
    assert calls == [(source.pk, researcher)]


@pytest.mark.django_db
def test_the_same_text_twice_says_already_imported(researcher):
    first = importer.save(importer.prepare(SEED.read_bytes()), user=researcher, reason=REASON)
    again = importer.prepare(SEED.read_bytes())
    assert again.duplicate == first
    with pytest.raises(importer.AlreadyImported, match=first.slug):
        importer.save(again, user=researcher, reason=REASON)
    assert Source.objects.count() == 1


@pytest.mark.django_db
def test_two_confirms_of_one_preview_store_one_source(researcher):
    """A double submit: both previews were made before either was saved."""
    one = importer.prepare(SEED.read_bytes())
    two = importer.prepare(SEED.read_bytes())
    importer.save(one, user=researcher, reason=REASON)
    with pytest.raises(importer.AlreadyImported):
        importer.save(two, user=researcher, reason=REASON)
    assert Source.objects.count() == ArticleImport.objects.count() == 1


@pytest.mark.django_db
def test_the_database_refuses_a_second_import_record_of_one_text(researcher):
    from django.db import IntegrityError, transaction

    source = importer.save(importer.prepare(SEED.read_bytes()), user=researcher, reason=REASON)
    twin = ArticleImport(
        source=source, text_sha256=source.text_sha256, file_sha256="0" * 64, input_kind="text"
    )
    twin._change_reason = "test"
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


@pytest.mark.django_db
def test_a_failing_hook_leaves_nothing_half_stored(researcher):
    def fails(source, user):
        raise RuntimeError("candidate claims failed")

    with pytest.raises(RuntimeError):
        importer.save(
            importer.prepare(SEED.read_bytes()), user=researcher, reason=REASON, after_import=fails
        )
    assert Source.objects.count() == 0 and ArticleImport.objects.count() == 0
    assert Source.history.count() == 0


# --- the command ------------------------------------------------------------------


@pytest.mark.django_db
def test_dry_run_prints_json_and_stores_nothing():
    out, err = io.StringIO(), io.StringIO()
    call_command("import_article", str(SEED), "--dry-run", "--json", stdout=out, stderr=err)
    values = json.loads(out.getvalue())
    assert values["text"] == fixture_text()
    assert values["title"].startswith("Belarus: Expert Report")
    assert values["start"] == 579 and values["saved_as"] is None
    assert {"publisher", "byline", "language", "published_on", "url"} <= set(values)
    assert "Read 7,998 bytes" in err.getvalue()  # progress on stderr
    assert Source.objects.count() == 0


@pytest.mark.django_db
def test_the_command_imports_an_html_page(researcher):
    out = io.StringIO()
    call_command(
        "import_article",
        str(PAGES / "readability-bbc-1.html"),
        "--user",
        researcher.username,
        "--reason",
        REASON,
        stdout=out,
        stderr=io.StringIO(),
    )
    source = Source.objects.get()
    assert source.publisher == "BBC News" and source.kind == "news_article"
    assert source.history.get().history_user == researcher
    with pytest.raises(CommandError, match="already imported"):
        call_command(
            "import_article",
            str(PAGES / "readability-bbc-1.html"),
            "--user",
            researcher.username,
            "--reason",
            REASON,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )


@pytest.mark.django_db
def test_the_command_refuses_clearly(tmp_path, viewer):
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="empty"):
        call_command("import_article", str(empty), "--dry-run", stderr=io.StringIO())
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_article", str(tmp_path / "missing.txt"), "--dry-run")
    with pytest.raises(CommandError, match="may not add sources"):
        call_command("import_article", str(SEED), "--user", viewer.username, "--reason", REASON)
    assert Source.objects.count() == 0


# --- the admin page ---------------------------------------------------------------

URL = "/admin/factcheck/source/import/"


def _upload(client, data: bytes, name="page.html"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(URL, {"step": "upload", "file": SimpleUploadedFile(name, data)})


@pytest.mark.django_db
def test_admin_preview_then_confirm_saves_one_source(client, researcher):
    client.force_login(researcher)
    assert client.get(URL).status_code == 200
    preview = _upload(client, SEED.read_bytes(), "capture.txt")
    assert preview.status_code == 200
    assert Source.objects.count() == 0  # nothing stored before confirm
    html = preview.content.decode()
    assert "<del" in html and "Share this via Facebook" in html
    token = preview.context["token"]
    form = {
        "token": token,
        "start": 579,
        "end": 5715,
        "previewed_start": 579,
        "previewed_end": 5715,
        "kind": "news_release",
        "title": "Belarus: Expert Report Calls for International Inquiry into Torture",
        "publisher": "Human Rights Watch",
        "language": "en",
        "url": "",
        "byline": "",
        "published_on": "2020-11-06",
        "retrieved_on": "",
        "reason": REASON,
        "step": "confirm",
    }
    saved = client.post(URL, form)
    source = Source.objects.get()
    assert saved.status_code == 302 and saved["Location"] == reverse(
        "admin:factcheck_source_change", args=[source.pk]
    )
    assert source.text == fixture_text() and source.language == "en"
    assert source.history.get().history_user == researcher
    # The same form again (a double submit): no second source.
    again = client.post(URL, form)
    assert again.status_code == 302 and Source.objects.count() == 1


@pytest.mark.django_db
def test_admin_confirm_uses_the_server_copy_not_posted_text(client, researcher):
    client.force_login(researcher)
    token = _upload(client, (PAGES / "readability-cnn.html").read_bytes()).context["token"]
    client.post(
        URL,
        {
            "token": token,
            "step": "confirm",
            "kind": "news_article",
            "title": "T",
            "reason": REASON,
            "text": "Tampered text",
            "text_sha256": "0" * 64,
        },
    )
    source = Source.objects.get()
    assert "land of opportunity" in source.text and "Tampered" not in source.text


@pytest.mark.django_db
def test_admin_moving_the_end_shows_a_new_preview_before_saving(client, researcher):
    client.force_login(researcher)
    token = _upload(client, SEED.read_bytes(), "capture.txt").context["token"]
    end = SEED.read_text(encoding="utf-8").index("The report is the result")
    response = client.post(
        URL,
        {
            "token": token,
            "step": "confirm",
            "start": 579,
            "end": end,
            "previewed_start": 579,
            "previewed_end": 5715,
            "kind": "news_article",
            "title": "T",
            "reason": REASON,
        },
    )
    assert response.status_code == 200 and Source.objects.count() == 0
    assert response.context["draft"].end == end


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data", [b"", b"\x89PNG\r\n\x1a\n" + bytes(100), b"<html><body><nav>Home</nav>"]
)
def test_admin_refuses_bad_files_with_a_400(client, researcher, data):
    client.force_login(researcher)
    response = _upload(client, data)
    assert response.status_code == 400
    assert response.context["upload"].non_field_errors()
    assert Source.objects.count() == 0


@pytest.mark.django_db
def test_admin_refuses_a_user_who_may_not_add_sources(client, factchecker):
    client.force_login(factchecker)
    assert client.get(URL).status_code == 403
    assert _upload(client, SEED.read_bytes()).status_code == 403
    assert Source.objects.count() == 0


@pytest.mark.django_db
def test_admin_imports_pasted_text(client, researcher):
    client.force_login(researcher)
    preview = client.post(URL, {"step": "upload", "pasted": fixture_text(), "url": ""})
    assert preview.status_code == 200
    draft = preview.context["draft"]
    assert draft.text == fixture_text()
    assert draft.metadata["title"].startswith("Belarus: Expert Report")


@pytest.mark.django_db
def test_admin_refuses_an_oversized_upload(client, researcher, settings):
    settings.ARTICLE_IMPORT_MAX_BYTES = 1000
    client.force_login(researcher)
    response = _upload(client, SEED.read_bytes(), "capture.txt")
    assert response.status_code == 400
    assert "too large" in response.content.decode()
    assert Source.objects.count() == 0


@pytest.mark.django_db
def test_admin_confirm_of_an_unknown_token_stores_nothing(client, researcher):
    client.force_login(researcher)
    response = client.post(
        URL,
        {
            "token": "forged",
            "step": "confirm",
            "kind": "news_article",
            "title": "T",
            "reason": REASON,
        },
        follow=True,
    )
    assert "no longer pending" in response.content.decode()
    assert Source.objects.count() == 0


@pytest.mark.django_db
def test_the_import_page_is_linked_for_those_who_may_add_sources(client, researcher, factchecker):
    client.force_login(researcher)
    assert URL.encode() in client.get("/admin/").content
    assert URL.encode() in client.get("/admin/factcheck/source/").content
    client.force_login(factchecker)
    assert URL.encode() not in client.get("/admin/").content
