"""The yearly campaign: the secretariat opens year N with a deadline; every e-mail it sends is logged
once per mutual and kind, so a reminder is never sent twice (see `campaign.py`)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .registry import Mutual

# How long a year stays provisional after its campaign closes, unless the secretariat says otherwise.
DEFAULT_PROVISIONAL_DAYS = 30


class CampaignQuerySet(models.QuerySet):
    def open(self):
        return self.filter(closed_at__isnull=True)


class Campaign(models.Model):
    """The collection of year N's returns, from its opening to its closing by the secretariat."""

    year = models.PositiveSmallIntegerField(
        _("reporting year"), unique=True, validators=[MinValueValidator(1998), MaxValueValidator(2200)]
    )
    deadline = models.DateField(_("deadline"))
    message = models.TextField(
        _("message to the mutuals"), blank=True,
        help_text=_("Optional: added to every e-mail of the campaign."),
    )
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    provisional_days = models.PositiveSmallIntegerField(
        _("provisional for (days after closing)"), default=DEFAULT_PROVISIONAL_DAYS,
        validators=[MaxValueValidator(366)],
        help_text=_("The year's figures are published as provisional while the campaign is open and "
                    "for this many days after it closes (late validations still change them)."),
    )

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class CampaignMessage(models.Model):
    """One e-mail of a campaign to one mutual's reporters (invitation or a reminder).

    Unique per campaign, mutual and kind: the row is written before the e-mail goes, so a crash or
    a second run of the reminder command can never send the same message twice.
    """

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        REMINDER_14 = "reminder_14", _("Reminder two weeks before the deadline")
        REMINDER_3 = "reminder_3", _("Reminder three days before the deadline")
        OVERDUE = "overdue", _("Reminder after the deadline")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="messages")
    mutual = models.ForeignKey(Mutual, on_delete=models.CASCADE, related_name="campaign_messages")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    recipients = models.JSONField(_("recipients"), default=list)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("campaign e-mail")
        verbose_name_plural = _("campaign e-mails")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "mutual", "kind"], name="one_campaign_message_per_kind"
            ),
        ]

    def __str__(self):
        return f"{self.campaign} {self.mutual.mutual_id} {self.kind}"
