"""Writes on yearly returns: every one keeps a revision or logs a transition, in one transaction.

Each service checks the acting user's right itself (views call services; they hold no rules).
"""

import json
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils.translation import gettext as _

from portal.accounts.permissions import can

from .choices import RegistrationState, ReturnState
from .exports import return_row
from .models import ReturnRevision, ReturnTransition, YearlyReturn
from .validation import check_row, plausibility_warnings


class ConcurrentEdit(Exception):
    """Someone saved the return since this person opened it: nothing was saved."""

    def __init__(self, *, current: YearlyReturn, submitted: Mapping):
        super().__init__(_("This return was changed by someone else while you were editing it."))
        self.current = current
        self.submitted = dict(submitted)


class WarningsNeedComments(Exception):
    """A submission with plausibility warnings that the reporter has not explained yet."""

    def __init__(self, warnings):
        super().__init__(_("Please explain each warning in a short comment."))
        self.warnings = warnings


EDITABLE_STATES = {ReturnState.DRAFT, ReturnState.RETURNED}


def _snapshot(ret: YearlyReturn) -> dict:
    """The reported figures as JSON-ready values (decimals as strings), for revisions and diffs."""
    data = {name: getattr(ret, name) for name in YearlyReturn.data_field_names()}
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def record_revision(ret, *, user, changed, note=""):
    """Keep the return's current figures as its next revision (callers hold the row lock)."""
    number = (ret.revisions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    ReturnRevision.objects.create(
        yearly_return=ret, number=number, data=_snapshot(ret), changed_fields=changed,
        state=ret.state, user=user, note=note,
    )


def _transition(ret, *, to, user, comment=""):
    ReturnTransition.objects.create(
        yearly_return=ret, from_state=ret.state, to_state=to, user=user, comment=comment
    )
    ret.state = to


def _locked(ret: YearlyReturn) -> YearlyReturn:
    return YearlyReturn.objects.select_for_update(of=("self",)).select_related("mutual").get(pk=ret.pk)


def previous_validated(ret: YearlyReturn) -> YearlyReturn | None:
    """The same mutual's validated return of year − 1 (growth, renewal, plausibility)."""
    return YearlyReturn.objects.validated().filter(mutual=ret.mutual, year=ret.year - 1).first()


def previous_return(mutual, year: int) -> YearlyReturn | None:
    """The return a new year's form starts from: the latest earlier year's, validated ones first
    (a draft left unfinished years ago is a worse starting point than last year's validated figures)."""
    earlier = YearlyReturn.objects.filter(mutual=mutual, year__lt=year).order_by("-year")
    return earlier.filter(state=ReturnState.VALIDATED).first() or earlier.first()


def prefill(mutual, year: int) -> tuple[dict, YearlyReturn | None]:
    """The figures a new return for `year` starts with, and the return they come from.

    Everything last year's return holds except the comments on its warnings; the currency defaults
    to the country's.
    """
    source = previous_return(mutual, year)
    data = {}
    if source:
        data = {name: getattr(source, name) for name in YearlyReturn.data_field_names()}
        data.pop("warning_comments", None)
    if not data.get("currency"):
        data["currency"] = mutual.country.currency
    return data, source


def check_reporting_year(year: int) -> None:
    """A return is for a past or the current year, not before the inventory began."""
    from django.utils import timezone

    if not 1998 <= year <= timezone.localdate().year:
        raise ValidationError(
            {"year": _("A return can be started for the years 1998 to %(year)s.")
             % {"year": timezone.localdate().year}}
        )


def _require_approved(mutual) -> None:
    """Nobody, the secretariat included, reports for a mutual whose sign-up is not approved."""
    if mutual.registration_state != RegistrationState.APPROVED:
        raise ValidationError(_("This mutual's sign-up is not approved: no return can be filled in for it."))


@transaction.atomic
def return_start(*, mutual, year: int, user) -> YearlyReturn:
    """Create the mutual's draft for `year`, pre-filled from last year (first revision kept).

    Idempotent under concurrency: if the return exists already it is returned unchanged.
    """
    if not can(user, "edit_return", mutual=mutual):
        raise PermissionDenied
    _require_approved(mutual)
    check_reporting_year(year)
    existing = YearlyReturn.objects.select_for_update().filter(mutual=mutual, year=year).first()
    if existing:
        return existing
    data, source = prefill(mutual, year)
    ret = YearlyReturn(mutual=mutual, year=year, **data)
    ret.full_clean(exclude=["mutual"], validate_unique=False)
    ret.save()
    note = _("Pre-filled from %(year)s") % {"year": source.year} if source else _("Started")
    record_revision(ret, user=user, changed=[], note=note)
    return ret


@transaction.atomic
def return_save_draft(
    *, ret: YearlyReturn, data: Mapping, user, base_version: int, note: str = ""
) -> YearlyReturn:
    """Save what the reporter typed, complete or not, as a new revision (with `note`, e.g. where
    the figures came from). A save that changes nothing writes nothing.

    `base_version` is the version the person's form was built from: if someone saved in between,
    ConcurrentEdit is raised with both versions and nothing is written.
    """
    ret = _locked(ret)
    if not can(user, "edit_return", mutual=ret.mutual):
        raise PermissionDenied
    _require_approved(ret.mutual)
    if ret.state not in EDITABLE_STATES:
        raise ValidationError(_("A submitted or validated return cannot be edited."))
    if ret.version != base_version:
        raise ConcurrentEdit(current=ret, submitted=data)
    allowed = set(YearlyReturn.data_field_names())
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})
    before = _snapshot(ret)
    for name, value in data.items():
        setattr(ret, name, value)
    ret.full_clean(exclude=["mutual"])
    changed = [name for name, value in _snapshot(ret).items() if before.get(name) != value]
    if not changed:
        return ret
    ret.version += 1
    ret.save()
    record_revision(ret, user=user, changed=changed, note=note)
    return ret


