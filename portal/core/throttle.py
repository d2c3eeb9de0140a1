"""The site's rate limits: attempt counters in the cache, one fixed window per key.

Every throttle (newsletter subscriptions, event registrations, kept article uploads, mutual sign-ups,
contact messages) counts here, so they all share one behaviour and one caveat: the counts live in the
cache, which production with several workers must share (`CACHE_URL`)."""

import hashlib

from allauth.account.adapter import get_adapter
from django.core.cache import cache


def allow(cache_key: str, limit: int, window: int) -> bool:
    """Count one attempt under `cache_key`; False once more than `limit` attempts happened within the
    `window` seconds that started with the first one."""
    cache.add(cache_key, 0, window)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, window)
        count = 1
    return count <= limit


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
