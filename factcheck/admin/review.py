"""The workflow's pages in the admin: one form per step, bulk actions, comments.

Every page here calls a step of ``factcheck.workflow``, which checks the
permission, the state, the four-eyes rule and the version on the server. A
refused step answers 403 (not allowed) or 409 (wrong state, four-eyes, stale)
and says why.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from factcheck import workflow
from factcheck.admin.panel import explained
from factcheck.changes import what_changed
from factcheck.models import Claim, ClaimStatus
from factcheck.ratings import DEFINITIONS, FIDELITY_DEFINITIONS, Fidelity, Verdict
from factcheck.workflow import Step


class StepForm(forms.Form):
    """Asks what a step needs, then takes it through ``factcheck.workflow``."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    step_function = None  # the workflow function this form's fields are passed to

    def __init__(self, *args, claim, **kwargs):
        self.claim = claim
        super().__init__(*args, **kwargs)

    def take(self, user):
        data = dict(self.cleaned_data)
        data["expected_version"] = data.pop("version")
        return type(self).step_function(self.claim, user=user, **data)


class SubmitForm(StepForm):
    note = forms.CharField(
        label="Note for the reviewer",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
    )
    step_function = workflow.submit


class RequestChangesForm(SubmitForm):
    comment = forms.CharField(
        label="What needs to change",
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text="Shown to the researcher in the review thread (staff only).",
    )
    note = None
    step_function = workflow.request_changes


class ApproveForm(SubmitForm):
    field_order = ["verdict", "rationale", "fidelity", "fidelity_note", "note"]
    note = forms.CharField(
        label="Internal note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
        help_text="For the review thread (staff only).",
    )
    verdict = forms.ChoiceField(
        choices=[(v.value, v.label) for v in Verdict if v != Verdict.NOT_YET_RATED],
        widget=forms.RadioSelect,
    )
    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        help_text="Public once published: why this verdict, citing the evidence. A verdict "
        "other than Unverifiable needs at least one cited passage that supports or "
        "contradicts the claim.",
    )
    fidelity = forms.ChoiceField(
        label="Fidelity to the source",
        choices=[(f.value, f.label) for f in Fidelity if f != Fidelity.NOT_YET_RATED],
        widget=forms.RadioSelect,
        help_text="How faithfully the article conveys what its own source (the report, the "
        "speaker) said. “Not applicable” for the article's own statements.",
    )
    fidelity_note = forms.CharField(
        label="What differs",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text="Public once published. Required for “wording differs”, “overstated” and "
        "“understated”: a word, a number, a qualifier…",
    )
    step_function = workflow.approve


class PublishForm(SubmitForm):
    note = forms.CharField(
        label="Public note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text="Shown to readers in the claim's revision log. Required for a "
        "correction: say what changed and why.",
    )
    step_function = workflow.publish


class UnpublishForm(SubmitForm):
    reason = forms.CharField(
        label="Reason (public)",
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text="Readers see a notice that the claim was withdrawn, with this reason.",
    )
    note = None
    step_function = workflow.unpublish


