"""Protection of the public subscription form without any third-party service: a honeypot field, a
minimum time between showing the form and sending it (a signed timestamp in the form), and counters
per client IP (allauth's reading of it, so ALLAUTH_TRUSTED_PROXY_COUNT applies) and per e-mail address,
counted by the site's limiter (`portal.core.throttle`) under these limits."""

import time

from django.core import signing

FORM_SALT = "newsletter.form-started"
MIN_SECONDS = 3  # a person takes longer than this to type an address and choose a language
MAX_AGE = 24 * 3600  # a form left open longer is sent again
PER_IP = (10, 3600)  # at most 10 subscriptions an hour from one address…
PER_ADDRESS = (3, 24 * 3600)  # …and 3 confirmation e-mails a day to one e-mail address


def started_token(now: float | None = None) -> str:
    return signing.dumps(now if now is not None else time.time(), salt=FORM_SALT)


def sent_too_soon(token: str, now: float | None = None) -> bool:
    """True when the token is missing, forged, expired, or younger than MIN_SECONDS."""
    try:
        started = float(signing.loads(token or "", salt=FORM_SALT, max_age=MAX_AGE))
    except (signing.BadSignature, TypeError, ValueError):
        return True
    return (now if now is not None else time.time()) - started < MIN_SECONDS

