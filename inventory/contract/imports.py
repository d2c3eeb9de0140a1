"""Import of the returns table (CSV or XLSX), as `../shared/inventory/README.md` defines it: the file
read and checked (`reading.py`), then written.

All-or-nothing: the whole file is read and checked first; one invalid cell and nothing is written,
and every problem is listed. Rows are matched on `mutual_id` + `year`, so importing the same file
again changes nothing. Plausibility warnings are reported, never blocking. The command and the web
upload share this code.

Progress: `import_returns` takes a `progress(phase, done, total)` callable, called at every row read
("reading", total None: a file's row count is known once it is read) and at every return written
("writing"); the caller decides how often to record it (inventory/contract/import_jobs.py).
"""

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from portal.core import audit
from portal.reference.models import Country

from ..models import Mutual, ReturnTransition, Union, YearlyReturn
from ..returns.services import record_revision
from ..returns.validation import plausibility_warnings
from .choices import RegistrationState, ReturnState
from .reading import ImportFailed, RowProblem, check_table, import_bounds, read_table

_MUTUAL_FIELDS = {"mutual_name": "name", "acronym": "acronym", "region": "region",
                  "locality": "locality", "year_created": "year_created",
                  "mutual_type": "mutual_type", "legal_status": "legal_status"}


@dataclass
class ImportReport:
    mutuals_created: int = 0
    mutuals_updated: int = 0
    returns_created: int = 0
    returns_updated: int = 0
    returns_unchanged: int = 0
    warnings: list = field(default_factory=list)  # (row number, PlausibilityWarning)
    dry_run: bool = False  # checked only: nothing was kept


def import_returns(
    path_or_file, filename: str | None = None, *, user=None, dry_run: bool = False, progress=None,
    origin: dict | None = None,
) -> ImportReport:
    """Check the whole file, then write it in one transaction; raises ImportFailed otherwise.

    With `dry_run`, everything is written and then rolled back: the report says what an import
    would do (the database is left as it was). `progress(phase, done, total)` is called at each row
    read and each return written (see the module); it is called outside the transaction while the file
    is read, inside it while the returns are written. `origin` is the audit entry's origin when the
    import runs away from the request that asked for it (a worker): {"address": …} of the uploader.
    """
    shape_problems: list[RowProblem] = []
    header, body = read_table(path_or_file, filename, problems=shape_problems, bounds=import_bounds(),
                              progress=progress)
    try:
        rows, problems = check_table(header, body)
    finally:
        body.close()  # a header problem leaves the rows unread: let go of the file now
    problems = sorted(shape_problems + problems, key=lambda p: p.row)
    if problems:
        raise ImportFailed(problems)
    source = Path(filename or str(path_or_file)).name
    if progress is not None:
        progress("writing", 0, len(rows))  # before the transaction: recorded wherever the database is
    with transaction.atomic():
        with audit.quiet():  # one audit entry for the import, not one per return it moves
            report = _apply(rows, user=user, source=source, progress=progress)
        report.dry_run = dry_run
        if dry_run:
            transaction.set_rollback(True)
        else:
            _audit(report, source=source, user=user, origin=origin)
    return report


def _audit(report: ImportReport, *, source: str, user, origin: dict | None = None) -> None:
    """The import's audit entry (on the returns' type: an import has no object of its own)."""
    from django.contrib.contenttypes.models import ContentType

    audit.log(ContentType.objects.get_for_model(YearlyReturn), "portal.inventory.imported", user=user,
              title=source, data={"file": source, **({"origin": origin} if origin else {}), **{
                  name: getattr(report, name) for name in (
                      "returns_created", "returns_updated", "returns_unchanged", "mutuals_created",
                      "mutuals_updated")}})



