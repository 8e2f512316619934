"""Django's ``loaddata``, made safe for tracked models.

Django's own loaddata does raw saves: no validation, no anchoring, no history.
This version saves sources, claims and citations through their models, so
each quote is anchored, each object is validated, and each write leaves a
history record ("Imported from fixture ..."). Any invalid object aborts the
whole load: nothing is half-imported.

Objects are matched by their permanent ``key``, never by a slug an editor may
rename, and every object a fixture writes is recorded (``FixtureRecord``), so
the next load knows what it loaded. Loading again:

- leaves alone an object that is identical to the fixture;
- re-creates nothing an editor deleted;
- with ``--keep-existing`` (what ``serve`` uses), never overwrites what an
  editor changed, and brings an object nobody touched since it was loaded up
  to date with the fixture;
- in both modes, retires what the fixture no longer has (a claim merged into
  another, say), if nobody touched it; anything an editor changed is kept and
  reported.

Fixtures change drafts only: words that are under review or published change
through the review workflow.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.core.management.commands import loaddata
from django.core.serializers.base import DeserializationError

from factcheck.history import TrackedModel, describe_process, recorded_change
from factcheck.models import Citation, Claim, ClaimStatus, FixtureRecord, Source
from factcheck.models.fixtures import content_digest

# Children before parents, so that retiring never trips over a protected reference.
RETIRE_ORDER = [Citation, Claim, Source]


def _label(model) -> str:
    return model._meta.label_lower


def _claim_of(instance):
    return instance if isinstance(instance, Claim) else getattr(instance, "claim", None)


def _problem(error: DeserializationError) -> str:
    """Django's message ("Problem installing fixture '…': …"), with the parser's own
    explanation (line and column) when Django left it only in the cause."""
    message = str(error).rstrip().rstrip(":")
    cause = error.__cause__
    if cause is not None and str(cause) not in message:
        message = f"{message}: {cause}"
    return message if message.endswith(".") else f"{message}."


def _under_review(instance) -> bool:
    """Whether ``instance`` is (or belongs to) a claim past the draft stage."""
    claim = _claim_of(instance)
    if claim is None or claim.pk is None:
        return False
    return claim.status != ClaimStatus.DRAFT or claim.live_revision_id is not None


class Command(loaddata.Command):
    help = (
        "Install fixtures. Sources, claims and citations are validated, anchored and "
        "saved with a history record; what editors changed or deleted is never undone."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--keep-existing",
            action="store_true",
            help="Never overwrite what an editor changed; objects nobody touched since they "
            "were loaded follow the fixture.",
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
        self.tracked_counts = dict.fromkeys(["created", "updated", "unchanged", "retired"], 0)
        self.kept = []
        super().handle(*fixture_labels, **options)
        if self.verbosity >= 1 and any(self.tracked_counts.values()):
            self.stdout.write(
                "Tracked objects: {created} created, {updated} updated, {unchanged} unchanged, "
                "{retired} retired.".format(**self.tracked_counts)
            )
        for message in self.kept:
            self.stderr.write(message)

    def load_label(self, fixture_label):
        # "belarus_hrw_2020", "belarus_hrw_2020.json" and a path to it are one fixture.
        self.current_label = Path(fixture_label).name.split(".")[0]
        self.seen = {model: set() for model in RETIRE_ORDER}
        try:
            super().load_label(fixture_label)
        except DeserializationError as error:
            # Not JSON, cut short, an unknown model or field, a value of the wrong
            # type: say which and where, without a traceback. The whole load is one
            # transaction, so what was read before the problem is undone too.
            raise CommandError(f"{_problem(error)} Nothing was loaded.") from error
        if any(self.seen.values()):
            self.retire_missing()

    # One object ---------------------------------------------------------------

    def save_obj(self, obj):
        instance = obj.object
        if not isinstance(instance, TrackedModel):
            return super().save_obj(obj)
        if type(instance) in self.excluded_models or (
            instance._meta.app_config in self.excluded_apps
        ):
            return False
        model = type(instance)
        if not instance.key:
            instance.key = instance.default_key()
        self.seen[model].add(instance.key)
        record = FixtureRecord.objects.filter(
            fixture=self.current_label, model=_label(model), key=instance.key
        ).first()
        if obj.deferred_fields:
            return self._skip_orphan(instance, obj.deferred_fields)
        existing = model._default_manager.using(self.using).filter(key=instance.key).first()

        if existing is None:
            if record is not None and self.keep_existing:
                self._keep(instance, "an editor deleted it after it was loaded; not re-created")
                return False
            target, verb = instance, "Imported"
            target.pk = None
            target._state.adding, target._state.db = True, self.using
            self._validate(target)
            if _under_review(target):
                claim = _claim_of(target)
                if self.keep_existing:
                    # New evidence for a reviewed claim waits for an editor, not for a restart.
                    self._keep(
                        target,
                        f"its claim {claim.slug!r} is {claim.get_status_display().lower()}; "
                        "add it in the admin",
                    )
                    return False
                self._refuse_under_review(target)
        else:
            before = content_digest(existing)
            if self._fixture_digest(existing, instance) == before:
                self._record(existing, record)
                self.tracked_counts["unchanged"] += 1
                return False
            if self.keep_existing and (record is None or record.digest != before):
                self._keep(existing, "changed by an editor since it was loaded")
                self.tracked_counts["unchanged"] += 1
                return False
            self._apply(existing, instance)
            self._validate(existing)
            if _under_review(existing):
                if self.keep_existing:
                    self._keep(existing, "under review or published; change it in the admin")
                    self.tracked_counts["unchanged"] += 1
                    return False
                self._refuse_under_review(existing)
            target, verb = existing, "Updated"

        reason = f"{verb} from fixture {self.current_label}"
        with recorded_change(reason=reason, user=self.history_user, actor=describe_process()):
            target.save(using=self.using)
            if self.history_user is not None and isinstance(target, Claim):
                target.revision_editors.add(self.history_user)
        self._record(target, record)
        self.models.add(model)
        self.tracked_counts["created" if verb == "Imported" else "updated"] += 1
        return True

    @staticmethod
    def _apply(existing, instance):
        for field in type(existing)._meta.concrete_fields:
            if field.editable and not field.primary_key:
                setattr(existing, field.attname, getattr(instance, field.attname))

    def _fixture_digest(self, existing, instance) -> str:
        """The digest ``existing`` would have if the fixture's values were applied."""
        probe = type(existing)(pk=existing.pk)
        for field in type(existing)._meta.concrete_fields:
            setattr(probe, field.attname, getattr(existing, field.attname))
        self._apply(probe, instance)
        if isinstance(probe, Claim):
            probe.quote_start = (
                existing.quote_start if probe.quote_start is None else probe.quote_start
            )
        return content_digest(probe)

    def _record(self, target, record):
        digest = content_digest(target)
        if record is None:
            FixtureRecord.objects.create(
                fixture=self.current_label,
                model=_label(type(target)),
                key=target.key,
                digest=digest,
            )
        elif record.digest != digest or record.retired:
            record.digest, record.retired = digest, False
            record.save(update_fields=["digest", "retired", "loaded_at"])

    def _skip_orphan(self, instance, deferred):
        """An object whose parent is not in the database: fine if an editor removed the
        parent after a load (it stays removed), an error otherwise."""
        for field, natural_key in deferred.items():
            parent = field.remote_field.model
            if FixtureRecord.objects.filter(
                fixture=self.current_label, model=_label(parent), key=natural_key[0]
            ).exists():
                self._keep(instance, f"its {field.name} {natural_key[0]!r} was removed; skipped")
                return False
        names = ", ".join(f"{field.name} {key[0]!r}" for field, key in deferred.items())
        raise CommandError(
            f"Fixture {self.current_label!r}: {instance._meta.verbose_name} {instance.key!r} "
            f"refers to {names}, which does not exist. List what it refers to earlier in the "
            "fixture. Nothing was loaded."
        )

    def _keep(self, instance, why: str):
        self.kept.append(f"Kept as it is: {instance._meta.verbose_name} {instance.key!r}: {why}.")

    def _refuse_under_review(self, instance):
        """Fixtures may change drafts only: reviewed words change through the workflow."""
        claim = _claim_of(instance)
        raise CommandError(
            f"Fixture {self.current_label!r}: {instance._meta.verbose_name} {instance.key!r} "
            f"would change claim {claim.slug!r}, which is "
            f"{claim.get_status_display().lower()}; fixtures only change drafts. Make the "
            "change in the admin (it goes through review), or load with --keep-existing. "
            "Nothing was loaded."
        )

    def _validate(self, instance):
        try:
            instance.full_clean(validate_unique=instance._state.adding)
        except ValidationError as error:
            problems = "; ".join(
                f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
            )
            raise CommandError(
                f"Fixture {self.current_label!r}: {instance._meta.verbose_name} "
                f"{instance.key!r} is invalid. {problems} Nothing was loaded."
            ) from error

    # What the fixture no longer has ------------------------------------------------

    def retire_missing(self):
        """Remove what this fixture loaded before and no longer has, if nobody touched it."""
        for model in RETIRE_ORDER:
            records = FixtureRecord.objects.filter(
                fixture=self.current_label, model=_label(model), retired=False
            ).exclude(key__in=self.seen[model])
            for record in records.order_by("key"):
                instance = model._default_manager.using(self.using).filter(key=record.key).first()
                if instance is None:
                    continue
                problem = self._why_not_retire(instance, record)
                if problem:
                    self._keep(instance, f"no longer in the fixture, but {problem}")
                    continue
                reason = f"Retired: no longer in fixture {self.current_label}"
                with recorded_change(
                    reason=reason, user=self.history_user, actor=describe_process()
                ):
                    instance.delete()
                record.retired = True
                record.save(update_fields=["retired", "loaded_at"])
                self.tracked_counts["retired"] += 1

    def _why_not_retire(self, instance, record) -> str:
        if content_digest(instance) != record.digest:
            return "an editor changed it"
        if isinstance(instance, Claim):
            if instance.status != ClaimStatus.DRAFT or instance.published_revisions.exists():
                return "it is under review or was published"
            if instance.citations.exists():
                return "it has evidence that an editor added or changed"
        if isinstance(instance, Source) and (
            instance.claims.exists() or instance.citations.exists()
        ):
            return "claims or citations still refer to it"
        if isinstance(instance, Citation) and _under_review(instance):
            return "its claim is under review or published"
        return ""
