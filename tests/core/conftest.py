"""The site's pages the tests of tests/core/ read, built on the skeleton (tests/core/site_pages.py)."""

import pytest

# The home pages' titles given by `home_titles`.
HOME_TITLES = {"fr": "La Concertation", "en": "The Concertation"}


@pytest.fixture
def network_pages(db):
    """The network's page (main menu) and its history, the legal notice and privacy pages (footer), in
    French and English: {"network"|"history"|"legal"|"privacy": French page}."""
    from .site_pages import network_pages

    return network_pages()


@pytest.fixture
def contact_page(db):
    """The contact page (French, with its English translation) and its form: the French page."""
    from .site_pages import contact_page

    return contact_page()


@pytest.fixture
def home_titles(home_fr, home_en):
    """The home pages retitled, published: HOME_TITLES, each language its own."""
    for home, language in ((home_fr, "fr"), (home_en, "en")):
        home.title = HOME_TITLES[language]
        home.save_revision().publish()
    return HOME_TITLES


@pytest.fixture
def newsletter_readers(db):
    """Three confirmed subscribers: two read in French, one (reader.accra@example.org) in English."""
    from tests.factories import SubscriberFactory

    return [SubscriberFactory(email="abonnee.dakar@example.org", language="fr"),
            SubscriberFactory(email="abonne.bamako@example.org", language="fr"),
            SubscriberFactory(email="reader.accra@example.org", language="en")]
