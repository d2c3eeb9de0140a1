"""The yearly return on the site: the form's sections, pre-filling, numbers as people type them,
concurrent saves, submission with errors and warnings, the focal point's review, history, restore,
and every role's access, including crafted URLs and POSTs."""

import html
import json
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

pytestmark = pytest.mark.django_db

LAST_YEAR = {
    "status": "functional", "target_population": 20000, "members": 1500, "beneficiaries": 6000,
    "contributions_due": Decimal("9000000"), "contributions_collected": Decimal("7200000"),
    "currency": "XOF", "membership_unit": "family",
}


def url(name, mutual, year, *more):
    with translation.override("fr"):
        return reverse(f"inventory:{name}", args=[mutual.mutual_id, year, *more])


@pytest.fixture
def manager():
    return UserFactory(roles=[Role.MUTUAL_MANAGER])


@pytest.fixture
def mutual(manager):
    return MutualFactory(managers=[manager], name="Mutuelle de Ndiamaguène")


@pytest.fixture
def last_year(mutual, manager):
    """The mutual's validated 2024 return."""
    ret = ReturnFactory(mutual=mutual, year=2024, state=ReturnState.VALIDATED, **LAST_YEAR)
    return ret


@pytest.fixture
def focal_point():
    return UserFactory(roles=[Role.FOCAL_POINT], focal_countries=["SN"])


def logged_in(client, user):
    client.force_login(user)
    return client


def section_post(version, **values):
    return {"base_version": version, "then": "review", **values}


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


# Review --------------------------------------------------------------------------------------

def test_focal_point_returns_with_a_comment_the_manager_sees_it_corrects_and_resubmits(
    client, manager, mutual, focal_point
):
    ret = ReturnFactory(mutual=mutual, year=2025, status="functional", members=100, beneficiaries=400)
    return_submit(ret=ret, user=manager)
    client.force_login(focal_point)
    response = client.post(url("return_send_back", mutual, 2025), {"comment": ""})
    assert response.status_code == 400  # a comment is required
    client.post(url("return_send_back", mutual, 2025), {"comment": "Le nombre d'adhérents semble faible."})
    client.force_login(manager)
    page = html.unescape(client.get(url("return_detail", mutual, 2025)).content.decode())
    assert "Le nombre d'adhérents semble faible." in page
    ret.refresh_from_db()
    assert ret.state == ReturnState.RETURNED
    client.post(url("return_edit_section", mutual, 2025, "people"),
                section_post(ret.version, status="functional", members="120", beneficiaries="400"))
    assert client.post(url("return_submit", mutual, 2025)).status_code == 302
    client.force_login(focal_point)
    client.post(url("return_validate", mutual, 2025))
    ret.refresh_from_db()
    assert (ret.state, ret.members) == (ReturnState.VALIDATED, 120)
    assert [t.to_state for t in ret.transitions.order_by("id")] == [
        "submitted", "returned", "submitted", "validated",
    ]
    client.logout()
    with translation.override("fr"):
        profile = client.get(reverse("inventory:mutual_detail", args=[mutual.mutual_id])).content.decode()
    assert "<td class=\"num\">120</td>" in profile


# History and restore -------------------------------------------------------------------------

def test_history_shows_who_changed_what_and_the_secretariat_restores_a_version(client, manager, mutual):
    ret = ReturnFactory(mutual=mutual, year=2025)
    ret = return_save_draft(ret=ret, data={"members": 100}, user=manager, base_version=ret.version)
    ret = return_save_draft(ret=ret, data={"members": 250}, user=manager, base_version=ret.version)
    page = logged_in(client, manager).get(url("return_history", mutual, 2025)).content.decode()
    assert "Version 2" in page and str(manager) in page and "Adhérents" in page
    assert "Restaurer la version" not in page  # only the secretariat restores
    assert client.post(url("return_restore", mutual, 2025, 1)).status_code == 403
    secretariat = UserFactory(roles=[Role.SECRETARIAT])
    client.force_login(secretariat)
    response = client.post(url("return_restore", mutual, 2025, 1))
    assert response.status_code == 302
    ret.refresh_from_db()
    assert ret.members == 100 and ret.revisions.count() == 3
    assert "Version 1" in ret.revisions.get(number=3).note or "1" in ret.revisions.get(number=3).note


