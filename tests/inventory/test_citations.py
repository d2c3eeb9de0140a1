"""Every table and chart says how to cite it; the glossary is reachable from the codebook and the form."""

import html

import pytest
from django.urls import reverse
from django.utils import translation

from inventory.contract.choices import ReturnState
from portal.accounts.roles import Role
from tests.factories import CountryFactory, MutualFactory, ReturnFactory, UserFactory

pytestmark = pytest.mark.django_db


def fr(name, *args):
    with translation.override("fr"):
        return reverse(name, args=args)


@pytest.fixture
def inventory():
    mutual = MutualFactory(country=CountryFactory(code="SN"))
    ReturnFactory(mutual=mutual, year=2025, state=ReturnState.VALIDATED, status="functional", members=10)
    return mutual


def test_overview_and_country_pages_say_how_to_cite_them(client, inventory):
    for url in (fr("inventory:overview"), fr("inventory:country", "SN")):
        page = html.unescape(client.get(url).content.decode())
        assert "Comment citer" in page, url
        assert "[jeu de données]" in page and "CC BY 4.0" in page, url


def test_codebook_links_each_indicator_to_its_glossary_entry(client):
    page = client.get(fr("inventory:codebook")).content.decode()
    assert f'{fr("inventory:glossary")}#penetration_rate"' in page
    assert f'{fr("inventory:glossary")}#mutual_name"' not in page


def test_the_return_form_links_to_the_glossary(client, inventory):
    manager = UserFactory(roles=[Role.MUTUAL_MANAGER])
    inventory.managers.add(manager)
    client.force_login(manager)
    page = client.get(fr("inventory:return_edit", inventory.mutual_id, 2026)).content.decode()
    assert f'href="{fr("inventory:glossary")}"' in page
