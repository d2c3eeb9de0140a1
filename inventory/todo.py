"""The inventory's sections of the "to do" home (`portal/core/todo.py`): the reporter's returns to fill
in, the focal point's returns to review and sign-ups to approve, the secretariat's campaign progress,
and the person's own sign-ups. Each shows only what its reader may act on, in a fixed number of
queries whatever the number of mutuals."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from portal.accounts.roles import Role
from portal.core import todo

from .contract.choices import RegistrationState, ReturnState
from .models import Campaign, Mutual, YearlyReturn
from .permissions import REPORTERS

# The reporter's returns: what to do first (sent back, then not started or draft, then the rest).
_REPORTER_ORDER = {ReturnState.RETURNED: 0, None: 1, ReturnState.DRAFT: 1, ReturnState.SUBMITTED: 2,
                   ReturnState.VALIDATED: 3}


def _year_param(year) -> str:
    return str(year)  # years are never shown with a thousands separator


def returns_to_fill(person, request):
    """The year's return of each mutual the person reports for, with the campaign's deadline."""
    if not todo.active_roles(person) & REPORTERS:
        return None
    from .views.returns import reported_mutuals, reporting_year

    year = reporting_year()
    campaign = Campaign.objects.filter(year=year).first()
    everyone = reported_mutuals(person)
    mutuals = list(everyone[: todo.MAX_ITEMS])
    total = len(mutuals) if len(mutuals) < todo.MAX_ITEMS else everyone.count()
    returns = {r.mutual_id: r for r in YearlyReturn.objects.filter(year=year, mutual__in=mutuals)}
    today = timezone.localdate()
    due = campaign.deadline if campaign and campaign.is_open else None
    rows = []
    for mutual in mutuals:
        ret = returns.get(mutual.pk)
        state = ret.state if ret else None
        edit = reverse("inventory:return_edit", args=[mutual.mutual_id, _year_param(year)])
        detail = reverse("inventory:return_detail", args=[mutual.mutual_id, _year_param(year)])
        names = {"year": year, "name": mutual.name}
        if state == ReturnState.RETURNED:
            label, url = _("Correct the %(year)s return of %(name)s (sent back)") % names, edit
        elif state in (None, ReturnState.DRAFT):
            label, url = _("Fill in the %(year)s return of %(name)s") % names, edit
        elif state == ReturnState.SUBMITTED:
            label, url = _("The %(year)s return of %(name)s, awaiting validation") % names, detail
        else:
            label, url = _("The %(year)s return of %(name)s, validated") % names, detail
        open_work = state in (None, ReturnState.DRAFT, ReturnState.RETURNED)
        rows.append((_REPORTER_ORDER[state], todo.Item(
            label=label, url=url, detail=f"{mutual.mutual_id} · {mutual.country.name}",
            state=ret.get_state_display() if ret else _("Not started"),
            due=due if open_work else None,
            urgent=state == ReturnState.RETURNED or bool(open_work and due and today > due),
        )))
    rows.sort(key=lambda row: row[0])
    summary = ""
    if due:
        summary = _("The %(year)s inventory is open: send each return by %(deadline)s.") % {
            "year": year, "deadline": _date(due)}
    return todo.section_context(
        items=[item for _order, item in rows], total=total, summary=summary,
        empty=_("You do not report for any mutual yet. If your mutual is not in the inventory, "
                "register it; if it is, ask the secretariat to add you as one of its managers."),
        more_url=reverse("inventory:my_mutuals"), more_label=_("Returns of every year"),
        links=[{"url": reverse("inventory:mutual_register"), "label": _("Register a mutual")}]
        if not mutuals else [],
    )


def _date(value) -> str:
    from django.utils.formats import date_format

    return date_format(value, "DATE_FORMAT")


def _reviewer_countries(person):
    """None for the secretariat (every country), else the focal point's countries (a queryset);
    False when the person reviews nothing now."""
    roles = todo.active_roles(person)
    if Role.SECRETARIAT in roles:
        return None
    if Role.FOCAL_POINT in roles:
        return person.focal_point_countries.all()
    return False


def returns_to_review(person, request):
    """Submitted returns (and restored versions awaiting validation) of the reviewer's countries."""
    countries = _reviewer_countries(person)
    if countries is False:
        return None
    waiting = YearlyReturn.objects.filter(
        Q(state=ReturnState.SUBMITTED) | Q(pending_revision__isnull=False)
    )
    if countries is not None:
        waiting = waiting.filter(mutual__country__in=countries)
    total = waiting.count()
    # The secretariat reviews too, but mostly follows: its list is short, the dashboard has the rest.
    shown = todo.MAX_ITEMS if countries is not None else 5
    items = [
        todo.Item(
            label=_("Review the %(year)s return of %(name)s") % {"year": ret.year, "name": ret.mutual.name},
            url=reverse("inventory:return_detail", args=[ret.mutual.mutual_id, _year_param(ret.year)]),
            detail=f"{ret.mutual.mutual_id} · {ret.mutual.country.name}",
            state=_("Submitted on %(date)s") % {"date": _date(timezone.localdate(ret.updated_at))},
        )
        for ret in waiting.select_related("mutual", "mutual__country").order_by("updated_at", "pk")[:shown]
    ]
    return todo.section_context(
        items=items, total=total,
        empty=_("No return waits for your review. Follow the mutuals that have not reported yet on the "
                "campaign's dashboard."),
        more_url=reverse("inventory:dashboard"), more_label=_("The campaign's dashboard"),
    )


