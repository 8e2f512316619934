"""Official validators of the open formats, run by the tests.

Each function answers a list of problems (empty when the document is valid),
so a failing test shows every rule a document breaks, not only the first.
The schemas come from the formats' own projects and are kept in tests/data/
(see tests/data/README.md for where each comes from and its licence).
"""

import json
from functools import cache
from pathlib import Path

from jsonschema import Draft4Validator, Draft7Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

DATA = Path(__file__).resolve().parent / "data"
WEB_ANNOTATION_TESTS = DATA / "web-annotation-tests"
CSL_DATA_SCHEMA = DATA / "csl-schema" / "csl-data.json"
ATOM_SCHEMA = DATA / "atom" / "atom.rng"

# The W3C test suite's lists of "must" assertions, by kind of document.
MUSTS = {
    "annotation": "annotations/annotationMusts.test",
    "collection": "collections/collectionMusts.test",
    "page": "collections/pages/pageMusts.test",
}

# The suite's schemas check "uri" and "date-time" formats, as its own harness does.
FORMATS = FormatChecker(formats=["uri", "date-time"])


@cache
def _web_annotation_suite() -> tuple[Registry, dict[str, list[dict]]]:
    """Every schema of the suite, registered under its own ``id`` (the assertions
    refer to the definitions by file name), and the assertions of each list."""
    resources = []
    for path in WEB_ANNOTATION_TESTS.rglob("*.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources.append(
            (schema["id"], Resource.from_contents(schema, default_specification=DRAFT4))
        )
    registry = Registry().with_resources(resources)
    musts = {}
    for kind, listing in MUSTS.items():
        test = json.loads((WEB_ANNOTATION_TESTS / listing).read_text(encoding="utf-8"))
        musts[kind] = [
            json.loads((WEB_ANNOTATION_TESTS / name).read_text(encoding="utf-8"))
            for name in test["assertions"]
        ]
    return registry, musts


def web_annotation_failures(document: dict, kind: str) -> list[str]:
    """The W3C web-annotation-tests "must" assertions that ``document`` fails.

    ``kind`` is "annotation", "collection" or "page". Every assertion of the list
    runs; each failure is reported with the suite's own error message.
    """
    registry, musts = _web_annotation_suite()
    failures = []
    for assertion in musts[kind]:
        assert assertion["assertionType"] == "must" and assertion["expectedResult"] == "valid"
        validator = Draft4Validator(assertion, registry=registry, format_checker=FORMATS)
        if not validator.is_valid(document):
            failures.append(f"{assertion['id']}: {assertion['errorMessage']}")
    return failures


def annotation_collection_failures(collection: dict, pages: list[dict]) -> list[str]:
    """Every "must" assertion on a collection, its pages and each annotation in them.

    ``collection`` embeds its first page (the suite's page assertions take "an
    Annotation Page or an Annotation Collection with an embedded Page"); ``pages``
    are the documents served for ``?page=N``.
    """
    failures = [f"collection: {f}" for f in web_annotation_failures(collection, "collection")]
    failures += [f"collection: {f}" for f in web_annotation_failures(collection, "page")]
    embedded = [(collection, collection.get("first") or {})]
    for document, page in embedded + [(page, page) for page in pages]:
        if page is document:  # a page served on its own
            failures += [f"{page.get('id')}: {f}" for f in web_annotation_failures(page, "page")]
        for item in page.get("items", []):
            # An annotation embedded in a page is in the page's JSON-LD context.
            annotation = {"@context": document.get("@context"), **item}
            failures += [
                f"{item.get('id')}: {f}" for f in web_annotation_failures(annotation, "annotation")
            ]
    return failures


@cache
def _csl_validator() -> Draft7Validator:
    schema = json.loads(CSL_DATA_SCHEMA.read_text(encoding="utf-8"))
    return Draft7Validator(schema, format_checker=FORMATS)


def csl_errors(items) -> list[str]:
    """Where ``items`` break the official CSL-JSON schema (csl-data.json)."""
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message}"
        for error in _csl_validator().iter_errors(items)
    ]


@cache
def _atom_schema():
    from lxml import etree

    return etree.RelaxNG(etree.parse(str(ATOM_SCHEMA)))


def atom_errors(xml: bytes) -> list[str]:
    """Where an Atom document breaks RFC 4287's RELAX NG schema (Appendix B)."""
    from lxml import etree

    schema = _atom_schema()
    if schema.validate(etree.fromstring(xml)):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


@cache
def _openapi(document: str):
    from openapi_core import OpenAPI

    # Building it validates the document itself (openapi-spec-validator).
    return OpenAPI.from_dict(json.loads(document))


def openapi_response_errors(document: dict, response) -> list[str]:
    """Where a Django test client's ``response`` differs from what the OpenAPI
    ``document`` says its request's operation answers (status, media type, body)."""
    from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

    openapi = _openapi(json.dumps(document, sort_keys=True))
    request = DjangoOpenAPIRequest(response.wsgi_request)
    errors = []
    for error in openapi.iter_response_errors(request, DjangoOpenAPIResponse(response)):
        details = [str(error)]
        cause = error.__cause__
        while cause is not None:
            details.append(str(cause))
            details += [e.message for e in getattr(cause, "schema_errors", ())]
            cause = cause.__cause__
        errors.append(" / ".join(details))
    return errors
