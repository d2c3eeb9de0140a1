"""The yearly return on the site: numbers as people type them, the form's sections, pre-filling,
concurrent saves, submission with errors and warnings, and every role's access, including crafted
URLs and POSTs. The focal point's review, history and restore, the workflow's e-mails and the
separation of duties: test_return_review.py."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from inventory.contract.choices import ReturnState
from inventory.models import YearlyReturn
from inventory.returns.forms import parse_number
from inventory.returns.services import return_save_draft, return_submit, return_validate
from portal.accounts.roles import Role
from tests.factories import CountryFactory, MutualFactory, ReturnFactory, UserFactory
from tests.inventory import return_pages
from tests.inventory.return_pages import logged_in, section_post, url

pytestmark = pytest.mark.django_db
# The fixtures of the return tests (tests/inventory/return_pages.py): a mutual's manager, the mutual,
# Senegal's focal point.
manager, mutual, focal_point = return_pages.manager, return_pages.mutual, return_pages.focal_point

LAST_YEAR = {
    "status": "functional", "target_population": 20000, "members": 1500, "beneficiaries": 6000,
    "contributions_due": Decimal("9000000"), "contributions_collected": Decimal("7200000"),
    "currency": "XOF", "membership_unit": "family",
}


@pytest.fixture
def last_year(mutual, manager):
    """The mutual's validated 2024 return."""
    ret = ReturnFactory(mutual=mutual, year=2024, state=ReturnState.VALIDATED, **LAST_YEAR)
    return ret


# Numbers as people type them -------------------------------------------------------------

@pytest.mark.parametrize(("text", "language", "expected"), [
    ("1 234", "fr", Decimal("1234")),
    ("1\u00a0234,5", "fr", Decimal("1234.5")),
    ("1\u202f234\u202f567", "fr", Decimal("1234567")),
    ("1.234.567", "fr", Decimal("1234567")),
    ("12,75", "fr", Decimal("12.75")),
    ("12.75", "fr", Decimal("12.75")),
    ("1,234", "en", Decimal("1234")),
    ("1,234.5", "en", Decimal("1234.5")),
    ("0", "en", Decimal("0")),
])
def test_numbers_are_read_as_french_and_english_readers_write_them(text, language, expected):
    assert parse_number(text, whole=False, language=language) == expected


@pytest.mark.parametrize("text", ["douze", "1,2,3", "12..5", "1e5x", "Infinity", "NaN", "--1"])
def test_what_is_not_a_number_is_refused(text):
    with pytest.raises(ValueError):
        parse_number(text, whole=False, language="fr")


def test_a_decimal_where_a_whole_number_is_expected_is_refused():
    with translation.override("en"), pytest.raises(ValueError, match="whole number"):
        parse_number("12,5", whole=True, language="fr")


# The form ----------------------------------------------------------------------------------

def test_new_years_form_is_prefilled_from_last_year_without_creating_anything(
    client, manager, mutual, last_year
):
    response = logged_in(client, manager).get(url("return_edit", mutual, 2025))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="1\u00a0500"' in page  # members, pre-filled and grouped the French way
    beside = re.search(r'id="id_members_previous">([^<]*)<', page).group(1)
    assert "2024" in beside and "1\u00a0500" in beside  # last year's value beside the field
    assert not YearlyReturn.objects.filter(mutual=mutual, year=2025).exists()


def test_saving_a_section_creates_the_draft_with_the_typed_figures_and_keeps_revisions(
    client, manager, mutual, last_year
):
    response = logged_in(client, manager).post(
        url("return_edit_section", mutual, 2025, "people"),
        section_post(0, status="functional", target_population="21 000", members="1 650",
                     beneficiaries="6\u00a0600", new_members="", renewed_members="1 400"),
    )
    assert response.status_code == 302
    ret = YearlyReturn.objects.get(mutual=mutual, year=2025)
    assert (ret.state, ret.members, ret.beneficiaries, ret.new_members) == ("draft", 1650, 6600, None)
    assert ret.contributions_collected == Decimal("7200000")  # other sections: last year's, pre-filled
    revisions = list(ret.revisions.order_by("number"))
    assert [r.number for r in revisions] == [1, 2]
    assert "2024" in revisions[0].note and set(revisions[1].changed_fields) == {
        "target_population", "members", "beneficiaries", "renewed_members",
    }


