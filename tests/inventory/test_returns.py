"""The yearly return's life: drafts, revisions, concurrent edits, submission, review, restore."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ProtectedError
from django.utils import translation

from inventory.contract.choices import ReturnState
from inventory.models import Mutual, SupportingOrganization
from inventory.returns.services import (
    ConcurrentEdit,
    SameHands,
    WarningsNeedComments,
    return_restore,
    return_save_draft,
    return_send_back,
    return_submit,
    return_validate,
    review_trail,
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
    from inventory.returns.services import return_start

    secretariat = UserFactory(roles=[Role.SECRETARIAT])
    pending = MutualFactory(registration_state="pending")
    with pytest.raises(ValidationError, match="not approved"), translation.override("en"):
        return_start(mutual=pending, year=2025, user=secretariat)
    ret = ReturnFactory(mutual=pending)  # e.g. imported before the sign-up was reconsidered
    with pytest.raises(ValidationError), translation.override("en"):
        return_save_draft(ret=ret, data={"members": 5}, user=secretariat, base_version=ret.version)
    ret.refresh_from_db()
    assert ret.members is None


# Separation of duties --------------------------------------------------------------------------

@pytest.fixture
def both_hats(ret):
    """A manager of the mutual who is also a focal point of its country (roles combine)."""
    user = UserFactory(roles=[Role.MUTUAL_MANAGER, Role.FOCAL_POINT], focal_countries=["SN"])
    ret.mutual.managers.add(user)
    return user


def test_the_submitter_cannot_validate_their_own_return(ret, both_hats, focal_point):
    ret = return_save_draft(ret=ret, data=COMPLETE, user=both_hats, base_version=1)
    ret = return_submit(ret=ret, user=both_hats)
    with pytest.raises(SameHands) as refused, translation.override("en"):
        return_validate(ret=ret, user=both_hats)
    assert "cannot validate them" in str(refused.value) and not refused.value.may_override
    ret.refresh_from_db()
    assert ret.state == ReturnState.SUBMITTED and not ret.transitions.filter(to_state="validated").exists()
    assert return_validate(ret=ret, user=focal_point).state == ReturnState.VALIDATED


def test_whoever_edited_the_submitted_figures_cannot_validate_them(ret, manager, both_hats, focal_point):
    ret = return_save_draft(ret=ret, data=COMPLETE, user=both_hats, base_version=1)
    ret = return_submit(ret=ret, user=manager)  # a colleague submits what they typed
    with pytest.raises(SameHands):
        return_validate(ret=ret, user=both_hats)
    # After a validation, the next round counts only the edits made since.
    ret = return_validate(ret=ret, user=focal_point)
    ret = return_send_back(ret=ret, user=focal_point, comment="Corrigez les cotisations.")
    ret = return_save_draft(ret=ret, data={"contributions_due": 8_000_000}, user=manager,
                            base_version=ret.version)
    ret = return_submit(ret=ret, user=manager)
    assert review_trail(ret).hands == {manager.pk}
    assert return_validate(ret=ret, user=both_hats).state == ReturnState.VALIDATED


def test_the_secretariat_overrides_only_with_a_reason_that_the_history_keeps(ret):
    secretariat = UserFactory(roles=[Role.SECRETARIAT])
    ret = return_save_draft(ret=ret, data=COMPLETE, user=secretariat, base_version=1)
    ret = return_submit(ret=ret, user=secretariat)
    for reason in ("", "   "):
        with pytest.raises(ValidationError) as missing:
            return_validate(ret=ret, user=secretariat, override_reason=reason)
        assert "override_reason" in missing.value.message_dict
    ret.refresh_from_db()
    assert ret.state == ReturnState.SUBMITTED
    reason = "Questionnaire papier saisi par le secrétariat ; point focal absent."
    ret = return_validate(ret=ret, user=secretariat, override_reason=reason)
    last = ret.transitions.order_by("-id").first()
    assert (last.to_state, last.user, last.override_reason) == ("validated", secretariat, reason)


def test_a_focal_point_with_nothing_to_do_with_the_figures_overrides_nothing(ret, manager, focal_point):
    ret = return_save_draft(ret=ret, data=COMPLETE, user=manager, base_version=1)
    ret = return_submit(ret=ret, user=manager)
    ret = return_validate(ret=ret, user=focal_point, override_reason="rien")
    assert ret.transitions.order_by("-id").first().override_reason == ""


# Restoring a version of a validated return ------------------------------------------------------

@pytest.fixture
def validated(ret, manager, focal_point):
    """A validated return whose version 2 (members 1500) is public; version 1 had 1200 members."""
    ret = return_save_draft(ret=ret, data={**COMPLETE, "members": 1200}, user=manager, base_version=1)
    ret = return_save_draft(ret=ret, data={"members": 1500}, user=manager, base_version=ret.version)
    ret = return_submit(ret=ret, user=manager)
    return return_validate(ret=ret, user=focal_point)


def public_members(ret):
    """The members figure of `ret`'s row in the public returns table (the CSV download and API)."""
    from inventory.opendata.exports import returns_rows

    rows = [r for r in returns_rows() if (r["mutual_id"], r["year"]) == (ret.mutual.mutual_id, ret.year)]
    return rows[0]["members"] if rows else None


