"""The yearly return's life: drafts, revisions, concurrent edits, submission, review, restore."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ProtectedError
from django.utils import translation

from inventory.choices import ReturnState
from inventory.models import Mutual, SupportingOrganization
from inventory.services import (
    ConcurrentEdit,
    WarningsNeedComments,
    return_restore,
    return_save_draft,
    return_send_back,
    return_submit,
    return_validate,
)
from portal.accounts.permissions import can
from portal.accounts.roles import Role
from tests.factories import CountryFactory, MutualFactory, ReturnFactory, UserFactory

pytestmark = pytest.mark.django_db

COMPLETE = {
    "status": "functional", "target_population": 20000, "members": 1500, "beneficiaries": 6000,
    "contributions_due": 9_000_000, "contributions_collected": 7_200_000, "currency": "XOF",
}


@pytest.fixture
def manager():
    return UserFactory(roles=[Role.MUTUAL_MANAGER])


@pytest.fixture
def ret(manager):
    return ReturnFactory(mutual=MutualFactory(managers=[manager]))


@pytest.fixture
def focal_point():
    return UserFactory(roles=[Role.FOCAL_POINT], focal_countries=["SN"])


def test_mutual_identifiers_follow_on_per_country_and_are_never_reused():
    first, second = MutualFactory(), MutualFactory()
    assert (first.mutual_id, second.mutual_id) == ("SN-0001", "SN-0002")
    assert MutualFactory(country=CountryFactory(code="ML")).mutual_id == "ML-0001"
    Mutual.objects.filter(pk=second.pk).delete()  # e.g. a duplicate removed by the secretariat
    assert MutualFactory().mutual_id == "SN-0003"


def test_identifiers_continue_above_an_imported_one():
    imported = MutualFactory.build(country=CountryFactory(code="SN"))
    imported.mutual_id = "SN-0042"
    imported.save()
    assert MutualFactory().mutual_id == "SN-0043"


def test_a_draft_saves_partial_data_and_keeps_each_revision(ret, manager):
    ret = return_save_draft(ret=ret, data={"members": 1200}, user=manager, base_version=1)
    ret = return_save_draft(ret=ret, data={"members": 1500, "beneficiaries": 6000}, user=manager,
                            base_version=2)
    revisions = list(ret.revisions.order_by("number"))
    assert [r.changed_fields for r in revisions] == [["members"], ["members", "beneficiaries"]]
    assert revisions[0].data["members"] == 1200 and revisions[0].user == manager
    assert ret.state == ReturnState.DRAFT and ret.version == 3


def test_second_of_two_concurrent_saves_is_refused_with_both_versions(ret, manager):
    colleague = UserFactory(roles=[Role.MUTUAL_MANAGER])
    ret.mutual.managers.add(colleague)
    return_save_draft(ret=ret, data={"members": 1200}, user=manager, base_version=1)
    with pytest.raises(ConcurrentEdit) as refused:
        return_save_draft(ret=ret, data={"members": 999}, user=colleague, base_version=1)
    assert refused.value.current.members == 1200
    assert refused.value.submitted == {"members": 999}
    ret.refresh_from_db()
    assert ret.members == 1200 and ret.revisions.count() == 1


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MUTUAL_MANAGER, Role.FOCAL_POINT])
def test_who_does_not_report_for_the_mutual_cannot_edit_it(ret, role):
    outsider = UserFactory(roles=[role], focal_countries=["SN"])
    with pytest.raises(PermissionDenied):
        return_save_draft(ret=ret, data={"members": 1}, user=outsider, base_version=1)


def test_a_supporting_organization_reports_for_the_mutuals_it_supports(ret):
    staff = UserFactory(roles=[Role.SUPPORTING_ORGANIZATION])
    ngo = SupportingOrganization.objects.create(name="CIDR")
    ngo.staff.add(staff)
    with pytest.raises(PermissionDenied):
        return_save_draft(ret=ret, data={"members": 1}, user=staff, base_version=1)
    ret.mutual.supporting_organizations.add(ngo)
    assert return_save_draft(ret=ret, data={"members": 1}, user=staff, base_version=1).members == 1


def test_submission_names_each_blocking_error(ret, manager):
    return_save_draft(ret=ret, data={"members": 10}, user=manager, base_version=1)
    with pytest.raises(ValidationError) as error:
        return_submit(ret=ret, user=manager)
    assert "status" in error.value.message_dict
    ret.refresh_from_db()
    assert ret.state == ReturnState.DRAFT


def test_warnings_need_a_comment_then_the_return_goes_to_the_focal_point(ret, manager):
    data = {**COMPLETE, "beneficiaries": 900}  # fewer beneficiaries than members
    ret = return_save_draft(ret=ret, data=data, user=manager, base_version=1)
    with pytest.raises(WarningsNeedComments) as pending:
        return_submit(ret=ret, user=manager)
    assert [w.code for w in pending.value.warnings] == ["beneficiaries_below_members"]
    ret = return_save_draft(
        ret=ret, data={"warning_comments": {"beneficiaries_below_members": "Adhésions individuelles"}},
        user=manager, base_version=ret.version,
    )
    ret = return_submit(ret=ret, user=manager)
    assert ret.state == ReturnState.SUBMITTED
    assert ret.transitions.get().to_state == ReturnState.SUBMITTED


def test_the_whole_round_trip(ret, manager, focal_point):
    ret = return_save_draft(ret=ret, data=COMPLETE, user=manager, base_version=1)
    ret = return_submit(ret=ret, user=manager)
    with pytest.raises(ValidationError):
        return_save_draft(ret=ret, data={"members": 1}, user=manager, base_version=ret.version)
    with pytest.raises(ValidationError):
        return_send_back(ret=ret, user=focal_point, comment="  ")
    ret = return_send_back(ret=ret, user=focal_point, comment="Vérifiez les cotisations dues.")
    ret = return_save_draft(ret=ret, data={"contributions_due": 8_000_000}, user=manager,
                            base_version=ret.version)
    ret = return_submit(ret=ret, user=manager)
    ret = return_validate(ret=ret, user=focal_point)
    assert ret.state == ReturnState.VALIDATED
    assert [(t.from_state, t.to_state, t.comment) for t in ret.transitions.all()] == [
        ("draft", "submitted", ""),
        ("submitted", "returned", "Vérifiez les cotisations dues."),
        ("returned", "submitted", ""),
        ("submitted", "validated", ""),
    ]


def test_focal_point_cannot_validate_another_country(ret, manager):
    return_save_draft(ret=ret, data=COMPLETE, user=manager, base_version=1)
    return_submit(ret=ret, user=manager)
    elsewhere = UserFactory(roles=[Role.FOCAL_POINT], focal_countries=["ML"])
    with pytest.raises(PermissionDenied):
        return_validate(ret=ret, user=elsewhere)
    with pytest.raises(PermissionDenied):
        return_validate(ret=ret, user=manager)


def test_secretariat_restores_an_earlier_version_as_a_new_one(ret, manager):
    ret = return_save_draft(ret=ret, data={"members": 1200}, user=manager, base_version=1)
    ret = return_save_draft(ret=ret, data={"members": 15}, user=manager, base_version=2)
    first = ret.revisions.get(number=1)
    with pytest.raises(PermissionDenied):
        return_restore(revision=first, user=manager)
    with translation.override("en"):
        ret = return_restore(revision=first, user=UserFactory(roles=[Role.SECRETARIAT]))
    assert ret.members == 1200
    latest = ret.revisions.order_by("-number").first()
    assert (latest.number, latest.changed_fields, latest.note) == (3, ["members"], "Restored version 1")


def test_returns_are_never_deleted(ret):
    with pytest.raises(ProtectedError):
        ret.delete()


@pytest.mark.parametrize("state", ["pending", "rejected"])
def test_nobody_reports_for_a_mutual_whose_sign_up_is_not_approved(ret, manager, state):
    staff = UserFactory(roles=[Role.SUPPORTING_ORGANIZATION])
    organization = SupportingOrganization.objects.create(name="Appui Santé")
    organization.staff.add(staff)
    ret.mutual.supporting_organizations.add(organization)
    Mutual.objects.filter(pk=ret.mutual.pk).update(registration_state=state)
    ret.mutual.refresh_from_db()
    for user in (manager, staff):
        for action in ("edit_return", "submit_return", "view_return_history"):
            assert not can(user, action, mutual=ret.mutual), (user, action)
        with pytest.raises(PermissionDenied):
            return_save_draft(ret=ret, data={"members": 10}, user=user, base_version=1)
    Mutual.objects.filter(pk=ret.mutual.pk).update(registration_state="approved")
    ret.mutual.refresh_from_db()
    assert can(manager, "edit_return", mutual=ret.mutual) and can(staff, "submit_return", mutual=ret.mutual)


def test_a_save_that_changes_nothing_writes_no_revision(ret, manager):
    ret = return_save_draft(ret=ret, data={"members": 1200}, user=manager, base_version=1)
    again = return_save_draft(ret=ret, data={"members": 1200}, user=manager, base_version=2)
    assert again.version == 2 and ret.revisions.count() == 1


def test_nobody_fills_in_a_return_for_a_mutual_awaiting_approval():
    from inventory.services import return_start

    secretariat = UserFactory(roles=[Role.SECRETARIAT])
    pending = MutualFactory(registration_state="pending")
    with pytest.raises(ValidationError, match="not approved"), translation.override("en"):
        return_start(mutual=pending, year=2025, user=secretariat)
    ret = ReturnFactory(mutual=pending)  # e.g. imported before the sign-up was reconsidered
    with pytest.raises(ValidationError), translation.override("en"):
        return_save_draft(ret=ret, data={"members": 5}, user=secretariat, base_version=ret.version)
    ret.refresh_from_db()
    assert ret.members is None
