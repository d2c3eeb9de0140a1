"""Frozen releases of the open datasets, their files, download counts and the optional guestbook.

A release's files are written once, at publication (`releases.release_publish`), with their SHA-256
checksums; nothing changes them afterwards: researchers citing "Inventaire 2025 v1.0" get the same
bytes back years later. A correction is a new release (v1.1) with a changelog.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core import citations

# "1.0", "1.1", "2.0": major.minor, each up to three digits.
VERSION_PATTERN = r"[0-9]{1,3}\.[0-9]{1,3}"
VERSION_RE = re.compile(rf"^{VERSION_PATTERN}$")
# A release's name: letters (accents included), digits, spaces and - ' ( ) . , between 3 and 80 characters.
NAME_RE = re.compile(r"^[\w][\w '’().,\-]{1,78}[\w)]$")
# The DOI helpers are the kernel's (portal/core/citations.py), shared with the library's studies.
DOI_RE, DOI_PREFIXES = citations.DOI_RE, citations.DOI_PREFIXES
normalize_doi = citations.normalize_doi
validate_doi = citations.validate_doi


# "latest" names the newest release in URLs: no release may take it as its slug.
RESERVED_SLUGS = frozenset({"latest"})


def version_key(version: str) -> tuple[int, int]:
    major, minor = version.split(".")
    return int(major), int(minor)


class ReleaseQuerySet(models.QuerySet):
    def newest_first(self):
        return self.order_by("-published_at", "-pk")

    def latest_release(self):
        """The newest release of all ("latest" in URLs), or None."""
        return self.newest_first().first()


class Release(models.Model):
    name = models.CharField(_("name"), max_length=80, help_text=_("E.g. “Inventaire 2025”."))
    slug = models.SlugField(_("slug"), max_length=80)
    version = models.CharField(_("version"), max_length=7)
    published_at = models.DateTimeField(_("published"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    changelog = models.TextField(_("changes"), blank=True)
    # What was frozen: the inventory's version counter and the number of rows of each table.
    inventory_version = models.PositiveBigIntegerField(_("inventory version"))
    returns_count = models.PositiveIntegerField(_("returns"))
    synthesis_count = models.PositiveIntegerField(_("synthesis rows"))
    # Recorded by the secretariat once the network's DataCite member has minted it (datacite.xml).
    doi = models.CharField(_("DOI"), max_length=200, blank=True, validators=[validate_doi],
                           help_text=_("E.g. 10.12345/inventaire-2025-v1.0, once minted."))

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("dataset release")
        verbose_name_plural = _("dataset releases")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="release_unique_version"),
        ]

    def __str__(self):
        return f"{self.name} v{self.version}"

    @property
    def label(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def folder(self) -> str:
        """The release's folder in MEDIA_ROOT and in its zip: `inventaire-2025-v1.0`."""
        return f"{self.slug}-v{self.version}"

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""

    def clean(self):
        if not NAME_RE.match(self.name or ""):
            raise ValidationError({"name": _("Letters, digits and spaces, 3 to 80 characters.")})
        if not VERSION_RE.match(self.version or ""):
            raise ValidationError({"version": _("A version is two numbers with a dot, e.g. 1.0 or 1.1.")})


class ReleaseFile(models.Model):
    """One frozen file of a release, stored under MEDIA_ROOT/releases/<folder>/."""

    release = models.ForeignKey(Release, on_delete=models.PROTECT, related_name="files")
    filename = models.CharField(_("file name"), max_length=100)
    file = models.FileField(_("file"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    downloads = models.PositiveIntegerField(_("downloads"), default=0)

    class Meta:
        verbose_name = _("release file")
        verbose_name_plural = _("release files")
        ordering = ["release", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["release", "filename"], name="releasefile_unique_name"),
        ]

    def __str__(self):
        return f"{self.release} {self.filename}"

    def save(self, *args, **kwargs):
        # Write once: the file and its checksum never change (downloads are counted with update()).
        if self.pk is not None:
            raise ValidationError("A release's files never change once published.")
        super().save(*args, **kwargs)


class DatasetDownloadCount(models.Model):
    """Downloads of the current (live) files, per file name, beside the releases' own counts."""

    filename = models.CharField(_("file name"), max_length=100, unique=True)
    downloads = models.PositiveIntegerField(_("downloads"), default=0)

    class Meta:
        verbose_name = _("download count of the current data")
        verbose_name_plural = _("download counts of the current data")
        ordering = ["filename"]

    def __str__(self):
        return f"{self.filename}: {self.downloads}"


class GuestbookEntry(models.Model):
    """Who downloads the data, for the secretariat's reports: optional, and no personal data asked."""

    class Purpose(models.TextChoices):
        RESEARCH = "research", _("Research")
        TEACHING = "teaching", _("Teaching or training")
        POLICY = "policy", _("Public policy or planning")
        PROGRAMME = "programme", _("Programme design or evaluation")
        ADVOCACY = "advocacy", _("Advocacy")
        JOURNALISM = "journalism", _("Journalism")
        MUTUAL = "mutual", _("Managing or supporting a mutual")
        OTHER = "other", _("Other")

    release = models.ForeignKey(
        Release, verbose_name=_("release"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="guestbook_entries", help_text=_("Empty: the current data."),
    )
    organization = models.CharField(_("organization"), max_length=200, blank=True)
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices, blank=True)
    created_at = models.DateTimeField(_("signed"), auto_now_add=True)

    class Meta:
        verbose_name = _("guestbook entry")
        verbose_name_plural = _("guestbook entries")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.organization or '—'} ({self.purpose or '—'})"
