"""The inventory that the data API's tests read (tests/inventory/test_api*.py) and how they call the
API: in English, a whole endpoint at once (`results`), streamed or not (`body`)."""

import json

import pytest
from django.core.cache import cache

from inventory.contract.choices import RegistrationState, ReturnState
from inventory.models import Union
from tests.factories import CountryFactory, MutualFactory, ReturnFactory

API = "/api/v1/inventory/"
PERSONAL = ("Awa Diop", "+221 77 123 45 67", "awa.diop@example.org")


@pytest.fixture(autouse=True)
def fresh_cache():
    # The synthesis is cached on the inventory version, which stays 0 in tests that never commit.
    cache.clear()
    yield
    cache.clear()


def get(client, path, params=None, **headers):
    return client.get(path, params or {}, HTTP_ACCEPT_LANGUAGE="en", **headers)


def body(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return json.loads(content)


def results(client, endpoint, params=None):
    response = get(client, API + endpoint, {"page_size": 1000, **(params or {})})
    assert response.status_code == 200, body(response)
    return body(response)["results"]


@pytest.fixture
def inventory():
    """Three countries, two unions (one with a comma in its name), public mutuals with validated,
    submitted and draft returns, and a pending and a hidden mutual with validated returns."""
    sn = CountryFactory(code="SN")
    ml = CountryFactory(code="ML", currency="XOF")
    CountryFactory(code="CI")
    thies_union = Union.objects.create(name="Union des mutuelles de Thiès", country=sn)
    network = Union.objects.create(name="Réseau, Alliance santé")
    thies = MutualFactory(name="Mutuelle de Thiès", region="Thiès", union=thies_union,
                          contact_name="Awa Diop", contact_phone="+221 77 123 45 67",
                          contact_email="awa.diop@example.org")
    ReturnFactory(mutual=thies, year=2023, state=ReturnState.VALIDATED, status="functional", members=1000,
                  beneficiaries=4000, target_population=20000, covers_drugs=True, currency="XOF",
                  contributions_collected=1_500_000, contributions_due=2_000_000)
    ReturnFactory(mutual=thies, year=2024, state=ReturnState.VALIDATED, status="functional", members=1250,
                  beneficiaries=5000, target_population=20000, covers_drugs=False, currency="XOF",
                  renewed_members=800, contribution_amount="1500.50")
    ReturnFactory(mutual=thies, year=2025, state=ReturnState.SUBMITTED, status="functional", members=999_999)
    dakar = MutualFactory(name="Mutuelle de Dakar", region="Dakar", mutual_type="socio_professional")
    ReturnFactory(mutual=dakar, year=2024, state=ReturnState.VALIDATED, status="dormant")
    ReturnFactory(mutual=dakar, year=2025, state=ReturnState.DRAFT, status="functional", members=444_444)
    gaps = MutualFactory(name="Mutuelle de Kaolack", region="Kaolack", mutual_type="enterprise")
    ReturnFactory(mutual=gaps, year=2020, state=ReturnState.VALIDATED, status="functional", members=50)
    ReturnFactory(mutual=gaps, year=2024, state=ReturnState.VALIDATED, status="setup", members=60)
    bamako = MutualFactory(name="Mutuelle de Bamako", country=ml, mutual_type="students", union=network)
    ReturnFactory(mutual=bamako, year=2023, state=ReturnState.VALIDATED, status="functional", members=300)
    ReturnFactory(mutual=bamako, year=2024, state=ReturnState.VALIDATED, status="closed", members=0)
    MutualFactory(name="Mutuelle d'Abidjan", country=CountryFactory(code="CI"), mutual_type="faith_based")
    # Signed up before identifiers waited for approval: it has one, which the API must not know.
    pending = MutualFactory(name="Mutuelle en attente", registration_state=RegistrationState.PENDING,
                            mutual_id="SN-0004")
    hidden = MutualFactory(name="Mutuelle discrète", is_public=False)
    for mutual, members in ((pending, 777_777), (hidden, 888_888)):
        ReturnFactory(mutual=mutual, year=2024, state=ReturnState.VALIDATED, status="functional",
                      members=members)
    return {"thies": thies, "dakar": dakar, "gaps": gaps, "bamako": bamako, "pending": pending,
            "hidden": hidden, "network": network}

