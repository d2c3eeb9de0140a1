"""Files in and out of the inventory on the site: the secretariat's upload of an inventory file (the
`import_inventory` command's code, run in the worker: inventory/contract/import_jobs.py) and a mutual's
offline form for one year (download, upload).

The upload's job page refreshes itself while the import runs with `<meta http-equiv="refresh">`: no
JavaScript, and the site's Content-Security-Policy (portal/settings/base.py) has no directive over it
(it governs what a page loads and runs, not a page reloading itself)."""

import codecs
from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from portal.accounts.permissions import can, permission_required
from portal.core import audit
from portal.core.tasks import enqueue
from portal.core.uploads import limited_upload, refuse, upload_too_large

from ..contract import schema
from ..contract.import_jobs import failure_of, report_of
from ..contract.reading import MAX_UPLOAD_BYTES, ImportFailed
from ..models import ImportJob, Mutual, YearlyReturn
from ..returns import offline_form, services

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SNIFF_BYTES = 64 * 1024


def sniff_upload(upload, allowed: tuple[str, ...]) -> str | None:
    """Why `upload` cannot be an inventory file (size, extension, content), or None.

    Only the first bytes are read: the whole file is read once, by the import.
    """
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in allowed:
        return _("Only %(types)s files are accepted.") % {"types": " / ".join(allowed)}
    if upload.size > MAX_UPLOAD_BYTES:
        return _("The file is too large (%(size)s); the limit is %(limit)s.") % {
            "size": filesizeformat(upload.size), "limit": filesizeformat(MAX_UPLOAD_BYTES)}
    if upload.size == 0:
        return _("The file is empty.")
    upload.seek(0)
    head = upload.read(_SNIFF_BYTES)
    upload.seek(0)
    is_zip = head.startswith(b"PK\x03\x04")
    if suffix == ".xlsx" and not is_zip:
        return _("This file is not an XLSX workbook, whatever its name says.")
    if suffix == ".csv":
        if is_zip:
            return _("This is a spreadsheet workbook named .csv: upload it as .xlsx, or save it as CSV.")
        if b"\x00" in head:
            return _("This file is not CSV text.")
        try:
            codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        except UnicodeDecodeError:
            return _("The file is not UTF-8 text: save it as “CSV UTF-8” in your spreadsheet.")
    return None


class InventoryUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Inventory file (.csv or .xlsx)"),
        help_text=gettext_lazy("The returns table's columns, header row first; at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    check_only = forms.BooleanField(
        label=gettext_lazy("Check only: run everything, then undo it (nothing is saved)"), required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        reason = sniff_upload(upload, (".csv", ".xlsx"))
        if reason:
            raise forms.ValidationError(reason)
        return upload


def _upload_limit() -> int:
    return MAX_UPLOAD_BYTES


def _refuse_too_large(form) -> None:
    """The 413's page: the form as it was sent (other fields kept), the file's error saying the limit."""
    refuse(form, "file", _("The file is too large; the limit is %(limit)s.")
           % {"limit": filesizeformat(MAX_UPLOAD_BYTES)})


RECENT_JOBS = 10


@permission_required("import_inventory")
@limited_upload(_upload_limit)  # a larger file is dropped as it arrives, never stored
def import_upload(request):
    """The secretariat uploads an inventory file: checked as it arrives, stored, imported in the worker
    (all or nothing, every problem listed, or the report) while the job's page shows the progress."""
    status = 200
    if request.method == "POST" and upload_too_large(request):
        form = InventoryUploadForm(request.POST, request.FILES)
        _refuse_too_large(form)
        status = 413
    else:
        form = InventoryUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST":
            if form.is_valid():
                job = _queue_import(request, form.cleaned_data["file"], form.cleaned_data["check_only"])
                return redirect("inventory:import_job", job.public_id)
            status = 400
    jobs = ImportJob.objects.filter(user=request.user)[:RECENT_JOBS]
    return render(request, "inventory/upload_import.html", {
        "form": form, "jobs": jobs, "max_bytes": MAX_UPLOAD_BYTES,
    }, status=status)


def _queue_import(request, upload, check_only: bool) -> ImportJob:
    """The upload kept privately in a new job, whose import is queued (it runs once this request's
    transaction commits; at once with the tests' backend)."""
    job = ImportJob(user=request.user, file_name=Path(upload.name).name[:255], check_only=check_only,
                    language=get_language() or "", origin=audit.origin())
    job.file.save(upload.name, upload, save=False)
    job.save()
    from ..tasks import run_inventory_import

    enqueue(run_inventory_import, str(job.public_id))
    return job


@login_required
def import_job(request, public_id):
    """An upload's job: its progress while it runs (the page reloads itself), then the report or every
    problem. Its uploader and the secretariat see it; anyone else gets a 404."""
    job = get_object_or_404(ImportJob, public_id=public_id)
    if job.user_id != request.user.pk and not can(request.user, "import_inventory"):
        raise Http404
    return render(request, "inventory/import_job.html", {
        "job": job, "report": report_of(job), "failure": failure_of(job),
        "percent": _percent(job),
    })


def _percent(job) -> int | None:
    if job.rows_total:
        return min(100, job.rows_done * 100 // job.rows_total)
    return None


def _reported_mutual(request, mutual_id, year):
    """The mutual whose form is asked for, if the user reports for it (anonymous: login first)."""
    mutual = get_object_or_404(Mutual.objects.select_related("country", "union"), mutual_id=mutual_id)
    if not can(request.user, "edit_return", mutual=mutual):
        raise PermissionDenied
    try:
        services.check_reporting_year(year)
    except ValidationError as error:
        raise Http404(error.messages[0]) from error
    return mutual


@login_required
def return_xlsx(request, mutual_id, year):
    """Download the mutual's offline form for `year`, pre-filled."""
    mutual = _reported_mutual(request, mutual_id, year)
    response = HttpResponse(offline_form.build_workbook(mutual, year), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{mutual.mutual_id}-{year}.xlsx"'
    response["Cache-Control"] = "private, no-store"  # holds unpublished figures
    return response


class ReturnUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Filled-in form (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        reason = sniff_upload(upload, (".xlsx",))
        if reason:
            raise forms.ValidationError(reason)
        return upload


@login_required
@limited_upload(_upload_limit)  # a larger file is dropped as it arrives, never stored
def return_upload(request, mutual_id, year):
    """Upload the filled-in offline form: its figures become the year's draft (never submitted)."""
    mutual = _reported_mutual(request, mutual_id, year)
    ret = YearlyReturn.objects.filter(mutual=mutual, year=year).first()
    failure = conflict = None
    status = 200
    if request.method == "POST" and upload_too_large(request):
        form = ReturnUploadForm(request.POST, request.FILES)
        _refuse_too_large(form)
        status = 413
    else:
        form = ReturnUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST":
            status = 400
            if form.is_valid():
                try:
                    result = offline_form.return_upload(
                        mutual=mutual, year=year, file=form.cleaned_data["file"], user=request.user
                    )
                except ImportFailed as error:
                    failure = error
                except services.ConcurrentEdit as error:
                    conflict = _conflict(error)
                else:
                    _report_upload(request, result)
                    return redirect("inventory:return_upload", mutual.mutual_id, year)
    return render(request, "inventory/upload_return.html", {
        "mutual": mutual, "year": year, "ret": ret, "form": form, "failure": failure,
        "conflict": conflict, "editable": ret is None or ret.state in services.EDITABLE_STATES,
    }, status=status)


def _conflict(error) -> list[tuple[str, object, object]]:
    """(column title, figure on the portal, figure in the file) where they differ."""
    current = error.current
    rows = []
    for name, value in error.submitted.items():
        now = getattr(current, name)
        if now != value and not (now in (None, "") and value in (None, "")):
            rows.append((schema.title(name), now, value))
    return rows


def _report_upload(request, result):
    if result.changed:
        titles = ", ".join(schema.title(c) for c in result.changed if c in schema.column_names())
        messages.success(request, _("Your figures are saved as a draft of the %(year)s return (changed: "
                                    "%(fields)s). Check them and submit the return when it is complete.")
                         % {"year": result.ret.year, "fields": titles})
    else:
        messages.success(request, _("The file holds the same figures as the draft: nothing changed."))
    for column, in_file, kept in result.ignored:
        messages.info(request, _("%(column)s is not changed by the form (the file says “%(file)s”, the "
                                 "portal keeps “%(kept)s”): ask the secretariat to correct it.")
                      % {"column": schema.title(column), "file": in_file, "kept": kept or "—"})
    for warning in result.warnings:
        messages.warning(request, _("To explain when you submit: %(message)s") % {"message": warning.message})
