"""One public base URL (settings.SITE_URL): every absolute URL the portal writes for use outside a
page follows it — e-mails, the dataset's datapackage.json and CITATION.cff, Wagtail's Site record —
and `make run` with PORT=8101 gives http://127.0.0.1:8101 without further setting."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from wagtail.models import Site

from inventory.opendata import live, releases
from inventory.returns import notifications
from portal import site_url
from portal.accounts.roles import Role
from portal.newsletter.services import newsletter_subscribe
from tests.factories import MutualFactory, ReturnFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
PUBLIC = "http://127.0.0.1:8101"


@pytest.fixture
def public(settings):
    settings.SITE_URL = PUBLIC
    return PUBLIC


def links(text: str) -> list[str]:
    return re.findall(r"https?://[^\s\"'<>]+", text)


def all_public(found: list[str]) -> bool:
    return bool(found) and all(link == PUBLIC or link.startswith(PUBLIC + "/") for link in found)


def test_make_run_on_another_port_gives_that_port_without_site_url():
    """`PORT=8101 make run` (manage.py with the development settings, no SITE_URL in the environment)."""
    env = {k: v for k, v in os.environ.items() if k not in {  # as tests/test_settings.py's run_django
        "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "EMAIL_URL", "CACHE_URL", "ELASTICSEARCH_URL",
        "DJANGO_ALLOW_ASYNC_UNSAFE", "WAGTAILADMIN_BASE_URL", "SITE_URL", "PORT", "TASK_QUEUE_URL",
        "DJANGO_SETTINGS_MODULE",
    }}
    env["PORT"] = "8101"
    code = "from django.conf import settings; print(settings.SITE_URL, settings.WAGTAILADMIN_BASE_URL)"
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == [PUBLIC, PUBLIC]


@pytest.mark.django_db
def test_the_newsletter_confirmation_link_is_on_the_public_address(public, mailoutbox,
                                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        newsletter_subscribe(email="lectrice@example.org", language="fr")
    [message] = mailoutbox
    found = links(message.body)
    assert all_public(found), found
    assert any("confirm" in link for link in found)


@pytest.mark.django_db
def test_a_validation_email_links_to_the_return_on_the_public_address(public, mailoutbox,
                                                                       django_capture_on_commit_callbacks):
    manager = UserFactory(roles=[Role.MEMBER], email="gerant@example.org")
    ret = ReturnFactory(mutual=MutualFactory(managers=[manager]))
    with django_capture_on_commit_callbacks(execute=True):
        notifications.return_validated(ret)
    [message] = mailoutbox
    found = links(message.body)
    assert all_public(found), found
    assert any(ret.mutual.mutual_id in link for link in found)


@pytest.mark.django_db
def test_datapackage_citation_cff_and_the_citation_text_are_on_the_public_address(public, tmp_path):
    directory = live.build_live()
    package = json.loads((directory / "datapackage.json").read_text(encoding="utf-8"))
    assert package["homepage"].startswith(PUBLIC + "/")
    cff = (directory / "CITATION.cff").read_text(encoding="utf-8")
    assert all_public(links(cff)), cff
    text = releases.live_citation("fr", live.live_meta().created.date())
    assert all_public(links(text)), text


@pytest.mark.django_db
def test_the_default_site_follows_site_url_after_migrate(settings):
    settings.SITE_URL = "https://portail.example.org"
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "localhost", 80
    site.save()
    assert [w.id for w in site_url.check_default_site()] == ["portal.W001"]  # the system check notices
    call_command("migrate", verbosity=0)  # nothing to apply: post_migrate still brings it in step
    site.refresh_from_db()
    assert (site.hostname, site.port) == ("portail.example.org", 443)
    assert site_url.check_default_site() == []
    settings.SITE_URL = PUBLIC
    assert site_url.sync_default_site() is True
    site.refresh_from_db()
    assert (site.hostname, site.port, site.root_url) == ("127.0.0.1", 8101, PUBLIC)


@pytest.mark.django_db
def test_full_urls_of_pages_follow_site_url(public, home_fr):
    site_url.sync_default_site()
    assert home_fr.get_full_url() == PUBLIC + home_fr.url
    assert site_url.page_public_url(home_fr) == PUBLIC + home_fr.url


def test_public_url_leaves_absolute_addresses_alone(settings):
    settings.SITE_URL = "https://portail.example.org/mutuelles"
    assert site_url.public_url("/fr/") == "https://portail.example.org/mutuelles/fr/"
    assert site_url.public_url("https://s3.example.org/f.pdf") == "https://s3.example.org/f.pdf"
    assert site_url.public_url("//cdn.example.org/x") == "//cdn.example.org/x"
    assert site_url.public_url("") == ""
