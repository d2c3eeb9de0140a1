"""The yearly return on the site: the reporter's home, the return page, its sections, the review
by the focal point, the history and the restore. Rules live in `services.py` and `permissions.py`."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.accounts.permissions import can, require
from portal.core.converters import bounded_int
from portal.i18n import by_name

from ..contract import schema
from ..contract.choices import ReturnState
from ..models import Campaign, Mutual, YearlyReturn
from ..opendata.exports import return_row
from ..returns import notifications, services
from ..returns.disclosure import diamonds
from ..returns.forms import (
    SECTION_OF,
    SECTIONS,
    ReturnSectionForm,
    SendBackForm,
    ValidateForm,
    WarningCommentsForm,
    show_number,
)
from ..returns.validation import plausibility_warnings
from ..templatetags.inventory_tags import choice_label, figure


def _mutual(mutual_id) -> Mutual:
    return get_object_or_404(Mutual.objects.select_related("country", "union"), mutual_id=mutual_id)


def _return(mutual, year) -> YearlyReturn | None:
    return YearlyReturn.objects.filter(mutual=mutual, year=year).first()


def reporting_year() -> int:
    """The year reporters are asked for: the open campaign's, else last year."""
    campaign = Campaign.objects.open().order_by("-year").first()
    return campaign.year if campaign else timezone.localdate().year - 1


def reported_mutuals(user):
    """The approved mutuals `user` reports for (as manager or supporting-organization staff)."""
    return (
        Mutual.objects.approved()
        .filter(Q(managers=user) | Q(supporting_organizations__staff=user))
        .distinct().select_related("country").order_by("country__name_fr", "name")
    )


@login_required
def my_mutuals(request):
    """The reporter's home: their mutuals, each year's return and its state, the year to fill in."""
    year = reporting_year()
    mutuals = by_name(reported_mutuals(request.user), name=lambda mutual: (mutual.country.name, mutual.name))
    returns = YearlyReturn.objects.filter(mutual__in=mutuals).order_by("-year")
    by_mutual = {}
    for ret in returns:
        by_mutual.setdefault(ret.mutual_id, []).append(ret)
    rows = []
    for mutual in mutuals:
        history = by_mutual.get(mutual.pk, [])
        rows.append({
            "mutual": mutual,
            "current": next((r for r in history if r.year == year), None),
            "earlier": [r for r in history if r.year != year][:5],
        })
    campaign = Campaign.objects.filter(year=year).first()
    from ..registry.registration import my_registrations_context

    return render(request, "inventory/return_home.html", {
        "rows": rows, "year": year, "campaign": campaign, **my_registrations_context(request.user),
    })


def _previous_row(mutual, year):
    """The return a year's form starts from, and its returns-table row (None, None without one)."""
    source = services.previous_return(mutual, year)
    return source, (return_row(source) if source else None)


def _display(name, value, *, empty="", number=show_number):
    """A value of the return for reading: `empty` when missing, Yes/No, a number (by `number`), or
    a coded value's label."""
    if value is None or value == "":
        return empty
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int | float | Decimal):
        return number(value)
    return choice_label(value, name)


NUMERIC_FIELDS = {
    f.name for f in YearlyReturn._meta.concrete_fields
    if f.get_internal_type() in {"PositiveIntegerField", "DecimalField"}
}


def _shown(name, value):
    """A value kept in a revision (JSON: amounts as text) as the form shows it: "493", "1 234,5",
    "Yes", a choice's label; "—" when empty."""
    return _display(name, services.field_value(name, value), empty="—")


def _sections_view(row, previous_row):
    """Each section's fields with this year's and last year's values, for reading."""

    def shown(name, value):
        return _display(name, value, number=lambda v: figure(v, name))

    return [
        {
            "key": key, "label": label,
            "fields": [
                {
                    "name": name, "title": schema.title(name),
                    "numeric": isinstance(row.get(name), int | float) and not isinstance(row.get(name), bool),
                    "value": shown(name, row.get(name)),
                    "previous": shown(name, previous_row.get(name)) if previous_row else "",
                }
                for name in names
            ],
        }
        for key, (label, names) in SECTIONS.items()
    ]


