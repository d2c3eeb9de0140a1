"""The anti-spam of the site's public forms, without any third-party service, that never blocks a
person (the subscription to the newsletter, members' articles).

- A **honeypot**: a field people never see (hidden, out of the tab order, `autocomplete="off"`).
  Filled in, the post is a bot's.
- A **stamp**: the signed time the form was *first* shown. It proves the post comes from a form the
  site served (a post without it, or with a forged one, is a bot's), and it is kept as it is when
  the form comes back with an error: correcting a mistake and sending again at once is fine, the
  clock does not start again. Only a stamp more than a day old is replaced (the form is then shown
  again once, with a fresh one).
- **The timer is a signal, not a gate.** A post sooner than `MIN_SECONDS` after the form was shown
  is refused only when the request also lacks what every browser sends (an `Accept-Language` and a
  `User-Agent` header): scripts post at once without them, while a person whose browser filled the
  form in (autofill) and who sends it within a second is accepted.
- The real protection against floods is the site's rate limiter (`portal.core.throttle`): each form
  limits the posts per client address (and per e-mail address or per person).
"""

import time
from dataclasses import dataclass

from django.core import signing

HONEYPOT = "website"
MIN_SECONDS = 3  # a person takes longer than this to type a form by hand (autofill may not)
MAX_AGE = 24 * 3600  # a form left open longer is shown again with a fresh stamp
SALT = "portal.form-shown"


def new_stamp(now: float | None = None) -> str:
    """The signed time a form is shown (put in the form as a hidden field)."""
    return signing.dumps(now if now is not None else time.time(), salt=SALT)


@dataclass(frozen=True)
class Verdict:
    """What the checks say about a post: `bot` (refuse it: honeypot filled, stamp missing or forged,
    or a script's instant post), `expired` (a person's form left open more than a day: ask again),
    and `stamp`, the stamp a form shown again must carry (the first one, unless it was unusable)."""

    bot: bool
    expired: bool
    stamp: str

    @property
    def ok(self) -> bool:
        return not self.bot and not self.expired


def _shown_at(stamp: str) -> tuple[float | None, bool]:
    """(time shown, expired); (None, False) for a missing or forged stamp."""
    try:
        return float(signing.loads(stamp or "", salt=SALT, max_age=MAX_AGE)), False
    except signing.SignatureExpired:
        return None, True
    except (signing.BadSignature, TypeError, ValueError):
        return None, False


def looks_like_a_browser(request) -> bool:
    """Whether the request carries the headers every browser sends (scripts often do not)."""
    return bool(request.headers.get("Accept-Language") and request.headers.get("User-Agent"))


def check(data, *, stamp_field: str, browser: bool, now: float | None = None) -> Verdict:
    """The verdict on a form's posted `data` (the honeypot `HONEYPOT` and the stamp in
    `stamp_field`); `browser` is `looks_like_a_browser(request)`."""
    stamp = data.get(stamp_field) or ""
    shown, expired = _shown_at(stamp)
    if data.get(HONEYPOT):
        return Verdict(bot=True, expired=False, stamp=new_stamp(now))
    if expired:
        return Verdict(bot=False, expired=True, stamp=new_stamp(now))
    if shown is None:
        return Verdict(bot=True, expired=False, stamp=new_stamp(now))
    instant = (now if now is not None else time.time()) - shown < MIN_SECONDS
    return Verdict(bot=instant and not browser, expired=False, stamp=stamp)
