"""Writes on yearly returns: every one keeps a revision or logs a transition, in one transaction.

Each service checks the acting user's right itself (views call services; they hold no rules).

Separation of duties: nobody validates figures they had a hand in. The hands on a version under
review (`review_trail`) are the authors of every revision saved since the return's last validation
(the restored version of a pending restore included) and the person who submitted it. One of them
is refused (`SameHands`); the secretariat may override, with a reason that the validation's
transition keeps (`ReturnTransition.override_reason`) and the history and review pages show.
"""

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils.translation import gettext as _

from portal.accounts.permissions import can
from portal.core import audit

from ..contract.choices import RegistrationState, ReturnState
from ..models import ReturnRevision, ReturnTransition, YearlyReturn
from ..opendata.exports import return_row
from .validation import check_row, plausibility_warnings


class ConcurrentEdit(Exception):
    """Someone saved the return since this person opened it: nothing was saved."""

    def __init__(self, *, current: YearlyReturn, submitted: Mapping):
        super().__init__(_("This return was changed by someone else while you were editing it."))
        self.current = current
        self.submitted = dict(submitted)


def _same_hands_message(*, may_override: bool) -> str:
    if may_override:
        return _("You edited or submitted these figures: to validate them yourself, give the reason "
                 "for overriding the separation of duties.")
    return _("You edited or submitted these figures, so you cannot validate them: another focal point "
             "of the country or the secretariat must validate them.")


class SameHands(PermissionDenied):
    """The person would validate figures they edited or submitted (separation of duties)."""

    def __init__(self, *, may_override: bool):
        super().__init__(_same_hands_message(may_override=may_override))
        self.may_override = may_override


class WarningsNeedComments(Exception):
    """A submission with plausibility warnings that the reporter has not explained yet."""

    def __init__(self, warnings):
        super().__init__(_("Please explain each warning in a short comment."))
        self.warnings = warnings


EDITABLE_STATES = {ReturnState.DRAFT, ReturnState.RETURNED}


def field_value(name: str, value):
    """A figure of the return in one canonical form, whatever it came from (the database, the form,
    a file, a revision's JSON): amounts as decimals with the field's two places (493, "493" and
    493.00 are one value), counts as integers, yes/no as booleans, and None for an empty text.
    Revisions keep, compare and show figures through it, so only real changes count."""
    field = YearlyReturn._meta.get_field(name)
    if value is None or value == "":
        return "" if field.get_internal_type() == "CharField" else None
    if field.get_internal_type() == "JSONField":
        return value
    try:
        value = field.to_python(value)
    except ValidationError:
        return value  # not a valid figure: kept as it is, full_clean says why
    if isinstance(value, Decimal):
        return value.quantize(Decimal(1).scaleb(-field.decimal_places))
    return value


def _snapshot(ret: YearlyReturn) -> dict:
    """The reported figures as JSON-ready values (decimals as strings with the field's places), for
    revisions and diffs."""
    data = {name: field_value(name, getattr(ret, name)) for name in YearlyReturn.data_field_names()}
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def same_figure(name: str, a, b) -> bool:
    """Whether two values of the figure `name` (e.g. a revision's "493" and the next one's "493.00")
    are the same figure."""
    return field_value(name, a) == field_value(name, b)


