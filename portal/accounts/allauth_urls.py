"""allauth's pages (login, sign-up, password, two-factor…) under paths in the page's language:
/fr/comptes/connexion/, /en/accounts/login/ (issue #14: English slugs under /fr/).

allauth writes its paths in English. Here each of its URL patterns is repeated with a translated
route (`ROUTES`: gettext_lazy, resolved per request language by `i18n_patterns`), under allauth's own
URL names, so `{% url 'account_login' %}`, allauth's redirects and Django's `translate_url` (the
language switcher) all follow. A route missing from `ROUTES` keeps allauth's English path.

The former paths keep working (links in e-mails already sent, bookmarks, other sites): under /fr/, a
GET or HEAD of the English path answers 301 to the French one with the same query string; any other
method (a form left open in a tab since) is served in place, so no typed data is lost. Under /en/ the
English path is the page itself.
"""

from django.http import HttpResponsePermanentRedirect
from django.urls import URLPattern, URLResolver, path, re_path, reverse
from django.urls.resolvers import RegexPattern
from django.utils.translation import gettext_lazy as _

# allauth's route (after "accounts/") -> the translated route. Keep the parameters as they are.
ROUTES = {
    "login/": _("login/"),
    "logout/": _("logout/"),
    "inactive/": _("inactive/"),
    "signup/": _("signup/"),
    "reauthenticate/": _("reauthenticate/"),
    "email/": _("email/"),
    "confirm-email/": _("confirm-email/"),
    "password/change/": _("password/change/"),
    "password/set/": _("password/set/"),
    "password/reset/": _("password/reset/"),
    "login/code/confirm/": _("login/code/confirm/"),
    r"^confirm-email/(?P<key>[-:\w]+)/$": _(r"^confirm-email/(?P<key>[-:\w]+)/$"),
    "password/reset/key/done/": _("password/reset/key/done/"),
    r"^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$":
        _(r"^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$"),
    "password/reset/done/": _("password/reset/done/"),
    "2fa/": _("2fa/"),
    "2fa/authenticate/": _("2fa/authenticate/"),
    "2fa/reauthenticate/": _("2fa/reauthenticate/"),
    "2fa/totp/activate/": _("2fa/totp/activate/"),
    "2fa/totp/deactivate/": _("2fa/totp/deactivate/"),
    "2fa/recovery-codes/": _("2fa/recovery-codes/"),
    "2fa/recovery-codes/generate/": _("2fa/recovery-codes/generate/"),
    "2fa/recovery-codes/download/": _("2fa/recovery-codes/download/"),
    "2fa/webauthn/": _("2fa/webauthn/"),
    "2fa/webauthn/add/": _("2fa/webauthn/add/"),
    "2fa/webauthn/reauthenticate/": _("2fa/webauthn/reauthenticate/"),
    "2fa/webauthn/keys/<int:pk>/remove/": _("2fa/webauthn/keys/<int:pk>/remove/"),
    "2fa/webauthn/keys/<int:pk>/edit/": _("2fa/webauthn/keys/<int:pk>/edit/"),
}


def _flat(patterns, prefix=""):
    """(full English route, is_regex, pattern) for every URL pattern of allauth, includes unfolded."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _flat(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            regex = isinstance(entry.pattern, RegexPattern)
            route = str(entry.pattern)
            if regex and prefix:
                route = "^" + prefix + route.removeprefix("^")
            yield (route if regex else prefix + route), regex, entry


def _legacy(view, name):
    """The former (English) path of a translated page: GET/HEAD redirect, anything else served."""

    def legacy(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        target = reverse(name, args=args, kwargs=kwargs)
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)

    legacy.csrf_exempt = getattr(view, "csrf_exempt", False)
    return legacy


def build():
    from allauth import urls as allauth_urls

    translated, legacy = [], []
    for route, regex, entry in _flat(allauth_urls.urlpatterns):
        make = re_path if regex else path
        translated.append(make(ROUTES.get(route, route), entry.callback, entry.default_args, name=entry.name))
        if route in ROUTES and entry.name:
            # The portal's own view: its numbers bounded as every portal path's (<id:…>, not <int:…>).
            legacy.append(make(route.replace("<int:", "<id:"), _legacy(entry.callback, entry.name),
                               entry.default_args))
    # The translated pages first: under /en/ they are the English paths, which the former ones repeat.
    return translated + legacy


urlpatterns = build()