@login_required
def return_detail(request, mutual_id, year):
    """The return of one mutual and year as its reporters, focal point and secretariat see it."""
    mutual = _mutual(mutual_id)
    require(request, "view_return_history", mutual=mutual)
    ret = _return(mutual, year)
    if ret is None:
        if can(request.user, "edit_return", mutual=mutual):
            return redirect("inventory:return_edit", mutual_id=mutual.mutual_id, year=year)
        raise Http404(_("This mutual has no return for that year yet."))
    return render(request, "inventory/return_detail.html", _detail_context(request, ret))


def _detail_context(request, ret, **extra):
    source, previous_row = _previous_row(ret.mutual, ret.year)
    validated_previous = services.previous_validated(ret)
    row = return_row(ret, validated_previous)
    warnings = plausibility_warnings(row, return_row(validated_previous) if validated_previous else None)
    user = request.user
    editable = ret.state in services.EDITABLE_STATES
    can_review = can(user, "validate_return", country=ret.mutual.country_id)
    trail = services.review_trail(ret)
    same_hands = can_review and user.pk in trail.hands
    may_override = can(user, "override_separation_of_duties")
    under_review = ret.state == ReturnState.SUBMITTED or ret.pending_revision_id is not None
    reviewing = can_review and under_review  # the page leads to a decision, below the figures
    context = {
        "mutual": ret.mutual, "ret": ret, "row": row, "year": ret.year,
        "breadcrumb": _breadcrumb(user, ret),
        "publication": _publication(ret) if reviewing else [],
        "reviewing": reviewing,
        "sections": _sections_view(row, previous_row), "previous": source,
        "warnings": warnings, "diamonds": diamonds(row),
        "score": sum(d.earned for d in diamonds(row)),
        "transitions": ret.transitions.select_related("user").order_by("-created_at", "-id"),
        "last_comment": ret.transitions.filter(to_state=ReturnState.RETURNED).order_by("-id").first(),
        "can_edit": editable and can(user, "edit_return", mutual=ret.mutual),
        "can_submit": editable and can(user, "submit_return", mutual=ret.mutual),
        "can_review": can_review,
        "under_review": under_review,
        "pending": _pending_changes(ret),
        "trail": trail,
        "same_hands": same_hands,
        "may_override": may_override,
        "same_hands_message": str(services.SameHands(may_override=may_override)) if same_hands else "",
        "validate_form": ValidateForm(),
        "send_back_form": SendBackForm(),
        "comments_form": WarningCommentsForm(warnings=warnings, initial_comments=ret.warning_comments)
        if warnings else None,
    }
    context.update(extra)
    return context


def _breadcrumb(user, ret):
    """Where the return page leads back to: the reporter's returns for those who report for the
    mutual, else the reviewer's queue (the country's submitted returns of that year)."""
    if reported_mutuals(user).filter(pk=ret.mutual_id).exists():
        return {"url": reverse("inventory:my_mutuals"), "label": _("My mutuals' returns")}
    if can(user, "view_country_dashboard", country=ret.mutual.country_id):
        query = f"?year={ret.year}&state={ReturnState.SUBMITTED}"
        return {"url": reverse("inventory:country_dashboard", args=[ret.mutual.country_id]) + query,
                "label": _("%(country)s: returns to review") % {"country": ret.mutual.country.name}}
    return {"url": reverse("inventory:my_mutuals"), "label": _("My mutuals' returns")}


def _publication(ret):
    """What validating makes public, section by section: the titles of the figures filled in (those
    of the restored version when one awaits validation). Never the comments on warnings nor anyone's
    personal data, which no public table holds."""
    pending = ret.pending_revision
    sections = []
    for _key, (label, names) in SECTIONS.items():
        values = {
            name: services.field_value(name, pending.data.get(name) if pending else getattr(ret, name))
            for name in names
        }
        filled = [schema.title(name) for name, value in values.items() if value not in (None, "")]
        empty = len(names) - len(filled)
        sections.append({"label": label, "filled": filled, "empty": empty})
    return sections


