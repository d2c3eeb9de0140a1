"""The open datasets: the download page with its citation condition, the current files, the frozen
releases, the codebook, the optional guestbook, and the secretariat's publication and statistics.

Nobody needs an account to download (`download_public_data` is everyone's). The two CSV tables of
the current data are streamed row by row; every other current file comes from the worker's newest
build (`live.live_directory`: no request builds, a 503 with Retry-After until the first build
exists); a release's files are served as stored, byte for byte, once the worker has frozen them.
"""

from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from portal.accounts.permissions import can, permission_required, require
from portal.core import studies, throttle
from portal.core.citations import citation_file
from portal.core.middleware import allow_style_elements_of
from portal.core.views import csv_download

from ..contract import schema
from ..models import DatasetDownloadCount, GuestbookEntry, Release, ReleaseFile
from ..models.releases import normalize_doi, validate_doi
from ..opendata import datacite, datasets, dcat, downloads, jsonld, live, package, releases
from ..opendata.exports import returns_csv_chunks, returns_frames
from ..opendata.synthesis import synthesis_rows

FILE_LABELS = {
    "returns.csv": gettext_lazy("Returns table (CSV)"),
    "synthesis.csv": gettext_lazy("Synthesis table (CSV)"),
    "returns.parquet": gettext_lazy("Returns table (Parquet)"),
    "synthesis.parquet": gettext_lazy("Synthesis table (Parquet)"),
    "inventory.xlsx": gettext_lazy("Both tables and the codebook (XLSX workbook)"),
    "codebook.html": gettext_lazy("Codebook (HTML)"),
    "CITATION.cff": gettext_lazy("How to cite (CITATION.cff)"),
    "datapackage.json": gettext_lazy("Description of the files (Frictionless datapackage.json)"),
    package.ZIP_NAME: gettext_lazy("Everything in one zip"),
}
# Served in the browser; everything else is downloaded.
INLINE = {"codebook.html": "text/html; charset=utf-8", "datapackage.json": "application/json",
          "CITATION.cff": "text/plain; charset=utf-8"}
GUESTBOOK_ENTRIES = (5, 3600)  # entries per session and hour: enough for a person, not for a script


def _files():
    return [(name, FILE_LABELS[name]) for name in package.FILES]


def _citations_live():
    today = timezone.localdate()
    return [("fr", "Français", releases.live_citation("fr", today)),
            ("en", "English", releases.live_citation("en", today))]


def _citations(release):
    return [("fr", "Français", releases.citation(release, "fr")),
            ("en", "English", releases.citation(release, "en"))]


# The citation exports: the path segment, the format of portal.core.citations.
CITE_FORMATS = {"bibtex": "bibtex", "ris": "ris", "csl-json": "csl"}


def _cite_exports(release=None) -> dict:
    """The URLs of the BibTeX, RIS and CSL-JSON exports (includes/cite_exports.html)."""
    def url(segment):
        if release is None:
            return reverse("inventory:datasets_cite", args=[segment])
        return reverse("inventory:release_cite", args=[release.slug, release.version, segment])

    return {"bibtex": url("bibtex"), "ris": url("ris"), "csl": url("csl-json")}


def _cite_response(release, fmt):
    if fmt not in CITE_FORMATS:
        raise Http404(_("There is no such file."))
    language = get_language() if get_language() in ("fr", "en") else "fr"
    reference = releases.dataset_citation(release, language, timezone.localdate())
    return citation_file(reference, CITE_FORMATS[fmt], reference.key)


# --- Public pages -------------------------------------------------------------------------------

class GuestbookForm(forms.Form):
    organization = forms.CharField(
        label=gettext_lazy("Your organization (optional)"), max_length=200, required=False,
        help_text=gettext_lazy("A university, a ministry, an NGO… Not your name: no personal data is asked."),
    )
    purpose = forms.ChoiceField(
        label=gettext_lazy("What the data are for (optional)"), required=False,
        choices=[("", "—"), *GuestbookEntry.Purpose.choices],
    )
    release = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)

    def clean_release(self):
        """`slug/version` of the release the entry is about; empty for the current data."""
        value = self.cleaned_data["release"].strip()
        if not value:
            return None
        slug, _sep, version = value.partition("/")
        release = Release.objects.filter(slug=slug, version=version).first()
        if release is None:
            raise ValidationError(_("Unknown release."))
        return release

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("organization", "").strip() or data.get("purpose")):
            raise ValidationError(_("Give your organization, the purpose, or both — or simply download."))
        return data


