"""The open datasets as files: the current data (rebuilt once per inventory version) and the frozen
releases the secretariat publishes ("Inventaire 2025 v1.0").

Both are built in the worker (`inventory.opendata.refresh`, inventory/tasks.py), never in a request: a
download is served the newest complete build of the current data, and publishing a release records
it and queues the freezing of its files, its page saying "being prepared" until they exist.

Both are made by `build_files`: one pass over the public returns table (`exports.returns_rows`)
feeds the CSV, the Parquet file and the workbook's sheet at once, so the formats cannot disagree;
then the synthesis (`synthesis.refresh_synthesis`), the codebook, `CITATION.cff`, `datapackage.json`
with every file's checksum, and the zip of everything. A release's files are stored once under
MEDIA_ROOT/releases/<name>-v<version>/ with their SHA-256 and never rewritten: downloading
"Inventaire 2025 v1.0" years later gives the same bytes, whatever was validated since.
"""

import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Count, F, ProtectedError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from portal.accounts.permissions import can
from portal.core.tasks import enqueue, runs_immediately

from ..contract import schema
from ..contract.choices import ReturnState
from ..models import (
    Country,
    DatasetDownloadCount,
    GuestbookEntry,
    InventoryState,
    Mutual,
    Release,
    ReleaseFile,
    YearlyReturn,
)
from ..models.releases import NAME_RE, RESERVED_SLUGS, VERSION_RE, version_key
from . import datasets
from .exports import returns_rows
from .refresh import no_lock_wait, request_refresh
from .synthesis import refresh_synthesis, synthesis_rows

logger = logging.getLogger(__name__)

AUTHOR = ("Concertation entre les acteurs du développement des mutuelles de santé en Afrique de l'Ouest "
          "et du Centre")
AUTHOR_SHORT = "Concertation"
LICENSE_LABEL = "CC BY 4.0"
LICENSE_URL = datasets.LICENSE["path"]

# The files of a data set, in the order of the zip and of the pages.
TABLE_FILES = ["returns.csv", "synthesis.csv", "returns.parquet", "synthesis.parquet", "inventory.xlsx"]
ZIP_NAME = "inventory.zip"
FILES = [*TABLE_FILES, "codebook.html", "CITATION.cff", "datapackage.json", ZIP_NAME]

# Published descriptions are data, frozen in the files: both languages written here, not translated.
DESCRIPTION = (
    "Self-reported inventory of mutual health organizations in West and Central Africa, kept by the "
    "Concertation's portal: the returns table (one row per mutual and reporting year, figures "
    "validated by the country's focal point, with computed indicators and money in EUR where a rate "
    "is known) and the synthesis table by country and year. / Inventaire déclaratif des mutuelles de "
    "santé d'Afrique de l'Ouest et du Centre tenu par le portail de la Concertation : la table des "
    "fiches (une ligne par mutuelle et année, chiffres validés par le point focal du pays, avec les "
    "indicateurs calculés et les montants en EUR quand un taux est connu) et la synthèse par pays et année."
)
CITE_MESSAGE = ("If you use these data, cite them as below (licence CC BY 4.0). / Si vous utilisez ces "
                "données, citez-les comme ci-dessous (licence CC BY 4.0).")
RESOURCES = {
    "returns.csv": ("returns", "Returns: one row per mutual and reporting year",
                    "Fiches : une ligne par mutuelle et année de référence"),
    "synthesis.csv": ("synthesis", "Synthesis by country and year", "Synthèse par pays et année"),
    "returns.parquet": ("returns-parquet", "Returns (Parquet, typed columns)",
                        "Fiches (Parquet, colonnes typées)"),
    "synthesis.parquet": ("synthesis-parquet", "Synthesis (Parquet, typed columns)",
                          "Synthèse (Parquet, colonnes typées)"),
    "inventory.xlsx": ("workbook", "Workbook: returns, synthesis and codebook sheets",
                       "Classeur : feuilles returns, synthesis et codebook"),
    "codebook.html": ("codebook", "Codebook: every column in French and English",
                      "Dictionnaire des données : chaque colonne en français et en anglais"),
    "CITATION.cff": ("citation", "How to cite these data (Citation File Format)",
                     "Comment citer ces données (Citation File Format)"),
}


class InventoryChanged(Exception):
    """The inventory changed since the confirmation page: what would be published is not what the
    secretariat was shown."""


class FilesNotReady(Exception):
    """The worker has not yet built the files of the inventory version the confirmation page showed."""


# --- Building the files ----------------------------------------------------------------------------

@dataclass(frozen=True)
class DatasetMeta:
    """What the files say about themselves."""

    name: str  # the data package's name, e.g. inventaire-2025
    title: str
    title_fr: str
    version: str | None
    created: datetime
    url: str  # the page researchers should cite
    folder: str  # the zip's top folder


