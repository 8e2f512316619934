"""The review panel on a claim's admin page: what you can do now, and who acts next.

Like Wagtail's moderation panel, it shows only the steps this user can take,
one line saying whose turn it is, and the reasons a step this user's role
allows is blocked (the four-eyes rule, an orphaned quote), with the people who
could take it instead.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from factcheck import workflow
from factcheck.models import Claim, ClaimStatus
from factcheck.workflow import RULES, Step


def people_who_may(step: Step, *, exclude=()) -> list[str]:
    """Usernames of active staff whose role allows ``step``, except ``exclude`` (pks)."""
    codenames = [p.split(".", 1)[1] for p in RULES[step].permissions]
    users = (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__codename__in=codenames)
            | Q(user_permissions__codename__in=codenames)
        )
        .exclude(pk__in=list(exclude))
        .distinct()
        .order_by("username")
    )
    return [user.get_username() for user in users]


def who_else_can(step: Step, claim: Claim, user) -> str:
    """For a four-eyes refusal: who may take the step instead, or that nobody may."""
    excluded = {user.pk, *claim.revision_editors.values_list("pk", flat=True)}
    if step is Step.PUBLISH and claim.approved_by_id:
        excluded.add(claim.approved_by_id)
    names = people_who_may(step, exclude=excluded)
    verb = step.label.lower()
    if not names:
        return (
            f"Nobody else may {verb} it yet: an administrator must give the right to "
            "another account."
        )
    return f"Who can {verb} it: {', '.join(names)}."


def explained(refusal: workflow.StepRefused, step: Step, claim: Claim, user) -> str:
    """The refusal's reason; a four-eyes refusal also says who can take the step."""
    if isinstance(refusal, workflow.FourEyes):
        return f"{refusal} {who_else_can(step, claim, user)}"
    return str(refusal)


def is_withdrawn(claim: Claim) -> bool:
    """Unpublished by an editor: once public, now a withdrawal notice."""
    return claim.live_revision_id is None and claim.withdrawn_at is not None


def withdrawal(claim: Claim) -> str:
    """ "Withdrawn on 2020-11-20 10:00 (reason)", or "" for a claim that is not withdrawn."""
    if not is_withdrawn(claim):
        return ""
    when = timezone.localtime(claim.withdrawn_at).strftime("%Y-%m-%d %H:%M")
    return f"Withdrawn on {when} ({claim.withdrawal_reason})"


def next_actor(claim: Claim) -> str:
    """One line saying who acts next on the claim."""
    if claim.orphaned and claim.status in (ClaimStatus.DRAFT, ClaimStatus.APPROVED):
        return "Waiting for a researcher or editor to fix the quote, which no longer anchors."
    if claim.status == ClaimStatus.DRAFT:
        if is_withdrawn(claim):
            return "Readers see a withdrawal notice. Submit it for review to publish it again."
        return "Waiting for a researcher or editor to submit it for review."
    if claim.status == ClaimStatus.IN_REVIEW:
        who = (
            f"{claim.assignee.get_username()} (fact-checker)"
            if claim.assignee_id
            else "a fact-checker"
        )
        return f"Waiting for {who} to approve it or request changes."
    if claim.status == ClaimStatus.APPROVED:
        return "Waiting for an editor to publish it."
    return "Published. Editing it starts a new revision, reviewed before it replaces this one."


def panel(claim: Claim, user) -> dict:
    """The steps this user can take now, the blocked ones with why, and whose turn it is."""
    can, blocked = [], []
    for step, refusal in workflow.available_steps(claim, user):
        if refusal is None:
            can.append(step)
        elif _worth_saying(step, refusal, claim):
            blocked.append((step, explained(refusal, step, claim, user)))
    return {
        "can": can,
        "blocked": blocked,
        "next": next_actor(claim),
        "withdrawal": withdrawal(claim),
    }


def _worth_saying(step: Step, refusal, claim: Claim) -> bool:
    """A refusal of a step the role allows, in a state it starts from: something to fix."""
    if isinstance(refusal, workflow.NotPermitted):
        return False
    if isinstance(refusal, workflow.FourEyes):
        return True
    return claim.status in RULES[step].states and step is not Step.UNPUBLISH
