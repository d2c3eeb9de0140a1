"""The public directory of mutuals and their profile pages."""

import pytest

from inventory.contract.choices import RegistrationState, ReturnState
from portal.accounts.roles import Role
from tests.factories import CountryFactory, MutualFactory, ReturnFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mutuals():
    ml = CountryFactory(code="ML")
    thies = MutualFactory(name="Mutuelle de Thiès", region="Thiès", contact_name="Awa Diop",
                          contact_phone="+221 77 123 45 67", contact_email="awa.diop@example.org",
                          phone="+221 33 951 00 00")
    ReturnFactory(mutual=thies, year=2024, state=ReturnState.VALIDATED, status="functional",
                  members=1000, covers_drugs=True, covers_hospitalization=False)
    ReturnFactory(mutual=thies, year=2025, state=ReturnState.VALIDATED, status="functional",
                  members=1250, beneficiaries=5000, target_population=20000, covers_drugs=True,
                  covers_hospitalization=True)
    ReturnFactory(mutual=thies, year=2026, state=ReturnState.SUBMITTED, members=999_999)
    bamako = MutualFactory(name="Mutuelle de Bamako", country=ml, mutual_type="students")
    ReturnFactory(mutual=bamako, year=2025, state=ReturnState.VALIDATED, status="dormant",
                  covers_drugs=True)
    hidden = MutualFactory(name="Mutuelle en attente", registration_state=RegistrationState.PENDING)
    private = MutualFactory(name="Mutuelle discrète", is_public=False)
    return {"thies": thies, "bamako": bamako, "hidden": hidden, "private": private}


def names(response):
    return [m.name for m in response.context["page"].object_list]


def test_directory_lists_approved_public_mutuals_only(client, mutuals):
    response = client.get("/fr/inventaire/mutuelles/")
    assert response.status_code == 200
    assert sorted(names(response)) == ["Mutuelle de Bamako", "Mutuelle de Thiès"]
    assert "2 mutuelles" in response.content.decode()


@pytest.mark.parametrize("query,expected", [
    ({"country": "ML"}, ["Mutuelle de Bamako"]),
    ({"mutual_type": "students"}, ["Mutuelle de Bamako"]),
    ({"status": "functional"}, ["Mutuelle de Thiès"]),
    ({"region": "thi"}, ["Mutuelle de Thiès"]),
    ({"q": "bamako"}, ["Mutuelle de Bamako"]),
    ({"services": ["covers_drugs", "covers_hospitalization"]}, ["Mutuelle de Thiès"]),
    ({"services": ["covers_drugs"]}, ["Mutuelle de Bamako", "Mutuelle de Thiès"]),
])
def test_directory_filters(client, mutuals, query, expected):
    assert sorted(names(client.get("/en/inventory/mutuals/", query))) == expected


def test_a_country_code_in_lower_case_filters_like_the_api_and_stays_chosen(client, mutuals):
    response = client.get("/en/inventory/mutuals/", {"country": "ml"})
    assert response.status_code == 200
    assert names(response) == ["Mutuelle de Bamako"]
    assert '<option value="ML" selected>' in response.content.decode()


def test_a_bad_filter_value_is_a_400_with_the_reason(client, mutuals):
    response = client.get("/en/inventory/mutuals/", {"country": "ZZ", "q": "Thiès"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a valid choice" in html
    assert 'value="Thiès"' in html  # what the reader typed stays


def test_profile_shows_validated_figures_only_and_no_personal_contact(client, mutuals):
    thies = mutuals["thies"]
    response = client.get(f"/fr/inventaire/mutuelles/{thies.mutual_id}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "1\u00a0250" in html            # members 2025, French grouping
    assert "25,0 %" in html                # growth 2024 -> 2025
    bands = html
    for band in ("4\u00a0999", "19\u00a0999", "4,999", "19,999"):  # the peer benchmark's size bands
        bands = bands.replace(band, "")
    assert "999" not in bands              # the submitted 2026 figures are not public
    assert "+221 33 951 00 00" in html     # the office telephone is public
    for personal in ("Awa Diop", "+221 77 123 45 67", "awa.diop@example.org"):
        assert personal not in html


def test_the_mutual_manager_sees_the_contact_person(client, mutuals):
    manager = UserFactory(roles=[Role.MUTUAL_MANAGER])
    mutuals["thies"].managers.add(manager)
    client.force_login(manager)
    html = client.get(f"/fr/inventaire/mutuelles/{mutuals['thies'].mutual_id}/").content.decode()
    assert "Awa Diop" in html


@pytest.mark.parametrize("key", ["hidden", "private"])
def test_pending_and_private_mutuals_have_no_public_page(client, mutuals, key):
    assert client.get(f"/fr/inventaire/mutuelles/{mutuals[key].mutual_id}/").status_code == 404


def test_figures_are_rounded_not_cut_off():
    from django.utils import translation

    from inventory.templatetags.inventory_tags import figure

    with translation.override("en"):
        assert figure(0.14296, "penetration_rate") == "14.3 %"
        assert figure(2.96, "reserve_cover_months") == "3.0"
    with translation.override("fr"):
        assert figure(0.14296, "penetration_rate") == "14,3 %"
