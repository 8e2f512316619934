"""Importing claims in bulk: every row checked first, then all written with history, or none."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factcheck.importing import ImportRefused, import_rows
from factcheck.models import Citation, Claim, ClaimStatus
from tests.factories import SourceFactory

# Synthetic article: one sentence per claim, each occurring once.
SENTENCES = [f"Synthetic sentence {i} says the detention count was {i * 7}." for i in range(250)]
TEXT = " ".join(SENTENCES) + " Repeated words. Repeated words."


@pytest.fixture
def article(db):
    return SourceFactory(slug="synthetic-article", text=TEXT)


@pytest.fixture
def evidence(db):
    return SourceFactory(slug="synthetic-evidence", text="Synthetic evidence text.")


def rows(count, *, evidence=None, start=0):
    made = []
    for i in range(start, start + count):
        row = {
            "slug": f"synthetic-claim-{i}",
            "statement": f"Synthetic claim {i}",
            "quote": SENTENCES[i],
            "kind": "statistic",
            "attributed_to": "Synthetic speaker",
        }
        if evidence is not None:
            row["citations"] = [
                {
                    "source": evidence.slug,
                    "passage": "Synthetic evidence text.",
                    "stance": "supports",
                }
            ]
        made.append(row)
    return made


def test_rows_become_anchored_draft_claims_with_history(article, evidence, researcher):
    data = rows(3, evidence=evidence)
    data[1]["quote"] = "Repeated words."
    data[1]["quote_start"] = TEXT.rindex("Repeated words.")

    import_rows(article, data, user=researcher, reason="Imported the synthetic article")

    claims = list(Claim.objects.order_by("slug"))
    assert [c.slug for c in claims] == [f"synthetic-claim-{i}" for i in range(3)]
    first = claims[0]
    assert first.status == ClaimStatus.DRAFT
    assert (first.quote_start, first.quote_end) == (0, len(SENTENCES[0]))
    assert first.quote_suffix == TEXT[len(SENTENCES[0]) : len(SENTENCES[0]) + 32]
    assert claims[1].quote_start == TEXT.rindex("Repeated words.")
    for claim in claims:
        (record,) = claim.history.all()
        assert record.history_type == "+"
        assert record.history_user == researcher
        assert record.history_change_reason == "Imported the synthetic article"
        assert record.history_actor == researcher.username
        assert list(claim.revision_editors.all()) == [researcher]  # four eyes
        (citation,) = claim.citations.all()
        assert citation.source == evidence and citation.key
        (cited,) = citation.history.all()
        assert (cited.history_user, cited.history_change_reason) == (
            researcher,
            "Imported the synthetic article",
        )


def test_one_bad_row_writes_nothing_and_names_row_and_field(article, evidence, researcher):
    data = rows(5, evidence=evidence)
    data[3]["quote"] = "Words the article never says"
    data[4]["kind"] = "rumour"
    data[4]["citations"][0]["source"] = "no-such-source"

    with pytest.raises(ImportRefused) as refused:
        import_rows(article, data, user=researcher, reason="Import")

    assert refused.value.problems[0].startswith("Row 4, quote:")
    assert any(p.startswith("Row 5, kind: 'rumour' is not one of") for p in refused.value.problems)
    assert any("Row 5, citation 1, source" in p for p in refused.value.problems)
    assert not Claim.objects.exists() and not Citation.objects.exists()
    assert not Claim.history.exists()


def test_ambiguous_quote_needs_a_start(article, researcher):
    data = rows(1)
    data[0]["quote"] = "Repeated words."
    with pytest.raises(ImportRefused) as refused:
        import_rows(article, data, user=researcher, reason="Import")
    (problem,) = refused.value.problems
    assert problem.startswith("Row 1, quote: This quote occurs 2 times")
    assert f"at character {TEXT.rindex('Repeated words.')}" in problem
    assert not Claim.objects.exists()


def test_duplicate_slugs_are_refused(article, researcher):
    import_rows(article, rows(1), user=researcher, reason="First import")
    data = rows(2, start=1) + rows(1)  # row 3 repeats the claim already imported
    data[1]["slug"] = data[0]["slug"]  # row 2 repeats row 1

    with pytest.raises(ImportRefused) as refused:
        import_rows(article, data, user=researcher, reason="Second import")

    assert refused.value.problems == [
        "Row 2, slug: 'synthetic-claim-1' is also the slug of row 1.",
        "Row 3, slug: 'synthetic-claim-0' is taken by an existing claim (or was published "
        "under it); choose another.",
    ]
    assert Claim.objects.count() == 1


def test_a_user_who_may_not_add_claims_is_refused(article, viewer):
    with pytest.raises(PermissionError):
        import_rows(article, rows(2), user=viewer, reason="Import")
    assert not Claim.objects.exists()


def test_queries_do_not_grow_with_the_number_of_rows(article, evidence, researcher):
    def queries(data):
        with CaptureQueriesContext(connection) as captured:
            import_rows(article, data, user=researcher, reason="Import")
        return len(captured)

    queries(rows(1, evidence=evidence))  # the user's permissions are read once, then cached
    few = queries(rows(10, evidence=evidence, start=1))
    many = queries(rows(200, evidence=evidence, start=11))
    assert few == many


def test_command_imports_csv_and_reports_bad_rows(article, evidence, researcher, tmp_path):
    path = tmp_path / "claims.csv"
    header = (
        "slug,statement,quote,kind,attributed_to,citation_source,citation_passage,citation_stance"
    )
    lines = [header]
    for i in range(2):
        lines.append(
            f'synthetic-claim-{i},Synthetic claim {i},"{SENTENCES[i]}",statistic,'
            f"Synthetic speaker,{evidence.slug},Synthetic evidence text.,supports"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = ["--source", article.slug, "--user", researcher.username, "--reason", "CSV import"]

    call_command("import_claims", str(path), *args)
    assert Claim.objects.count() == 2 and Citation.objects.count() == 2

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([*rows(2, start=5), {"slug": "x"}]), encoding="utf-8")
    with pytest.raises(CommandError, match="Row 3, statement: required"):
        call_command("import_claims", str(bad), *args)
    assert Claim.objects.count() == 2

    broken = tmp_path / "broken.json"
    broken.write_text("[{", encoding="utf-8")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("import_claims", str(broken), *args)