@require_safe
def datasets_home(request):
    """Where to download: the condition of use and how to cite, the current data, the releases."""
    require(request, "download_public_data")
    all_releases = list(Release.objects.newest_first().annotate(file_count=Count("files")))
    return render(request, "inventory/datasets.html", {
        "files": _files(),
        "citations": _citations_live(),
        "cite_exports": _cite_exports(),
        "releases": all_releases,
        "latest": all_releases[0] if all_releases else None,
        "guestbook": GuestbookForm(),
        "license_url": package.LICENSE_URL,
        "can_publish": can(request.user, "publish_release"),
        "can_see_statistics": can(request.user, "view_download_statistics"),
        "can_moderate_studies": can(request.user, "moderate_contributions"),
        "studies": studies.citing_studies(),  # declared by their authors, accepted by the secretariat
        "json_ld": jsonld.data_catalog(all_releases),  # Google Dataset Search
        "dcat_url": reverse("inventory:dcat_catalogue"),
    })


@require_safe
def datasets_cite(request, fmt):
    """The current data as a reference (BibTeX, RIS or CSL-JSON), with today's access date."""
    require(request, "download_public_data")
    return _cite_response(None, fmt)


@require_safe
def codebook(request):
    """Every column of the published tables, in French and English, from the Table Schemas."""
    require(request, "download_public_data")
    tables = package.codebook_tables()
    portuguese = (get_language() or "").startswith("pt")
    if portuguese:  # a third title column for Portuguese readers (the published codebook keeps two)
        from inventory.contract.portuguese import portuguese_title

        for table, _description, rows in tables:
            for row in rows:
                row["title_pt"] = portuguese_title(row["column"], table) or row["title_fr"]
    return render(request, "inventory/datasets_codebook.html", {"tables": tables, "portuguese": portuguese})


@require_safe
def dataset_file(request, filename):
    """One file of the current data. The CSV tables stream as they are read (memory stays flat
    however large the inventory); the others come from the build of the current version."""
    require(request, "download_public_data")
    if filename not in package.FILES:
        raise Http404(_("There is no such file."))
    if request.method == "GET":
        downloads.count_live_download(filename)
    if filename in ("returns.csv", "synthesis.csv"):
        if filename == "returns.csv":  # a chunk of returns at a time, written column-wise
            lines = returns_csv_chunks(returns_frames())
        else:
            lines = datasets.csv_lines(synthesis_rows(), schema.published_column_names("synthesis"))
        response = csv_download(lines, _live_name(filename))
    else:
        try:
            directory = live.live_directory()
        except live.DatasetsBeingBuilt:
            return _busy(request)
        response = _file_response(open(directory / filename, "rb"), filename, _live_name(filename))
    response["Cache-Control"] = "no-cache"  # changes with every validation
    return response


def _busy(request, release=None):
    """503 with Retry-After: the worker has not written these files yet (it has been asked to)."""
    response = render(request, "inventory/datasets_busy.html", {"release": release}, status=503)
    response["Retry-After"] = str(live.RETRY_AFTER)
    return response


def _live_name(filename: str) -> str:
    return f"inventaire-mutuelles-{timezone.localdate():%Y-%m-%d}-{filename}"


def _file_response(stream, filename: str, download_name: str):
    """`stream` (an open binary file: the local build's, or a stored release's from the storage, which
    may be object storage) as the response; Django closes it."""
    if filename in INLINE:
        if filename == "codebook.html":  # a standalone file with its own <style>
            html = stream.read().decode("utf-8")
            stream.seek(0)
            return allow_style_elements_of(FileResponse(stream, content_type=INLINE[filename]), html)
        return FileResponse(stream, content_type=INLINE[filename])
    return FileResponse(
        stream, as_attachment=True, filename=download_name,
        content_type=datasets.MEDIA_TYPES.get(Path(filename).suffix, "application/octet-stream"),
    )


# --- Releases -----------------------------------------------------------------------------------

def _release_or_404(slug, version):
    return get_object_or_404(Release, slug=slug, version=version)


@require_safe
def release_detail(request, slug, version):
    """A frozen release: how to cite it, its files with their checksums, what changed."""
    require(request, "download_public_data")
    return _release_page(request, _release_or_404(slug, version))


def _release_page(request, release, doi_form=None, status=200):
    newest = Release.objects.latest_release()
    stored = list(release.files.all())
    files = [(f, FILE_LABELS.get(f.filename, f.filename)) for f in stored]
    release_key = f"{release.slug}/{release.version}"
    return render(request, "inventory/datasets_release.html", {
        "release": release,
        "release_key": release_key,
        "studies": studies.citing_studies(release_key),  # "cited by"
        "files": files,
        "being_prepared": not files,  # published; the worker is freezing its files
        "citations": _citations(release),
        "cite_exports": _cite_exports(release),
        "newer": newest if newest and newest.pk != release.pk else None,
        "versions": Release.objects.filter(slug=release.slug).order_by("-published_at", "-pk"),
        "guestbook": GuestbookForm(initial={"release": f"{release.slug}/{release.version}"}),
        "license_url": package.LICENSE_URL,
        "show_counts": can(request.user, "view_download_statistics"),
        "json_ld": jsonld.release_dataset(release, files=stored),
        "can_set_doi": can(request.user, "publish_release"),
        "doi_form": doi_form or DoiForm(initial={"doi": release.doi}),
    }, status=status)