def _pending_changes(ret):
    """The restored version awaiting validation and its figures beside the validated ones."""
    pending = ret.pending_revision
    if pending is None:
        return None
    rows = [
        {"title": schema.title(name),
         "validated": _shown(name, getattr(ret, name)),
         "restored": _shown(name, pending.data.get(name))}
        for name in pending.changed_fields
        if name in SECTION_OF and not services.same_figure(name, getattr(ret, name), pending.data.get(name))
    ]
    return {"revision": pending, "rows": rows}


@login_required
def return_edit(request, mutual_id, year, section=None):
    """One section of the return's form. Before the year's return exists, the form shows last
    year's figures; the first save creates the draft. Each save is a revision."""
    mutual = _mutual(mutual_id)
    require(request, "edit_return", mutual=mutual)
    section = section or "people"
    if section not in SECTIONS:
        raise Http404
    try:
        services.check_reporting_year(year)
    except ValidationError:
        raise Http404 from None
    ret = _return(mutual, year)
    if ret is not None and ret.state not in services.EDITABLE_STATES:
        messages.info(request, _("This return is with the focal point: it cannot be changed now."))
        return redirect("inventory:return_detail", mutual_id=mutual.mutual_id, year=year)
    source, previous_row = _previous_row(mutual, year)
    if ret is None:
        current, version = services.prefill(mutual, year)[0], 0
    else:
        current = {name: getattr(ret, name) for name in SECTIONS[section][1]}
        version = ret.version
    conflict = None
    if request.method == "POST":
        form = ReturnSectionForm(request.POST, section=section)
        if form.is_valid():
            try:
                ret = _save_section(request, mutual, year, form)
            except services.ConcurrentEdit as refused:
                conflict = _conflict(refused, section)
                # The reader's values stay in the form; saving again now overwrites knowingly.
                data = request.POST.copy()
                data["base_version"] = refused.current.version
                form = ReturnSectionForm(data, section=section)
                form.is_valid()
            except ValidationError as error:
                _add_model_errors(form, error)
            else:
                messages.success(request, _("Saved. Your draft is kept: you can come back at any time."))
                return redirect(_next_url(request, mutual, year, section))
    else:
        form = ReturnSectionForm(initial={**current, "base_version": version}, section=section)
    keys = list(SECTIONS)
    fields = []
    for bound in form.data_fields:
        described_by = [f"{bound.auto_id}_previous"] if previous_row else []
        if bound.errors:
            described_by.append(f"{bound.auto_id}_error")
        if described_by:
            bound.field.widget.attrs["aria-describedby"] = " ".join(described_by)
        fields.append({"field": bound, "previous": _previous_value(previous_row, bound.name)})
    return render(request, "inventory/return_form.html", {
        "mutual": mutual, "year": year, "ret": ret, "form": form, "fields": fields,
        "section": section, "section_label": SECTIONS[section][0],
        "sections": [(key, SECTIONS[key][0]) for key in keys],
        "next_section": keys[keys.index(section) + 1] if section != keys[-1] else None,
        "previous": source, "conflict": conflict,
    }, status=409 if conflict else 200)


def _previous_value(previous_row, name):
    """Last year's value beside a field: None without a previous return, "—" when it was empty."""
    if not previous_row:
        return None
    return _display(name, previous_row.get(name), empty="—")


@transaction.atomic
def _save_section(request, mutual, year, form):
    base_version = form.cleaned_data["base_version"]
    ret = _return(mutual, year)
    if ret is None or base_version == 0:
        ret = services.return_start(mutual=mutual, year=year, user=request.user)
        base_version = max(base_version, 1)
    return services.return_save_draft(
        ret=ret, data=form.figures(), user=request.user, base_version=base_version
    )


def _conflict(refused, section):
    """The fields of the section where the saved version differs from what the reader sent."""
    current = refused.current
    last = current.revisions.select_related("user").order_by("-number").first()
    rows = []
    for name in SECTIONS[section][1]:
        mine, theirs = refused.submitted.get(name), getattr(current, name)
        if not services.same_figure(name, mine, theirs):
            rows.append({"title": schema.title(name),
                         "mine": _display(name, mine, empty="—"),
                         "theirs": _display(name, theirs, empty="—")})
    return {"rows": rows, "by": last.user if last else None, "at": last.created_at if last else None}


