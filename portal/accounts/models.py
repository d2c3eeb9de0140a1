from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

LANGUAGE_CHOICES = [("fr", "Français"), ("en", "English"), ("pt", "Português")]


class User(AbstractUser):
    """A registered person. Their role comes from their groups (see `roles.py`)."""

    email = models.EmailField(_("e-mail address"), unique=True)
    organization = models.CharField(_("organization"), max_length=255, blank=True)
    country = models.ForeignKey(
        "reference.Country", verbose_name=_("country"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    languages = models.JSONField(
        _("languages read"), default=list, blank=True,
        help_text=_("Language codes among fr, en, pt."),
    )
    interests = models.ManyToManyField(
        "reference.Theme", verbose_name=_("interests"), blank=True, related_name="+"
    )
    focal_point_countries = models.ManyToManyField(
        "reference.Country", verbose_name=_("focal point for"), blank=True,
        related_name="focal_point_users",
        help_text=_("Countries whose returns this person validates, when in the focal point group."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.email
