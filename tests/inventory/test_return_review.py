"""The yearly return after submission: the focal point's review (sent back with a comment, corrected,
validated), the history and the secretariat's restore, the e-mails of each step, and the separation
of duties on the review page (nobody validates what they edited or submitted; the secretariat
overrides with a reason). The form, submission and access: test_return_pages.py."""

import html
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from inventory.contract.choices import ReturnState
from inventory.returns.services import return_save_draft, return_submit, return_validate
from portal.accounts.roles import Role
from tests.factories import ReturnFactory, UserFactory
from tests.inventory import return_pages
from tests.inventory.return_pages import logged_in, section_post, url

pytestmark = pytest.mark.django_db
# The fixtures of the return tests (tests/inventory/return_pages.py): a mutual's manager, the mutual,
# Senegal's focal point.
manager, mutual, focal_point = return_pages.manager, return_pages.mutual, return_pages.focal_point
CONFIRMED = {"confirm": "on"}  # the reviewer's "I have checked these figures"


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
    client.post(url("return_validate", mutual, 2025), CONFIRMED)
    ret.refresh_from_db()
    assert (ret.state, ret.members) == (ReturnState.VALIDATED, 120)
    assert [t.to_state for t in ret.transitions.order_by("id")] == [
        "submitted", "returned", "submitted", "validated",
    ]
    client.logout()
    with translation.override("fr"):
        profile = client.get(reverse("inventory:mutual_detail", args=[mutual.mutual_id])).content.decode()
    assert "<td class=\"num\">120</td>" in profile


def _submitted(mutual, manager):
    ret = ReturnFactory(mutual=mutual, year=2025, status="functional", members=100, beneficiaries=400,
                        contributions_due=Decimal("493"))
    return return_submit(ret=ret, user=manager)


def test_the_reviewer_reads_the_figures_before_the_decision(client, mutual, manager, focal_point):
    _submitted(mutual, manager)
    page = logged_in(client, focal_point).get(url("return_detail", mutual, 2025)).content.decode()
    last_figures = page.rindex('class="return-table"')
    assert last_figures < page.index('id="review-title"')
    assert last_figures < page.index(url("return_validate", mutual, 2025))
    assert last_figures < page.index(url("return_send_back", mutual, 2025))


def test_validating_needs_the_confirmation_that_shows_what_becomes_public(
    client, mutual, manager, focal_point
):
    mutual.contact_name = "Awa Contact-Personnelle"
    mutual.save()
    ret = _submitted(mutual, manager)
    logged_in(client, focal_point)
    with translation.override("fr"):
        page = html.unescape(client.get(url("return_detail", mutual, 2025)).content.decode())
    form = page.split('class="form validate-form"')[1].split("</form>")[0]
    assert 'name="confirm"' in form and "Adhérents" in form and "Cotisations dues" in form
    assert "Awa Contact-Personnelle" not in page  # the contact person is nobody's business here
    response = client.post(url("return_validate", mutual, 2025))  # the box not ticked
    assert response.status_code == 400 and response.context["validate_form"].errors["confirm"]
    assert 'role="alert"' in response.content.decode() or "field-error" in response.content.decode()
    ret.refresh_from_db()
    assert ret.state == ReturnState.SUBMITTED  # nothing published
    assert client.post(url("return_validate", mutual, 2025), CONFIRMED).status_code == 302
    ret.refresh_from_db()
    assert ret.state == ReturnState.VALIDATED


def test_the_breadcrumb_leads_each_reader_back_to_their_own_list(client, mutual, manager, focal_point):
    _submitted(mutual, manager)
    with translation.override("fr"):
        queue = reverse("inventory:country_dashboard", args=["SN"]) + "?year=2025&state=submitted"
        mine = reverse("inventory:my_mutuals")
    for user, target in ((focal_point, queue), (manager, mine)):
        page = logged_in(client, user).get(url("return_detail", mutual, 2025)).content.decode()
        breadcrumb = page.split('class="breadcrumb"')[1].split("</nav>")[0]
        assert html.unescape(breadcrumb).count(f'href="{target}"') == 1, user
    assert client.get(mine).status_code == 200


def test_the_help_speaks_to_the_reviewer_or_to_the_mutual(client, mutual, manager, focal_point):
    ReturnFactory(mutual=mutual, year=2024, state=ReturnState.VALIDATED, status="functional", members=100,
                  beneficiaries=400)
    ret = ReturnFactory(mutual=mutual, year=2025, status="functional", members=400, beneficiaries=1600,
                        warning_comments={})
    ret.warning_comments = dict.fromkeys(_warning_codes(ret), "Adhésion d'une coopérative.")
    ret.save()
    return_submit(ret=ret, user=manager)
    with translation.override("en"):
        reviewer = client_page(client, focal_point, mutual)
        reporter = client_page(client, manager, mutual)
    assert "read the explanations before you decide" in reviewer
    assert "explain each one in a few words for the focal point" not in reviewer
    assert "the focal point reads the mutual's explanation" in reporter


def _warning_codes(ret):
    from inventory.opendata.exports import return_row
    from inventory.returns.services import previous_validated
    from inventory.returns.validation import plausibility_warnings

    previous = previous_validated(ret)
    codes = [w.code for w in plausibility_warnings(return_row(ret, previous), return_row(previous))]
    assert codes, "the test needs a warning"
    return codes