def _add_model_errors(form, error):
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _next_url(request, mutual, year, section):
    keys = list(SECTIONS)
    target = request.POST.get("then")
    if target == "next" and section != keys[-1]:
        following = keys[keys.index(section) + 1]
        return reverse("inventory:return_edit_section", args=[mutual.mutual_id, year, following])
    if target == "stay":
        return reverse("inventory:return_edit_section", args=[mutual.mutual_id, year, section])
    return reverse("inventory:return_detail", args=[mutual.mutual_id, year])


@login_required
@require_POST
def return_submit(request, mutual_id, year):
    """Send to the focal point. Blocking errors and unexplained warnings come back on the page."""
    mutual = _mutual(mutual_id)
    require(request, "submit_return", mutual=mutual)
    ret = _return(mutual, year)
    if ret is None:
        raise Http404
    comments_form = None
    if any(key.startswith("comment_") for key in request.POST):
        validated_previous = services.previous_validated(ret)
        row = return_row(ret, validated_previous)
        warnings = plausibility_warnings(row, return_row(validated_previous) if validated_previous else None)
        comments_form = WarningCommentsForm(request.POST, warnings=warnings)
        if not comments_form.is_valid():
            return _detail_after_refusal(request, ret, comments_form=comments_form, needs_comments=True)
        try:
            ret = services.return_save_draft(
                ret=ret, data={"warning_comments": {**ret.warning_comments, **comments_form.comments()}},
                user=request.user, base_version=bounded_int(request.POST.get("base_version"), minimum=0) or 0,
            )
        except services.ConcurrentEdit:
            messages.error(
                request, _("This return was changed by someone else meanwhile: check it and submit again.")
            )
            return redirect("inventory:return_detail", mutual_id=mutual.mutual_id, year=year)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("inventory:return_detail", mutual_id=mutual.mutual_id, year=year)
    try:
        ret = services.return_submit(ret=ret, user=request.user)
    except services.WarningsNeedComments as pending:
        form = comments_form or WarningCommentsForm(
            warnings=pending.warnings, initial_comments=ret.warning_comments
        )
        return _detail_after_refusal(request, ret, comments_form=form, needs_comments=True)
    except ValidationError as error:
        errors = [
            {"name": name, "title": schema.title(name),
             "section": SECTION_OF[name], "messages": messages_}
            for name, messages_ in getattr(error, "message_dict", {}).items() if name in SECTION_OF
        ]
        other = [] if hasattr(error, "error_dict") else error.messages
        return _detail_after_refusal(request, ret, submit_errors=errors, other_errors=other)
    notifications.return_submitted(ret)
    messages.success(request, _(
        "Submitted to the focal point. You will be told when it is validated or if anything needs correcting."
    ))
    return redirect("inventory:return_detail", mutual_id=mutual.mutual_id, year=year)


def _detail_after_refusal(request, ret, status=400, **extra):
    ret.refresh_from_db()
    context = _detail_context(request, ret, **extra)
    if extra.get("comments_form") is not None:
        context["comments_form"] = extra["comments_form"]
    return render(request, "inventory/return_detail.html", context, status=status)


@login_required
@require_POST
def return_validate(request, mutual_id, year):
    """Validate the submitted figures (or a restored version). Someone who edited or submitted them
    is refused on the review page (403) with the reason; the secretariat may give a reason to
    override (400 while it is missing)."""
    mutual = _mutual(mutual_id)
    require(request, "validate_return", country=mutual.country_id)
    ret = get_object_or_404(YearlyReturn, mutual=mutual, year=year)
    form = ValidateForm(request.POST)
    if not form.is_valid() and "confirm" in form.errors:
        # Nothing is published until the reviewer confirms, having seen what becomes public.
        return _detail_after_refusal(request, ret, validate_form=form)
    try:
        ret = services.return_validate(
            ret=ret, user=request.user, override_reason=form.cleaned_data.get("override_reason", "")
        )
    except services.SameHands as refused:
        return _detail_after_refusal(request, ret, status=403, review_refusal=str(refused))
    except ValidationError as error:
        if "override_reason" in getattr(error, "message_dict", {}):
            _add_model_errors(form, error)
            return _detail_after_refusal(request, ret, validate_form=form)
        messages.error(request, " ".join(error.messages))
    else:
        notifications.return_validated(ret)
        messages.success(request, _("Validated: the figures are now public."))
    return redirect("inventory:return_detail", mutual_id=mutual.mutual_id, year=year)


