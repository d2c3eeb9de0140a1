"""The peer benchmark's pages: the report of a validated year (who may read it, per role), the public
profile's "Among its peers", the minimum group size on the page, private mutuals kept out of every
group, and the "validated" e-mail's link to the report."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from inventory.contract.choices import ReturnState
from inventory.models import Campaign, SupportingOrganization
from inventory.opendata.peers import MIN_PEERS
from portal.accounts.roles import Role
from tests.factories import MutualFactory, ReturnFactory, UserFactory
from tests.inventory.return_pages import url

pytestmark = pytest.mark.django_db
YEAR = 2024


def figures(collected, **more):
    """A functional return's figures: contributions due 1,000, collected `collected` (the collection
    rate is collected / 1,000), 2,000 beneficiaries (the 1,000–4,999 band)."""
    return {"status": "functional", "members": 500, "beneficiaries": 2000, "target_population": 20000,
            "contributions_due": 1000, "contributions_collected": collected, **more}


def validated(mutual, year=YEAR, **values):
    return ReturnFactory(mutual=mutual, year=year, state=ReturnState.VALIDATED, **figures(**values))


@pytest.fixture
def network():
    """A Senegalese mutual (its manager, a supporting organization) among five other Senegalese
    functional mutuals (six with it: collection rates 60 to 85 %), three in Mali (below the minimum)."""
    manager = UserFactory(roles=[Role.MUTUAL_MANAGER])
    staff = UserFactory(roles=[Role.SUPPORTING_ORGANIZATION])
    organization = SupportingOrganization.objects.create(name="Appui Santé")
    organization.staff.add(staff)
    mutual = MutualFactory(name="Mutuelle de Ndiamaguène", managers=[manager])
    mutual.supporting_organizations.add(organization)
    validated(mutual, collected=600)
    for collected in (650, 700, 750, 800, 850):
        validated(MutualFactory(), collected=collected)
    mali = [MutualFactory(country__code="ML") for _ in range(3)]
    for m in mali:
        validated(m, collected=900)
    return {"mutual": mutual, "manager": manager, "staff": staff, "mali": mali}


def report(client, mutual, year=YEAR):
    return client.get(url("return_benchmark", mutual, year))


def cells(html, group):
    """The text of a column's cells (`group`: "own" or a peer group's code), tags removed."""
    found = re.findall(rf'data-group="{group}" data-label="[^"]*">(.*?)</td>', html, flags=re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip() for cell in found]


@pytest.mark.parametrize("who", ["manager", "supporting organization", "focal point of Senegal",
                                 "secretariat"])
def test_the_mutuals_reporters_its_focal_point_and_the_secretariat_read_the_report(client, network, who):
    user = {
        "manager": network["manager"], "supporting organization": network["staff"],
        "focal point of Senegal": UserFactory(roles=[Role.FOCAL_POINT], focal_countries=["SN"]),
        "secretariat": UserFactory(roles=[Role.SECRETARIAT]),
    }[who]
    client.force_login(user)
    response = report(client, network["mutual"])
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mutuelle de Ndiamaguène" in html
    # Six Senegalese returns with a collection rate of 60 to 85 %: median 72,5 %, n = 6.
    country = cells(html, "country")
    assert "72,5 %" in country[3] and "n = 6" in country[3]
    network_cells = cells(html, "network")
    assert "n = 9" in network_cells[3]


@pytest.mark.parametrize("who", ["member", "other mutual's manager", "other supporting organization",
                                 "focal point of Mali"])
def test_anyone_else_logged_in_is_refused(client, network, who):
    other_staff = UserFactory(roles=[Role.SUPPORTING_ORGANIZATION])
    other = SupportingOrganization.objects.create(name="Autre appui")
    other.staff.add(other_staff)
    network["mali"][0].supporting_organizations.add(other)
    user = {
        "member": UserFactory(roles=[Role.MEMBER]),
        "other mutual's manager": UserFactory(roles=[Role.MUTUAL_MANAGER]),
        "other supporting organization": other_staff,
        "focal point of Mali": UserFactory(roles=[Role.FOCAL_POINT], focal_countries=["ML"]),
    }[who]
    MutualFactory(managers=[user]) if who == "other mutual's manager" else None
    client.force_login(user)
    assert report(client, network["mutual"]).status_code == 403


def test_a_visitor_is_sent_to_the_login_page(client, network):
    response = report(client, network["mutual"])
    assert response.status_code == 302 and "/comptes/" in response["Location"]


def test_a_year_without_a_validated_return_has_no_report(client, network):
    client.force_login(network["manager"])
    ReturnFactory(mutual=network["mutual"], year=YEAR + 1, state=ReturnState.SUBMITTED,
                  **figures(collected=500))
    assert report(client, network["mutual"], YEAR + 1).status_code == 404
    assert report(client, network["mutual"], YEAR - 1).status_code == 404


def test_a_group_below_the_minimum_shows_no_figure(client, network):
    assert MIN_PEERS == 5
    malian = network["mali"][0]
    manager = UserFactory(roles=[Role.MUTUAL_MANAGER])
    malian.managers.add(manager)
    client.force_login(manager)
    html = report(client, malian).content.decode()
    country = cells(html, "country")[3]
    assert "n = 3" in country and "%" not in country  # "not enough peers", no figure
    # Its own rate (90 %) is shown, and the network's nine returns are enough.
    assert "90,0 %" in cells(html, "own")[3]
    assert "n = 9" in cells(html, "network")[3]


def test_a_private_mutuals_figures_enter_no_group_but_its_managers_see_its_report(client, network):
    manager = UserFactory(roles=[Role.MUTUAL_MANAGER])
    private = MutualFactory(managers=[manager], is_public=False)
    validated(private, collected=100)
    client.force_login(network["manager"])
    assert "n = 6" in cells(report(client, network["mutual"]).content.decode(), "country")[3]
    client.force_login(manager)
    html = report(client, private).content.decode()
    assert "10,0 %" in cells(html, "own")[3]
    assert "72,5 %" in cells(html, "country")[3]  # the six public ones, not it


def test_the_public_profile_compares_validated_years_only(client, network):
    mutual = network["mutual"]
    validated(mutual, year=YEAR - 1, collected=990)
    ReturnFactory(mutual=mutual, year=YEAR + 1, state=ReturnState.SUBMITTED, **figures(collected=10))
    with translation.override("fr"):
        profile = reverse("inventory:mutual_detail", args=[mutual.mutual_id])
    html = client.get(profile).content.decode()
    assert f'data-year="{YEAR}"' in html
    assert "72,5 %" in cells(html, "country")[3]
    assert "1,0 %" not in html  # the submitted year's own rate
    # Another validated year is one link away; a year not validated is not offered.
    older = client.get(profile, {"year": YEAR - 1}).content.decode()
    assert f'data-year="{YEAR - 1}"' in older and "99,0 %" in cells(older, "own")[3]
    assert f'data-year="{YEAR}"' in client.get(profile, {"year": YEAR + 1}).content.decode()
    # The printable report is offered to who may read it only.
    assert url("return_benchmark", mutual, YEAR) not in html
    client.force_login(network["manager"])
    assert url("return_benchmark", mutual, YEAR) in client.get(profile).content.decode()


def test_the_validated_email_links_to_the_years_report(
    client, network, django_capture_on_commit_callbacks, mailoutbox, settings
):
    mutual, manager = network["mutual"], network["manager"]
    ReturnFactory(mutual=mutual, year=YEAR + 1, state=ReturnState.SUBMITTED, **figures(collected=500))
    client.force_login(UserFactory(roles=[Role.FOCAL_POINT], focal_countries=["SN"]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("return_validate", mutual, YEAR + 1), {"confirm": "on"})
    assert response.status_code == 302
    message = next(m for m in mailoutbox if m.to == [manager.email])
    link = settings.SITE_URL.rstrip("/") + url("return_benchmark", mutual, YEAR + 1)
    assert link in message.body
    client.force_login(manager)
    page = client.get(link.removeprefix(settings.SITE_URL.rstrip("/")))
    assert page.status_code == 200 and "50,0 %" in cells(page.content.decode(), "own")[3]


def test_the_validated_returns_page_links_to_its_report(client, network):
    mutual = network["mutual"]
    ReturnFactory(mutual=mutual, year=YEAR + 1, state=ReturnState.SUBMITTED, **figures(collected=500))
    client.force_login(network["manager"])
    validated_page = client.get(url("return_detail", mutual, YEAR)).content.decode()
    assert url("return_benchmark", mutual, YEAR) in validated_page
    submitted = client.get(url("return_detail", mutual, YEAR + 1)).content.decode()
    assert url("return_benchmark", mutual, YEAR + 1) not in submitted


def test_a_provisional_year_is_marked_and_a_final_one_is_not(client, network):
    client.force_login(network["manager"])
    assert "provisional-badge" not in report(client, network["mutual"]).content.decode()
    Campaign.objects.create(year=YEAR, deadline=timezone.localdate() + datetime.timedelta(days=30))
    assert "provisional-badge" in report(client, network["mutual"]).content.decode()