def test_an_invalid_figure_names_the_field_and_keeps_everything_typed(client, manager, mutual, last_year):
    response = logged_in(client, manager).post(
        url("return_edit_section", mutual, 2025, "people"),
        section_post(0, status="functional", target_population="vingt mille", members="1 650",
                     beneficiaries="-3"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Population cible" in page and "Saisissez un nombre" in page or "Enter a number" in page
    assert 'value="vingt mille"' in page and 'value="1 650"' in page and 'value="-3"' in page
    assert not YearlyReturn.objects.filter(mutual=mutual, year=2025).exists()


def test_english_reader_gets_english_labels_and_messages(client, manager, mutual):
    with translation.override("en"):
        edit = reverse("inventory:return_edit_section", args=[mutual.mutual_id, 2025, "money"])
    response = logged_in(client, manager).post(edit, section_post(0, benefits_paid="lots"))
    page = response.content.decode()
    assert "Benefits paid" in page and "Enter a number" in page


def test_second_of_two_concurrent_saves_shows_both_versions_and_saves_nothing(
    client, manager, mutual, last_year
):
    colleague = UserFactory(roles=[Role.MUTUAL_MANAGER])
    mutual.managers.add(colleague)
    ret = ReturnFactory(mutual=mutual, year=2025, members=1500, status="functional")
    version = ret.version
    logged_in(client, colleague).post(
        url("return_edit_section", mutual, 2025, "people"),
        section_post(version, status="functional", members="1 700"),
    )
    client.force_login(manager)
    response = client.post(
        url("return_edit_section", mutual, 2025, "people"),
        section_post(version, status="functional", members="1 800"),
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "1\u00a0700" in page and 'value="1 800"' in page  # theirs in the table, mine in the form
    assert str(colleague) in page
    ret.refresh_from_db()
    assert ret.members == 1700
    # Saving again from the refused form (it now carries the current version) keeps mine, knowingly.
    version = ret.version
    client.post(url("return_edit_section", mutual, 2025, "people"),
                section_post(version, status="functional", members="1 800"))
    ret.refresh_from_db()
    assert ret.members == 1800 and ret.revisions.count() == 2


def test_a_submitted_return_cannot_be_changed_through_the_form(client, manager, mutual):
    ret = ReturnFactory(mutual=mutual, year=2025, status="functional", state=ReturnState.SUBMITTED)
    response = logged_in(client, manager).post(
        url("return_edit_section", mutual, 2025, "people"), section_post(ret.version, members="5")
    )
    assert response.status_code == 302
    ret.refresh_from_db()
    assert ret.members is None and ret.state == ReturnState.SUBMITTED


@pytest.mark.parametrize("year", [1997, 2999])
def test_years_outside_the_inventory_are_not_found(client, manager, mutual, year):
    assert logged_in(client, manager).get(url("return_edit", mutual, year)).status_code == 404


def test_unknown_section_is_not_found(client, manager, mutual):
    response = logged_in(client, manager).get(url("return_edit_section", mutual, 2025, "secrets"))
    assert response.status_code == 404


# Submission --------------------------------------------------------------------------------

def test_submitting_without_the_required_status_lists_the_field_with_a_link(client, manager, mutual):
    ReturnFactory(mutual=mutual, year=2025, members=10)
    response = logged_in(client, manager).post(url("return_submit", mutual, 2025))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Statut cette année-là" in page
    assert url("return_edit_section", mutual, 2025, "people") + "#id_status" in page
    assert YearlyReturn.objects.get(mutual=mutual, year=2025).state == ReturnState.DRAFT


def test_warnings_ask_for_comments_then_the_return_is_submitted(client, manager, mutual, last_year):
    ReturnFactory(mutual=mutual, year=2025, status="functional", members=6000, beneficiaries=5000)
    client = logged_in(client, manager)
    response = client.post(url("return_submit", mutual, 2025))
    assert response.status_code == 400
    page = response.content.decode()
    assert "moins de bénéficiaires que d" in page.lower() or "fewer beneficiaries" in page
    assert 'name="comment_members_changed"' in page
    ret = YearlyReturn.objects.get(mutual=mutual, year=2025)
    # An empty comment is refused, the other one typed is kept.
    response = client.post(url("return_submit", mutual, 2025), {
        "base_version": ret.version, "comment_members_changed": "Adhésion d'un groupement de femmes",
        "comment_beneficiaries_below_members": "",
    })
    assert response.status_code == 400
    assert "groupement de femmes" in response.content.decode()
    response = client.post(url("return_submit", mutual, 2025), {
        "base_version": ret.version, "comment_members_changed": "Adhésion d'un groupement de femmes",
        "comment_beneficiaries_below_members": "Les ayants droit n'ont pas été comptés",
    })
    assert response.status_code == 302
    ret.refresh_from_db()
    assert ret.state == ReturnState.SUBMITTED
    assert ret.warning_comments["members_changed"] == "Adhésion d'un groupement de femmes"


@pytest.mark.parametrize("version", ["abc", "99999999999999999999", "-1", ""])
def test_a_forged_version_sent_with_the_comments_is_a_change_meanwhile(
    client, manager, mutual, last_year, version
):
    ReturnFactory(mutual=mutual, year=2025, status="functional", members=6000, beneficiaries=5000)
    response = logged_in(client, manager).post(url("return_submit", mutual, 2025), {
        "base_version": version, "comment_members_changed": "Adhésion d'un groupement de femmes",
        "comment_beneficiaries_below_members": "Les ayants droit n'ont pas été comptés",
    })
    assert response.status_code == 302
    assert response["Location"] == url("return_detail", mutual, 2025)
    assert YearlyReturn.objects.get(mutual=mutual, year=2025).state == ReturnState.DRAFT


# Who may do what, through URLs and POSTs -----------------------------------------------------

ENDPOINTS = [
    ("get", "return_detail", ()),
    ("get", "return_edit", ()),
    ("post", "return_edit_section", ("people",)),
    ("post", "return_submit", ()),
    ("post", "return_validate", ()),
    ("post", "return_send_back", ()),
    ("get", "return_history", ()),
    ("post", "return_restore", (1,)),
]
# What each person meets on a submitted return of a Senegalese mutual: "ok" (done or shown),
# "closed" (allowed to them, but not in this state: sent back to the page with a message),
# anything else refused (403).
REPORTER = {"return_detail": "ok", "return_history": "ok", "return_edit": "closed",
            "return_edit_section": "closed", "return_submit": "closed"}
OUTCOMES = {
    "anonymous": {},
    "registered user": {},
    "member": {},
    "manager of another mutual": {},
    "manager": REPORTER,
    "supporting organization staff": REPORTER,
    "focal point of Senegal": {"return_detail": "ok", "return_history": "ok", "return_validate": "ok",
                               "return_send_back": "ok"},
    "focal point of Mali": {},
    "secretariat": {**REPORTER, "return_validate": "ok", "return_send_back": "ok", "return_restore": "ok"},
}
ALLOWED = OUTCOMES


def person(kind, mutual):
    from inventory.models import SupportingOrganization

    if kind == "anonymous":
        return None
    if kind == "registered user":
        return UserFactory()
    if kind == "member":
        return UserFactory(roles=[Role.MEMBER])
    if kind == "manager of another mutual":
        user = UserFactory(roles=[Role.MUTUAL_MANAGER])
        MutualFactory(managers=[user])
        return user
    if kind == "manager":
        return mutual.managers.first()
    if kind == "supporting organization staff":
        user = UserFactory(roles=[Role.SUPPORTING_ORGANIZATION])
        organization = SupportingOrganization.objects.create(name="ONG d'appui")
        organization.staff.add(user)
        mutual.supporting_organizations.add(organization)
        return user
    if kind == "focal point of Senegal":
        return UserFactory(roles=[Role.FOCAL_POINT], focal_countries=["SN"])
    if kind == "focal point of Mali":
        return UserFactory(roles=[Role.FOCAL_POINT], focal_countries=["ML"])
    return UserFactory(roles=[Role.SECRETARIAT])


@pytest.mark.parametrize("kind", sorted(ALLOWED))
def test_every_person_reaches_exactly_the_return_actions_of_their_role(client, kind, mutual, manager):
    ret = ReturnFactory(mutual=mutual, year=2025, status="functional", members=10)
    ret = return_save_draft(ret=ret, data={"members": 12}, user=manager, base_version=ret.version)
    return_submit(ret=ret, user=manager)
    user = person(kind, mutual)
    if user:
        client.force_login(user)
    for method, name, extra in ENDPOINTS:
        sent = {"comment": "À revoir", "base_version": 99, "members": "1", "confirm": "on"}
        data = sent if method == "post" else None
        response = getattr(client, method)(url(name, mutual, 2025, *extra), data)
        if user is None:
            assert response.status_code == 302 and "/comptes/" in response["Location"], name
        else:
            expected = {"ok": {200, 302}, "closed": {302, 400}}.get(OUTCOMES[kind].get(name), {403})
            assert response.status_code in expected, (kind, name, response.status_code)
        ret.refresh_from_db()
        if ret.state != ReturnState.SUBMITTED:  # validated or sent back: undo for the next endpoint
            ret.state = ReturnState.SUBMITTED
            ret.save()
    ret.refresh_from_db()
    assert ret.members == 12  # nobody changed the figures of a submitted return


def test_a_manager_cannot_start_a_return_for_a_mutual_they_do_not_manage(client, manager):
    other = MutualFactory()
    client.force_login(manager)
    response = client.post(url("return_edit_section", other, 2025, "people"), section_post(0, members="5"))
    assert response.status_code == 403
    assert not YearlyReturn.objects.filter(mutual=other).exists()


def test_focal_point_of_another_country_cannot_validate_by_crafted_post(client, manager):
    mutual = MutualFactory(country=CountryFactory(code="ML"), managers=[manager])
    ret = ReturnFactory(mutual=mutual, year=2025, status="functional")
    return_submit(ret=ret, user=manager)
    client.force_login(UserFactory(roles=[Role.FOCAL_POINT], focal_countries=["SN"]))
    assert client.post(url("return_validate", mutual, 2025)).status_code == 403
    ret.refresh_from_db()
    assert ret.state == ReturnState.SUBMITTED


def test_reporting_home_lists_my_mutuals_and_the_year_to_fill_in(client, manager, mutual, last_year):
    from inventory.models import Campaign

    Campaign.objects.create(year=2025, deadline="2026-03-31")
    other = MutualFactory(name="Mutuelle que je ne gère pas")
    page = logged_in(client, manager).get(reverse("inventory:my_mutuals")).content.decode()
    assert mutual.name in page and other.name not in page
    assert url("return_edit", mutual, 2025) in page


def test_validated_return_is_not_changed_by_the_managers_later_post(client, manager, mutual, focal_point):
    ret = ReturnFactory(mutual=mutual, year=2025, status="functional", members=10)
    return_submit(ret=ret, user=manager)
    return_validate(ret=ret, user=focal_point)
    client.force_login(manager)
    client.post(url("return_edit_section", mutual, 2025, "people"), section_post(99, members="99999"))
    ret.refresh_from_db()
    assert ret.members == 10

