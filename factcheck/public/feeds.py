"""The corrections feed (Atom): every published correction and withdrawal."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from factcheck.public.changes import describe_changes
from factcheck.public.published import corrections, previous_revisions, withdrawals

ENTRIES = 50


class PlainTextAtomFeed(Atom1Feed):
    """Atom whose entry summaries are plain text. Django declares them
    ``type="html"``, which would turn a reason containing ``<em>`` into markup."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class CorrectionsFeed(Feed):
    feed_type = PlainTextAtomFeed
    title = "Corrections and withdrawals"
    subtitle = (
        "Every change to a published verdict, rationale or claim, with the reason "
        "given, and every claim withdrawn from publication."
    )

    def link(self):
        return reverse("public:home")

    def author_name(self):
        return settings.SITE_PUBLISHER

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        # RFC 4287 §4.2.6: an entry's id is an absolute IRI. Django makes links
        # absolute but leaves ids (guids) as given.
        for item in feed.items:
            item["unique_id"] = request.build_absolute_uri(item["unique_id"])
        return feed

    def items(self):
        revisions = list(corrections().defer(None)[:ENTRIES])
        before = previous_revisions(revisions)
        entries = [_Correction(r, before[(r.claim_id, r.number - 1)]) for r in revisions]
        entries += [_Withdrawal(c) for c in withdrawals()[:ENTRIES]]
        entries.sort(key=lambda e: e.date, reverse=True)
        return entries[:ENTRIES]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.description

    def item_link(self, item):
        return item.link

    def item_guid(self, item):
        return item.guid

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.date

    def item_updateddate(self, item):
        return item.date

    def item_author_name(self, item):
        return settings.SITE_PUBLISHER


class _Correction:
    def __init__(self, revision, previous):
        self.date = revision.published_at
        self.link = reverse("public:claim", args=[revision.live_slug])
        # The slug it was published under never changes, and always leads to the claim.
        self.guid = reverse("public:claim", args=[revision.slug]) + f"#revision-{revision.number}"
        self.title = f"Correction: {revision.statement}"
        changes = " ".join(describe_changes(previous, revision))
        self.description = f"{changes} Reason: {revision.note}"


class _Withdrawal:
    def __init__(self, claim):
        self.date = claim.withdrawn_at
        self.link = reverse("public:claim", args=[claim.public_slug])
        self.guid = f"{self.link}#withdrawn-{claim.withdrawn_at.isoformat()}"
        self.title = "A claim was withdrawn"
        self.description = f"Reason: {claim.withdrawal_reason}"