@dataclass
class Built:
    directory: Path
    checksums: dict[str, tuple[str, int]] = field(default_factory=dict)  # filename -> (sha256, size)
    returns_count: int = 0
    synthesis_count: int = 0


def sha256_of(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as stream:
        while chunk := stream.read(1024 * 1024):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def build_files(directory: Path, meta: DatasetMeta) -> Built:
    """Write every file of a data set (`FILES`) into `directory` from the public inventory as it is."""
    return build_package(directory, meta, build_tables(directory))


def build_tables(directory: Path) -> tuple[int, int]:
    """The table files (`TABLE_FILES`) of the public inventory as it is, into `directory`: one pass
    over the returns feeds the CSV, the Parquet file and the workbook's sheet at once, so the three
    cannot disagree. Returns (returns rows, synthesis rows)."""
    directory = Path(directory)
    returns_schema, synthesis_schema = schema.published("returns"), schema.published("synthesis")
    book = datasets.XlsxWorkbook(directory / "inventory.xlsx")
    sinks = [
        datasets.CsvFile(directory / "returns.csv", datasets.column_names(returns_schema)),
        datasets.ParquetFile(directory / "returns.parquet", returns_schema),
        book.sheet("returns", returns_schema),
    ]
    for row in returns_rows():
        for sink in sinks:
            sink.write(row)
    returns_count = min(sink.close() for sink in sinks)

    synthesis = list(synthesis_rows(refresh_synthesis()))
    sinks = [
        datasets.CsvFile(directory / "synthesis.csv", datasets.column_names(synthesis_schema)),
        datasets.ParquetFile(directory / "synthesis.parquet", synthesis_schema),
        book.sheet("synthesis", synthesis_schema),
    ]
    for row in synthesis:
        for sink in sinks:
            sink.write(row)
    synthesis_count = min(sink.close() for sink in sinks)
    book.close({"returns": returns_schema, "synthesis": synthesis_schema})
    return returns_count, synthesis_count


def build_package(directory: Path, meta: DatasetMeta, counts: tuple[int, int]) -> Built:
    """Beside the table files in `directory`: the codebook, CITATION.cff and datapackage.json that
    describe them as `meta` says, then the zip of everything. Returns every file's checksum."""
    directory = Path(directory)
    built = Built(directory, returns_count=counts[0], synthesis_count=counts[1])
    schemas = {"returns": schema.published("returns"), "synthesis": schema.published("synthesis")}
    (directory / "codebook.html").write_text(codebook_html(meta), encoding="utf-8")
    (directory / "CITATION.cff").write_text(datasets.citation_cff(
        title=meta.title, version=meta.version, released=meta.created.date(), url=meta.url,
        author=AUTHOR, abstract=DESCRIPTION, message=CITE_MESSAGE,
    ), encoding="utf-8")
    for filename in FILES[:-2]:
        built.checksums[filename] = sha256_of(directory / filename)
    package = datasets.datapackage(
        name=meta.name, title=meta.title, title_fr=meta.title_fr, version=meta.version,
        created=meta.created, homepage=meta.url, author=AUTHOR, description=DESCRIPTION,
        resources=_resources(schemas), checksums=built.checksums,
    )
    (directory / "datapackage.json").write_text(
        json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    built.checksums["datapackage.json"] = sha256_of(directory / "datapackage.json")
    datasets.write_zip(
        [(name, directory / name) for name in FILES[:-1]], directory / ZIP_NAME,
        folder=meta.folder, timestamp=meta.created,
    )
    built.checksums[ZIP_NAME] = sha256_of(directory / ZIP_NAME)
    return built


def _resources(schemas: dict) -> list[dict]:
    resources = []
    for filename in FILES[:-2]:
        name, title, title_fr = RESOURCES[filename]
        table = filename.split(".")[0]
        if filename.endswith(".csv"):
            resources.append(datasets.table_resource(
                name, filename, schemas[table], title=title, title_fr=title_fr,
                description=schemas[table].get("description", ""),
            ))
        else:
            resources.append(datasets.file_resource(
                name, filename, title=title, title_fr=title_fr,
                table_schema=schemas[table] if filename.endswith(".parquet") else None,
            ))
    return resources


def codebook_html(meta: DatasetMeta) -> str:
    """The codebook as a standalone bilingual HTML file (no stylesheet, no script)."""
    return render_to_string("inventory/datasets_codebook_file.html", {
        "meta": meta, "tables": codebook_tables(), "author": AUTHOR,
    })


def codebook_tables() -> list[tuple[str, str, list[dict]]]:
    """[(table, its description, its codebook rows)] for the published tables."""
    tables = []
    for table in ("returns", "synthesis"):
        published = schema.published(table)
        tables.append((table, published.get("description", ""), datasets.codebook_rows({table: published})))
    return tables


def absolute_url(path: str) -> str:
    """`path` on the public address (SITE_URL): datapackage.json, CITATION.cff and release pages."""
    from portal.core.site_url import public_url

    return public_url(path)


# --- The current data ------------------------------------------------------------------------------

LIVE_KEEP = 2  # versions of the current files kept on disk (a download may still be reading the older)
LIVE_WAIT = 20  # seconds a build in place (tests) waits for another build of the same version
LIVE_STALE = 3600  # a build lock older than this was left by a dead process
TABLES_NOTE = ".tables.json"  # beside the current files: their inventory version and row counts
RETRY_AFTER = 30  # seconds a download asks to wait when no build exists yet


class DatasetsBeingBuilt(Exception):
    """No build of the current files to serve yet (the first one is being made)."""


def live_root() -> Path:
    return Path(settings.DATASETS_ROOT) / "live"


def live_meta(now: datetime | None = None) -> DatasetMeta:
    now = now or timezone.now()
    with translation.override("fr"):
        url = absolute_url(reverse("inventory:datasets"))
    return DatasetMeta(
        name="inventaire-mutuelles-courant",
        title="Inventory of mutual health organizations: current data",
        title_fr="Inventaire des mutuelles de santé : données courantes",
        version=None, created=now, url=url, folder=f"inventaire-mutuelles-{now:%Y-%m-%d}",
    )


def _live_builds(root: Path) -> list[tuple[int, Path]]:
    """The complete builds on disk, oldest first (a build appears by one rename, complete)."""
    if not root.is_dir():
        return []
    return sorted((int(m.group(1)), p) for p in root.iterdir() if (m := re.fullmatch(r"v(\d+)", p.name)))


def live_directory() -> Path:
    """The current files a download serves: the build of the current inventory version if the worker
    has made it, else the newest build (stale by the time the worker takes) and a refresh is asked
    for. DatasetsBeingBuilt while no build exists at all. Never builds in the request, except where
    tasks run inside the call that queues them (the tests' backend)."""
    version = InventoryState.current_version()
    target = live_root() / f"v{version}"
    if target.is_dir():
        return target
    if runs_immediately():
        return build_live(wait=LIVE_WAIT)
    request_refresh(wait=False)
    builds = _live_builds(live_root())
    if not builds:
        raise DatasetsBeingBuilt
    return builds[-1][1]


def settled_live(version: int) -> Path | None:
    """The build of inventory version `version` if it exists and holds exactly that version (no
    change was committed while it was being written): what a release may freeze."""
    target = live_root() / f"v{version}"
    try:
        note = json.loads((target / TABLES_NOTE).read_text())
    except FileNotFoundError:
        return None
    return target if note.get("settled", True) and note["inventory_version"] == version else None


def refresh_live() -> Path | None:
    """The worker's side: build the current files unless they exist or another worker is at it."""
    try:
        return build_live(wait=0)
    except DatasetsBeingBuilt:
        return None


def build_live(wait: float | None = None) -> Path:
    """Build the current files of the current inventory version (its version counter names the
    folder) unless they exist; written aside, then renamed into place, so a build is complete or absent.

    One build at a time per version (a lock file): another caller waits for it up to `wait` seconds
    (None: as long as it takes), then DatasetsBeingBuilt.
    """
    version = InventoryState.current_version()
    root = live_root()
    target = root / f"v{version}"
    if target.is_dir():
        return target
    root.mkdir(parents=True, exist_ok=True)
    lock = root / f".lock-v{version}"
    waited = 0.0
    while True:
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            break
        except FileExistsError:
            if target.is_dir():
                return target
            try:
                if time.time() - lock.stat().st_mtime > LIVE_STALE:
                    lock.unlink(missing_ok=True)
                    continue
            except FileNotFoundError:
                continue
            if wait is not None and waited >= wait:
                raise DatasetsBeingBuilt from None
            time.sleep(0.25)
            waited += 0.25
    try:
        if target.is_dir():
            return target
        building = root / f".build-{uuid.uuid4().hex}"
        building.mkdir()
        try:
            counts = build_tables(building)
            build_package(building, live_meta(), counts)
            # A change committed during the build may be in the files: they serve as current data,
            # but a release of `version` must not freeze them.
            settled = InventoryState.current_version() == version
            (building / TABLES_NOTE).write_text(json.dumps({
                "inventory_version": version, "returns": counts[0], "synthesis": counts[1],
                "settled": settled}))
            os.rename(building, target)
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise
    finally:
        os.close(fd)
        lock.unlink(missing_ok=True)
    _prune_live(root)
    return target


def _prune_live(root: Path) -> None:
    """Keep the newest builds, and those that a release waiting for its files will copy."""
    waiting = set(Release.objects.filter(files__isnull=True).values_list("inventory_version", flat=True))
    for version, path in _live_builds(root)[:-LIVE_KEEP]:
        if version not in waiting:
            shutil.rmtree(path, ignore_errors=True)


PENDING_DOWNLOADS_KEY = "inventory:downloads:pending:{filename}"


def count_live_download(filename: str) -> None:
    """Count a download of the current files. A download never waits for a writer: while another
    connection holds SQLite's write lock (an import), it is counted in the cache, and the worker adds
    it to the database (`add_pending_download_counts`)."""
    try:
        with no_lock_wait(), transaction.atomic():
            _add_downloads(filename, 1)
    except OperationalError:
        key = PENDING_DOWNLOADS_KEY.format(filename=filename)
        cache.add(key, 0, timeout=None)
        cache.incr(key)


def _add_downloads(filename: str, count: int) -> None:
    counter, _created = DatasetDownloadCount.objects.get_or_create(filename=filename)
    DatasetDownloadCount.objects.filter(pk=counter.pk).update(downloads=F("downloads") + count)


def add_pending_download_counts() -> None:
    """The worker's side of `count_live_download` and `count_release_download`: the downloads
    counted in the cache while the database was busy, into the database."""
    for filename in FILES:
        key = PENDING_DOWNLOADS_KEY.format(filename=filename)
        pending = cache.get(key)
        if pending:
            cache.decr(key, pending)
            _add_downloads(filename, pending)
    for pk in cache.get(PENDING_RELEASE_DOWNLOADS_KEY) or []:
        key = f"{PENDING_RELEASE_DOWNLOADS_KEY}:{pk}"
        pending = cache.get(key)
        if pending:
            cache.decr(key, pending)
            ReleaseFile.objects.filter(pk=pk).update(downloads=F("downloads") + pending)


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
    return DatasetMeta(
        name=release.folder.replace(".", "-"), title=release.label, title_fr=release.label,
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


PENDING_RELEASE_DOWNLOADS_KEY = "inventory:downloads:pending-releases"


def count_release_download(release_file: ReleaseFile) -> None:
    """Count a download of a release's file, without waiting for a writer (as `count_live_download`)."""
    try:
        with no_lock_wait(), transaction.atomic():
            ReleaseFile.objects.filter(pk=release_file.pk).update(downloads=F("downloads") + 1)
    except OperationalError:
        key = f"{PENDING_RELEASE_DOWNLOADS_KEY}:{release_file.pk}"
        cache.add(key, 0, timeout=None)
        cache.incr(key)
        pending = cache.get(PENDING_RELEASE_DOWNLOADS_KEY) or []
        if release_file.pk not in pending:
            cache.set(PENDING_RELEASE_DOWNLOADS_KEY, [*pending, release_file.pk], timeout=None)


# --- Citing ----------------------------------------------------------------------------------------

def release_url(release: Release, language: str) -> str:
    with translation.override(language):
        return absolute_url(reverse("inventory:release_detail", args=[release.slug, release.version]))


def citation(release: Release, language: str) -> str:
    """How to cite `release`, in `language` ("fr" or "en")."""
    published = timezone.localtime(release.published_at)
    with translation.override(language):
        return _("%(author)s (%(year)s). %(name)s, version %(version)s [data set], published on "
                 "%(date)s. Licence CC BY 4.0. %(url)s") % {
            "author": AUTHOR_SHORT, "year": published.year, "name": release.name,
            "version": release.version, "date": date_format(published, "j F Y"),
            "url": release_url(release, language),
        }


def live_citation(language: str, accessed: date) -> str:
    """How to cite the current (unfrozen) data, in `language`."""
    with translation.override(language):
        url = absolute_url(reverse("inventory:datasets"))
        return _("%(author)s (%(year)s). Inventory of mutual health organizations, current data [data "
                 "set], accessed on %(date)s. Licence CC BY 4.0. %(url)s") % {
            "author": AUTHOR_SHORT, "year": accessed.year, "date": date_format(accessed, "j F Y"), "url": url,
        }


# --- Guestbook ---------------------------------------------------------------------------------------

def guestbook_sign(*, organization: str, purpose: str, release: Release | None = None) -> GuestbookEntry:
    """Record who downloads, for the secretariat's reports (no personal data asked)."""
    return GuestbookEntry.objects.create(
        organization=(organization or "").strip()[:200], purpose=purpose or "", release=release,
    )
