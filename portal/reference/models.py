"""The shared vocabulary: `Country`, `Theme` and the `Language` choices.

The tables keep the names they had when the models lived in the domains (`inventory_country`,
`library_theme`): the models moved, the rows did not (migrations 0001 of this app and the matching
ones of inventory, library, accounts, news and events move them in Django's state only).

Every ISO 3166-1 country is a row (seeded by migration 0002, see `countries.py`): an import may name
any of them. The network's countries are those flagged `in_network`; lists meant for the network ask
for `Country.objects.in_network()` (or for the countries holding data), never for all countries.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.i18n import BilingualNameMixin, portuguese_country_name

from .currencies import currency_choices, validate_currency


class CountryQuerySet(models.QuerySet):
    def in_network(self):
        """Countries where the network has a focal point or a national committee."""
        return self.filter(in_network=True)

    def in_network_or(self, codes):
        """The network's countries and those of `codes` (codes, or a query of codes: the countries
        holding data, the ones already chosen): what a list or a form offers."""
        return self.filter(Q(in_network=True) | Q(code__in=codes))


class Country(BilingualNameMixin, models.Model):
    """A country, identified by its ISO 3166-1 alpha-2 code."""

    code = models.CharField(_("ISO code"), max_length=2, primary_key=True)
    name_fr = models.CharField(_("name in French"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100)
    currency = models.CharField(
        _("currency"), max_length=3, blank=True, choices=currency_choices, validators=[validate_currency],
        help_text=_("ISO 4217 code of the local currency, e.g. XOF; empty when unknown."),
    )
    # Derived: the names of the organizations holding the focal point role here (see
    # `inventory.registry.organizations.country_focal_point_sync`), kept for lists and exports.
    focal_point = models.CharField(
        _("focal point organization"), max_length=255, blank=True,
        help_text=_("Organization only: the names of persons are never published. Kept in step with the "
                    "organizations that have the focal point role for this country."),
    )
    in_network = models.BooleanField(_("in the network"), default=False)

    objects = CountryQuerySet.as_manager()

    class Meta:
        db_table = "inventory_country"
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name_fr"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.code = self.code.upper()
        self.currency = self.currency.upper()
        super().save(*args, **kwargs)

    def portuguese_name(self) -> str:
        return portuguese_country_name(self.code)


class Theme(BilingualNameMixin, models.Model):
    """A theme of the network's work, edited by the secretariat (resources, articles, events,
    people's interests)."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name_fr = models.CharField(_("name in French"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120)

    class Meta:
        db_table = "library_theme"
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name_fr"]

    def __str__(self):
        return self.name

    def portuguese_name(self) -> str:
        from .themes import PORTUGUESE_NAMES

        return PORTUGUESE_NAMES.get(self.slug, "")


class Language(models.TextChoices):
    """The languages of the network's documents and articles."""

    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")
    PORTUGUESE = "pt", _("Portuguese")