@require_safe
def dcat_catalogue(request):
    """The DCAT-AP catalogue (JSON-LD) of the current data and every release, for open-data portals'
    harvesters: the same document at the French and the English address."""
    require(request, "download_public_data")
    response = JsonResponse(dcat.catalogue(), content_type=dcat.MEDIA_TYPE,
                            json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def release_datacite(request, slug, version):
    """The release's DataCite metadata (kernel 4 XML), to mint its DOI."""
    require(request, "download_public_data")
    release = _release_or_404(slug, version)
    response = HttpResponse(datacite.datacite_xml(release), content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{release.folder}-datacite.xml"'
    return response


class DoiForm(forms.Form):
    doi = forms.CharField(
        label=gettext_lazy("DOI"), max_length=200, required=False,
        help_text=gettext_lazy("Once the network's DataCite member has minted it, e.g. "
                               "10.12345/inventaire-2025-v1.0 (a https://doi.org/ link is accepted). "
                               "Empty: no DOI."),
    )

    def clean_doi(self):
        value = normalize_doi(self.cleaned_data["doi"])
        validate_doi(value)
        return value


@permission_required("publish_release")
@require_POST
def release_doi(request, slug, version):
    """Record (or correct, or remove) the DOI minted for a release: the secretariat only."""
    release = _release_or_404(slug, version)
    form = DoiForm(request.POST)
    if not form.is_valid():
        return _release_page(request, release, doi_form=form, status=400)
    releases.record_doi(release, form.cleaned_data["doi"], user=request.user)
    if release.doi:
        messages.success(request, _("The DOI of %(release)s is recorded: every citation now gives it.")
                         % {"release": release.label})
    else:
        messages.success(request, _("The DOI of %(release)s is removed.") % {"release": release.label})
    return redirect("inventory:release_detail", release.slug, release.version)


@require_safe
def release_cite(request, slug, version, fmt):
    """A release as a reference (BibTeX, RIS or CSL-JSON)."""
    require(request, "download_public_data")
    return _cite_response(_release_or_404(slug, version), fmt)


@require_safe
def release_file(request, slug, version, filename):
    """A release's file exactly as stored at publication (never rebuilt)."""
    require(request, "download_public_data")
    release = _release_or_404(slug, version)
    stored = ReleaseFile.objects.filter(release=release, filename=filename).first()
    if stored is None:
        if filename in package.FILES and not release.files.exists():
            return _busy(request, release)
        raise Http404(_("There is no such file."))
    if request.method == "GET":
        downloads.count_release_download(stored)
    download_name = f"{release.folder}.zip" if filename == package.ZIP_NAME else filename
    response = _file_response(stored.file.open("rb"), filename, download_name)
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["ETag"] = f'"{stored.sha256}"'
    return response



@require_safe
def release_latest(request):
    """The newest release ("latest" always points to it)."""
    release = Release.objects.latest_release()
    if release is None:
        raise Http404(_("No release has been published yet."))
    return redirect("inventory:release_detail", release.slug, release.version)


@require_safe
def release_latest_file(request, filename):
    release = Release.objects.latest_release()
    if release is None or filename not in package.FILES:
        raise Http404(_("There is no such file."))
    return redirect("inventory:release_file", release.slug, release.version, filename)


@require_POST
def guestbook(request):
    """The optional guestbook (organization, purpose), at most a few entries per visitor and hour."""
    require(request, "download_public_data")
    # The limit's key: the visitor's session, else (a client keeping no cookie) their address.
    visitor = request.session.session_key or f"address:{throttle.client_address(request)}"
    form = GuestbookForm(request.POST)
    if throttle.reached("dataset-guestbook", visitor, GUESTBOOK_ENTRIES):
        return render(request, "inventory/datasets_guestbook.html", {
            "form": form, "throttled": True}, status=429)
    if not form.is_valid():
        return render(request, "inventory/datasets_guestbook.html", {"form": form}, status=400)
    release = form.cleaned_data["release"]
    releases.guestbook_sign(organization=form.cleaned_data["organization"],
                            purpose=form.cleaned_data["purpose"], release=release)
    throttle.allow("dataset-guestbook", visitor, GUESTBOOK_ENTRIES)  # one more entry
    messages.success(request, _("Thank you: your answer helps the network report on the use of its data."))
    if release:
        return redirect("inventory:release_detail", release.slug, release.version)
    return redirect("inventory:datasets")


# --- The secretariat ----------------------------------------------------------------------------

class ReleaseForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=80,
                           help_text=gettext_lazy("E.g. “Inventaire 2025”: the inventory it freezes."))
    version = forms.CharField(
        label=gettext_lazy("Version"), max_length=7,
        help_text=gettext_lazy("1.0 for a new name; a correction of a published release is 1.1, 1.2…"),
    )
    changelog = forms.CharField(
        label=gettext_lazy("What changed since the previous version"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}), max_length=5000,
        help_text=gettext_lazy("Required for a correction; shown on the release's page."),
    )
    inventory_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            data.update(releases.check_release(
                name=data["name"], version=data["version"], changelog=data.get("changelog", "")))
        except ValidationError as error:
            for field, messages_ in error.message_dict.items():
                for message in messages_:
                    self.add_error(field, message)
        return data