def test_restoring_an_unknown_version_is_not_found(client, mutual):
    ReturnFactory(mutual=mutual, year=2025)
    client.force_login(UserFactory(roles=[Role.SECRETARIAT]))
    assert client.post(url("return_restore", mutual, 2025, 99)).status_code == 404


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
        data = {"comment": "À revoir", "base_version": 99, "members": "1"} if method == "post" else None
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


# E-mails of the workflow -------------------------------------------------------------------------

def test_each_step_tells_the_other_side_by_email_in_their_language(
    client, manager, mutual, focal_point, django_capture_on_commit_callbacks, mailoutbox
):
    manager.languages = ["en"]
    manager.save()
    ret = ReturnFactory(mutual=mutual, year=2025, status="functional", members=100, beneficiaries=400)
    with django_capture_on_commit_callbacks(execute=True):
        logged_in(client, manager).post(url("return_submit", mutual, 2025))
    assert [m.to for m in mailoutbox] == [[focal_point.email]]
    assert mutual.name in mailoutbox[0].subject and "examiner" in mailoutbox[0].subject
    assert url("return_detail", mutual, 2025) in mailoutbox[0].body

    client.force_login(focal_point)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("return_send_back", mutual, 2025), {"comment": "Préciser les bénéficiaires."})
    returned = mailoutbox[-1]
    assert returned.to == [manager.email] and "corrections requested" in returned.subject
    assert "Préciser les bénéficiaires." in returned.body
    with translation.override("en"):
        assert reverse("inventory:return_detail", args=[mutual.mutual_id, 2025]) in returned.body

    ret.refresh_from_db()
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("return_submit", mutual, 2025))
        client.force_login(focal_point)
        client.post(url("return_validate", mutual, 2025))
    assert "validated" in mailoutbox[-1].subject and mailoutbox[-1].to == [manager.email]
    assert len(mailoutbox) == 4


def test_a_refused_step_sends_nothing(
    client, manager, mutual, django_capture_on_commit_callbacks, mailoutbox
):
    ReturnFactory(mutual=mutual, year=2025, members=10)  # no status: cannot be submitted
    with django_capture_on_commit_callbacks(execute=True):
        logged_in(client, manager).post(url("return_submit", mutual, 2025))
    assert mailoutbox == []


# Separation of duties on the review page ------------------------------------------------------------

def test_a_focal_point_who_submitted_the_return_is_refused_on_the_review_page(client, mutual, manager):
    both = UserFactory(roles=[Role.MUTUAL_MANAGER, Role.FOCAL_POINT], focal_countries=["SN"],
                       first_name="Moussa", last_name="Sarr")
    mutual.managers.add(both)
    ret = ReturnFactory(mutual=mutual, year=2025, status="functional", members=100, beneficiaries=400)
    ret = return_save_draft(ret=ret, data={"members": 120}, user=manager, base_version=ret.version)
    return_submit(ret=ret, user=both)
    client.force_login(both)
    page = html.unescape(client.get(url("return_detail", mutual, 2025)).content.decode())
    assert "vous ne pouvez pas les valider" in page.lower() or "cannot validate" in page
    assert url("return_validate", mutual, 2025) not in page  # no button that would fail
    response = client.post(url("return_validate", mutual, 2025))
    page = html.unescape(response.content.decode())
    assert response.status_code == 403
    assert 'role="alert"' in page and ("cannot validate" in page or "pouvez pas les valider" in page)
    ret.refresh_from_db()
    assert ret.state == ReturnState.SUBMITTED


