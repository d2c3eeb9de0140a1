"""The frozen releases of the open datasets the secretariat publishes ("Inventaire 2025 v1.0"): what a
release would hold, its checks, its publication and the freezing of its files, how to cite it, and
the guestbook of downloads.

Publishing records the release and queues the freezing of its files (`build_release`, in the worker),
its page saying "being prepared" until they exist: the table files are copied from the current data's
build of exactly the inventory version the confirmation page showed (`live.settled_live`), the
package built around them (`package.build_package`). A release's files are stored once under
MEDIA_ROOT/releases/<name>-v<version>/ with their SHA-256 and never rewritten: downloading
"Inventaire 2025 v1.0" years later gives the same bytes, whatever was validated since.
"""

import json
import logging
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Count, ProtectedError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from portal.accounts.permissions import can
from portal.core import audit
from portal.core.citations import DATASET, Citation
from portal.core.tasks import enqueue, runs_immediately
from portal.reference.models import Country

from ..contract.choices import ReturnState
from ..models import GuestbookEntry, InventoryState, Mutual, Release, ReleaseFile, YearlyReturn
from ..models.releases import NAME_RE, RESERVED_SLUGS, VERSION_RE, validate_doi, version_key
from .live import TABLES_NOTE, build_live, settled_live
from .package import (
    AUTHOR,
    AUTHOR_SHORT,
    DESCRIPTION,
    FILES,
    KEYWORDS,
    LIVE_TITLES,
    TABLE_FILES,
    DatasetMeta,
    absolute_url,
    build_package,
)
from .refresh import request_refresh

logger = logging.getLogger(__name__)


class InventoryChanged(Exception):
    """The inventory changed since the confirmation page: what would be published is not what the
    secretariat was shown."""


class FilesNotReady(Exception):
    """The worker has not yet built the files of the inventory version the confirmation page showed."""

# --- Releases --------------------------------------------------------------------------------------

@dataclass
class ReleaseContents:
    """What a release published now would hold, for the confirmation page."""

    inventory_version: int
    years: list[int]
    countries: list[tuple[str, str, list[int], int]]  # code, name, count per year of `years`, total
    year_totals: list[int]
    total: int
    submitted: int  # submitted, not yet validated: NOT in the release
    submitted_by_country: list[tuple[str, int]]
    not_public: int  # validated returns of mutuals not public (withdrawn or not approved): not in it
    files_ready: bool = True  # the worker has built this version's files (publishing waits for them)


def release_contents() -> ReleaseContents:
    """Validated returns of public mutuals by country and year (what a release publishes), and what
    is left out: submitted returns awaiting validation, validated returns of non-public mutuals."""
    version = InventoryState.current_version()
    public = YearlyReturn.objects.public()
    counts = {
        (row["mutual__country_id"], row["year"]): row["n"]
        for row in public.values("mutual__country_id", "year").annotate(n=Count("pk"))
    }
    years = sorted({year for _country, year in counts})
    codes = sorted({country for country, _year in counts})
    names = dict(Country.objects.filter(code__in=codes).values_list("code", "name_fr"))
    countries = []
    for code in codes:
        per_year = [counts.get((code, year), 0) for year in years]
        countries.append((code, names.get(code, code), per_year, sum(per_year)))
    submitted = YearlyReturn.objects.filter(state=ReturnState.SUBMITTED)
    by_country = submitted.values_list("mutual__country_id").annotate(n=Count("pk")).order_by(
        "mutual__country_id")
    return ReleaseContents(
        inventory_version=version,
        years=years,
        countries=countries,
        year_totals=[sum(counts.get((code, year), 0) for code in codes) for year in years],
        total=sum(counts.values()),
        submitted=submitted.count(),
        submitted_by_country=list(by_country),
        not_public=YearlyReturn.objects.validated().exclude(mutual__in=Mutual.objects.public()).count(),
        files_ready=_files_ready(version),
    )


def _files_ready(version: int) -> bool:
    """Whether a release of `version` can be published now; if not, the worker is asked to build."""
    if runs_immediately() or settled_live(version) is not None:
        return True
    request_refresh(wait=False)
    return False


def release_slug(name: str) -> str:
    return slugify(name)


def next_version(name: str) -> str:
    """1.0 for a new name, else the newest version of that name plus 0.1 (a correction)."""
    versions = Release.objects.filter(slug=release_slug(name)).values_list("version", flat=True)
    if not versions:
        return "1.0"
    major, minor = max(version_key(v) for v in versions)
    return f"{major}.{minor + 1}"