@login_required
@require_POST
def return_send_back(request, mutual_id, year):
    mutual = _mutual(mutual_id)
    require(request, "validate_return", country=mutual.country_id)
    ret = get_object_or_404(YearlyReturn, mutual=mutual, year=year)
    form = SendBackForm(request.POST)
    if not form.is_valid():
        return _detail_after_refusal(request, ret, send_back_form=form)
    declining = ret.pending_revision_id is not None
    try:
        ret = services.return_send_back(ret=ret, user=request.user, comment=form.cleaned_data["comment"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if declining:  # the restored version, not the mutual's figures: nothing for the mutual to do
            messages.success(request, _("The restored version is declined: the validated figures stay."))
        else:
            notifications.return_sent_back(ret, form.cleaned_data["comment"].strip())
            messages.success(request, _("Returned to the mutual with your comment."))
    return redirect("inventory:return_detail", mutual_id=mutual.mutual_id, year=year)


@login_required
def return_history(request, mutual_id, year):
    """Every saved version (who, when, what changed from the one before) and every transition."""
    mutual = _mutual(mutual_id)
    require(request, "view_return_history", mutual=mutual)
    ret = get_object_or_404(YearlyReturn, mutual=mutual, year=year)
    revisions = list(ret.revisions.select_related("user").order_by("number"))
    not_applied = services.declined_revisions(ret) | {ret.pending_revision_id}
    entries = []
    before = {}
    for revision in revisions:
        # Only real changes: versions saved before figures were kept in one form may list a field
        # whose value only changed notation ("493.00" then "493").
        changes = [
            {"title": schema.title(name), "numeric": name in NUMERIC_FIELDS,
             "before": _shown(name, before.get(name)),
             "after": _shown(name, revision.data.get(name))}
            for name in revision.changed_fields if name in SECTION_OF
            and not services.same_figure(name, before.get(name), revision.data.get(name))
        ]
        if "warning_comments" in revision.changed_fields:
            changes.append({"title": _("Comments on warnings"), "before": "", "after": "; ".join(
                str(v) for v in (revision.data.get("warning_comments") or {}).values())})
        entries.append({"revision": revision, "changes": changes,
                        "pending": revision.pk == ret.pending_revision_id,
                        "declined": revision.pk in not_applied and revision.pk != ret.pending_revision_id})
        if revision.pk not in not_applied:  # the next version changed the return's figures, not these
            before = revision.data
    entries.reverse()
    return render(request, "inventory/return_history.html", {
        "mutual": mutual, "ret": ret, "year": year, "entries": entries,
        "transitions": ret.transitions.select_related("user", "revision").order_by("-created_at", "-id"),
        "can_restore": can(request.user, "restore_return_revision"),
        "latest_number": next((r.number for r in reversed(revisions) if r.pk not in not_applied), None),
    })


@login_required
@require_POST
def return_restore(request, mutual_id, year, number):
    mutual = _mutual(mutual_id)
    require(request, "restore_return_revision")
    ret = get_object_or_404(YearlyReturn, mutual=mutual, year=year)
    revision = get_object_or_404(ret.revisions, number=number)
    try:
        ret = services.return_restore(revision=revision, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if ret.pending_revision_id:
            notifications.return_submitted(ret)
            messages.success(request, _(
                "Version %(n)s was restored as a new version, which the focal point must validate: "
                "until then the validated figures stay public."
            ) % {"n": number})
        else:
            text = _("Version %(n)s was restored as a new version; nothing was deleted.")
            messages.success(request, text % {"n": number})
    return redirect("inventory:return_history", mutual_id=mutual.mutual_id, year=year)
