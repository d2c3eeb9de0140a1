"""The site's one rate limiter (portal/core/throttle.py), which every limited action uses: counts per
scope and key within a window, keys never stored in clear."""

import time

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


@pytest.mark.parametrize("backend", ["locmem", "file"])
def test_a_days_limit_holds_all_day_and_ends_with_the_day(backend, tmp_path, monkeypatch):
    """Five articles a day: the sixth is refused an hour later too (not five minutes later, when a
    file cache's default expiry would have dropped the count), and accepted again the next day. The
    file cache is the one `make run` uses (dev settings), whose `incr` resets an entry's expiry."""
    from django.core.cache.backends.filebased import FileBasedCache

    if backend == "file":
        monkeypatch.setattr(throttle, "cache", FileBasedCache(str(tmp_path / "cache"), {}))
    start = time.time()
    monkeypatch.setattr(time, "time", lambda: start)
    day = (5, 24 * 3600)
    assert all(throttle.allow("news-submissions", 7, day) for _ in range(5))
    monkeypatch.setattr(time, "time", lambda: start + 3600)
    assert throttle.reached("news-submissions", 7, day)
    assert not throttle.allow("news-submissions", 7, day)
    monkeypatch.setattr(time, "time", lambda: start + 24 * 3600 + 60)
    assert not throttle.reached("news-submissions", 7, day)
    assert throttle.allow("news-submissions", 7, day)
