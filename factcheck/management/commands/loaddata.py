"""Django's ``loaddata``, made safe for tracked models.

Django's own loaddata does raw saves: no validation, no anchoring, no history.
This version saves sources, claims and citations through their models, so
each quote is anchored, each object is validated, and each write leaves a
history record ("Imported from fixture ..."). Objects matched by natural key
and already identical are skipped, so loading twice changes nothing. Any
invalid object aborts the whole load: nothing is half-imported.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.core.management.commands import loaddata

from factcheck.history import TrackedModel, describe_process, recorded_change
from factcheck.models import Claim, ClaimStatus

_AUTOMATIC_FIELDS = {"created_at", "updated_at"}


def _snapshot(instance) -> dict:
    return {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if field.name not in _AUTOMATIC_FIELDS
    }


def _claim_under_review(instance) -> bool:
    """Whether ``instance`` is (or belongs to) a claim past the draft stage."""
    if isinstance(instance, Claim):
        return instance.pk is not None and instance.status != ClaimStatus.DRAFT
    claim_id = getattr(instance, "claim_id", None)
    return claim_id is not None and instance.claim.status != ClaimStatus.DRAFT


class Command(loaddata.Command):
    help = (
        "Install fixtures. Sources, claims and citations are validated, anchored and "
        "saved with a history record; identical existing objects are left alone."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--keep-existing",
            action="store_true",
            help="Create only objects that are missing; never overwrite existing ones "
            "(editors' changes survive).",
        )
        parser.add_argument(
            "--user", help="Username to attribute the imported changes to in the history."
        )

    def handle(self, *fixture_labels, **options):
        self.keep_existing = options["keep_existing"]
        self.history_user = None
        if options["user"]:
            try:
                self.history_user = get_user_model().objects.get_by_natural_key(options["user"])
            except get_user_model().DoesNotExist:
                raise CommandError(f"No user named {options['user']!r}.") from None
        self.tracked_counts = {"created": 0, "updated": 0, "unchanged": 0}
        super().handle(*fixture_labels, **options)
        if self.verbosity >= 1 and any(self.tracked_counts.values()):
            self.stdout.write(
                "Tracked objects: {created} created, {updated} updated, "
                "{unchanged} unchanged.".format(**self.tracked_counts)
            )

    def load_label(self, fixture_label):
        self.current_label = fixture_label
        super().load_label(fixture_label)

    def save_obj(self, obj):
        instance = obj.object
        if not isinstance(instance, TrackedModel):
            return super().save_obj(obj)
        if type(instance) in self.excluded_models or (
            instance._meta.app_config in self.excluded_apps
        ):
            return False
        model = type(instance)
        existing = None
        if instance.pk is not None:
            existing = model._default_manager.using(self.using).filter(pk=instance.pk).first()

        if existing is None:
            target, verb = instance, "Imported"
            target._state.adding, target._state.db = True, self.using
            self._validate(target)
            if self.keep_existing and _claim_under_review(target):
                # New evidence for a reviewed claim waits for an editor, not for a restart.
                self.stderr.write(
                    f"Skipped {target._meta.verbose_name} {target}: its claim "
                    f"{target.claim.slug!r} is {target.claim.get_status_display().lower()}; "
                    "add it in the admin."
                )
                self.tracked_counts["unchanged"] += 1
                return False
            self._refuse_if_under_review(target)
        else:
            if self.keep_existing:
                self.tracked_counts["unchanged"] += 1
                return False
            before = _snapshot(existing)
            for field in model._meta.concrete_fields:
                if field.editable and not field.primary_key:
                    setattr(existing, field.attname, getattr(instance, field.attname))
            self._validate(existing)
            if _snapshot(existing) == before:
                self.tracked_counts["unchanged"] += 1
                return False
            self._refuse_if_under_review(existing)
            target, verb = existing, "Updated"

        reason = f"{verb} from fixture {self.current_label}"
        with recorded_change(reason=reason, user=self.history_user, actor=describe_process()):
            target.save(using=self.using)
        self.models.add(model)
        self.tracked_counts["created" if verb == "Imported" else "updated"] += 1
        return True

    def _refuse_if_under_review(self, instance):
        """Fixtures may change drafts only: reviewed words change through the workflow."""
        if _claim_under_review(instance):
            claim = instance if isinstance(instance, Claim) else instance.claim
            raise CommandError(
                f"Fixture {self.current_label!r}: {instance._meta.verbose_name} "
                f"{getattr(instance, 'slug', instance.pk)!r} would change claim {claim.slug!r}, "
                f"which is {claim.get_status_display().lower()}; fixtures only change drafts. "
                "Make the change in the admin (it goes through review), or load with "
                "--keep-existing. Nothing was loaded."
            )

    def _validate(self, instance):
        try:
            instance.full_clean()
        except ValidationError as error:
            problems = "; ".join(
                f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
            )
            raise CommandError(
                f"Fixture {self.current_label!r}: {instance._meta.verbose_name} "
                f"{getattr(instance, 'slug', instance.pk)!r} is invalid. {problems} "
                "Nothing was loaded."
            ) from error
