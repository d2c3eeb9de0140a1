"""Exchange rates to the euro that the secretariat maintains (one per currency and year)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..opendata.exchange_rates import FIRST_YEAR, FIXED_CURRENCIES, FIXED_PARITY


class ExchangeRateQuerySet(models.QuerySet):
    def table(self) -> dict[tuple[str, int], Decimal]:
        """Every rate as {(currency, year): rate}, the `rates` of `exchange_rates.to_eur`."""
        return {(c, y): r for c, y, r in self.values_list("currency", "year", "rate")}


class ExchangeRate(models.Model):
    """Units of `currency` for 1 EUR in `year` (e.g. 655.957 XOF).

    XOF and XAF are pegged to the euro: their rows are seeded for every year from 1998 and a
    different rate is refused (the database constraint backs the form's check).
    """

    currency = models.CharField(
        _("currency"), max_length=3,
        validators=[RegexValidator(r"^[A-Z]{3}$", _("An ISO 4217 code: three capital letters, e.g. GNF."))],
        help_text=_("ISO 4217 code, e.g. GHS, GNF, NGN."),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(2200)]
    )
    rate = models.DecimalField(
        _("units for 1 euro"), max_digits=18, decimal_places=6,
        validators=[MinValueValidator(Decimal("0.000001"))],
        help_text=_("How many units of the currency one euro bought that year (e.g. the yearly average "
                    "of the European Central Bank or the central bank). XOF and XAF: 655.957."),
    )
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("Where the rate comes from, for the record.")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ExchangeRateQuerySet.as_manager()

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["currency", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "year"], name="exchangerate_one_per_currency_and_year",
                violation_error_message=_("This currency already has a rate for that year."),
            ),
            models.CheckConstraint(
                condition=~Q(currency__in=sorted(FIXED_CURRENCIES)) | Q(rate=FIXED_PARITY),
                name="exchangerate_cfa_fixed_parity",
                violation_error_message=_("XOF and XAF are pegged to the euro: their rate is 655.957."),
            ),
            models.CheckConstraint(condition=Q(rate__gt=0), name="exchangerate_rate_positive"),
        ]

    def __str__(self):
        return f"{self.currency} {self.year}: {self.rate}"

    def save(self, *args, **kwargs):
        self.currency = (self.currency or "").strip().upper()
        super().save(*args, **kwargs)

    def clean(self):
        self.currency = (self.currency or "").strip().upper()
        if self.currency in FIXED_CURRENCIES and self.rate is not None and self.rate != FIXED_PARITY:
            raise ValidationError({"rate": _("XOF and XAF are pegged to the euro: their rate is 655.957.")})