def test_the_review_page_shows_who_edited_and_who_submitted_and_when(client, mutual, manager, focal_point):
    colleague = UserFactory(roles=[Role.MUTUAL_MANAGER], first_name="Fatou", last_name="Ba")
    mutual.managers.add(colleague)
    ret = ReturnFactory(mutual=mutual, year=2025, status="functional", members=100, beneficiaries=400)
    ret = return_save_draft(ret=ret, data={"members": 120}, user=manager, base_version=ret.version)
    return_submit(ret=ret, user=colleague)
    response = logged_in(client, focal_point).get(url("return_detail", mutual, 2025))
    review = html.unescape(response.content.decode()).split('id="review-title"')[1].split("</section>")[0]
    trail = response.context["trail"]
    submitted = trail.submission.created_at
    with translation.override("fr"):
        from django.utils.formats import date_format
        from django.utils.timezone import localtime

        when = date_format(localtime(submitted), "DATETIME_FORMAT")
    assert str(manager) in review and str(colleague) in review and when in review
    assert url("return_validate", mutual, 2025) in response.content.decode()


def test_the_secretariat_overrides_on_the_page_with_a_reason_shown_in_the_history(client, mutual):
    secretariat = UserFactory(roles=[Role.SECRETARIAT])
    ret = ReturnFactory(mutual=mutual, year=2025, status="functional", members=100, beneficiaries=400)
    ret = return_save_draft(ret=ret, data={"members": 120}, user=secretariat, base_version=ret.version)
    return_submit(ret=ret, user=secretariat)
    client.force_login(secretariat)
    assert 'name="override_reason"' in client.get(url("return_detail", mutual, 2025)).content.decode()
    response = client.post(url("return_validate", mutual, 2025), {"override_reason": ""})
    assert response.status_code == 400 and response.context["validate_form"].errors["override_reason"]
    ret.refresh_from_db()
    assert ret.state == ReturnState.SUBMITTED
    reason = "Fiche papier reçue par courrier, point focal injoignable."
    assert client.post(url("return_validate", mutual, 2025), {"override_reason": reason}).status_code == 302
    ret.refresh_from_db()
    assert ret.state == ReturnState.VALIDATED
    history = html.unescape(client.get(url("return_history", mutual, 2025)).content.decode())
    assert reason in history


def test_a_restore_on_a_validated_return_keeps_the_public_figures_until_validated(
    client, mutual, manager, focal_point
):
    ret = ReturnFactory(mutual=mutual, year=2025, status="functional", members=100, beneficiaries=400)
    ret = return_save_draft(ret=ret, data={"members": 120}, user=manager, base_version=ret.version)
    ret = return_save_draft(ret=ret, data={"members": 150}, user=manager, base_version=ret.version)
    return_submit(ret=ret, user=manager)
    return_validate(ret=ret, user=focal_point)

    def public():
        client.logout()
        with translation.override("fr"):
            profile = client.get(reverse("inventory:mutual_detail", args=[mutual.mutual_id])).content.decode()
        response = client.get("/api/v1/inventory/returns", {"mutual_id": mutual.mutual_id})
        returns = json.loads(b"".join(response.streaming_content))
        return "<td class=\"num\">150</td>" in profile, [r["members"] for r in returns["results"]]

    assert public() == (True, [150])
    client.force_login(UserFactory(roles=[Role.SECRETARIAT]))
    assert client.post(url("return_restore", mutual, 2025, 1)).status_code == 302
    ret.refresh_from_db()
    assert ret.state == ReturnState.VALIDATED and ret.pending_revision is not None
    assert public() == (True, [150])  # nothing public changed
    client.force_login(focal_point)
    page = client.get(url("return_detail", mutual, 2025)).content.decode()
    assert 'id="pending-title"' in page and url("return_validate", mutual, 2025) in page
    assert client.post(url("return_validate", mutual, 2025)).status_code == 302
    ret.refresh_from_db()
    assert (ret.members, ret.pending_revision) == (120, None)
    assert public() == (False, [120])
