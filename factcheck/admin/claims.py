"""Claims in the admin: the list, the change page, its review panel and history.

Words and evidence are edited in the form; everything about review (status,
verdict, assignment, publication) goes through the step buttons, which call
``factcheck.workflow``. A save based on an outdated page is refused.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import smart_split, unescape_string_literal

from factcheck import anchoring, workflow
from factcheck.admin.base import (
    REASON_FIELD,
    VERSION_FIELD,
    ReasonForm,
    TrackedAdmin,
    quote_snippet,
)
from factcheck.admin.citations import CitationInline
from factcheck.admin.filters import AttributedToFilter, SourceFilter
from factcheck.admin.history_pages import LIST_CONTEXT_WORDS, field_changes
from factcheck.admin.panel import is_withdrawn, panel
from factcheck.admin.review import ReviewViews
from factcheck.dashboard import WITHDRAWN, sent_back, worked_on_by
from factcheck.history import diff
from factcheck.models import Claim, ClaimStatus, Source
from factcheck.models.claims import CONTENT_FIELDS
from factcheck.similar import similar_published_claims


def similar_to(claim):
    """Published claims of other articles whose words are nearly the claim's statement."""
    return similar_published_claims(
        claim.statement, exclude_source=claim.source_id, exclude_claim=claim
    )


class ClaimForm(ReasonForm):
    def clean(self):
        cleaned = super().clean()  # refuses a page loaded before someone else's save
        claim = self.instance
        if claim.pk is None:
            return cleaned
        # A first check, with a clear message on the form; the save itself
        # checks again with the row locked (workflow.save_edit).
        if not workflow.editable(Claim.objects.get(pk=claim.pk)):
            raise forms.ValidationError(workflow.STATE_HINTS[workflow.Step.EDIT])
        return cleaned


def _posted_version(request):
    """The claim's version when the page was loaded, as posted; refused if missing."""
    seen = request.POST.get(VERSION_FIELD, "")
    if not seen.isdigit():
        raise workflow.StaleClaim(
            "This page was loaded without the claim's version; reload it and try again."
        )
    return int(seen)


class AssigneeFilter(admin.SimpleListFilter):
    title = "assignee"
    parameter_name = "assignee"

    def lookups(self, request, model_admin):
        return [
            ("me", "Assigned to me"),
            ("none", "Unassigned"),
            *((str(user.pk), user.get_username()) for user in workflow.fact_checkers()),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "me":
            return queryset.filter(assignee=request.user)
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        if value and value.isdigit():
            return queryset.filter(assignee_id=int(value))
        return queryset


class PublicationFilter(admin.SimpleListFilter):
    """What the public sees of a claim: the status alone does not say (a withdrawn
    claim is a draft again)."""

    title = "public page"
    parameter_name = "publication"
    LOOKUPS = {
        "public": ("Public", Q(live_revision__isnull=False)),
        "pending": (
            "Public, with changes not yet published",
            Q(live_revision__isnull=False) & ~Q(status=ClaimStatus.PUBLISHED),
        ),
        "withdrawn": ("Withdrawn", WITHDRAWN),
        "not_withdrawn": ("Not withdrawn", ~WITHDRAWN),
        "never": ("Never published", Q(live_revision__isnull=True, withdrawn_at__isnull=True)),
    }

    def lookups(self, request, model_admin):
        return [(key, label) for key, (label, _) in self.LOOKUPS.items()]

    def queryset(self, request, queryset):
        found = self.LOOKUPS.get(self.value())
        return queryset.filter(found[1]) if found else queryset


class MineFilter(admin.SimpleListFilter):
    """The claims on the dashboard's personal queues."""

    title = "your work"
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("worked_on", "Revisions I worked on"), ("sent_back", "Sent back to me")]

    def queryset(self, request, queryset):
        if self.value() == "worked_on":
            return worked_on_by(request.user, queryset)
        if self.value() == "sent_back":
            return sent_back(worked_on_by(request.user, queryset))
        return queryset


