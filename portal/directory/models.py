"""The mutuals (or unions of mutuals) a project profile supports: the link between the library's project
profiles and the inventory's mutuals. It lives here, in the site layer, because the library and the
inventory are domains that do not import each other (the layers contract, docs/architecture.md); the
directory joins them, as it does on the country pages. Its panel is added to the project profile's
editor by `DirectoryConfig.ready()`, its section to the page by `projects.py`."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from library.models import validate_year


class ProjectSupportedMutual(Orderable):
    """One mutual, or one union (all its mutuals), a project supports, with the years of support."""

    page = ParentalKey(
        "library.ProjectProfilePage", on_delete=models.CASCADE, related_name="supported_mutuals"
    )
    mutual = models.ForeignKey(
        "inventory.Mutual", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("mutual"),
    )
    union = models.ForeignKey(
        "inventory.Union", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("union or network"),
        help_text=_("Instead of a mutual: every mutual of the union."),
    )
    since = models.PositiveSmallIntegerField(_("supported since"), null=True, blank=True,
                                             validators=[validate_year])
    until = models.PositiveSmallIntegerField(_("supported until"), null=True, blank=True,
                                             validators=[validate_year])

    panels = [
        FieldRowPanel([FieldPanel("mutual"), FieldPanel("union")]),
        FieldRowPanel([FieldPanel("since"), FieldPanel("until")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("supported mutual")
        verbose_name_plural = _("supported mutuals")

    def __str__(self):
        return str(self.mutual or self.union or "")

    def clean(self):
        super().clean()
        if bool(self.mutual_id) == bool(self.union_id):
            raise ValidationError({"mutual": _("Choose a mutual or a union, not both.")
                                   if self.mutual_id else _("Choose a mutual or a union.")})
        if self.since and self.until and self.since > self.until:
            raise ValidationError({"until": _("The support cannot end before it starts.")})
