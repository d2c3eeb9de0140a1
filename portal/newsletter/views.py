"""Public views of the newsletter: subscribe (no account), confirm by the e-mailed link, unsubscribe in
one click (the profile's part is in profile.py).

Unsubscribing: a POST to the link in every e-mail unsubscribes at once, with no CSRF token and no
confirmation page (RFC 8058 "one-click": mail programs send `List-Unsubscribe=One-Click` there). A GET
of the same link shows one button that sends that POST: link checkers and mail scanners that open
every link must not unsubscribe people, so a GET changes nothing.
"""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from portal.accounts.permissions import require
from portal.core import antispam as core_antispam
from portal.core import throttle

from . import antispam, services
from .composing import subscriber_pk_from_token
from .forms import SubscribeForm
from .models import NewsletterIndexPage, Subscriber, SubscriberState


def _archive(language=None):
    pages = NewsletterIndexPage.objects.live()
    if language:
        pages = pages.filter(locale__language_code=language)
    return pages.first()


def _form_page(request, form, *, status=200, problem="", started=""):
    """The form; shown again after a problem, it keeps the time it was first shown (`started`)."""
    return render(request, "newsletter/subscribe.html", {
        "form": form, "problem": problem, "archive": _archive(request.LANGUAGE_CODE), "started": started,
    }, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    """The subscription form (also on the archive page). Bots get a success page and no e-mail;
    a form not from the site or a day old, or too many attempts, get a message; the address's owner gets the
    confirmation e-mail whatever the address's state, so nothing tells whether it is subscribed."""
    require(request, "view_public_pages")
    if request.method != "POST":
        return _form_page(request, SubscribeForm(initial={"language": request.LANGUAGE_CODE}))
    form = SubscribeForm(request.POST)
    verdict = core_antispam.check(request.POST, stamp_field=antispam.STARTED,
                                  browser=core_antispam.looks_like_a_browser(request))
    if request.POST.get(core_antispam.HONEYPOT):  # the honeypot: pretend all is well
        return redirect("newsletter:subscribe_sent")
    if not verdict.ok:
        form.is_valid()
        return _form_page(request, form, status=400, started=verdict.stamp, problem=_(
            "This form is more than a day old, or it was not sent from this site. "
            "Please check your address and send it again."))
    if not throttle.allow("newsletter-ip", throttle.client_address(request), antispam.PER_IP):
        return _form_page(request, form, status=429, started=verdict.stamp, problem=_(
            "Too many subscriptions were sent from your connection. Please try again in an hour."))
    if not form.is_valid():
        return _form_page(request, form, status=400, started=verdict.stamp, problem=_(
            "Please correct the errors below; nothing has been sent yet."))
    email = services.normalize_email(form.cleaned_data["email"])
    if throttle.allow("newsletter-address", email, antispam.PER_ADDRESS):
        services.newsletter_subscribe(email=email, language=form.cleaned_data["language"])
    return redirect("newsletter:subscribe_sent")


@require_safe
def subscribe_sent(request):
    return render(request, "newsletter/subscribe_sent.html", {"archive": _archive(request.LANGUAGE_CODE)})


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """GET: a page with one button (mail scanners open links; they must not subscribe anyone);
    POST: the subscription is confirmed. An invalid or expired link says so, with a 400."""
    data = services.read_confirmation_token(token)
    archive = _archive(request.LANGUAGE_CODE)
    if data is None:
        return render(request, "newsletter/confirm.html", {"invalid": True, "archive": archive}, status=400)
    email, language = data
    if request.method == "POST":
        subscriber = services.newsletter_confirm(email=email, language=language)
        return render(request, "newsletter/confirm.html", {
            "confirmed": True, "subscriber": subscriber, "archive": archive})
    return render(request, "newsletter/confirm.html", {"email": email, "archive": archive})


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """See the module docstring: POST unsubscribes at once (one click, RFC 8058), GET shows the button."""
    pk = subscriber_pk_from_token(token)
    subscriber = Subscriber.objects.filter(pk=pk).first() if pk else None
    archive = _archive(request.LANGUAGE_CODE)
    if subscriber is None:
        return render(request, "newsletter/unsubscribe.html", {"invalid": True, "archive": archive},
                      status=400)
    if request.method == "POST":
        services.newsletter_unsubscribe(subscriber=subscriber)
        return render(request, "newsletter/unsubscribe.html", {"done": True, "archive": archive,
                                                                "subscriber": subscriber})
    return render(request, "newsletter/unsubscribe.html", {
        "subscriber": subscriber, "archive": archive,
        "subscribed": subscriber.state == SubscriberState.CONFIRMED})