@admin.register(Claim)
class ClaimAdmin(ReviewViews, TrackedAdmin):
    form = ClaimForm
    change_form_template = "admin/factcheck/claim/change_form.html"
    # Few, narrow columns: the list fits a 1280 px screen beside its filters. Kind is
    # a filter; an orphaned quote is flagged in the status column, only when it is.
    list_display = [
        "statement",
        "quote_in_context",
        "status_with_version",
        "verdict",
        "assignee",
        "source",
    ]
    list_filter = [
        "status",
        PublicationFilter,
        "verdict",
        "fidelity",
        "kind",
        SourceFilter,
        AssigneeFilter,
        MineFilter,
        "orphaned",
        AttributedToFilter,
    ]
    search_fields = ["statement", "quote", "attributed_to", "slug", "source__title"]
    list_select_related = ["source", "assignee", "live_revision"]
    list_per_page = 100
    # At 100,000 claims counting every claim again beside each filtered list, and
    # counting every filter choice ("show counts"), costs more than the list itself.
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    autocomplete_fields = ["source"]
    inlines = [CitationInline]
    actions = ["submit_selected", "assign_selected"]
    readonly_fields = [
        "quote_in_source",
        "quote_end",
        "orphaned",
        "anchor_note",
        "status",
        "verdict",
        "rationale",
        "fidelity",
        "fidelity_note",
        "assigned_to",
        "publication",
        "version",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["source", "slug", "statement", "attributed_to", "kind", "notes"]}),
        (
            "Source quote",
            {"fields": ["quote", "quote_in_source", "quote_start", "orphaned", "anchor_note"]},
        ),
        (
            "Review (changed only by the workflow steps above)",
            {
                "fields": [
                    "status",
                    "verdict",
                    "rationale",
                    "fidelity",
                    "fidelity_note",
                    "assigned_to",
                    "publication",
                ]
            },
        ),
        ("Record", {"fields": ["version", "created_at", "updated_at"], "classes": ["collapse"]}),
        ("Why", {"fields": [REASON_FIELD, VERSION_FIELD]}),
    ]
    history_list_display = ["status", "verdict", "fidelity"]

    def get_search_results(self, request, queryset, search_term):
        """Django's search (every word in any of ``search_fields``), except that the
        sources whose title matches are looked up first: a condition on the claims
        table alone lets PostgreSQL combine its indexes (one per column, migration
        0013) instead of reading every claim joined to its source."""
        own_fields = [name for name in self.search_fields if "__" not in name]
        for word in smart_split(search_term):
            if word.startswith(('"', "'")) and word[0] == word[-1]:
                word = unescape_string_literal(word)
            matches = Q()
            for name in own_fields:
                matches |= Q(**{f"{name}__icontains": word})
            titled = Source.objects.filter(title__icontains=word).values_list("pk", flat=True)
            matches |= Q(source_id__in=list(titled))
            queryset = queryset.filter(matches)
        return queryset, False

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else {"slug": ["statement"]}

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:  # a new claim has no review yet
            return [fs for fs in fieldsets if not fs[0] or not fs[0].startswith("Review")]
        return fieldsets

    # Permissions: the form is read-only unless the claim's state allows edits.

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or workflow.editable(obj))

    def has_delete_permission(self, request, obj=None):
        # Anything that was ever public stays on record: unpublish it instead.
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or (obj.live_revision_id is None and not obj.withdrawn_at))

    def view_on_site(self, claim):
        return claim.get_absolute_url() if claim.live_revision_id else None

    # List --------------------------------------------------------------------

    @admin.display(description="quote in context")
    def quote_in_context(self, claim):
        return quote_snippet(claim)

    @admin.display(description="status", ordering="status")
    def status_with_version(self, claim):
        # The version the user saw goes back with a bulk action, which refuses
        # any claim that changed since the list was shown.
        status = claim.get_status_display()
        if is_withdrawn(claim) and claim.status == ClaimStatus.DRAFT:
            status = format_html(
                '<span class="claim-withdrawn">Withdrawn {}</span>',
                timezone.localtime(claim.withdrawn_at).strftime("%Y-%m-%d"),
            )
        if claim.orphaned:
            status = format_html(
                '{} <span class="orphaned-warning">· quote orphaned</span>', status
            )
        return format_html(
            '{}{}<input type="hidden" name="seen_version_{}" value="{}">',
            status,
            self._public_note(claim),
            claim.pk,
            claim.version,
        )

    def _public_note(self, claim):
        """What the public sees of a claim whose working copy is not what is published."""
        if claim.has_unpublished_changes:
            return format_html(
                ' <span class="pending-revision">· revision {} is public</span>',
                claim.live_revision.number,
            )
        return ""

    # Change page ---------------------------------------------------------------

    @admin.display(description="quote in the source text")
    def quote_in_source(self, claim):
        if claim.pk is None:
            return "Shown once the claim is saved."
        if claim.orphaned:
            return format_html(
                '<p class="orphaned-warning">{}</p><p>Last known context: {}</p>',
                claim.anchor_note or "Orphaned.",
                quote_snippet(claim),
            )
        text = claim.source.text
        start, end = claim.quote_start, claim.quote_end
        para_start, para_end = anchoring.paragraph_bounds(text, start, end)
        return format_html(
            '<div class="quote-context">{}<mark id="quote">{}</mark>{}</div>'
            '<div class="quote-offsets">Characters {}–{} of “{}”.</div>',
            text[para_start:start],
            text[start:end],
            text[end:para_end],
            start,
            end,
            claim.source,
        )

    @admin.display(description="assignee")
    def assigned_to(self, claim):
        # Plain text: a link to the user's admin page answers 403 to most of the desk.
        return claim.assignee.get_username() if claim.assignee_id else "Nobody"

    @admin.display(description="public revision")
    def publication(self, claim):
        live = claim.live_revision
        if live is None:
            if claim.withdrawn_at:
                return format_html(
                    "Unpublished on {}: {}",
                    timezone.localtime(claim.withdrawn_at).strftime("%Y-%m-%d %H:%M"),
                    claim.withdrawal_reason,
                )
            return "Not published."
        text = format_html(
            'Revision {} (“{}”, {}), published {}. <a href="{}">Public page</a>',
            live.number,
            live.statement,
            live.get_verdict_display(),
            timezone.localtime(live.published_at).strftime("%Y-%m-%d %H:%M"),
            claim.get_absolute_url(),
        )
        if claim.has_unpublished_changes:
            text += format_html(
                '<p class="pending-revision">This claim has changes that are not '
                "published: the public still sees revision {}.</p>",
                live.number,
            )
        return text

    def get_object(self, request, object_id, from_field=None):
        queryset = self.get_queryset(request).select_related(
            "source", "assignee", "live_revision", "approved_by"
        )
        model = queryset.model
        field = model._meta.pk if from_field is None else model._meta.get_field(from_field)
        try:
            return queryset.get(**{field.name: field.to_python(object_id)})
        except (model.DoesNotExist, ValueError, forms.ValidationError):
            return None

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None:
            context.update(self._review_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _review_context(self, request, claim):
        review = panel(claim, request.user)
        history = list(
            claim.history.select_related("history_user").order_by("-history_date", "-history_id")[
                :11
            ]
        )
        recent = []
        for newer, older in zip(history, [*history[1:], None], strict=False):
            if len(recent) == 10:
                break
            changes = []
            if older is not None:
                changes = field_changes(Claim, diff(newer, older), context=LIST_CONTEXT_WORDS)
            recent.append((newer, changes))
        return {
            "review_panel": True,
            "review_steps": [
                (step, reverse("admin:factcheck_claim_step", args=[claim.pk, step.value]))
                for step in review["can"]
            ],
            "review_blocked": review["blocked"],
            "review_next": review["next"],
            "review_withdrawal": review["withdrawal"],
            "review_comments": claim.review_comments.select_related("author"),
            "comment_url": reverse("admin:factcheck_claim_comment", args=[claim.pk]),
            "can_comment": workflow.refusal(workflow.Step.COMMENT, claim, request.user) is None,
            "recent_history": recent,
            "similar_claims": similar_to(claim),
            "locked_message": None
            if workflow.editable(claim)
            else workflow.STATE_HINTS[workflow.Step.EDIT],
        }

    # Saving ------------------------------------------------------------------

    def response_add(self, request, obj, post_url_continue=None):
        self._say_similar(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        self._say_similar(request, obj)
        return super().response_change(request, obj)

    def _say_similar(self, request, claim):
        """After a save: name the published claims of other articles that say nearly
        the same thing (listed on the claim's page), so the desk can reuse one."""
        found = similar_to(claim)
        if found:
            self.message_user(
                request,
                format_html(
                    "{} published claim{} from other articles say{} nearly the same thing "
                    '(most similar: “{}”, {}%): <a href="{}#similar-claims">see them</a>.',
                    len(found),
                    "" if len(found) == 1 else "s",
                    "s" if len(found) == 1 else "",
                    found[0].statement,
                    found[0].percent,
                    reverse("admin:factcheck_claim_change", args=[claim.pk]),
                ),
                messages.INFO,
            )

    def save_model(self, request, obj, form, change):
        """Saved in save_related, with its citations, as one edit (workflow.save_edit)."""

    def save_related(self, request, form, formsets, change):
        claim = form.instance
        changed = [n for n in form.changed_data if n not in (REASON_FIELD, VERSION_FIELD)]
        if change and not changed and not any(fs.has_changed() for fs in formsets):
            return
        with workflow.editing(
            claim,
            user=request.user,
            reason=form.cleaned_data[REASON_FIELD],
            expected_version=form.cleaned_data.get(VERSION_FIELD),
        ):
            super().save_related(request, form, formsets, change)

    def save_formset(self, request, form, formset, change):
        formset.save()  # inside save_edit's recorded change

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except workflow.NotPermitted as refused:
            raise PermissionDenied(str(refused)) from refused
        except workflow.StepRefused as refused:  # lost a race after the form's own check
            self.message_user(request, str(refused), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    # History: the same rules as the change page ---------------------------------

    def revert_disabled(self, request, obj=None):
        if obj is None:
            return True
        current = Claim.objects.filter(pk=obj.pk).first()
        return current is None or not self.has_change_permission(request, current)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        unusable = self.unusable_version(request, object_id, version_id)
        if unusable is not None:
            return unusable
        claim = self.get_object(request, unquote(object_id))
        if claim is None:
            raise Http404("No such claim.")
        if not self.has_view_or_change_permission(request, claim):
            raise PermissionDenied
        if request.method != "POST":
            return super().history_form_view(request, object_id, version_id, extra_context)
        # django-simple-history would save the old row as posted, status
        # included, for anyone who can view it. We bring back its words only,
        # as a new draft revision, for people who may edit the claim now.
        if not self.has_change_permission(request, claim):
            raise PermissionDenied("You cannot change this claim now, so you cannot revert it.")
        record = get_object_or_404(claim.history, history_id=version_id)
        try:
            workflow.revert(
                claim,
                user=request.user,
                record=record,
                reason=request.POST.get(REASON_FIELD, ""),
                expected_version=_posted_version(request),
            )
        except workflow.NotPermitted as refused:
            raise PermissionDenied(str(refused)) from refused
        except (workflow.StepRefused, anchoring.AnchorError) as refused:
            message = refused.messages[0] if hasattr(refused, "messages") else str(refused)
            self.message_user(request, f"Not reverted: {message}", messages.ERROR)
            return HttpResponseRedirect(request.path)
        fields = ", ".join(CONTENT_FIELDS)
        self.message_user(
            request,
            f"Restored the words ({fields}) of that version as a new draft revision; "
            "it goes through review like any edit. Status and verdict were not changed.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:factcheck_claim_change", args=[claim.pk]))
