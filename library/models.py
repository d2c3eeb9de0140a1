from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.i18n import BilingualNameMixin


class Theme(BilingualNameMixin, models.Model):
    """A theme of the network's work, edited by the secretariat (resources, articles, interests)."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name_fr = models.CharField(_("name in French"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name_fr"]

    def __str__(self):
        return self.name

