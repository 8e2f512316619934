"""The fact-checked site as readers and the desk see it, for whole-site checks
(the Nu Html Checker, axe-core): the article with its 44 published claims, as
`serve` sets it up, plus a correction, a withdrawal, an orphaned claim and a
claim back in review, so every public template and every desk template we
added is rendered."""

from pathlib import Path

from django.core.management import call_command

from tests.conftest import ARTICLE_FIXTURE, ARTICLE_SLUG, ROOT, SEED

NODE_MODULES = ROOT / "tests" / "node" / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
NPM_HINT = "run `npm ci --prefix tests/node --ignore-scripts` (.ci/run does)"


def missing(path: Path, what: str) -> str | None:
    """Why a validator cannot run here, or None."""
    return None if path.exists() else f"{what} is not installed: {NPM_HINT}"


def build_site(newsroom) -> dict:
    """Load and publish the fact-check, then make the rarer cases. Returns the
    claims each case applies to, by name."""
    from factcheck.history import recorded_change
    from factcheck.models import Claim, Source
    from factcheck.ratings import Verdict

    call_command("loaddata", ARTICLE_FIXTURE, verbosity=0)
    call_command("replay_decisions", ARTICLE_FIXTURE, verbosity=0)
    published = Claim.objects.filter(live_revision__isnull=False).order_by("quote_start")
    corrected, withdrawn, orphaned, in_review = (
        published.get(slug=slug)
        for slug in (
            "hundreds-subjected-to-torture",
            "report-documents-election-fraud",
            "report-calls-for-international-torture-inquiry",
            "presidential-election-held-august-9-2020",
        )
    )
    newsroom.correct(
        corrected,
        verdict=Verdict.MOSTLY_ACCURATE,
        rationale="The report's annex gives <em>hundreds</em> of cases.",
        note="The annex was found after publication.",
    )
    newsroom.withdraw(withdrawn, reason="Published by mistake: the claim is not the article's.")
    newsroom.edit(in_review, reason="Tighter wording", statement=in_review.statement + ".")
    from factcheck import workflow

    workflow.submit(in_review, user=newsroom.researcher)
    article = Source.objects.get(slug=ARTICLE_SLUG)
    article.text = article.text.replace(orphaned.quote, "a passage the publisher rewrote")
    with recorded_change(reason="The publisher rewrote a passage"):
        article.save()
    return {
        "corrected": corrected,
        "withdrawn": withdrawn,
        "orphaned": orphaned,
        "in_review": in_review,
        "wording": published.filter(live_revision__fidelity="wording_differs").first(),
        "unverifiable": published.filter(live_revision__verdict=Verdict.UNVERIFIABLE).first(),
    }


def public_paths(site: dict) -> list[str]:
    """Every public page: each published claim, each filter state, each source."""
    from factcheck.models import Claim

    slugs = Claim.objects.published().order_by("quote_start").values_list("slug", flat=True)
    return [
        "/",
        "/claims/",
        "/claims/?q=torture",
        "/claims/?verdict=misleading&fidelity=wording_differs&sort=worst",
        "/claims/?page=2",
        "/claims/?verdict=nonsense",
        "/claims/?q=no+such+words+anywhere",
        *(f"/claims/{slug}/" for slug in slugs),
        f"/claims/{site['withdrawn'].slug}/",
        "/sources/",
        f"/sources/{ARTICLE_SLUG}/",
        "/methodology/",
        "/api/",
        "/no-such-page/",
    ]


def desk_paths(site: dict) -> list[str]:
    """The desk pages whose templates we added or override (templates/admin,
    templates/simple_history), and the lists whose filters we define."""
    from factcheck.candidates.proposing import propose_candidates
    from factcheck.models import Source

    claim = site["corrected"]
    article = Source.objects.get(slug=ARTICLE_SLUG)
    propose_candidates(article, user=None, reason="Test: the candidate pages")
    candidate = article.candidates.order_by("-score", "start").first()
    return [
        f"/admin/factcheck/candidateclaim/source/{article.pk}/",
        f"/admin/factcheck/candidateclaim/{candidate.pk}/accept/",
        "/admin/",
        f"/admin/factcheck/claim/{claim.pk}/change/",
        f"/admin/factcheck/claim/{site['in_review'].pk}/change/",
        f"/admin/factcheck/claim/{claim.pk}/step/unpublish/",
        f"/admin/factcheck/claim/{site['in_review'].pk}/step/request_changes/",
        f"/admin/factcheck/claim/{site['in_review'].pk}/step/assign/",
        f"/admin/factcheck/claim/{claim.pk}/history/",
        compare_path(claim),
        # The publisher's rewrite: a word-level difference inside a long text.
        f"/admin/factcheck/source/{article.pk}/history/",
        compare_path(article),
        "/admin/factcheck/claim/",
        "/admin/factcheck/source/",
        "/admin/factcheck/source/import/",
    ]


def import_preview_post() -> dict:
    """The form data that opens the "Import an article" preview of the seed capture."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"step": "upload", "file": SimpleUploadedFile("capture.txt", SEED.read_bytes())}


def compare_path(obj) -> str:
    """The desk's comparison of an object's first and latest versions."""
    first, latest = obj.history.earliest("history_date"), obj.history.latest("history_date")
    return (
        f"/admin/factcheck/{obj._meta.model_name}/{obj.pk}/history/compare/"
        f"?from={first.history_id}&to={latest.history_id}"
    )


def bulk_assign_post(site: dict) -> dict:
    """The form data that opens the bulk "assign" page for the claim in review."""
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

    return {"action": "assign_selected", ACTION_CHECKBOX_NAME: [site["in_review"].pk]}