def client_page(client, user, mutual):
    client.force_login(user)
    with translation.override("en"):
        address = reverse("inventory:return_detail", args=[mutual.mutual_id, 2025])
    return html.unescape(client.get(address, HTTP_ACCEPT_LANGUAGE="en").content.decode())


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


def _history_changes(client, mutual, number):
    """The (field, before, after) rows the history page shows for version `number`."""
    response = client.get(url("return_history", mutual, 2025))
    entry = next(e for e in response.context["entries"] if e["revision"].number == number)
    return [(c["title"], c["before"], c["after"]) for c in entry["changes"]], response.content.decode()


def test_saving_an_untouched_section_writes_no_new_version(client, manager, mutual):
    money = {"contributions_due": "493", "contributions_collected": "1 234,5", "benefits_paid": "0"}
    product = {"membership_unit": "family", "covers_drugs": "true", "copayment_percent": "20"}
    ret = ReturnFactory(mutual=mutual, year=2025)
    logged_in(client, manager)
    client.post(url("return_edit_section", mutual, 2025, "money"), section_post(ret.version, **money))
    client.post(url("return_edit_section", mutual, 2025, "product"), section_post(ret.version + 1, **product))
    ret.refresh_from_db()
    saved = (ret.version, ret.revisions.count())
    # The same sections sent again unchanged, as the form shows them (amounts stored as 493.00)
    for section, values in (("money", money), ("product", product)):
        ret.refresh_from_db()
        post = section_post(ret.version, **values)
        response = client.post(url("return_edit_section", mutual, 2025, section), post)
        assert response.status_code == 302
    ret.refresh_from_db()
    assert (ret.version, ret.revisions.count()) == saved


def test_history_shows_only_real_changes_formatted_as_the_form_shows_them(client, manager, mutual):
    ret = ReturnFactory(mutual=mutual, year=2025)
    logged_in(client, manager)
    client.post(url("return_edit_section", mutual, 2025, "money"), section_post(
        ret.version, contributions_due="493", contributions_collected="1 234,5", benefits_paid="100"))
    ret.refresh_from_db()
    client.post(url("return_edit_section", mutual, 2025, "money"), section_post(
        ret.version, contributions_due="493", contributions_collected="1 234,5", benefits_paid="2500000"))
    client.post(url("return_edit_section", mutual, 2025, "product"), section_post(
        ret.version + 1, membership_unit="family", covers_drugs="true"))
    ret.refresh_from_db()
    assert ret.version == 4
    with translation.override("fr"):
        changes, page = _history_changes(client, mutual, 2)
    assert changes == [("Prestations payées", "100", "2\u00a0500\u00a0000")]  # not "493.00 → 493"
    with translation.override("fr"):
        changes, page = _history_changes(client, mutual, 1)
    assert ("Cotisations recouvrées", "—", "1\u00a0234,50") in changes  # as the form shows it
    with translation.override("fr"):
        changes, page = _history_changes(client, mutual, 3)
    assert sorted(changes) == [("Couvre les médicaments", "—", "Oui"), ("Unité d'adhésion", "—", "Familiale")]
    assert "493.00" not in page and "2500000" not in page


def test_history_of_versions_kept_in_the_older_notation_shows_no_false_change(client, manager, mutual):
    """Versions saved before figures were kept in one form hold "493" then "493.00" for one amount."""
    ret = ReturnFactory(mutual=mutual, year=2025, contributions_due=Decimal("493"))
    first = ret.revisions.create(number=1, data={"contributions_due": "493", "members": 10},
                                 changed_fields=[], state="draft", user=manager)
    ret.revisions.create(number=2, data={"contributions_due": "493.00", "members": 12},
                         changed_fields=["contributions_due", "members"], state="draft", user=manager)
    assert first.number == 1
    logged_in(client, manager)
    with translation.override("fr"):
        changes, _page = _history_changes(client, mutual, 2)
    assert [c[0] for c in changes] == ["Adhérents"]


def test_restoring_an_unknown_version_is_not_found(client, mutual):
    ReturnFactory(mutual=mutual, year=2025)
    client.force_login(UserFactory(roles=[Role.SECRETARIAT]))
    assert client.post(url("return_restore", mutual, 2025, 99)).status_code == 404


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
        client.post(url("return_validate", mutual, 2025), CONFIRMED)
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
    response = client.post(url("return_validate", mutual, 2025), CONFIRMED)
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
    response = client.post(url("return_validate", mutual, 2025), {**CONFIRMED, "override_reason": ""})
    assert response.status_code == 400 and response.context["validate_form"].errors["override_reason"]
    ret.refresh_from_db()
    assert ret.state == ReturnState.SUBMITTED
    reason = "Fiche papier reçue par courrier, point focal injoignable."
    response = client.post(url("return_validate", mutual, 2025), {**CONFIRMED, "override_reason": reason})
    assert response.status_code == 302
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
    assert client.post(url("return_validate", mutual, 2025), CONFIRMED).status_code == 302
    ret.refresh_from_db()
    assert (ret.members, ret.pending_revision) == (120, None)
    assert public() == (False, [120])
