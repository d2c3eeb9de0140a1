"""The yearly return: one per mutual and year, every revision kept, every transition logged."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..contract.choices import ContributionPeriod, MembershipUnit, MutualStatus, PaymentMode, ReturnState
from .registry import Mutual


def _count(label):
    return models.PositiveIntegerField(label, null=True, blank=True)


def _money(label):
    return models.DecimalField(
        label, max_digits=18, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )


def _covers(label):
    return models.BooleanField(label, null=True, blank=True)


class ReturnQuerySet(models.QuerySet):
    def for_year(self, year: int):
        return self.filter(year=year)

    def validated(self):
        """Returns a focal point (or the secretariat) validated: the only ones made public."""
        return self.filter(state=ReturnState.VALIDATED)

    def public(self):
        return self.validated().filter(mutual__in=Mutual.objects.public())


class YearlyReturn(models.Model):
    """A mutual's self-reported figures for one year (the returns table's columns from `year` on).

    Every field but the year may be empty while a draft; the contract's constraints are checked
    on submission (see `validation.py`). Never deleted: a withdrawn return keeps its history.
    """

    mutual = models.ForeignKey(
        Mutual, verbose_name=_("mutual"), on_delete=models.PROTECT, related_name="returns"
    )
    year = models.PositiveSmallIntegerField(
        _("reporting year"), validators=[MinValueValidator(1998), MaxValueValidator(2200)]
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ReturnState.choices, default=ReturnState.DRAFT
    )
    # 1. status and people
    status = models.CharField(
        _("status in that year"), max_length=12, choices=MutualStatus.choices, blank=True
    )
    target_population = _count(_("target population"))
    members = _count(_("members (paying)"))
    beneficiaries = _count(_("beneficiaries (members and dependants)"))
    new_members = _count(_("new members in the year"))
    renewed_members = _count(_("members who renewed"))
    # 2. product
    membership_unit = models.CharField(
        _("membership unit"), max_length=12, choices=MembershipUnit.choices, blank=True
    )
    contribution_amount = _money(_("contribution amount per membership unit and period"))
    contribution_period = models.CharField(
        _("contribution period"), max_length=10, choices=ContributionPeriod.choices, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    waiting_period_days = _count(_("waiting period (days)"))
    covers_primary_care = _covers(_("covers primary care"))
    covers_drugs = _covers(_("covers drugs"))
    covers_hospitalization = _covers(_("covers hospitalization"))
    covers_surgery = _covers(_("covers surgery"))
    covers_childbirth = _covers(_("covers childbirth"))
    covers_transport = _covers(_("covers transport / evacuation"))
    covers_lab = _covers(_("covers laboratory tests"))
    copayment_percent = models.DecimalField(
        _("co-payment (%)"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    payment_mode = models.CharField(
        _("how providers are paid"), max_length=15, choices=PaymentMode.choices, blank=True
    )
    contracted_providers = _count(_("contracted health care providers"))
    # 3. money (local currency)
    contributions_due = _money(_("contributions due"))
    contributions_collected = _money(_("contributions collected"))
    benefits_paid = _money(_("benefits paid"))
    operating_expenses = _money(_("operating expenses"))
    subsidies = _money(_("subsidies received"))
    other_income = _money(_("other own income"))
    reserves = _money(_("reserves at year end"))
    care_episodes = _count(_("care episodes covered"))
    provider_payment_delay_days = _count(_("average delay to pay providers (days)"))
    # 4. management
    software = models.CharField(_("management software"), max_length=120, blank=True)
    paid_staff = _count(_("paid staff"))
    volunteer_staff = _count(_("volunteer staff"))
    general_assembly_held = _covers(_("general assembly held in the year"))
    # Workflow
    warning_comments = models.JSONField(
        _("comments on warnings"), default=dict, blank=True,
        help_text=_("The reporter's explanation of each plausibility warning, by warning code."),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    # A version the secretariat restored on a validated return: it waits for validation while the
    # return keeps its validated figures (and stays public with them); see services.return_restore.
    pending_revision = models.ForeignKey(
        "ReturnRevision", verbose_name=_("restored version awaiting validation"), null=True,
        blank=True, on_delete=models.PROTECT, related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    objects = ReturnQuerySet.as_manager()

    class Meta:
        verbose_name = _("yearly return")
        verbose_name_plural = _("yearly returns")
        ordering = ["mutual", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["mutual", "year"], name="one_return_per_mutual_and_year"),
        ]

    def __str__(self):
        return f"{self.mutual.mutual_id} {self.year}"

    def delete(self, *args, **kwargs):
        raise models.ProtectedError(_("Yearly returns are never deleted."), {self})

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._synthesis_key = instance.synthesis_key()
        return instance

    def synthesis_key(self) -> tuple | None:
        """(mutual's primary key, year, validated or not) as they are now, None if one was not loaded:
        what the signals compare with the state it was loaded in, to record what a save touched."""
        data = self.__dict__
        if data.get("mutual_id") is None or data.get("year") is None or "state" not in data:
            return None
        return (data["mutual_id"], int(data["year"]), data["state"] == ReturnState.VALIDATED)

    @classmethod
    def data_field_names(cls) -> list[str]:
        """The reported figures, in the returns table's order (everything a revision keeps)."""
        skip = {"id", "mutual", "year", "state", "version", "pending_revision", "created_at", "updated_at"}
        return [f.name for f in cls._meta.concrete_fields if f.name not in skip]


class ReturnRevision(models.Model):
    """One saved version of a return: who, when, what changed, and the full data then."""

    yearly_return = models.ForeignKey(
        YearlyReturn, on_delete=models.PROTECT, related_name="revisions"
    )
    number = models.PositiveIntegerField(_("version"))
    data = models.JSONField(_("data"))
    changed_fields = models.JSONField(_("changed fields"), default=list)
    state = models.CharField(_("state"), max_length=10, choices=ReturnState.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)

    class Meta:
        verbose_name = _("return revision")
        ordering = ["yearly_return", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["yearly_return", "number"], name="one_revision_per_number"),
        ]

    def __str__(self):
        return f"{self.yearly_return} v{self.number}"


class ReturnTransition(models.Model):
    """A change of state (submit, validate, return with a comment, reopen): the workflow's log.

    `revision` is the version the transition moved (the one submitted, validated or returned); for
    a restore on a validated return it is the restored version, whose own way (submitted, then
    validated or returned) the log follows while the return itself stays validated. A validation by
    someone who edited or submitted the figures carries the secretariat's `override_reason`.
    """

    yearly_return = models.ForeignKey(
        YearlyReturn, on_delete=models.PROTECT, related_name="transitions"
    )
    from_state = models.CharField(max_length=10, choices=ReturnState.choices)
    to_state = models.CharField(max_length=10, choices=ReturnState.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(_("comment"), blank=True)
    revision = models.ForeignKey(
        ReturnRevision, verbose_name=_("version"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="transitions",
    )
    override_reason = models.TextField(
        _("reason for overriding the separation of duties"), blank=True,
        help_text=_("Why the person who edited or submitted these figures validated them."),
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("return transition")
        ordering = ["yearly_return", "created_at", "id"]

    def __str__(self):
        return f"{self.yearly_return}: {self.from_state} → {self.to_state}"
