"""allauth's account adapter, with failed logins counted per account *and* per address.

allauth counts failed logins per login key (the e-mail address): after five failures, the right password
is refused from every address for five minutes, so anyone who knows a focal point's e-mail address can
keep them out of their account. Here the key is the e-mail address together with the client's address
(as allauth reads it, so `ALLAUTH_TRUSTED_PROXY_COUNT` applies behind the reverse proxy): failures from
one address lock only that address out of that account. Brute force stays bounded by
`ACCOUNT_RATE_LIMITS["login_failed"]` (settings/base.py): five guesses per account per address per five
minutes, and ten failures a minute per address whatever the accounts.

What is left unbounded on purpose: an attacker holding many addresses gets five guesses per account
from each. A limit per account across addresses would give back the lockout this module removes; the
secretariat and focal points, whose accounts matter most, need a second factor (accounts/second_factor.py),
whose own failures allauth counts per account (`mfa-auth-user-<id>`), reachable only with the password.
"""

from types import SimpleNamespace

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal.ratelimit import get_ip
from django.utils.translation import get_language
from django.utils.translation import gettext as _


def _on_site_url(url: str) -> str:
    """allauth's absolute link (built from the request's host) moved onto SITE_URL."""
    from urllib.parse import urlsplit, urlunsplit

    from portal.site_url import public_url

    parts = urlsplit(url)
    return public_url(urlunsplit(("", "", parts.path, parts.query, parts.fragment)))


class AccountAdapter(DefaultAccountAdapter):
    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """The rate limiter's key for failed logins: the account's login and the client's address."""
        return f"{super()._get_login_attempts_cache_key(request, **credentials)}:{get_ip(request)}"

    # Links in account e-mails (address confirmation, password reset) start with SITE_URL, as every
    # other link the portal writes for outside use, not with the host the request came through.
    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return _on_site_url(super().get_email_confirmation_url(request, emailconfirmation))

    def get_reset_password_from_key_url(self, key: str) -> str:
        return _on_site_url(super().get_reset_password_from_key_url(key))

    # allauth's e-mails name the site after Django's "current site", which without the sites framework
    # is the request's host ("Bonjour, c'est 127.0.0.1:8101 !"): they carry the portal's name instead, in
    # the reader's language, and its home page under SITE_URL (templates/account/email/base_message.txt).
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        from portal.site_url import public_url

        name = _("Concertation")
        super().send_mail(template_prefix, email, {
            **context, "current_site": SimpleNamespace(name=name, domain=name),
            "home_url": public_url(f"/{get_language() or 'fr'}/"),
        })


def user_display(user) -> str:
    """How allauth names a person (the login message, its e-mails): their name, else their e-mail
    address, never the internal username (`ACCOUNT_USER_DISPLAY`)."""
    return str(user)
