"""Every public page, and every desk page we added, is valid HTML by the Nu Html
Checker (vnu.jar, the W3C's checker), with zero errors, and every id it refers
to (aria-describedby, label for, ...) exists.

vnu runs once for the whole site: the JVM takes seconds to start, so the pages
are written to a folder and checked in one run. Warnings are reported but do
not fail the test (they are advice, e.g. about heading levels); errors do.
"""

import json
import shutil
import subprocess

import pytest
from django.template.loader import render_to_string

from tests.site_pages import (
    VNU_JAR,
    build_site,
    bulk_assign_post,
    desk_paths,
    import_preview_post,
    missing,
    public_paths,
)

JAVA = shutil.which("java")

pytestmark = [pytest.mark.django_db, pytest.mark.same_on_every_database]


def skip_without_vnu(test):
    test = pytest.mark.skipif(
        JAVA is None, reason="Java is not installed: apt-get install default-jre-headless"
    )(test)
    why = missing(VNU_JAR, "The Nu Html Checker")
    return pytest.mark.skipif(why is not None, reason=why or "")(test)


def check_with_vnu(pages: dict[str, bytes], folder) -> list[dict]:
    """vnu's messages on ``pages`` (address -> HTML), each with the page's address."""
    names = {}
    for number, (address, html) in enumerate(pages.items()):
        path = folder / f"page-{number:03}.html"
        path.write_bytes(html)
        names[path.resolve().as_uri()] = address
    result = subprocess.run(
        [
            JAVA,
            "-jar",
            str(VNU_JAR),
            "--format",
            "json",
            "--stdout",
            *map(str, sorted(folder.iterdir())),
        ],
        capture_output=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(result.stdout)["messages"]
    for message in messages:
        url = message.get("url", "")
        message["page"] = names.get(url, names.get(url.replace("file:/", "file:///", 1), url))
    return messages


def describe(message: dict) -> str:
    return f"{message['page']} line {message.get('lastLine', '?')}: {message['message']}"


def render_site(newsroom, superuser, client) -> dict[str, bytes]:
    """Every public page and desk page of the fact-checked site, by address."""
    site = build_site(newsroom)
    pages = {}
    for path in public_paths(site):
        response = client.get(path)
        assert response.status_code in (200, 400, 404), path
        pages[path] = response.content
    pages["500 page"] = render_to_string("500.html").encode()
    client.force_login(superuser)
    for path in desk_paths(site):
        response = client.get(path)
        assert response.status_code == 200, path
        pages[path] = response.content
    response = client.post("/admin/factcheck/claim/", bulk_assign_post(site))
    assert response.status_code == 200 and b"assignee" in response.content
    pages["bulk assign"] = response.content
    response = client.post("/admin/factcheck/source/import/", import_preview_post())
    assert response.status_code == 200 and b"<del" in response.content
    pages["import preview"] = response.content
    return pages


# Errors that Django's own admin markup makes, not our templates, on the claim's
# change page. Each is matched exactly; anything else fails the test.
DJANGO_ADMIN_ERRORS = {
    # AutocompleteSelect renders a required <select> with only the chosen option.
    (
        "/admin/factcheck/claim/",
        "The first “option” element in a “select” element with a “required” attribute",
    ),
    # admin/includes/fieldset.html labels a hidden input (our seen_version field).
    (
        "/admin/factcheck/claim/",
        "The value of the “for” attribute of the “label” element must "
        "be the ID of a non-hidden form control.",
    ),
}


def known_django_admin_error(message: dict) -> bool:
    return any(
        message["page"].startswith(page) and message["message"].startswith(text)
        for page, text in DJANGO_ADMIN_ERRORS
    )


@skip_without_vnu
def test_every_public_and_desk_page_is_valid_html(newsroom, superuser, client, tmp_path):
    pages = render_site(newsroom, superuser, client)

    messages = check_with_vnu(pages, tmp_path)

    errors = [
        m
        for m in messages
        if m["type"] in ("error", "non-document-error") and not known_django_admin_error(m)
    ]
    warnings = [m for m in messages if m["type"] == "info" and m.get("subType") == "warning"]
    for warning in warnings:
        print("vnu warning:", describe(warning))
    assert not errors, "vnu errors:\n" + "\n".join(describe(e) for e in errors)


REFERENCES = ("aria-describedby", "aria-labelledby", "aria-controls", "for", "list", "form")


def test_every_id_reference_points_at_an_element_and_every_link_has_text(
    newsroom, superuser, client
):
    # vnu does not check that aria-describedby and the like name existing ids.
    import lxml.html

    pages = render_site(newsroom, superuser, client)

    dangling = []
    for address, html in pages.items():
        document = lxml.html.document_fromstring(html)
        ids = set(document.xpath("//@id"))
        for name in REFERENCES:
            for element in document.xpath(f"//*[@{name}]"):
                if name in ("for", "form", "list") and element.tag not in (
                    "label",
                    "output",
                    "input",
                    "button",
                    "select",
                    "textarea",
                    "fieldset",
                ):
                    continue
                for ref in element.get(name).split():
                    if ref not in ids:
                        dangling.append(f'{address}: <{element.tag} {name}="{ref}">')
        for link in document.xpath("//a[@href]"):
            named = (
                link.text_content().strip()
                or link.get("aria-label")
                or link.get("title")
                or link.xpath(".//@alt")
            )
            if not named:
                dangling.append(f'{address}: <a href="{link.get("href")}"> has no text')
    assert not dangling, "Dangling id references and empty links:\n" + "\n".join(dangling)
    # A filter the page could not use is described by its error message.
    assert b'aria-describedby="id_verdict_error"' in pages["/claims/?verdict=nonsense"]