def check_release(*, name: str, version: str, changelog: str) -> dict:
    """The cleaned name, slug, version and changelog, or ValidationError {field: message}."""
    name, version, changelog = (name or "").strip(), (version or "").strip(), (changelog or "").strip()
    errors = {}
    slug = release_slug(name)
    if not NAME_RE.match(name) or not slug:
        errors["name"] = _("A name of 3 to 80 letters, digits and spaces, e.g. “Inventaire 2025”.")
    elif slug in RESERVED_SLUGS:
        errors["name"] = _("This name is reserved; choose another one.")
    if not VERSION_RE.match(version):
        errors["version"] = _("A version is two numbers with a dot, e.g. 1.0 or 1.1.")
    elif "name" not in errors:
        earlier = list(Release.objects.filter(slug=slug).values_list("version", flat=True))
        if version in earlier:
            errors["version"] = _(
                "%(name)s v%(version)s is already published: its files never change. Publish a correction "
                "as a new version.") % {"name": name, "version": version}
        elif earlier and version_key(version) < max(version_key(v) for v in earlier):
            errors["version"] = _("A new version must come after the published ones (%(versions)s).") % {
                "versions": ", ".join(sorted(earlier, key=version_key))}
        elif earlier and not changelog:
            errors["changelog"] = _("Say what changed since the previous version.")
    if len(changelog) > 5000:
        errors["changelog"] = _("At most 5,000 characters.")
    if errors:
        raise ValidationError(errors)
    return {"name": name, "slug": slug, "version": version, "changelog": changelog}


def release_publish(*, name: str, version: str, changelog: str, user, inventory_version: int) -> Release:
    """Publish release `name` `version` of the public inventory at `inventory_version`, the version
    the confirmation page showed: record it and queue the freezing of its files (`build_release`),
    which copies the worker's build of exactly that version. If the inventory changed since,
    nothing is published (InventoryChanged); if the worker has not built that version yet, nothing
    either (FilesNotReady: try again in a moment). So a release holds exactly what was confirmed."""
    if not can(user, "publish_release"):
        raise PermissionDenied
    cleaned = check_release(name=name, version=version, changelog=changelog)
    if InventoryState.current_version() != inventory_version:
        raise InventoryChanged
    if not YearlyReturn.objects.public().exists():
        raise ValidationError(_("There is no validated return to publish yet."))
    live = settled_live(inventory_version)
    if live is None and runs_immediately():
        build_live(wait=None)
        live = settled_live(inventory_version)
        if live is None:
            raise InventoryChanged
    if live is None:
        request_refresh()
        raise FilesNotReady
    note = json.loads((live / TABLES_NOTE).read_text())
    release = Release(
        name=cleaned["name"], slug=cleaned["slug"], version=cleaned["version"],
        changelog=cleaned["changelog"], published_at=timezone.now().replace(microsecond=0),
        published_by=user, inventory_version=inventory_version,
        returns_count=note["returns"], synthesis_count=note["synthesis"],
    )
    try:
        with transaction.atomic():
            release.save()
            if InventoryState.current_version() != inventory_version:
                raise InventoryChanged
            if runs_immediately():
                build_release(release.pk)  # here, so that a failure undoes the publication
            else:
                from ..tasks import build_release_files

                enqueue(build_release_files, release.pk)
    except IntegrityError as error:
        raise ValidationError({"version": _("%(release)s is already published.")
                               % {"release": release.label}}) from error
    logger.info("Release %s published by user %s: %s returns, %s synthesis rows", release.label,
                user.pk, release.returns_count, release.synthesis_count)
    return release


def release_meta(release: Release) -> DatasetMeta:
    with translation.override("fr"):
        url = absolute_url(reverse("inventory:release_detail", args=[release.slug, release.version]))
    # The title without the version, which has its own field: "Inventaire 2025", version 1.0 (a
    # citation made from CITATION.cff otherwise reads "Inventaire 2025 v1.0 (version 1.0)").
    return DatasetMeta(
        name=release.folder.replace(".", "-"), title=release.name, title_fr=release.name,
        version=release.version, created=release.published_at, url=url, folder=release.folder,
    )


def build_release(release_id: int) -> bool:
    """Freeze a published release's files (the worker's side): the table files copied from the
    build of its inventory version (the same bytes as the current data's then), the package around
    them, every file stored once with its checksum, all of them or none. Whether files were stored
    now (False: already done, or the release is gone)."""
    release = Release.objects.filter(pk=release_id).first()
    if release is None or release.files.exists():
        return False
    live = settled_live(release.inventory_version)
    if live is None and InventoryState.current_version() == release.inventory_version:
        build_live(wait=None)
        live = settled_live(release.inventory_version)
    if live is None:
        # Publishing waits for this build and pruning keeps it: only a deleted folder leads here.
        logger.error("Release %s cannot be built: the files of inventory version %s are gone; it is "
                     "withdrawn, publish it again", release.label, release.inventory_version)
        try:
            release.delete()
        except ProtectedError:
            logger.exception("Release %s could not be withdrawn", release.label)
        return False
    note = json.loads((live / TABLES_NOTE).read_text())
    Path(settings.DATASETS_ROOT).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=settings.DATASETS_ROOT, prefix=".release-") as tmp:
        for filename in TABLE_FILES:
            shutil.copyfile(live / filename, Path(tmp) / filename)
        built = build_package(Path(tmp), release_meta(release), (note["returns"], note["synthesis"]))
        stored = []
        try:
            with transaction.atomic():
                for filename in FILES:
                    sha256, size = built.checksums[filename]
                    with open(Path(tmp) / filename, "rb") as stream:
                        path = default_storage.save(f"releases/{release.folder}/{filename}", File(stream))
                    stored.append(path)
                    ReleaseFile.objects.create(
                        release=release, filename=filename, file=path, sha256=sha256, size=size,
                    )
                Release.objects.filter(pk=release.pk).update(
                    returns_count=built.returns_count, synthesis_count=built.synthesis_count)
        except IntegrityError:
            _discard(stored)  # another worker stored them first
            return False
        except BaseException:
            _discard(stored)
            raise
    logger.info("Release %s built: %s returns, %s synthesis rows", release.label, built.returns_count,
                built.synthesis_count)
    return True


