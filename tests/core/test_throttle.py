"""The site's one rate limiter (portal/core/throttle.py), which every limited action uses: counts per
scope and key within a window, keys never stored in clear."""

import pytest
from django.core.cache import cache

from portal.core import throttle

RATE = (3, 60)


def test_the_attempt_past_the_limit_is_refused_and_other_keys_and_scopes_are_not():
    assert [throttle.allow("contact-person", "awa@example.org", RATE) for _ in range(4)] == [
        True, True, True, False]
    assert throttle.allow("contact-person", "moussa@example.org", RATE)
    assert throttle.allow("newsletter-address", "awa@example.org", RATE)


def test_reached_asks_without_counting():
    for _ in range(2):
        throttle.allow("library-proposals", 7, RATE)
    assert not throttle.reached("library-proposals", 7, RATE)
    assert not throttle.reached("library-proposals", 7, RATE)  # asking twice counted nothing
    throttle.allow("library-proposals", 7, RATE)
    assert throttle.reached("library-proposals", 7, RATE)


@pytest.mark.parametrize("key", ["awa@example.org", "203.0.113.7"])
def test_an_address_is_never_kept_in_clear(key):
    throttle.allow("contact-address", key, RATE)
    cache_key = throttle._key("contact-address", key)
    assert key not in cache_key and cache.get(cache_key) == 1
