"""The public site: what readers and machines see of published claims.

Everything here starts from ``factcheck.public.published``, which reads only
published revisions (``Claim.live_revision``). Working copies, drafts, the
review thread, assignments and staff accounts are never read by this package.

- ``published``: the queries every public page is built from.
- ``filters``: the filters, search and sort shared by /claims/, the API and CSV.
- ``annotated``: places each published quote in the article's stored text.
- ``changes``: the public revision log (what each correction changed).
- ``structured``: ClaimReview, W3C Web Annotation and CSL-JSON documents.
- ``caching``: ETag and Last-Modified for every public answer.
- ``views``, ``feeds``, ``sitemaps``, ``api``, ``urls``: the surfaces.
"""
