"""A member's proposal of a resource, as the proposal tests send it (test_proposals.py,
test_proposal_review.py): the form's data, the member, the embedded search engine, the e-mails and
search indexing of a block run (`capture`)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from library.models import ResourcePage
from library.search import SearchQuery, get_engine
from portal.accounts.roles import Role
from portal.core.pdf import pdf_bytes
from portal.reference.models import Theme
from tests.factories import CountryFactory, UserFactory

TITLE = "Guide du calcul des cotisations à Kaolack"


@pytest.fixture
def embedded_engine():
    with override_settings(ELASTICSEARCH_URL=""):
        yield


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    """Runs the on-commit callbacks (e-mails, search indexing) of the block it wraps."""
    return django_capture_on_commit_callbacks


@pytest.fixture
def member():
    return UserFactory(email="awa@example.org", first_name="Awa", last_name="Diop", roles=[Role.MEMBER],
                       languages=["fr"])


def url(name, language="fr"):
    with translation.override(language):
        return reverse(name)


def form_data(**overrides):
    theme = Theme.objects.get(slug="financing")
    country = CountryFactory(code="SN", name_fr="Sénégal", name_en="Senegal")
    data = {
        "title": TITLE, "summary": "Comment fixer la cotisation d'une mutuelle communautaire.",
        "resource_type": "guide", "themes": [theme.pk], "countries": [country.pk], "language": "fr",
        "year": "2019", "authors": "Awa Diop; Union des mutuelles", "publisher": "UM Kaolack",
        "licence": "CC BY 4.0",
        "file": SimpleUploadedFile("guide-cotisations.pdf", pdf_bytes("Calcul des cotisations mutuelles"),
                                   content_type="application/pdf"),
        "external_url": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def propose(client, user, site_language="fr", **overrides):
    client.force_login(user)
    return client.post(url("library:propose", site_language), form_data(**overrides))


def proposal():
    return ResourcePage.objects.get(title=TITLE)


def library_search(q):
    return [hit.title for hit in get_engine().search(SearchQuery(q=q)).results]

