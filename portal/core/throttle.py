"""The site's one rate limiter: attempt counters in the cache, one fixed window per scope and key.

Every limited action counts here: newsletter subscriptions, event registrations, kept article uploads,
article submissions, library proposals, mutual sign-ups, contact messages and the datasets' guestbook.
A limit is a `(limit, window)` pair of the action's module, a scope names its counter, and the key
(a person's id, a client address, an e-mail, a session) is only stored hashed. `allow` counts an attempt
and says whether it is within the limit; an action that counts only what was done (a submission that
went through) asks `reached` first and counts with `allow` once done. One caveat for all: the counts
live in the cache, which production with several workers must share (`CACHE_URL`). Login attempts
are allauth's own limits (`ACCOUNT_RATE_LIMITS`, portal/accounts/adapter.py), not this module's."""

import hashlib
import math
import time

from allauth.account.adapter import get_adapter
from django.core.cache import cache


def _key(scope: str, key: object) -> str:
    return f"throttle:{scope}:{hashed(str(key))}"


def allow(scope: str, key: object, rate: tuple[int, int]) -> bool:
    """Count one attempt of `key` in `scope`; False once more than `limit` attempts happened within the
    `window` seconds that started with the first one (`rate` is `(limit, window)`).

    The window's end is kept beside the count, and the count's expiry set to it after each increment:
    some caches (file, database) reset an entry's expiry to their default on `incr`, which would end
    a day-long window after five minutes. The increment itself stays the cache's own (atomic on Redis)."""
    limit, window = rate
    cache_key = _key(scope, key)
    now = time.time()
    cache.add(cache_key + ":end", now + window, window)
    end = cache.get(cache_key + ":end") or now + window
    remaining = max(1, math.ceil(end - now))
    cache.add(cache_key, 0, remaining)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, remaining)
        count = 1
    cache.touch(cache_key, remaining)
    return count <= limit


def reached(scope: str, key: object, rate: tuple[int, int]) -> bool:
    """Whether `key` already made its `limit` attempts in `scope`'s current window (nothing counted)."""
    return (cache.get(_key(scope, key)) or 0) >= rate[0]


def client_address(request) -> str:
    """The client's IP address as allauth reads it (so `ALLAUTH_TRUSTED_PROXY_COUNT` says how many
    proxies' X-Forwarded-For entries to trust); "unknown", one shared bucket, when there is none."""
    try:
        return get_adapter(request).get_client_ip(request)
    except Exception:  # noqa: BLE001 — no usable address
        return "unknown"


def hashed(key: str) -> str:
    """A fixed-length cache-key part for any text (an address, an e-mail), never the text itself."""
    return hashlib.sha256(key.encode()).hexdigest()[:32]