def _apply(rows, *, user, source, progress=None) -> ImportReport:
    report = ImportReport()
    data_fields = [f for f in YearlyReturn.data_field_names() if f != "warning_comments"]
    countries = {c.code: c for c in Country.objects.all()}
    unions = {(u.name, u.country_id): u for u in Union.objects.all()}
    mutual_ids = {r["mutual_id"] for _, r in rows}
    mutuals = {m.mutual_id: m for m in Mutual.objects.filter(mutual_id__in=mutual_ids)}
    existing = {
        (r.mutual.mutual_id, r.year): r
        for r in YearlyReturn.objects.filter(mutual__mutual_id__in=mutual_ids).select_related("mutual")
    }
    note = _("Imported from %(file)s") % {"file": source}
    done_mutuals = set()
    ordered = sorted(rows, key=lambda item: (item[1]["mutual_id"], item[1]["year"]))
    for written, (_number, row) in enumerate(ordered, start=1):
        if progress is not None:
            progress("writing", written, len(ordered))
        code = row["country"]
        if code not in countries:
            # Every ISO 3166-1 country is in the table (portal.reference, seeded by its migrations).
            # The contract asks two capitals only: a code ISO leaves to its users (XK for Kosovo) is
            # created with the code for a name, outside the network; the secretariat completes it.
            countries[code] = Country.objects.create(
                code=code, name_fr=code, name_en=code, currency=row.get("currency") or "",
            )
        mutual = mutuals.get(row["mutual_id"])
        if row["mutual_id"] not in done_mutuals:
            done_mutuals.add(row["mutual_id"])
            mutual = _apply_mutual(mutual, row, countries[code], unions, report)
            mutuals[row["mutual_id"]] = mutual
        ret = existing.get((row["mutual_id"], row["year"]))
        created = ret is None
        if created:
            ret = YearlyReturn(mutual=mutual, year=row["year"], state=ReturnState.DRAFT)
        changed = [
            name for name in data_fields
            if name in row and _differs(getattr(ret, name), model_value(name, row[name]))
        ]
        # A row without validation_status is imported as submitted (the contract's rule).
        validated = row.get("validation_status") == "validated"
        target = ReturnState.VALIDATED if validated else ReturnState.SUBMITTED
        if not created and not changed and ret.state == target:
            report.returns_unchanged += 1
            continue
        for name in changed:
            setattr(ret, name, model_value(name, row[name]))
        # The file says what the return is now (figures and state): a restored version awaiting
        # validation is withdrawn, since validating it later would silently undo the import (the
        # history keeps it).
        ret.pending_revision = None
        if not created:
            ret.version += 1
        previous_state = ret.state
        ret.state = target
        ret.save()
        if changed or created:
            record_revision(ret, user=user, changed=changed, note=note)
        if previous_state != target:
            # Figures validated by an import are the secretariat's (or the command line's) own act:
            # recorded as an override of the separation of duties, the file being the reason.
            ReturnTransition.objects.create(
                yearly_return=ret, from_state=previous_state, to_state=target, user=user, comment=note,
                override_reason=note if target == ReturnState.VALIDATED else "",
            )
        if created:
            report.returns_created += 1
        else:
            report.returns_updated += 1
    for number, row in rows:
        for warning in plausibility_warnings(row):
            report.warnings.append((number, warning))
    return report


def _apply_mutual(mutual, row, country, unions, report):
    union = None
    if row.get("union"):
        key = (row["union"], country.code)
        union = unions.get(key) or Union.objects.create(name=row["union"], country=country)
        unions[key] = union
    values = {attr: row[column] or ("" if column not in ("year_created",) else None)
              for column, attr in _MUTUAL_FIELDS.items() if column in row}
    if mutual is None:
        mutual = Mutual(mutual_id=row["mutual_id"], country=country,
                        registration_state=RegistrationState.APPROVED, union=union, **values)
        mutual.save()
        report.mutuals_created += 1
        return mutual
    updates = {k: v for k, v in values.items() if getattr(mutual, k) != v}
    if mutual.country_id != country.code:
        updates["country"] = country
    if "union" in row and mutual.union_id != (union.pk if union else None):
        updates["union"] = union
    if updates:
        for key, value in updates.items():
            setattr(mutual, key, value)
        mutual.save()
        report.mutuals_updated += 1
    return mutual


def model_value(name, value):
    """A typed cell as the return's field stores it (an empty text field is "", not None)."""
    if value is None:
        field_def = YearlyReturn._meta.get_field(name)
        return "" if field_def.get_internal_type() == "CharField" else None
    return value


def _differs(current, new) -> bool:
    if isinstance(current, Decimal) or isinstance(new, Decimal):
        if current is None or new is None:
            return current is not new
        return Decimal(current) != Decimal(new)
    return current != new
