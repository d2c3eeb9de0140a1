"""The secretariat's newsletter screens in the Wagtail admin (`send_newsletter` only): the issues with
their sending state and the subscribers' counts; per issue, the test send to oneself (both languages)
and "send to subscribers", then the send report."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from wagtail.models import Locale

from portal.accounts.permissions import require

from . import services
from .delivery import Delivery, RecipientState
from .models import NewsletterIndexPage, NewsletterIssuePage, Subscriber, SubscriberState, next_issue_number
from .viewsets import can_see_subscribers, subscriber_viewset

FAILED_LISTED = 200


def _source(issue: NewsletterIssuePage) -> NewsletterIssuePage:
    """The issue in the default language (French), which the admin screens are about."""
    default = Locale.get_default()
    source = issue if issue.locale_id == default.pk else issue.get_translation_or_none(default)
    return source.specific if source is not None else issue


def _subscriber_counts() -> dict:
    counts = {row["state"]: row["n"] for row in Subscriber.objects.values("state").annotate(n=Count("pk"))}
    by_language = dict(Subscriber.objects.confirmed().values_list("language").annotate(n=Count("pk")))
    return {"confirmed": counts.get(SubscriberState.CONFIRMED, 0),
            "unsubscribed": counts.get(SubscriberState.UNSUBSCRIBED, 0),
            "bounced": counts.get(SubscriberState.BOUNCED, 0),
            "fr": by_language.get("fr", 0), "en": by_language.get("en", 0)}


def _subscribers_url(request) -> str | None:
    """The subscribers list, for who may see it (links from the counts filter it)."""
    return reverse(subscriber_viewset.get_url_name("index")) if can_see_subscribers(request.user) else None


def _answer(row) -> str:
    """The "server's answer" column: the mail server's own words for a refusal; for an interrupted
    sending, what the engine noted (in English, in the row) said in the admin's language."""
    if row.state != RecipientState.UNCERTAIN:
        return row.error
    answer = _("The sending stopped while this message was handed to the server: it is not sent again, "
               "to avoid a duplicate.")
    detail = row.error.removeprefix("connection lost: ") if row.error.startswith("connection lost: ") else ""
    return f"{answer} ({detail})" if detail else answer


def new_issue(user) -> dict | None:
    """The "new issue" button: the editor of a new issue under the archive in the default language,
    its number proposed (`number`, prefilled by `prefill_issue_number`); None for who may not add one."""
    archive = NewsletterIndexPage.objects.filter(locale=Locale.get_default()).first()
    if archive is None or not archive.permissions_for_user(user).can_add_subpage():
        return None
    return {"url": reverse("wagtailadmin_pages:add", args=["newsletter", "newsletterissuepage", archive.pk]),
            "number": next_issue_number(archive.locale_id)}


def prefill_issue_number(sender, page, parent, **kwargs):
    """Wagtail's `init_new_page` (the editor of a new page, before its form): a new issue gets the next
    number of its language, wherever it is added from (the button, the archive's "add child page")."""
    if isinstance(page, NewsletterIssuePage) and page.number is None:
        page.number = next_issue_number(parent.locale_id)


@require_safe
def index(request):
    require(request, "send_newsletter")
    issues = list(NewsletterIssuePage.objects.filter(locale__language_code="fr").order_by("-number", "-pk"))
    published_numbers = {i.number for i in issues if i.first_published_at is not None}
    deliveries = {d.reference: d for d in Delivery.objects.filter(reference__in=[i.delivery_reference
                                                                                  for i in issues])}
    rows = []
    for issue in issues:
        delivery = deliveries.get(issue.delivery_reference)
        if delivery is not None and not issue.sent_by(delivery):
            delivery = None  # another page's: this one is an abandoned draft with the same number
        rows.append({"issue": issue, "delivery": delivery, "report": delivery.report() if delivery else None,
                     "abandoned": issue.first_published_at is None and delivery is None
                     and issue.number in published_numbers})
    return render(request, "newsletter/admin/index.html", {
        "page_title": _("Newsletter"), "header_icon": "mail", "rows": rows,
        "new_issue": new_issue(request.user),
        "subscribers": _subscriber_counts(), "subscribers_url": _subscribers_url(request)})


@require_http_methods(["GET", "HEAD", "POST"])
def issue(request, page_id):
    """GET: the issue's sending screen. POST action=test: the test send to oneself; action=send
    (with the confirmation box ticked): the delivery to every confirmed subscriber."""
    require(request, "send_newsletter")
    issue = _source(get_object_or_404(NewsletterIssuePage, pk=page_id))
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "test":
            if not request.user.email:
                messages.error(request, _("Your account has no e-mail address to send the test to."))
            else:
                languages = services.issue_test_send(issue=issue, user=request.user)
                messages.success(request, _("Test sent to %(email)s in: %(languages)s.") % {
                    "email": request.user.email, "languages": ", ".join(languages)})
        elif action == "send":
            if not request.POST.get("confirm"):
                messages.error(request, _("Tick the box to confirm that you checked the test e-mails."))
            elif not services.issue_translations(issue):
                messages.error(request, _("Publish the issue before sending it."))
            else:
                delivery, created = services.issue_send_to_subscribers(issue=issue, user=request.user)
                if created:
                    messages.success(request, _(
                        "Issue No %(number)s is being sent to %(count)s subscribers by the background "
                        "worker, in batches: the send report below shows how many e-mails have left "
                        "(reload the page to follow it).") % {"number": issue.number,
                                                             "count": delivery.recipients.count()})
                else:
                    messages.warning(request, _("This issue was sent already; it is never sent twice."))
        else:
            messages.error(request, _("Unknown action."))
        return redirect("newsletter_admin:issue", issue.pk)

    delivery = issue.delivery()
    plan = services.issue_send_plan(issue)
    context = {
        "page_title": _("Send issue No %(number)s") % {"number": issue.number}, "header_icon": "mail",
        "issue": issue, "translations": services.issue_translations(issue),
        "subscribers": _subscriber_counts(), "delivery": delivery,
        "plan": plan, "missing": [row for row in plan if row["missing"] and row["count"]],
    }
    if delivery is not None:
        context["report"] = delivery.report()
        context["unsubscribed_since"] = services.unsubscribed_since(delivery)
        context["problems"] = [(row, _answer(row)) for row in delivery.recipients.filter(
            state__in=[RecipientState.FAILED, RecipientState.UNCERTAIN]).order_by("address")[:FAILED_LISTED]]
    return render(request, "newsletter/admin/issue.html", context)