@transaction.atomic
def return_submit(*, ret: YearlyReturn, user) -> YearlyReturn:
    """Submit to the focal point: blocking errors raise ValidationError (per column), unexplained
    warnings raise WarningsNeedComments; otherwise the state becomes `submitted`."""
    ret = _locked(ret)
    if not can(user, "submit_return", mutual=ret.mutual):
        raise PermissionDenied
    if ret.state not in EDITABLE_STATES:
        raise ValidationError(_("Only a draft or a returned return can be submitted."))
    previous = previous_validated(ret)
    row = return_row(ret, previous)
    problems = [p for p in check_row(row) if p.column not in {"validation_status", "last_updated"}]
    if problems:
        raise ValidationError({p.column: p.reason for p in problems})
    warnings = plausibility_warnings(row, return_row(previous) if previous else None)
    unexplained = [w for w in warnings if not str(ret.warning_comments.get(w.code, "")).strip()]
    if unexplained:
        raise WarningsNeedComments(unexplained)
    _transition(ret, to=ReturnState.SUBMITTED, user=user)
    ret.save()
    return ret


@transaction.atomic
def return_validate(*, ret: YearlyReturn, user) -> YearlyReturn:
    """The focal point (or the secretariat) accepts the figures: they become public."""
    ret = _locked(ret)
    if not can(user, "validate_return", country=ret.mutual.country_id):
        raise PermissionDenied
    if ret.state != ReturnState.SUBMITTED:
        raise ValidationError(_("Only a submitted return can be validated."))
    _transition(ret, to=ReturnState.VALIDATED, user=user)
    ret.save()
    return ret


@transaction.atomic
def return_send_back(*, ret: YearlyReturn, user, comment: str) -> YearlyReturn:
    """The focal point returns the figures to the mutual with what to correct (comment required);
    a validated return can be reopened the same way."""
    ret = _locked(ret)
    if not can(user, "validate_return", country=ret.mutual.country_id):
        raise PermissionDenied
    if not comment.strip():
        raise ValidationError({"comment": _("Say what the mutual should correct.")})
    if ret.state not in {ReturnState.SUBMITTED, ReturnState.VALIDATED}:
        raise ValidationError(_("Only a submitted or validated return can be sent back."))
    _transition(ret, to=ReturnState.RETURNED, user=user, comment=comment.strip())
    ret.save()
    return ret


@transaction.atomic
def return_restore(*, revision: ReturnRevision, user) -> YearlyReturn:
    """The secretariat puts an earlier version's figures back, as a new revision (nothing lost)."""
    if not can(user, "restore_return_revision"):
        raise PermissionDenied
    ret = _locked(revision.yearly_return)
    field_map = {f.name: f for f in YearlyReturn._meta.concrete_fields}
    before = _snapshot(ret)
    for name, value in revision.data.items():
        setattr(ret, name, field_map[name].to_python(value))
    changed = [name for name, value in _snapshot(ret).items() if before.get(name) != value]
    ret.version += 1
    ret.save()
    note = _("Restored version %(n)s") % {"n": revision.number}
    record_revision(ret, user=user, changed=changed, note=note)
    return ret
