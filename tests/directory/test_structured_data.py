"""schema.org `Organization` on a directory page (issue 15): the organization's public details only,
never its staff."""

import pytest

from inventory.models import SupportingOrganization
from portal.accounts.roles import Role
from portal.reference.models import Country
from tests.core.search_engines import PUBLIC, assert_no_local_address, get, of_type
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.SITE_URL = PUBLIC
    settings.ALLOWED_HOSTS = ["*"]


def test_organization_page_has_an_organization_without_its_staff(client):
    staff = UserFactory(email="agent.prive@example.org", first_name="Awa", last_name="Privée",
                        roles=[Role.SUPPORTING_ORGANIZATION])
    organization = SupportingOrganization.objects.create(
        name="Appui </script> Sénégal", acronym="AS", website="https://example.org/as",
        email="contact@as.example.org", address="BP 1,\nDakar", description_en="Supports mutuals in Senegal.")
    organization.staff.add(staff)
    organization.countries.add(Country.objects.get(code="SN"))
    html = get(client, f"/en/directory/{organization.pk}/")
    data = of_type(html, "Organization")
    assert data["name"] == "Appui </script> Sénégal"
    assert data["url"] == f"{PUBLIC}/en/directory/{organization.pk}/"
    assert data["sameAs"] == "https://example.org/as"
    assert data["email"] == "contact@as.example.org" and data["address"] == "BP 1, Dakar"
    assert data["areaServed"] == [{"@type": "Country", "name": "Senegal", "identifier": "SN"}]
    head_html = html.split("</head>")[0]
    assert "Privée" not in head_html and "agent.prive" not in head_html
    assert_no_local_address(head_html)
