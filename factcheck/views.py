"""Public, read-only pages. They show published revisions only.

Every view starts from ``Claim.objects.published()``: the working copy of a
claim (drafts, edits under review, the review thread) never reaches them.
"""

from django.views.generic import DetailView

from factcheck.models import Claim
from factcheck.ratings import DEFINITIONS, Verdict


class ClaimDetailView(DetailView):
    template_name = "factcheck/claim_detail.html"
    context_object_name = "claim"

    def get_queryset(self):
        return Claim.objects.published()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        revision = self.object.live_revision
        context["revision"] = revision
        context["verdict_definition"] = DEFINITIONS[Verdict(revision.verdict)]
        return context