def build_pending_releases() -> int:
    """Build the releases still waiting for their files (the safety net of their own task)."""
    pending = Release.objects.filter(files__isnull=True).order_by("published_at", "pk")
    return sum(build_release(pk) for pk in pending.values_list("pk", flat=True))


def _discard(paths) -> None:
    for path in paths:
        default_storage.delete(path)


# --- Citing ----------------------------------------------------------------------------------------

def release_url(release: Release, language: str) -> str:
    with translation.override(language):
        return absolute_url(reverse("inventory:release_detail", args=[release.slug, release.version]))


def _citation_date_format(language: str) -> str:
    """"7 décembre 2026", "7 December 2026", "7 de dezembro de 2026"."""
    return r"j \d\e F \d\e Y" if language == "pt" else "j F Y"


def citation(release: Release, language: str) -> str:
    """How to cite `release`, in `language` ("fr", "en" or "pt")."""
    published = timezone.localtime(release.published_at)
    with translation.override(language):
        return _("%(author)s (%(year)s). %(name)s, version %(version)s [data set], published on "
                 "%(date)s. Licence CC BY 4.0. %(url)s") % {
            "author": AUTHOR_SHORT, "year": published.year, "name": release.name,
            "version": release.version, "date": date_format(published, _citation_date_format(language)),
            # The DOI once minted (the persistent address), else the release's page.
            "url": getattr(release, "doi_url", "") or release_url(release, language),
        }


def dataset_citation(release: Release | None, language: str, accessed: date | None = None) -> Citation:
    """`release` (None: the current data, read on `accessed`) as a reference for the BibTeX, RIS and
    CSL-JSON exports: a data set by the Concertation (one corporate name), its version and its
    page on the public address."""
    if release is None:
        accessed = accessed or timezone.localdate()
        with translation.override(language):
            url = absolute_url(reverse("inventory:datasets"))
        title = LIVE_TITLES.get(language, LIVE_TITLES["en"])
        key, year, version, issued = f"inventaire-mutuelles-{accessed:%Y-%m-%d}", accessed.year, "", None
    else:
        url, title, key = release_url(release, language), release.name, release.folder
        issued = timezone.localtime(release.published_at).date()
        year, version, accessed = issued.year, release.version, None
    return Citation(
        # No publisher: it would be the author again (APA leaves it out then).
        key=key, title=title, authors=(AUTHOR,), year=year, publisher="", resource_type=DATASET,
        language=language, abstract=DESCRIPTION, url=url, keywords=KEYWORDS, version=version,
        # A DOI once the release has one (the field may not exist yet).
        doi=getattr(release, "doi", "") or "", accessed=accessed, issued=issued,
    )


def record_doi(release: Release, doi: str, *, user) -> Release:
    """Record (or correct; "" removes) the DOI minted for `release`, a bare, validated DOI: the
    secretariat's, audited. The release's frozen files are not rewritten."""
    if not can(user, "publish_release"):
        raise PermissionDenied
    validate_doi(doi)
    previous = release.doi
    release.doi = doi
    release.save(update_fields=["doi"])
    audit.log(release, "portal.release.doi", user=user,
              data={"release": release.label, "doi": doi or "—", "previous": previous or "—"})
    return release


def live_citation(language: str, accessed: date) -> str:
    """How to cite the current (unfrozen) data, in `language`."""
    with translation.override(language):
        url = absolute_url(reverse("inventory:datasets"))
        return _("%(author)s (%(year)s). Inventory of mutual health organizations, current data [data "
                 "set], accessed on %(date)s. Licence CC BY 4.0. %(url)s") % {
            "author": AUTHOR_SHORT, "year": accessed.year,
            "date": date_format(accessed, _citation_date_format(language)), "url": url,
        }


# --- Guestbook ---------------------------------------------------------------------------------------

def guestbook_sign(*, organization: str, purpose: str, release: Release | None = None) -> GuestbookEntry:
    """Record who downloads, for the secretariat's reports (no personal data asked)."""
    return GuestbookEntry.objects.create(
        organization=(organization or "").strip()[:200], purpose=purpose or "", release=release,
    )
