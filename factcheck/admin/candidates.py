"""Candidate claims in the admin: a ranked list per source, and the decisions on them.

- ``/admin/factcheck/candidateclaim/source/<id>/``: the source's candidates, best
  first, with the reasons; a button proposes them (again: only new spans come);
- ``<id>/accept/``: edit the quote, statement, kind and attribution, then accept
  (the ranked list's Accept button takes the suggestion as it stands);
- ``<id>/dismiss/``: dismiss with a reason (remembered; not proposed again).

Every step is checked on the server (whoever may add claims) and goes through
``factcheck.candidates``: proposing for new candidates, deciding for the rest.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from factcheck.candidates import deciding
from factcheck.candidates.proposing import may_propose, propose_candidates
from factcheck.models import CandidateClaim, CandidateStatus, Claim, ClaimKind, Source
from factcheck.similar import similar_published_claims


class AcceptForm(forms.Form):
    quote = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text="The exact words in the source's text, character for character: shorten "
        "the sentence to the checkable part if you like.",
    )
    quote_start = forms.IntegerField(
        label="Start offset",
        required=False,
        min_value=0,
        help_text="Only when the quote occurs more than once outside this sentence.",
    )
    statement = forms.CharField(
        max_length=deciding.STATEMENT_MAX,
        widget=forms.TextInput(attrs={"size": 80}),
        help_text="The checkable claim in your own words, with its subject.",
    )
    kind = forms.ChoiceField(choices=ClaimKind.choices)
    attributed_to = forms.CharField(
        max_length=200,
        widget=forms.TextInput(attrs={"size": 60}),
        help_text="Who makes the claim, e.g. “OSCE expert report”.",
    )
    reason = forms.CharField(
        label="Reason for this change",
        max_length=500,
        initial="Accepted from the candidate list",
        widget=forms.TextInput(attrs={"size": 80}),
        help_text="Recorded in the history with your name.",
    )


class DismissForm(forms.Form):
    reason = forms.CharField(
        label="Why dismiss it",
        max_length=500,
        help_text="Remembered: this sentence is not proposed again for this source.",
    )


def in_context(candidate: CandidateClaim):
    """The candidate's paragraph (its line of the stored text) with the candidate marked."""
    text = candidate.source.text
    # The line it is on: candidates never cross a line break (see candidates.sentences).
    start = text.rfind("\n", 0, candidate.start) + 1
    end = text.find("\n", candidate.end)
    end = len(text) if end == -1 else end
    return format_html(
        '<blockquote class="candidate-context">{}<mark>{}</mark>{}</blockquote>',
        text[start : candidate.start],
        text[candidate.start : candidate.end],
        text[candidate.end : end],
    )


