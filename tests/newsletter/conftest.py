import datetime
import re
import time

import pytest
from django.urls import reverse
from django.utils import translation

from portal.newsletter import antispam


def url(name, *args, language="fr"):
    with translation.override(language):
        return reverse(name, args=args)


@pytest.fixture
def started():
    """The stamp of a form shown a minute ago."""
    return antispam.started_token(time.time() - 60)


@pytest.fixture
def subscribe(client, started, django_capture_on_commit_callbacks):
    """POST the subscription form as a person would (the e-mails of the commit sent)."""

    def post(email, language="fr", **extra):
        data = {"email": email, "language": language, "started": started, "website": "", **extra}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url("newsletter:subscribe"), data)

    return post


def link_in(body: str, marker: str) -> str:
    """The path of the first link of a plain-text body that contains `marker`."""
    match = re.search(rf"https?://[^/\s]+(/\S*{marker}\S*)", body)
    assert match, f"no link with {marker!r} in:\n{body}"
    return match.group(1)


@pytest.fixture
def tasks_wait_in_queue(settings):
    """Tasks are queued and NOT run (django-tasks' DummyBackend, a test double of the worker's queue):
    for tests about what happens between a delivery's creation and its sending."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


# The subscribers of the sending tests: three read in French, two in English.
READERS = {"abonnee.dakar@example.org": "fr", "abonne.bamako@example.org": "fr",
           "mutuelle.kolda@example.org": "fr", "reader.accra@example.org": "en",
           "partner.geneva@example.org": "en"}


@pytest.fixture
def readers(db):
    """The five confirmed subscribers of `READERS`, each in their language."""
    from tests.factories import SubscriberFactory

    return [SubscriberFactory(email=email, language=language) for email, language in READERS.items()]


@pytest.fixture
def guide(db):
    """A resource of the French library, published now (after the issues' dates)."""
    from library.models import ResourcePage
    from library.services import library_index_get_or_create

    library = library_index_get_or_create(language="fr")
    page = ResourcePage(title="Calculer la cotisation d'une mutuelle de santé : guide pratique",
                        slug="guide-cotisations", resource_type="guide", language="fr", year=2012,
                        external_url="https://example.org/guide-cotisations", locale=library.locale)
    library.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def issues(db, guide):
    """Issues No 40 (four months ago) and No 41 (a month ago), each in French and English; No 41 has a
    text section, the `guide` among its new resources and the inventory's figures. {number: French issue}."""
    from django.utils import timezone

    from tests.factories import issue_section, newsletter_issue

    today = timezone.localdate()
    previous = newsletter_issue(40, issue_date=today - datetime.timedelta(days=120), fr={
        "title": "La Lettre n° 40 : un cadre commun pour les mutuelles de l'UEMOA",
    }, en={"title": "Newsletter No 40: one legal framework for the mutuals of WAEMU"})

    def sections(heading, text):
        return [issue_section("text", heading=heading, text=text), issue_section("resources", pages=[guide]),
                issue_section("inventory_figures")]

    latest = newsletter_issue(41, issue_date=today - datetime.timedelta(days=30), fr={
        "title": "La Lettre n° 41 : négocier avec les prestataires de soins",
        "intro": "Conventions entre mutuelles et formations sanitaires.",
        "editorial": "<p>Ce numéro est consacré à la relation avec les prestataires.</p>",
        "sections": sections("Mutuelles et prestataires de soins : contractualiser",
                             "<p>Des mutuelles ont négocié des conventions types.</p>"),
    }, en={
        "title": "Newsletter No 41: negotiating with care providers",
        "intro": "Agreements between mutuals and health facilities.",
        "editorial": "<p>This issue is about the relationship with care providers.</p>",
        "sections": sections("Mutuals and care providers: signing agreements",
                             "<p>Mutuals negotiated model contracts.</p>"),
    })
    return {40: previous, 41: latest}
