"""Take a workflow step from the command line, as a named user.

    manage.py claim_step submit hundreds-subjected-to-torture --user researcher
    manage.py claim_step approve <slug> --user factchecker --verdict accurate \\
        --fidelity verbatim --rationale "The report says so on p. 2."
    manage.py claim_step publish <slug> --user editor --note "First published."

The same functions as the admin's buttons run, with the same checks.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from factcheck import workflow
from factcheck.models import Claim
from factcheck.ratings import Fidelity, Verdict
from factcheck.workflow import Step

STEPS = [
    Step.SUBMIT,
    Step.REQUEST_CHANGES,
    Step.APPROVE,
    Step.PUBLISH,
    Step.UNPUBLISH,
    Step.ASSIGN,
    Step.COMMENT,
]


class Command(BaseCommand):
    help = "Take a review workflow step on a claim as a named user."

    def add_arguments(self, parser):
        parser.add_argument("step", choices=[step.value for step in STEPS])
        parser.add_argument("slug", help="The claim's slug.")
        parser.add_argument("--user", required=True, help="Who takes the step (username).")
        parser.add_argument(
            "--note",
            default="",
            help="Note, comment or reason: required to request changes, to unpublish, "
            "for a comment and for a correction's public note.",
        )
        parser.add_argument("--verdict", choices=[v.value for v in Verdict])
        parser.add_argument("--rationale", default="")
        parser.add_argument(
            "--fidelity",
            choices=[f.value for f in Fidelity],
            help="How faithfully the article conveys its source (approve).",
        )
        parser.add_argument(
            "--fidelity-note", default="", help="What differs, for wording_differs and the like."
        )
        parser.add_argument("--assignee", help="Username of the fact-checker (assign).")

    def handle(
        self,
        *args,
        step,
        slug,
        user,
        note,
        verdict,
        rationale,
        fidelity,
        fidelity_note,
        assignee,
        **options,
    ):
        User = get_user_model()
        try:
            actor = User.objects.get_by_natural_key(user)
            claim = Claim.objects.get(slug=slug)
            assignee_user = User.objects.get_by_natural_key(assignee) if assignee else None
        except User.DoesNotExist as missing:
            raise CommandError(f"No such user: {missing}") from None
        except Claim.DoesNotExist:
            raise CommandError(f"No claim with slug {slug!r}.") from None
        step = Step(step)
        try:
            if step is Step.SUBMIT:
                workflow.submit(claim, user=actor, note=note)
            elif step is Step.REQUEST_CHANGES:
                workflow.request_changes(claim, user=actor, comment=note)
            elif step is Step.APPROVE:
                if not verdict or not fidelity:
                    raise CommandError("approve needs --verdict, --fidelity and --rationale.")
                workflow.approve(
                    claim,
                    user=actor,
                    verdict=verdict,
                    rationale=rationale,
                    fidelity=fidelity,
                    fidelity_note=fidelity_note,
                    note=note,
                )
            elif step is Step.PUBLISH:
                workflow.publish(claim, user=actor, note=note)
            elif step is Step.UNPUBLISH:
                workflow.unpublish(claim, user=actor, reason=note)
            elif step is Step.ASSIGN:
                if assignee_user is None:
                    raise CommandError("assign needs --assignee.")
                workflow.assign(claim, user=actor, assignee=assignee_user, note=note)
            else:
                workflow.comment(claim, user=actor, body=note)
        except workflow.StepRefused as refused:
            raise CommandError(f"{step.label} refused: {refused}") from None
        claim.refresh_from_db()
        self.stdout.write(
            f"{step.label}: done. “{claim}” is now {claim.get_status_display().lower()} "
            f"({claim.get_verdict_display().lower()}; fidelity: "
            f"{claim.get_fidelity_display().lower()})."
        )
