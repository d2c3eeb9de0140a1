from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.i18n import BilingualNameMixin


class CountryQuerySet(models.QuerySet):
    def in_network(self):
        """Countries where the network has a focal point or a national committee."""
        return self.filter(in_network=True)


class Country(BilingualNameMixin, models.Model):
    """A country of the inventory, identified by its ISO 3166-1 alpha-2 code."""

    code = models.CharField(_("ISO code"), max_length=2, primary_key=True)
    name_fr = models.CharField(_("name in French"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100)
    currency = models.CharField(
        _("currency"), max_length=3, help_text=_("ISO 4217 code of the local currency, e.g. XOF.")
    )
    focal_point = models.CharField(
        _("focal point organization"), max_length=255, blank=True,
        help_text=_("Organization only: the names of persons are never published."),
    )
    in_network = models.BooleanField(_("in the network"), default=True)

    objects = CountryQuerySet.as_manager()

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name_fr"]

    def __str__(self):
        return self.name


    def save(self, *args, **kwargs):
        self.code = self.code.upper()
        self.currency = self.currency.upper()
        super().save(*args, **kwargs)
