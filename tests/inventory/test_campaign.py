"""The yearly campaign: who is expected to report, and opening and closing (every role, crafted POSTs,
the secretariat's page and its form). The campaign e-mails: test_campaign_emails.py."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from inventory.campaign.schedule import (
    campaign_close,
    campaign_open,
    expected_mutuals,
    reporters,
    reporters_by_mutual,
)
from inventory.contract.choices import RegistrationState, ReturnState
from inventory.models import Campaign, CampaignMessage, SupportingOrganization
from portal.accounts.roles import Role
from tests.factories import CountryFactory, MutualFactory, ReturnFactory, UserFactory, user_with_role
from tests.inventory import campaigns
from tests.inventory.campaigns import DAY, TODAY, YEAR

pytestmark = pytest.mark.django_db
# The fixture of the campaign tests (tests/inventory/campaigns.py): a secretariat member.
secretariat = campaigns.secretariat


def url(name, *args, language="en"):
    with translation.override(language):
        return reverse(f"inventory:{name}", args=args)


# --- Who is expected -------------------------------------------------------------------------

def test_expected_mutuals_follow_the_contracts_mutuals_known_rule():
    ml = CountryFactory(code="ML")
    expected = {
        "no creation year": MutualFactory(year_created=None),
        "created that year": MutualFactory(year_created=YEAR),
        "created before": MutualFactory(year_created=YEAR - 5),
        "closed the same year": MutualFactory(),
        "closed but not validated": MutualFactory(),
        "closed later": MutualFactory(),
        "in Mali": MutualFactory(country=ml),
    }
    not_expected = {
        "created after": MutualFactory(year_created=YEAR + 1),
        "pending": MutualFactory(registration_state=RegistrationState.PENDING),
        "rejected": MutualFactory(registration_state=RegistrationState.REJECTED),
        "closed before": MutualFactory(),
    }
    ReturnFactory(mutual=not_expected["closed before"], year=YEAR - 2, state=ReturnState.VALIDATED,
                  status="closed")
    ReturnFactory(mutual=expected["closed the same year"], year=YEAR, state=ReturnState.VALIDATED,
                  status="closed")
    ReturnFactory(mutual=expected["closed but not validated"], year=YEAR - 1,
                  state=ReturnState.SUBMITTED, status="closed")
    ReturnFactory(mutual=expected["closed later"], year=YEAR + 1, state=ReturnState.VALIDATED,
                  status="closed")

    assert set(expected_mutuals(YEAR)) == set(expected.values())
    assert set(expected_mutuals(YEAR, countries=["ML"])) == {expected["in Mali"]}
    # The mutual closed in YEAR - 2 was still expected for that year.
    assert not_expected["closed before"] in expected_mutuals(YEAR - 2)


def test_reporters_are_active_managers_and_supporting_staff_with_an_address():
    manager = UserFactory(roles=[Role.MUTUAL_MANAGER])
    gone = UserFactory(roles=[Role.MUTUAL_MANAGER], is_active=False)
    staff = UserFactory(roles=[Role.SUPPORTING_ORGANIZATION])
    organization = SupportingOrganization.objects.create(name="Appui Santé")
    organization.staff.add(staff)
    mutual = MutualFactory(managers=[manager, gone])
    mutual.supporting_organizations.add(organization)
    other = MutualFactory(managers=[UserFactory()])

    assert list(reporters(mutual)) == sorted([manager, staff], key=lambda u: u.pk)
    by_mutual = reporters_by_mutual([mutual.pk, other.pk, MutualFactory().pk])
    assert by_mutual[mutual.pk] == list(reporters(mutual))
    assert by_mutual[other.pk] == list(reporters(other))
    assert len(by_mutual) == 2  # the mutual nobody reports for is absent


# --- Opening and closing ---------------------------------------------------------------------

@pytest.mark.parametrize("role", list(Role))
def test_only_the_secretariat_opens_and_closes_a_campaign(role):
    user = user_with_role(role, **({"focal_countries": ["SN"]} if role == Role.FOCAL_POINT else {}))
    if role == Role.SECRETARIAT:
        campaign = campaign_open(year=YEAR, deadline=TODAY + 30 * DAY, message="", user=user)
        assert campaign.opened_by == user
        campaign_close(campaign=campaign, user=user)
        campaign.refresh_from_db()
        assert campaign.closed_by == user and campaign.closed_at is not None
        return
    with pytest.raises(PermissionDenied):
        campaign_open(year=YEAR, deadline=TODAY + 30 * DAY, message="", user=user)
    campaign = Campaign.objects.create(year=YEAR, deadline=TODAY + 30 * DAY)
    with pytest.raises(PermissionDenied):
        campaign_close(campaign=campaign, user=user)
    campaign.refresh_from_db()
    assert campaign.is_open


def test_one_campaign_per_year_and_one_open_at_a_time(secretariat):
    with translation.override("en"):  # the messages asserted are the English ones
        first = campaign_open(year=YEAR - 1, deadline=TODAY, message=" Merci ! ", user=secretariat)
        assert first.message == "Merci !"
        with pytest.raises(ValidationError) as error:
            campaign_open(year=YEAR, deadline=TODAY + 30 * DAY, message="", user=secretariat)
        assert "still open" in str(error.value.message_dict["year"])
        campaign_close(campaign=first, user=secretariat)
        with pytest.raises(ValidationError, match="already closed"):
            campaign_close(campaign=first, user=secretariat)
        with pytest.raises(ValidationError) as error:
            campaign_open(year=YEAR - 1, deadline=TODAY + 30 * DAY, message="", user=secretariat)
        assert "already a campaign" in str(error.value.message_dict["year"])
        with pytest.raises(ValidationError) as error:
            campaign_open(year=YEAR, deadline=TODAY - DAY, message="", user=secretariat)
        assert "deadline" in error.value.message_dict
        for year in (1997, TODAY.year + 1):
            with pytest.raises(ValidationError) as error:
                campaign_open(year=year, deadline=TODAY + DAY, message="", user=secretariat)
            assert "year" in error.value.message_dict
        assert campaign_open(year=YEAR, deadline=TODAY + DAY, message="", user=secretariat).year == YEAR


def test_the_campaign_page_is_the_secretariats(client):
    campaigns_url = url("campaigns")
    response = client.get(campaigns_url)
    assert response.status_code == 302 and "/login/" in response["Location"]
    for role in (Role.AUTHENTICATED, Role.MEMBER, Role.MUTUAL_MANAGER, Role.SUPPORTING_ORGANIZATION,
                 Role.FOCAL_POINT):
        user = UserFactory(roles=[role] if role != Role.AUTHENTICATED else [], focal_countries=["SN"])
        client.force_login(user)
        assert client.get(campaigns_url).status_code == 403, role
    client.force_login(UserFactory(roles=[Role.SECRETARIAT]))
    response = client.get(campaigns_url)
    assert response.status_code == 200
    assert "Open a campaign" in response.content.decode()


@pytest.mark.parametrize("role", [Role.FOCAL_POINT, Role.MUTUAL_MANAGER, Role.SUPPORTING_ORGANIZATION,
                                  Role.MEMBER, Role.AUTHENTICATED, Role.VISITOR])
def test_crafted_campaign_posts_by_anyone_else_change_nothing(client, role):
    manager = UserFactory(roles=[Role.MUTUAL_MANAGER])
    MutualFactory(managers=[manager])
    campaign = Campaign.objects.create(year=YEAR, deadline=TODAY + 30 * DAY)
    if role != Role.VISITOR:
        user = UserFactory(roles=[role] if role != Role.AUTHENTICATED else [], focal_countries=["SN"])
        client.force_login(user)
    posts = [
        (url("campaigns"), {"year": YEAR - 1, "deadline": (TODAY + DAY).isoformat()}),
        (url("campaign_close", YEAR), {}),
        (url("campaign_send", YEAR), {}),
    ]
    for address, data in posts:
        response = client.post(address, data)
        if role == Role.VISITOR:
            assert response.status_code == 302 and "/login/" in response["Location"]
        else:
            assert response.status_code == 403
    campaign.refresh_from_db()
    assert campaign.is_open
    assert Campaign.objects.count() == 1
    assert mail.outbox == [] and not CampaignMessage.objects.exists()


def test_the_secretariat_opens_closes_and_sends_from_the_page(client, secretariat):
    manager = UserFactory(roles=[Role.MUTUAL_MANAGER])
    MutualFactory(managers=[manager])
    client.force_login(secretariat)
    response = client.post(url("campaigns"), {
        "year": YEAR, "deadline": (TODAY + 30 * DAY).isoformat(), "message": "Bon courage",
    })
    assert response.status_code == 302
    campaign = Campaign.objects.get(year=YEAR)
    assert (campaign.opened_by, campaign.message, campaign.deadline) == (
        secretariat, "Bon courage", TODAY + 30 * DAY)

    response = client.post(url("campaign_send", YEAR), follow=True)
    assert [m.to for m in mail.outbox] == [[manager.email]]
    assert "1 invitations" in response.content.decode()
    client.post(url("campaign_send", YEAR))
    assert len(mail.outbox) == 1

    response = client.post(url("campaign_close", YEAR), follow=True)
    campaign.refresh_from_db()
    assert campaign.closed_by == secretariat
    assert "is closed" in response.content.decode()
    assert client.get(url("campaign_close", YEAR)).status_code == 405


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"year": "", "deadline": "2099-01-01"}, "year", "This field is required"),
    ({"year": "deux mille", "deadline": "2099-01-01"}, "year", "Enter a whole number"),
    ({"year": "1990", "deadline": "2099-01-01"}, "year", "greater than or equal to 1998"),
    ({"year": str(TODAY.year + 3), "deadline": "2099-01-01"}, "year", "between 1998 and"),
    ({"year": str(YEAR), "deadline": "hier"}, "deadline", "Enter a valid date"),
    ({"year": str(YEAR), "deadline": (TODAY - DAY).isoformat()}, "deadline", "cannot be in the past"),
])
def test_opening_form_names_the_bad_field_and_keeps_what_was_typed(client, secretariat, data, field,
                                                                   message):
    client.force_login(secretariat)
    response = client.post(url("campaigns"), {**data, "message": "Mon message à garder"})
    assert response.status_code == 400
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    assert "Mon message à garder" in response.content.decode()
    assert not Campaign.objects.exists()


def test_opening_a_second_year_while_one_is_open_says_so(client, secretariat):
    Campaign.objects.create(year=YEAR - 1, deadline=TODAY)
    client.force_login(secretariat)
    response = client.post(url("campaigns"), {"year": YEAR, "deadline": (TODAY + DAY).isoformat()})
    assert response.status_code == 400
    assert "still open: close it before opening another one" in response.content.decode()
    response = client.post(url("campaigns"), {"year": YEAR - 1, "deadline": (TODAY + DAY).isoformat()})
    assert "already a campaign" in " ".join(response.context["form"].errors["year"])

