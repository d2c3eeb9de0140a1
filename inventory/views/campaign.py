"""The yearly campaign (the secretariat's page) and the completion dashboards (the secretariat's
for every country, each focal point's for its own)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from portal.accounts.permissions import can, permission_required
from portal.core import audit
from portal.reference.models import Country

from ..campaign import schedule as campaigns
from ..models import Campaign, CampaignMessage
from ..models.campaigns import DEFAULT_PROVISIONAL_DAYS
from ..registry.selectors import (
    COMPLETION_LABELS,
    COMPLETION_STATES,
    completion_by_country,
    completion_total,
    country_progress,
)


class CampaignOpenForm(forms.Form):
    year = forms.IntegerField(
        label=gettext_lazy("Reporting year"), min_value=campaigns.FIRST_YEAR,
        help_text=gettext_lazy("The year the figures are about, usually last year."),
    )
    deadline = forms.DateField(
        label=gettext_lazy("Deadline"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    message = forms.CharField(
        label=gettext_lazy("Message to the mutuals"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Optional: added to every e-mail of the campaign."),
    )
    provisional_days = forms.IntegerField(
        label=gettext_lazy("Figures provisional for (days after closing)"), min_value=0, max_value=366,
        initial=DEFAULT_PROVISIONAL_DAYS, required=False,
        help_text=gettext_lazy("The public pages mark the year's figures provisional while the campaign "
                               "is open and for this many days after you close it."),
    )

    def clean_year(self):
        year = self.cleaned_data["year"]
        last = timezone.localdate().year
        if year > last:
            raise ValidationError(
                _("The reporting year must be between %(first)s and %(last)s.")
                % {"first": campaigns.FIRST_YEAR, "last": last}
            )
        if Campaign.objects.filter(year=year).exists():
            raise ValidationError(_("There is already a campaign for %(year)s.") % {"year": year})
        return year

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise ValidationError(_("The deadline cannot be in the past."))
        return deadline


class YearQuery(forms.Form):
    """The dashboards' query string: `year` (by default the current campaign's)."""

    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=campaigns.FIRST_YEAR)

    def clean_year(self):
        year = self.cleaned_data["year"]
        last = timezone.localdate().year
        if year > last:
            raise ValidationError(
                _("Ensure this value is less than or equal to %(limit_value)s.") % {"limit_value": last}
            )
        return year


class CountryQuery(YearQuery):
    """A country's dashboard also filters by the mutuals' state."""

    state = forms.ChoiceField(
        label=gettext_lazy("State"), required=False,
        choices=[("", gettext_lazy("All"))] + [(s, COMPLETION_LABELS[s]) for s in COMPLETION_STATES],
    )


# --- The secretariat's campaign page -----------------------------------------------------------

def _campaign_rows():
    campaign_list = list(Campaign.objects.select_related("opened_by", "closed_by"))
    mail = {
        row.pop("campaign_id"): row
        for row in CampaignMessage.objects.values("campaign_id").annotate(
            sent=Count("pk", filter=Q(sent_at__isnull=False)),
            failed=Count("pk", filter=~Q(error="")),
        ).order_by()
    }
    return [
        {"campaign": c, "total": completion_total(completion_by_country(c.year)),
         "mail": mail.get(c.pk, {"sent": 0, "failed": 0})}
        for c in campaign_list
    ]


@permission_required("manage_campaign")
def campaign_list(request):
    """Campaigns with their figures; open a new one, close one, send the due e-mails now."""
    form = CampaignOpenForm(request.POST or None, initial={"year": timezone.localdate().year - 1})
    if request.method == "POST" and form.is_valid():
        try:
            campaign = campaigns.campaign_open(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The %(year)s campaign is open. The invitations go out with the next sending of "
                  "the e-mails (hourly, or with the button below).") % {"year": campaign.year},
            )
            return redirect("inventory:campaigns")
    open_campaign = Campaign.objects.open().first()
    failures = (
        open_campaign.messages.exclude(error="").select_related("mutual").order_by("-created_at")[:50]
        if open_campaign else []
    )
    context = {"form": form, "rows": _campaign_rows(), "open_campaign": open_campaign,
               "failures": failures}
    return render(request, "inventory/campaign_list.html", context,
                  status=400 if request.method == "POST" else 200)


@require_POST
@permission_required("manage_campaign")
def campaign_close(request, year):
    campaign = get_object_or_404(Campaign, year=year)
    try:
        campaigns.campaign_close(campaign=campaign, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The %(year)s campaign is closed.") % {"year": year})
    return redirect("inventory:campaigns")


class ProvisionalDaysForm(forms.Form):
    provisional_days = forms.IntegerField(
        label=gettext_lazy("Days provisional after closing"), min_value=0, max_value=366)


@require_POST
@permission_required("manage_campaign")
def campaign_provisional_days(request, year):
    """Change how many days after closing the campaign's figures stay provisional."""
    campaign = get_object_or_404(Campaign, year=year)
    form = ProvisionalDaysForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["provisional_days"]))
        return redirect("inventory:campaigns")
    campaigns.campaign_set_provisional_days(
        campaign=campaign, days=form.cleaned_data["provisional_days"], user=request.user)
    messages.success(request, ngettext(
        "The %(year)s figures stay provisional %(days)s day after the campaign closes.",
        "The %(year)s figures stay provisional %(days)s days after the campaign closes.",
        campaign.provisional_days) % {"year": year, "days": campaign.provisional_days})
    return redirect("inventory:campaigns")


