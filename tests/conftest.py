# SECOND FACTOR: secretariat and focal-point users need an activated authenticator to reach the admin or
# validate (portal/accounts/second_factor.py). tests/factories.py's UserFactory gives them one (TOTP,
# `TEST_TOTP_SECRET`); use `with_mfa(user)` for privileged users made otherwise, `totp_code()` for the
# code a login through the form asks, and `mfa=False` for a privileged user without a second factor.
import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API beside live_server

DEMO_ADMIN_PASSWORD = "demo-admin-password"


@pytest.fixture(scope="session")
def demo_media_root(tmp_path_factory):
    """Where the demo's files (the library's demo PDF) are written: never the developer's var/media."""
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The site skeleton, built once into the test database: the home pages and the sections' index
    pages (tests/factories.py's `site_skeleton`). Each test builds the content it reads with the
    factories; only the tests about the demo load it (`demo_site`)."""
    from tests.factories import site_skeleton

    with django_db_blocker.unblock():
        site_skeleton()


def _transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return ("transactional_db" in request.fixturenames or "live_server" in request.fixturenames
            or bool(marker and marker.kwargs.get("transaction")))


@pytest.fixture(autouse=True)
def _reference_data_after_a_flush(request):
    """A transactional test (`transaction=True`, live_server) starts from a database that the previous
    one flushed, without what the migrations seed: the countries and themes are seeded again, as a
    freshly migrated database has them, and the site skeleton built (unless the test loads the demo,
    which builds its own site)."""
    if not _transactional(request):
        return
    request.getfixturevalue("transactional_db")
    from portal.reference.countries import seed_countries
    from portal.reference.models import Country, Theme
    from portal.reference.themes import seed_themes
    from tests.factories import site_skeleton_after_flush

    seed_countries(Country)
    seed_themes(Theme)
    if "demo_site" not in request.fixturenames:
        site_skeleton_after_flush()


def loaded_demo(django_db_blocker, demo_media_root):
    """The demo content (without the demo inventory), loaded inside a transaction that is rolled back
    when the fixture using this ends, so that the next tests find the skeleton again. The skeleton's
    home pages go first: the demo builds its own, as on a freshly migrated database."""
    from django.db import transaction
    from django.test import override_settings

    from portal.demo.loader import load_demo
    from portal.home.models import HomePage

    with django_db_blocker.unblock(), transaction.atomic():
        for home in HomePage.objects.order_by("-pk"):
            home.delete()  # with the sections under it
        with override_settings(MEDIA_ROOT=demo_media_root):
            load_demo(admin_password=DEMO_ADMIN_PASSWORD, with_inventory=False)
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker, demo_media_root):
    """The demo, for one test module (`loaded_demo`); tests/demo/ loads it once for the whole package.
    For database tests (`db`): a transactional test loads the demo itself (tests/browser/conftest.py)."""
    yield from loaded_demo(django_db_blocker, demo_media_root)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATASETS_ROOT = tmp_path / "media" / "datasets"  # the worker's builds, on local disk


@pytest.fixture(autouse=True)
def _worker_keeps_the_test_connection(monkeypatch):
    """A worker run inside a test (`call_command("run_worker", "--batch")`) shares the test's database
    connection, which holds the test's transaction. Between tasks the worker closes connections that
    are old (Django's `close_old_connections`, as a request does): on PostgreSQL that would close the
    test's own. Here, and only inside the test process, that hygiene step does nothing; workers in
    other processes (tests/worker/, tests/deployment/, test_run_portal) keep it."""
    from django_tasks_db.management.commands import db_worker

    from portal.core.management.commands import run_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    monkeypatch.setattr(run_worker, "close_old_connections", lambda: None)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: a rolled-back test leaves the inventory's version
    counter where it was, so a computed table cached under that version must not outlive it."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def public_address(settings):
    """SITE_URL on the public address of the search-engine and harvesting tests
    (tests/core/search_engines.py), the requests coming through any other host."""
    from tests.core.search_engines import PUBLIC

    settings.SITE_URL = PUBLIC
    settings.ALLOWED_HOSTS = ["*"]
    return PUBLIC


@pytest.fixture
def home_fr(db):
    from portal.home.models import HomePage

    return HomePage.objects.get(locale__language_code="fr")


@pytest.fixture
def home_en(home_fr):
    from wagtail.models import Locale

    return home_fr.get_translation(Locale.objects.get(language_code="en")).specific