def test_a_restore_on_a_validated_return_waits_for_validation_and_the_public_keeps_the_validated_figures(
    validated, focal_point
):
    secretariat = UserFactory(roles=[Role.SECRETARIAT])
    assert public_members(validated) == 1500
    with translation.override("en"):
        ret = return_restore(revision=validated.revisions.get(number=1), user=secretariat)
    ret.refresh_from_db()
    assert public_members(ret) == 1500  # the public table did not change
    assert (ret.state, ret.members, ret.pending_revision.number) == (ReturnState.VALIDATED, 1500, 3)
    assert ret.pending_revision.data["members"] == 1200
    restored = ret.transitions.order_by("-id").first()
    assert (restored.from_state, restored.to_state, restored.user, restored.revision.number) == (
        "validated", "submitted", secretariat, 3)
    # The restorer had a hand in it: without a reason, not even the secretariat validates it.
    with pytest.raises(ValidationError):
        return_validate(ret=ret, user=secretariat)
    assert public_members(ret) == 1500
    ret = return_validate(ret=ret, user=focal_point)
    assert (ret.state, ret.members, ret.pending_revision) == (ReturnState.VALIDATED, 1200, None)
    assert public_members(ret) == 1200
    assert [(t.from_state, t.to_state) for t in ret.transitions.order_by("id")][-2:] == [
        ("validated", "submitted"), ("submitted", "validated"),
    ]


def test_a_declined_restore_leaves_the_validated_figures(validated, focal_point):
    secretariat = UserFactory(roles=[Role.SECRETARIAT])
    ret = return_restore(revision=validated.revisions.get(number=1), user=secretariat)
    ret = return_send_back(ret=ret, user=focal_point, comment="Les 1 500 adhérents sont les bons.")
    ret.refresh_from_db()
    assert (ret.state, ret.members, ret.pending_revision) == (ReturnState.VALIDATED, 1500, None)
    assert public_members(ret) == 1500
    declined = ret.transitions.order_by("-id").first()
    assert (declined.to_state, declined.revision.number, declined.comment) == (
        "returned", 3, "Les 1 500 adhérents sont les bons.")
    with pytest.raises(ValidationError):  # nothing awaits validation any more
        return_validate(ret=ret, user=focal_point)


def test_an_import_changing_the_figures_withdraws_a_restore_awaiting_validation(
    validated, focal_point, tmp_path
):
    from inventory.contract.imports import import_returns
    from inventory.opendata.exports import returns_rows, write_returns_csv

    secretariat = UserFactory(roles=[Role.SECRETARIAT])
    ret = return_restore(revision=validated.revisions.get(number=1), user=secretariat)
    path = tmp_path / "returns.csv"
    with open(path, "w", encoding="utf-8", newline="") as stream:
        write_returns_csv([dict(row, members=1600) for row in returns_rows()], stream)
    import_returns(path, user=secretariat)
    ret.refresh_from_db()
    assert (ret.state, ret.members, ret.pending_revision) == (ReturnState.VALIDATED, 1600, None)
    with pytest.raises(ValidationError):  # nothing is left whose validation would undo the import
        return_validate(ret=ret, user=focal_point)
    assert public_members(ret) == 1600