# Not atomic: each e-mail's log row must be committed before it is sent (see send_due_messages).
@transaction.non_atomic_requests
@require_POST
@permission_required("manage_campaign")
def campaign_send(request, year):
    """Send the due e-mails now: the same as the hourly `send_reminders` command."""
    campaign = get_object_or_404(Campaign, year=year)
    report = campaigns.send_due_messages(campaign, today=timezone.localdate())
    if not report.closed:
        audit.log(campaign, "portal.campaign.emails_sent", data={
            "year": campaign.year, "sent": report.total_sent, "failed": len(report.failures)})
    if report.closed:
        messages.error(request, _("The %(year)s campaign is closed: nothing was sent.") % {"year": year})
        return redirect("inventory:campaigns")
    messages.success(
        request,
        _("E-mails sent: %(invitation)s invitations, %(reminders)s reminders. "
          "Mutuals without anyone to write to: %(without)s.") % {
            "invitation": report.sent.get(CampaignMessage.Kind.INVITATION, 0),
            "reminders": report.total_sent - report.sent.get(CampaignMessage.Kind.INVITATION, 0),
            "without": len(report.without_reporters),
        },
    )
    if report.failures:
        count = len(report.failures)
        messages.error(request, ngettext(
            "%(count)s e-mail could not be sent: see the list below.",
            "%(count)s e-mails could not be sent: see the list below.", count,
        ) % {"count": count})
    return redirect("inventory:campaigns")


# --- Completion dashboards ---------------------------------------------------------------------

def _deny(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def _bad_query(request, template, context, form):
    context = {**context, "form": form, "bad_query": True}
    return render(request, template, context, status=400)


def _with_year(query):
    """The query string, with the default year when none is given (so the year field shows it)."""
    if query.get("year"):
        return query
    query = query.copy()
    query["year"] = str(campaigns.current_campaign_year())
    return query


def dashboard(request):
    """Every country's completion for a year (the secretariat), or the focal point's countries."""
    allowed, countries = campaigns.dashboard_scope(request.user)
    if not allowed:
        return _deny(request)
    form = YearQuery(_with_year(request.GET))
    template = "inventory/dashboard_countries.html"
    from ..registry.registration import reviewable_sign_ups

    sign_ups = reviewable_sign_ups(request.user)
    context = {"all_countries": countries is None,
               "may_manage": can(request.user, "manage_campaign"),
               "may_import": can(request.user, "import_inventory"),
               "pending_sign_ups": sign_ups.count() if sign_ups is not None else 0}
    if not form.is_valid():
        return _bad_query(request, template, context, form)
    year = form.cleaned_data["year"]
    rows = completion_by_country(year, countries)
    context.update({
        "form": form, "year": year, "rows": rows,
        "total": completion_total(rows) if countries is None else None,
        "campaign": Campaign.objects.filter(year=year).first(),
    })
    return render(request, template, context)


def country_dashboard(request, country):
    """Each expected mutual of a country for a year: its return's state, score and reporters."""
    country = get_object_or_404(Country, code=country.upper())
    if not can(request.user, "view_country_dashboard", country=country):
        return _deny(request)
    form = CountryQuery(_with_year(request.GET))
    template = "inventory/dashboard_country.html"
    context = {"country": country}
    if not form.is_valid():
        return _bad_query(request, template, context, form)
    year = form.cleaned_data["year"]
    state = form.cleaned_data["state"] or None
    progress = country_progress(year, country)
    counts = dict.fromkeys(COMPLETION_STATES, 0)
    for item in progress:
        counts[item.state] += 1
    context.update({
        "form": form, "year": year, "state": state,
        "progress": [p for p in progress if state is None or p.state == state],
        "expected": len(progress),
        "counts": [(s, COMPLETION_LABELS[s], counts[s]) for s in COMPLETION_STATES],
        "without_reporters": sum(1 for p in progress if not p.reporters),
        "campaign": Campaign.objects.filter(year=year).first(),
    })
    return render(request, template, context)
