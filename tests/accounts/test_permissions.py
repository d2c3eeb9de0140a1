"""The role × action matrix: every role against every action defined so far."""

import pytest

from portal.accounts.permissions import ACTIONS, can
from portal.accounts.roles import Role
from tests.factories import CountryFactory, user_with_role

V, A, M, MM, SO, FP, S = (
    Role.VISITOR, Role.AUTHENTICATED, Role.MEMBER, Role.MUTUAL_MANAGER,
    Role.SUPPORTING_ORGANIZATION, Role.FOCAL_POINT, Role.SECRETARIAT,
)
ALL = {V, A, M, MM, SO, FP, S}
LOGGED_IN = ALL - {V}
MEMBERS = ALL - {V, A}  # A: an account taken out of every role group

# Who may do each action, with no scope (for scoped actions: somewhere outside their scope).
EXPECTED = {
    "view_public_pages": ALL,
    "download_public_data": ALL,
    "register": {V},
    "edit_own_profile": LOGGED_IN,
    "submit_article": MEMBERS,
    "propose_resource": MEMBERS,
    "register_to_event": MEMBERS,
    "access_admin": {FP, S},
    "edit_pages": {FP, S},
    "publish_pages": {S},
    "moderate_contributions": {S},
    "validate_return": {S},
    "view_country_dashboard": {S},
    "manage_campaign": {S},
    "manage_users": {S},
    "read_contact_messages": {S},
    "send_newsletter": {S},
    "view_audit_log": {S},
    # Inventory actions are scoped to a mutual; with none named only the secretariat holds them
    # (tests/inventory/test_returns.py covers them inside and outside their scope).
    "edit_return": {S},
    "submit_return": {S},
    "view_return_history": {S},
    "view_peer_benchmark": {S},
    "restore_return_revision": {S},
    "override_separation_of_duties": {S},
    "register_mutual": LOGGED_IN,
    "approve_mutual": {S},
    "import_inventory": {S},
    "publish_release": {S},
    "view_download_statistics": {S},
    # Scoped to the people named on an event to manage its registrations (tests/events/test_registration.py).
    "export_event_participants": {S},
}


def test_matrix_covers_every_defined_action():
    assert set(EXPECTED) == set(ACTIONS)


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(ALL))
@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_role_action_matrix(role, action):
    user = user_with_role(role, focal_countries=["SN"]) if role == FP else user_with_role(role)
    assert can(user, action, country="ML") is (role in EXPECTED[action])


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["validate_return", "view_country_dashboard"])
def test_focal_point_acts_on_their_own_countries_only(action):
    focal_point = user_with_role(FP, focal_countries=["SN", "ML"])
    assert can(focal_point, action, country="SN")
    assert can(focal_point, action, country=CountryFactory(code="ML"))
    assert can(focal_point, action, country="sn")
    assert not can(focal_point, action, country="BF")
    assert not can(focal_point, action)  # no country named: no scope to act in


@pytest.mark.django_db
def test_focal_point_cannot_validate_other_country():
    assert not can(user_with_role(FP, focal_countries=["SN"]), "validate_return", country="CI")


@pytest.mark.django_db
def test_secretariat_validates_everywhere():
    assert can(user_with_role(S), "validate_return", country="CI")


@pytest.mark.django_db
def test_deactivated_account_loses_every_right():
    user = user_with_role(S)
    user.is_active = False
    assert not any(can(user, action) for action in ACTIONS)


@pytest.mark.django_db
def test_superuser_holds_the_secretariat_rights():
    from tests.factories import UserFactory

    admin = UserFactory(is_superuser=True)
    assert can(admin, "manage_campaign")


def test_unknown_action_is_an_error_not_a_silent_refusal():
    with pytest.raises(KeyError):
        can(user_with_role(V), "validate_retrun")