def sign_ups_to_approve(person, request):
    """Mutuals waiting to be listed, of the focal point's countries (all for the secretariat)."""
    countries = _reviewer_countries(person)
    if countries is False:
        return None
    pending = Mutual.objects.filter(registration_state=RegistrationState.PENDING)
    if countries is not None:
        pending = pending.filter(country__in=countries)
    total = pending.count()
    items = [
        todo.Item(
            label=_("Approve or reject the sign-up of %(name)s") % {"name": mutual.name},
            url=reverse("inventory:registration_review", args=[mutual.pk]),
            detail=f"{mutual.country.name} · {mutual.locality}" if mutual.locality else mutual.country.name,
            state=_("Registered on %(date)s") % {"date": _date(timezone.localdate(mutual.created_at))},
        )
        for mutual in pending.select_related("country").order_by("created_at", "pk")[: todo.MAX_ITEMS]
    ]
    return todo.section_context(
        items=items, total=total, empty=_("No mutual waits to be listed."),
        more_url=reverse("inventory:registration_queue"), more_label=_("All the sign-ups awaiting approval"),
    )


def campaign_progress(person, request):
    """The open campaign's progress (returns submitted or validated over mutuals expected)."""
    if Role.SECRETARIAT not in todo.active_roles(person):
        return None
    from .registry.selectors import completion_by_country, completion_total

    campaign = Campaign.objects.open().order_by("-year").first()
    if campaign is None:
        return todo.section_context(
            items=[], empty=_("No campaign is open. Open the next one when the year's returns are due."),
            more_url=reverse("inventory:campaigns"), more_label=_("The campaigns"),
        )
    total = completion_total(completion_by_country(campaign.year))
    percent = round(100 * total.campaign_progress) if total.campaign_progress is not None else 0
    summary = ngettext(
        "%(year)s campaign, deadline %(deadline)s: %(responded)s of %(expected)s expected mutual "
        "has sent its return (%(percent)s %%).",
        "%(year)s campaign, deadline %(deadline)s: %(responded)s of %(expected)s expected mutuals "
        "have sent their return (%(percent)s %%).",
        total.expected,
    ) % {"year": campaign.year, "deadline": _date(campaign.deadline), "responded": total.responded,
         "expected": total.expected, "percent": percent}
    items = [
        todo.Item(
            label=_("Validate the submitted returns"),
            url=reverse("inventory:dashboard") + f"?year={campaign.year}",
            state=ngettext("%(count)s return submitted", "%(count)s returns submitted",
                           total.submitted) % {"count": total.submitted},
        ),
        todo.Item(
            label=_("Remind the mutuals that have not reported"),
            url=reverse("inventory:campaigns"),
            state=ngettext("%(count)s mutual not started", "%(count)s mutuals not started",
                           total.not_started) % {"count": total.not_started},
            due=campaign.deadline,
            urgent=timezone.localdate() > campaign.deadline,
        ),
    ]
    return todo.section_context(
        items=items, summary=summary, empty="",
        more_url=reverse("inventory:dashboard") + f"?year={campaign.year}",
        more_label=_("The campaign's dashboard"),
    )


def my_sign_ups(person, request):
    """The mutuals the person asked to list, while pending or rejected (approved ones are returns)."""
    registrations = list(
        Mutual.objects.filter(registered_by=person)
        .exclude(registration_state=RegistrationState.APPROVED)
        .select_related("country").order_by("-created_at", "-pk")[: todo.MAX_ITEMS]
    )
    if not registrations:
        return None
    items = [
        todo.Item(
            label=mutual.name, url=reverse("inventory:my_registrations"),
            detail=mutual.country.name, state=mutual.get_registration_state_display(),
        )
        for mutual in registrations
    ]
    return todo.section_context(items=items, empty="", more_url=reverse("inventory:my_registrations"),
                                more_label=_("My sign-ups"))


def connect():
    todo.register("inventory_returns_to_fill", order=10, title=gettext_lazy("Returns to fill in"),
                  context=returns_to_fill)
    todo.register("inventory_returns_to_review", order=20, title=gettext_lazy("Returns to review"),
                  context=returns_to_review)
    todo.register("inventory_sign_ups", order=30, title=gettext_lazy("Sign-ups to approve"),
                  context=sign_ups_to_approve)
    todo.register("inventory_campaign", order=40, title=gettext_lazy("Campaign progress"),
                  context=campaign_progress)
    todo.register("inventory_my_sign_ups", order=70, title=gettext_lazy("My mutual sign-ups"),
                  context=my_sign_ups)