@permission_required("publish_release")
def release_publish(request):
    """Publish a release in two steps: the form, then a confirmation listing exactly what the
    release will hold (and the submitted returns it will not), then the publication."""
    contents = releases.release_contents()
    if request.method != "POST":
        year = contents.years[-1] if contents.years else timezone.localdate().year - 1
        name = f"Inventaire {year}"
        form = ReleaseForm(initial={"name": name, "version": releases.next_version(name)})
        return render(request, "inventory/datasets_publish.html", {"form": form, "contents": contents})

    form = ReleaseForm(request.POST)
    if not form.is_valid():
        return render(request, "inventory/datasets_publish.html",
                      {"form": form, "contents": contents}, status=400)
    data = form.cleaned_data
    confirm = {"form": form, "contents": contents, "confirming": True}
    if request.POST.get("step") != "publish":
        return render(request, "inventory/datasets_publish.html", confirm)
    if data.get("inventory_version") is None:
        return render(request, "inventory/datasets_publish.html", confirm, status=400)
    try:
        release = releases.release_publish(
            name=data["name"], version=data["version"], changelog=data["changelog"], user=request.user,
            inventory_version=data["inventory_version"],
        )
    except releases.InventoryChanged:
        confirm.update(changed=True, contents=releases.release_contents())
        return render(request, "inventory/datasets_publish.html", confirm, status=409)
    except releases.FilesNotReady:
        confirm.update(contents=releases.release_contents())
        response = render(request, "inventory/datasets_publish.html", confirm, status=503)
        response["Retry-After"] = str(live.RETRY_AFTER)
        return response
    except ValidationError as error:
        errors = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for field, messages_ in errors.items():
            form.add_error(field if field in form.fields else None, messages_)
        return render(request, "inventory/datasets_publish.html",
                      {"form": form, "contents": contents}, status=400)
    if release.files.exists():
        messages.success(request, _("%(release)s is published: its files will never change.")
                         % {"release": release.label})
    else:
        messages.success(request, _("%(release)s is published: its files are being prepared (a minute or "
                                    "so) and will never change.") % {"release": release.label})
    return redirect("inventory:release_detail", release.slug, release.version)


@permission_required("view_download_statistics")
def download_statistics(request):
    """Download counts per release and file, of the current files, the studies citing each release,
    and the guestbook's answers."""
    all_releases = list(Release.objects.newest_first().prefetch_related("files").annotate(
        total_downloads=Sum("files__downloads")))
    study_counts = studies.counts_by_release()
    for release in all_releases:
        release.study_count = study_counts.get(f"{release.slug}/{release.version}", 0)
    entries = GuestbookEntry.objects.all()
    purposes = dict(GuestbookEntry.Purpose.choices)
    return render(request, "inventory/datasets_statistics.html", {
        "releases": all_releases,
        "studies_total": sum(study_counts.values()),
        "can_moderate_studies": can(request.user, "moderate_contributions"),
        "live": DatasetDownloadCount.objects.all(),
        "live_total": DatasetDownloadCount.objects.aggregate(n=Sum("downloads"))["n"] or 0,
        "guestbook_total": entries.count(),
        "by_purpose": [(purposes.get(row["purpose"], _("Not given")), row["n"])
                       for row in entries.values("purpose").annotate(n=Count("pk")).order_by("-n")],
        "by_organization": entries.exclude(organization="").values("organization").annotate(
            n=Count("pk")).order_by("-n", "organization")[:50],
        "recent": entries.select_related("release")[:50],
    })