def record_revision(ret, *, user, changed, note="", data=None, state=None) -> ReturnRevision:
    """Keep the return's current figures (or `data` in `state`: a restored version not applied yet)
    as its next revision (callers hold the row lock)."""
    number = (ret.revisions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return ReturnRevision.objects.create(
        yearly_return=ret, number=number, data=_snapshot(ret) if data is None else data,
        changed_fields=changed, state=state or ret.state, user=user, note=note,
    )


def _proposals(ret, *, applied: bool):
    """Ids of the versions restored on a validated return (`_propose_restore`): validated ones
    with `applied`, else those not validated (awaiting validation or declined)."""
    restored = ret.transitions.filter(
        from_state=ReturnState.VALIDATED, to_state=ReturnState.SUBMITTED, revision__isnull=False
    ).values_list("revision_id", flat=True)
    validated = ret.transitions.filter(
        to_state=ReturnState.VALIDATED, revision__isnull=False
    ).values_list("revision_id", flat=True)
    return set(restored) & set(validated) if applied else set(restored) - set(validated)


def declined_revisions(ret) -> set[int]:
    """Ids of the restored versions that were sent back instead of validated: kept in the
    history, but they never were the return's figures."""
    return _proposals(ret, applied=False) - {ret.pending_revision_id}


def _latest_revision(ret) -> ReturnRevision | None:
    """The version whose figures the return holds: the latest one, leaving out restored versions
    not (yet) validated."""
    return ret.revisions.exclude(pk__in=_proposals(ret, applied=False)).order_by("-number").first()


def _transition(ret, *, to, user, comment="", revision=None, override_reason=""):
    """Log `ret`'s move to `to` for its current version (or `revision`) and set its state."""
    ReturnTransition.objects.create(
        yearly_return=ret, from_state=ret.state, to_state=to, user=user, comment=comment,
        revision=revision or _latest_revision(ret), override_reason=override_reason,
    )
    ret.state = to


def _pending_transition(ret, *, from_state, to, user, comment="", override_reason=""):
    """Log a step of the restored version awaiting validation; the return's own state stays."""
    ReturnTransition.objects.create(
        yearly_return=ret, from_state=from_state, to_state=to, user=user, comment=comment,
        revision=ret.pending_revision, override_reason=override_reason,
    )


@dataclass
class ReviewTrail:
    """Who did what to the figures under review since the return was last validated."""

    revisions: list = field(default_factory=list)  # ReturnRevision, oldest first (pending included)
    submission: ReturnTransition | None = None  # the latest move to `submitted`
    last_validation: ReturnTransition | None = None

    @property
    def hands(self) -> set[int]:
        """The ids of the people who edited or submitted the figures: none of them validates."""
        people = {r.user_id for r in self.revisions}
        if self.submission is not None:
            people.add(self.submission.user_id)
        return people - {None}


def review_trail(ret: YearlyReturn) -> ReviewTrail:
    """The revisions saved since the last validation (all of them if never validated) and the
    submission of the version under review: what the focal point's page shows and what
    `return_validate` checks. A validation logged before versions were linked to transitions
    (`revision` empty) is placed by its time."""
    transitions = ret.transitions.select_related("user", "revision").order_by("created_at", "id")
    last_validation = None
    submission = None
    for transition in transitions:
        if transition.to_state == ReturnState.VALIDATED:
            last_validation, submission = transition, None
        elif transition.to_state == ReturnState.SUBMITTED:
            submission = transition
    revisions = (
        ret.revisions.exclude(pk__in=declined_revisions(ret)).select_related("user").order_by("number")
    )
    if last_validation is not None and last_validation.revision_id:
        revisions = revisions.filter(number__gt=last_validation.revision.number)
    elif last_validation is not None:
        revisions = revisions.filter(created_at__gt=last_validation.created_at)
    return ReviewTrail(list(revisions), submission, last_validation)


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
def return_validate(*, ret: YearlyReturn, user, override_reason: str = "") -> YearlyReturn:
    """The focal point (or the secretariat) accepts the figures: they become public.

    The submitted return, or the restored version awaiting validation (whose figures then become
    the return's). Someone who edited or submitted the figures (`review_trail`) is refused with
    SameHands, unless they hold `override_separation_of_duties` and give `override_reason`, which
    the validation's transition keeps.
    """
    ret = _locked(ret)
    if not can(user, "validate_return", country=ret.mutual.country_id):
        raise PermissionDenied
    pending = ret.pending_revision
    if ret.state != ReturnState.SUBMITTED and pending is None:
        raise ValidationError(_("Only a submitted return can be validated."))
    reason = (override_reason or "").strip()
    if user.pk in review_trail(ret).hands:
        may_override = can(user, "override_separation_of_duties")
        if not may_override:
            raise SameHands(may_override=False)
        if not reason:
            raise ValidationError({"override_reason": _same_hands_message(may_override=True)})
    else:
        reason = ""  # nothing was overridden
    if pending is None:
        _transition(ret, to=ReturnState.VALIDATED, user=user, override_reason=reason)
        ret.save()
        return ret
    _pending_transition(ret, from_state=ReturnState.SUBMITTED, to=ReturnState.VALIDATED, user=user,
                        override_reason=reason)
    _apply(ret, pending.data)
    ret.pending_revision = None
    ret.state = ReturnState.VALIDATED
    ret.version += 1
    ret.save()
    return ret


@transaction.atomic
def return_send_back(*, ret: YearlyReturn, user, comment: str) -> YearlyReturn:
    """The focal point returns the figures to the mutual with what to correct (comment required);
    a validated return can be reopened the same way.

    While a restored version awaits validation, sending back declines that version: it is logged
    as returned with the comment, and the return keeps its validated figures (reopen it afterwards
    to have the mutual correct them).
    """
    ret = _locked(ret)
    if not can(user, "validate_return", country=ret.mutual.country_id):
        raise PermissionDenied
    if not comment.strip():
        raise ValidationError({"comment": _("Say what the mutual should correct.")})
    if ret.pending_revision_id:
        _pending_transition(ret, from_state=ReturnState.SUBMITTED, to=ReturnState.RETURNED, user=user,
                            comment=comment.strip())
        ret.pending_revision = None
        ret.save(update_fields=["pending_revision", "updated_at"])
        return ret
    if ret.state not in {ReturnState.SUBMITTED, ReturnState.VALIDATED}:
        raise ValidationError(_("Only a submitted or validated return can be sent back."))
    _transition(ret, to=ReturnState.RETURNED, user=user, comment=comment.strip())
    ret.save()
    return ret


def _apply(ret: YearlyReturn, data: Mapping) -> None:
    """Set a revision's figures (JSON values) on `ret`."""
    field_map = {f.name: f for f in YearlyReturn._meta.concrete_fields}
    for name, value in data.items():
        setattr(ret, name, field_map[name].to_python(value))


@transaction.atomic
def return_restore(*, revision: ReturnRevision, user) -> YearlyReturn:
    """The secretariat puts an earlier version's figures back, as a new revision (nothing lost).

    On a return that is not validated, the figures become the return's at once (it is a draft, or
    under review, and the restorer now counts among its editors). On a validated return they do
    not: the restored figures are kept as a new version *awaiting validation*
    (`ret.pending_revision`, logged as a transition validated → submitted by the restorer), and the
    return stays validated with its validated figures. Every public table — synthesis, exports,
    datasets, API, profiles — reads the validated returns' own fields, so it keeps showing the last
    validated figures with no change on the public side, until someone other than the restorer
    validates the restored version (its figures then become the return's, as any validation) or
    declines it by sending it back. This is simpler than having the public side read the last
    validated revision's snapshot, which every public query would have to join.
    """
    if not can(user, "restore_return_revision"):
        raise PermissionDenied
    ret = _locked(revision.yearly_return)
    if ret.state == ReturnState.VALIDATED:
        return _propose_restore(ret, revision=revision, user=user)
    before = _snapshot(ret)
    _apply(ret, revision.data)
    changed = [name for name, value in _snapshot(ret).items() if before.get(name) != value]
    ret.version += 1
    ret.save()
    note = _("Restored version %(n)s") % {"n": revision.number}
    _audit_restore(ret, restored=revision, new=record_revision(ret, user=user, changed=changed, note=note),
                   user=user)
    return ret


def _audit_restore(ret: YearlyReturn, *, restored: ReturnRevision, new: ReturnRevision, user) -> None:
    audit.log(ret, "portal.return.restored", user=user, data={
        "mutual": ret.mutual.mutual_id, "year": ret.year, "restored_version": restored.number,
        "new_version": new.number, "changed_fields": new.changed_fields})


def _propose_restore(ret: YearlyReturn, *, revision: ReturnRevision, user) -> YearlyReturn:
    proposed = copy.copy(ret)  # never saved: only its figures are kept, in the new revision
    _apply(proposed, revision.data)
    data = _snapshot(proposed)
    changed = [name for name, value in data.items() if _snapshot(ret).get(name) != value]
    if not changed:
        raise ValidationError(_("These are the validated figures already: there is nothing to restore."))
    ret.pending_revision = record_revision(
        ret, user=user, changed=changed, data=data, state=ReturnState.SUBMITTED,
        note=_("Restored version %(n)s, awaiting validation") % {"n": revision.number},
    )
    ret.save(update_fields=["pending_revision", "updated_at"])
    _audit_restore(ret, restored=revision, new=ret.pending_revision, user=user)
    _pending_transition(
        ret, from_state=ReturnState.VALIDATED, to=ReturnState.SUBMITTED, user=user,
        comment=_("Version %(n)s restored as version %(new)s: the validated figures stay public until "
                  "it is validated.") % {"n": revision.number, "new": ret.pending_revision.number},
    )
    return ret