class AssignForm(SubmitForm):
    field_order = ["assignee", "note"]
    assignee = forms.ModelChoiceField(queryset=None, label="Fact-checker")
    note = forms.CharField(
        label="Note for the fact-checker",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
        help_text="Sent in the e-mail and kept in the review thread.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = workflow.fact_checkers()

    step_function = workflow.assign


STEP_FORMS = {
    Step.SUBMIT: SubmitForm,
    Step.REQUEST_CHANGES: RequestChangesForm,
    Step.APPROVE: ApproveForm,
    Step.PUBLISH: PublishForm,
    Step.UNPUBLISH: UnpublishForm,
    Step.ASSIGN: AssignForm,
}
DONE = {
    Step.SUBMIT: "Submitted for review.",
    Step.REQUEST_CHANGES: "Sent back to draft with your request for changes.",
    Step.APPROVE: "Approved. An editor can now publish it.",
    Step.PUBLISH: "Published. The public now sees this revision.",
    Step.UNPUBLISH: "Unpublished. The public sees a withdrawal notice.",
    Step.ASSIGN: "Assigned; the fact-checker has been e-mailed.",
}


ALREADY_DONE = "Already done by your first click: {done}"

# What a claim looks like right after each step, to recognise a step sent twice.
OUTCOMES = {
    Step.SUBMIT: lambda claim, data, user: claim.status == ClaimStatus.IN_REVIEW,
    Step.REQUEST_CHANGES: lambda claim, data, user: claim.status == ClaimStatus.DRAFT,
    Step.APPROVE: lambda claim, data, user: (
        claim.status == ClaimStatus.APPROVED and claim.approved_by_id == user.pk
    ),
    Step.PUBLISH: lambda claim, data, user: (
        claim.status == ClaimStatus.PUBLISHED and claim.live_revision.published_by_id == user.pk
    ),
    Step.UNPUBLISH: lambda claim, data, user: (
        claim.live_revision_id is None and claim.withdrawn_at is not None
    ),
    Step.ASSIGN: lambda claim, data, user: claim.assignee_id == data["assignee"].pk,
}


def repeated_own_step(step: Step, claim: Claim, user, form: StepForm) -> bool:
    """Whether a refused post of ``step`` repeats the user's own step, already taken.

    True when the only change since the version the form was based on is this
    user's, and it left the claim where this step leads: a double click, or a
    form sent again from the Back button.
    """
    seen = form.cleaned_data["version"]
    fresh = Claim.objects.select_related("live_revision").filter(pk=claim.pk).first()
    if fresh is None or fresh.version != seen + 1:
        return False
    record = fresh.history.filter(version=fresh.version).order_by("-history_id").first()
    if record is None or record.history_user_id != user.pk:
        return False
    return OUTCOMES[step](fresh, form.cleaned_data, user)


def changes_since_published(claim: Claim):
    """What readers will see change if this revision is published (factcheck.changes)."""
    live = claim.live_revision
    if live is None:
        return None
    changes = []
    for change in what_changed(live, claim):
        if change.field == "citations":
            count = len(change.old)
            summary = change.sentence.removeprefix("Evidence: ").rstrip(".")
            changes.append((change.label, f"{count} citation{'s' if count != 1 else ''}", summary))
        else:
            changes.append((change.label, change.old, change.new))
    return {"number": live.number, "changes": changes}


def refusal_status(refusal: workflow.StepRefused) -> int:
    return 403 if isinstance(refusal, workflow.NotPermitted) else 409


class ReviewViews:
    """Mixed into ClaimAdmin: the step pages, the comment form and bulk actions."""

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/step/<str:step>/",
                wrap(self.step_view),
                name=f"{prefix}_step",
            ),
            path(
                "<path:object_id>/comment/",
                wrap(self.comment_view),
                name=f"{prefix}_comment",
            ),
            *super().get_urls(),
        ]

    def _claim_or_404(self, request, object_id) -> Claim:
        claim = self.get_object(request, unquote(object_id))
        if claim is None:
            raise Http404("No such claim.")
        if not self.has_view_or_change_permission(request, claim):
            raise PermissionDenied
        return claim

    def step_view(self, request, object_id, step):
        try:
            step = Step(step)
            form_class = STEP_FORMS[step]
        except (ValueError, KeyError):
            raise Http404("No such step.") from None
        claim = self._claim_or_404(request, object_id)
        # The permission is checked before anything is shown, and again by the step.
        refusal = workflow.refusal(step, claim, request.user)
        if isinstance(refusal, workflow.NotPermitted):
            raise PermissionDenied(str(refusal))
        status = 200
        if request.method == "POST":
            form = form_class(request.POST, claim=claim)
            if form.is_valid():
                try:
                    form.take(request.user)
                except workflow.NotPermitted as refused:
                    raise PermissionDenied(str(refused)) from refused
                except workflow.StaleClaim as refused:
                    if repeated_own_step(step, claim, request.user, form):
                        done = ALREADY_DONE.format(done=DONE[step])
                        return self._step_done(request, claim, done)
                    form.add_error(None, str(refused))
                    status = refusal_status(refused)
                except workflow.StepRefused as refused:
                    form.add_error(None, explained(refused, step, claim, request.user))
                    status = refusal_status(refused)
                else:
                    return self._step_done(request, claim, DONE[step])
            else:
                status = 400
        else:
            initial = {"version": claim.version}
            if step is Step.APPROVE:
                if claim.verdict != Verdict.NOT_YET_RATED:
                    initial["verdict"] = claim.verdict
                if claim.fidelity != Fidelity.NOT_YET_RATED:
                    initial["fidelity"] = claim.fidelity
                initial["rationale"] = claim.rationale
                initial["fidelity_note"] = claim.fidelity_note
            form = form_class(initial=initial, claim=claim)
            if refusal is not None:
                # A stale tab, the Back button or a bookmark: say why, take nothing.
                status = refusal_status(refusal)
        context = {
            **self.admin_site.each_context(request),
            "title": f"{step.label}: {claim}",
            "opts": self.opts,
            "original": claim,
            "claim": claim,
            "step": step,
            "form": form,
            "refusal": explained(refusal, step, claim, request.user) if refusal else None,
            "definitions": [
                (v.label, DEFINITIONS[v]) for v in Verdict if v != Verdict.NOT_YET_RATED
            ]
            if step is Step.APPROVE
            else None,
            "fidelity_definitions": [
                (f.label, FIDELITY_DEFINITIONS[f]) for f in Fidelity if f != Fidelity.NOT_YET_RATED
            ]
            if step is Step.APPROVE
            else None,
            "quote_in_source": self.quote_in_source(claim),
            "since_published": changes_since_published(claim) if step is Step.PUBLISH else None,
        }
        return TemplateResponse(
            request, "admin/factcheck/claim/step_form.html", context, status=status
        )

    def _step_done(self, request, claim, message):
        self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:factcheck_claim_change", args=[claim.pk]))

    def comment_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        claim = self._claim_or_404(request, object_id)
        try:
            workflow.comment(claim, user=request.user, body=request.POST.get("body", ""))
        except workflow.NotPermitted as refused:
            raise PermissionDenied(str(refused)) from refused
        except workflow.StepRefused as refused:
            self.message_user(request, str(refused), messages.ERROR)
        else:
            self.message_user(request, "Comment added to the review thread.", messages.SUCCESS)
        return HttpResponseRedirect(
            reverse("admin:factcheck_claim_change", args=[claim.pk]) + "#review-thread"
        )

    # Bulk actions -------------------------------------------------------------

    def _seen_version(self, request, claim):
        """The version of the claim shown on the list page the action came from."""
        return request.POST.get(f"seen_version_{claim.pk}")

    def _run_bulk(self, request, queryset, take, done):
        taken, refused = [], []
        for claim in queryset.order_by("pk"):
            try:
                take(claim, self._seen_version(request, claim))
            except workflow.StepRefused as refusal:
                refused.append(f"“{claim}”: {refusal}")
            else:
                taken.append(claim)
        if taken:
            self.message_user(request, f"{done} {len(taken)} claim(s).", messages.SUCCESS)
        for problem in refused:
            self.message_user(request, f"Not done: {problem}", messages.ERROR)

    @admin.action(description="Submit selected claims for review", permissions=["submit"])
    def submit_selected(self, request, queryset):
        self._run_bulk(
            request,
            queryset,
            lambda claim, version: workflow.submit(
                claim, user=request.user, note="", expected_version=version
            ),
            "Submitted",
        )

    @admin.action(description="Assign selected claims to a fact-checker", permissions=["assign"])
    def assign_selected(self, request, queryset):
        form = BulkAssignForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            assignee, note = form.cleaned_data["assignee"], form.cleaned_data["note"]
            self._run_bulk(
                request,
                queryset,
                lambda claim, version: workflow.assign(
                    claim, user=request.user, assignee=assignee, note=note, expected_version=version
                ),
                f"Assigned to {assignee.get_username()}:",
            )
            return None
        claims = list(queryset.order_by("pk"))
        context = {
            **self.admin_site.each_context(request),
            "title": "Assign claims to a fact-checker",
            "opts": self.opts,
            "form": form,
            "claims": [(claim, self._seen_version(request, claim) or "") for claim in claims],
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/factcheck/claim/assign_selected.html", context)

    def has_submit_permission(self, request):
        return request.user.has_perm("factcheck.submit_claim")

    def has_assign_permission(self, request):
        return request.user.has_perm("factcheck.assign_claim")


class BulkAssignForm(forms.Form):
    assignee = forms.ModelChoiceField(queryset=None, label="Fact-checker")
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 60}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = workflow.fact_checkers()
