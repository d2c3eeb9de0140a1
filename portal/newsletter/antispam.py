"""Protection of the public subscription form without any third-party service: the site's honeypot and
stamp of when the form was first shown (`portal.core.antispam`, which never blocks a person: no timer
that re-arms after an error, browser autofill welcome), and counters per client IP (allauth's reading of
it, so ALLAUTH_TRUSTED_PROXY_COUNT applies) and per e-mail address, counted by the site's limiter
(`portal.core.throttle`) under these limits: the real protection against floods."""

from portal.core import antispam

STARTED = "started"  # the form's field holding the stamp
PER_IP = (10, 3600)  # at most 10 subscriptions an hour from one address…
PER_ADDRESS = (3, 24 * 3600)  # …and 3 confirmation e-mails a day to one e-mail address


def started_token(now: float | None = None) -> str:
    """The signed time the form is shown."""
    return antispam.new_stamp(now)