@admin.register(CandidateClaim)
class CandidateClaimAdmin(admin.ModelAdmin):
    list_display = ["text", "score", "reasons", "status", "source", "decision"]
    list_filter = ["status", "source"]
    list_select_related = ["source", "claim"]
    search_fields = ["text", "reasons"]
    ordering = ["-score", "start"]

    class Media:
        css = {"all": ["factcheck/admin.css"]}

    # Permissions: whoever may add claims works with candidates; nothing is
    # edited through the ordinary change form.
    def has_view_permission(self, request, obj=None):
        return may_propose(request.user)

    def has_module_permission(self, request):
        return may_propose(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="decision")
    def decision(self, candidate):
        if candidate.status == CandidateStatus.PROPOSED:
            url = reverse("admin:factcheck_candidateclaim_source", args=[candidate.source_id])
            return format_html('<a href="{}">Decide</a>', url)
        if candidate.claim_id:
            url = reverse("admin:factcheck_claim_change", args=[candidate.claim_id])
            return format_html('Accepted: <a href="{}">{}</a>', url, candidate.claim.slug)
        return f"Dismissed: {candidate.decision_reason}"

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "source/<int:source_id>/",
                wrap(self.source_view),
                name="factcheck_candidateclaim_source",
            ),
            path(
                "source/<int:source_id>/propose/",
                wrap(self.propose_view),
                name="factcheck_candidateclaim_propose",
            ),
            path(
                "<int:pk>/accept/", wrap(self.accept_view), name="factcheck_candidateclaim_accept"
            ),
            path(
                "<int:pk>/accept-now/",
                wrap(self.accept_now_view),
                name="factcheck_candidateclaim_accept_now",
            ),
            path(
                "<int:pk>/dismiss/",
                wrap(self.dismiss_view),
                name="factcheck_candidateclaim_dismiss",
            ),
            *super().get_urls(),
        ]

    # Views ---------------------------------------------------------------------

    def _allowed(self, request):
        if not may_propose(request.user):
            raise PermissionDenied("Your role does not allow adding claims.")

    def _candidate(self, request, pk) -> CandidateClaim:
        self._allowed(request)
        return get_object_or_404(CandidateClaim.objects.select_related("source", "claim"), pk=pk)

    def _back(self, candidate):
        url = reverse("admin:factcheck_candidateclaim_source", args=[candidate.source_id])
        return HttpResponseRedirect(f"{url}#candidate-{candidate.pk}")

    def source_view(self, request, source_id):
        self._allowed(request)
        source = get_object_or_404(Source, pk=source_id)
        candidates = list(
            CandidateClaim.objects.filter(source=source).select_related("claim", "decided_by")
        )
        # Claims of this source already quoting words of a candidate: shown beside it,
        # so nobody accepts the same sentence twice (one query for the whole list).
        quoted = list(
            Claim.objects.filter(source=source, quote_start__isnull=False).values_list(
                "pk", "slug", "quote_start", "quote_end"
            )
        )
        for candidate in candidates:
            candidate.existing = [
                (pk, slug)
                for pk, slug, start, end in quoted
                if start < candidate.end and candidate.start < end
            ]
        proposed = [c for c in candidates if c.status == CandidateStatus.PROPOSED]
        decided = [c for c in candidates if c.status != CandidateStatus.PROPOSED]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Candidate claims: {source.title}",
            "source": source,
            "proposed": proposed,
            "decided": decided,
            "dismiss_form": DismissForm(),
        }
        return TemplateResponse(request, "admin/factcheck/candidateclaim/source.html", context)

    def propose_view(self, request, source_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        self._allowed(request)
        source = get_object_or_404(Source, pk=source_id)
        created = propose_candidates(
            source, user=request.user, reason="Proposed candidate claims in the admin"
        )
        messages.info(
            request,
            f"{len(created)} new candidate claim(s)."
            if created
            else "No new candidates: every check-worthy sentence was proposed before.",
        )
        return HttpResponseRedirect(
            reverse("admin:factcheck_candidateclaim_source", args=[source.pk])
        )

    def _refused(self, request, candidate, error):
        if isinstance(error, deciding.AlreadyDecided):
            messages.warning(request, " ".join(error.messages))
        else:
            messages.error(request, " ".join(error.messages))
        return self._back(candidate)

    def accept_now_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        candidate = self._candidate(request, pk)
        try:
            claim = deciding.accept(
                candidate,
                user=request.user,
                reason=request.POST.get("reason") or "Accepted from the candidate list",
            )
        except deciding.DecisionRefused as error:
            return self._refused(request, candidate, error)
        self._accepted(request, claim)
        return self._back(candidate)

    def _accepted(self, request, claim):
        url = reverse("admin:factcheck_claim_change", args=[claim.pk])
        messages.success(
            request,
            format_html('Draft claim <a href="{}">{}</a> created from the candidate.', url, claim),
        )

    def accept_view(self, request, pk):
        candidate = self._candidate(request, pk)
        suggested = deciding.suggested_draft(candidate)
        status = 200
        if request.method == "POST":
            form = AcceptForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                draft = deciding.Draft(
                    statement=data["statement"],
                    quote=data["quote"],
                    kind=data["kind"],
                    attributed_to=data["attributed_to"],
                    quote_start=data["quote_start"],
                )
                try:
                    claim = deciding.accept(
                        candidate, user=request.user, reason=data["reason"], draft=draft
                    )
                except deciding.AlreadyDecided as error:
                    return self._refused(request, candidate, error)
                except deciding.DecisionRefused as error:
                    _add_errors(form, error)
                else:
                    self._accepted(request, claim)
                    return HttpResponseRedirect(
                        reverse("admin:factcheck_claim_change", args=[claim.pk])
                    )
            status = 400
        else:
            form = AcceptForm(
                initial={
                    "quote": suggested.quote,
                    "statement": suggested.statement,
                    "kind": suggested.kind,
                    "attributed_to": suggested.attributed_to,
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Edit, then accept a candidate claim",
            "candidate": candidate,
            "source": candidate.source,
            "context_html": in_context(candidate),
            "form": form,
            "decided": candidate.status != CandidateStatus.PROPOSED,
            # The same claim, checked before: reuse or link an earlier fact-check.
            "similar_claims": similar_published_claims(
                candidate.text, exclude_source=candidate.source
            ),
        }
        return TemplateResponse(
            request, "admin/factcheck/candidateclaim/accept.html", context, status=status
        )

    def dismiss_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        candidate = self._candidate(request, pk)
        form = DismissForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Say why you dismiss it: the reason is remembered.")
            return self._back(candidate)
        try:
            deciding.dismiss(candidate, user=request.user, reason=form.cleaned_data["reason"])
        except deciding.DecisionRefused as error:
            return self._refused(request, candidate, error)
        messages.success(request, "Dismissed; it will not be proposed again for this source.")
        return self._back(candidate)


def _add_errors(form, error) -> None:
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


def candidates_link(source) -> str:
    """For the source admin: a link to its candidate list."""
    if source.pk is None:
        return "-"
    url = reverse("admin:factcheck_candidateclaim_source", args=[source.pk])
    return format_html('<a href="{}">Candidate claims</a>', url)
