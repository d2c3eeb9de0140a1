"""No admin URL lets the secretariat raise itself or anyone to administrator, take over an
administrator's account, or widen its own groups or focal-point countries (issue #11): the user
admin's copy screen, the bulk actions on users and the group admin, beside the edit form (whose own
tests are in tests/core/test_admin_roles.py)."""

import pytest
from django.contrib.auth.models import Group
from django.urls import NoReverseMatch, reverse

from portal.accounts.roles import GROUP_NAMES, Role
from tests import factories
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"  # UserFactory's
TAKEN_OVER = "Taken-over-2026!"


@pytest.fixture
def administrator():
    return UserFactory(username="root", email="root@example.org", is_superuser=True)


@pytest.fixture
def secretary(client):
    user = UserFactory(username="secretary", roles=[Role.SECRETARIAT])
    client.force_login(user)
    return user


def refused(response):
    """Wagtail's admin answers a PermissionDenied with a redirect to its dashboard (and a message)."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )


def gone_or_refused(response, url):
    """Refused, or no such screen: the site's 404 handling sends an unknown path to its language
    prefix (/fr/admin/…), which is a missing page too."""
    return refused(response) or response.status_code == 404 or (
        response.status_code == 302 and response["Location"] == f"/fr{url}"
    )


def creation_form(**fields):
    data = {
        "username": "attacker", "email": "attacker@example.org", "first_name": "Eve",
        "last_name": "Attacker", "password1": TAKEN_OVER, "password2": TAKEN_OVER,
        "is_active": "on", "is_superuser": "on",
    }
    data.update(fields)
    return data


def copy_url(user):
    # Wagtail's URL for the copy screen (reversed when it exists, written out when it is gone).
    try:
        return reverse("wagtailusers_users:copy", args=[user.pk])
    except NoReverseMatch:
        return f"/admin/users/copy/{user.pk}/"


def test_copying_the_administrator_does_not_overwrite_their_account(client, secretary, administrator):
    url = copy_url(administrator)
    response = client.post(url, creation_form(
        groups=[Group.objects.get(name=GROUP_NAMES[Role.SECRETARIAT]).pk],
    ))
    assert gone_or_refused(response, url)
    administrator.refresh_from_db()
    assert (administrator.username, administrator.email) == ("root", "root@example.org")
    assert administrator.check_password(PASSWORD)
    assert administrator.is_superuser


def test_copying_oneself_does_not_make_an_administrator(client, secretary):
    url = copy_url(secretary)
    response = client.post(url, creation_form(
        username="secretary", email=secretary.email,
        groups=[g.pk for g in Group.objects.all()],
    ))
    assert gone_or_refused(response, url)
    secretary.refresh_from_db()
    assert not secretary.is_superuser
    assert set(secretary.groups.values_list("name", flat=True)) == {GROUP_NAMES[Role.SECRETARIAT]}
    assert not secretary.__class__.objects.filter(is_superuser=True, username="attacker").exists()


def bulk_url(action, *users):
    ids = "&".join(f"id={user.pk}" for user in users)
    return f"{reverse('wagtail_bulk_action', args=['accounts', 'user', action])}?next=/admin/users/&{ids}"


def test_the_bulk_role_assignment_does_not_widen_ones_own_groups(client, secretary):
    focal_group = Group.objects.get(name=GROUP_NAMES[Role.FOCAL_POINT])
    client.post(bulk_url("assign_role", secretary), {"role": focal_group.pk})
    assert set(secretary.groups.values_list("name", flat=True)) == {GROUP_NAMES[Role.SECRETARIAT]}


def test_the_bulk_role_assignment_still_serves_the_secretariat_for_others(client, secretary):
    member = UserFactory(roles=[Role.MEMBER])
    focal_group = Group.objects.get(name=GROUP_NAMES[Role.FOCAL_POINT])
    response = client.post(bulk_url("assign_role", member), {"role": focal_group.pk})
    assert response.status_code == 302
    assert member.groups.filter(pk=focal_group.pk).exists()


def test_bulk_actions_leave_the_administrator_alone(client, secretary, administrator):
    client.post(bulk_url("assign_role", administrator),
                {"role": Group.objects.get(name=GROUP_NAMES[Role.MEMBER]).pk})
    client.post(bulk_url("set_active_state", administrator), {"mark_as_active": "False"})
    client.post(bulk_url("delete", administrator))
    administrator.refresh_from_db()
    assert administrator.is_active
    assert not administrator.groups.exists()


def test_only_administrators_open_the_bulk_actions_on_users(client):
    member = UserFactory(roles=[Role.MEMBER])
    client.force_login(UserFactory(roles=[Role.FOCAL_POINT]))
    response = client.post(bulk_url("set_active_state", member), {"mark_as_active": "False"})
    assert refused(response)
    member.refresh_from_db()
    assert member.is_active


def test_the_secretariat_cannot_edit_its_own_group(client, secretary):
    group = Group.objects.get(name=GROUP_NAMES[Role.SECRETARIAT])
    url = reverse("wagtailusers_groups:edit", args=[group.pk])
    assert refused(client.get(url))
    assert refused(client.post(url, {"name": group.name, "permissions": []}))
    assert refused(client.get(reverse("wagtailusers_groups:add")))
    group.refresh_from_db()
    assert group.name == GROUP_NAMES[Role.SECRETARIAT]


def test_an_administrator_still_opens_the_group_admin(client, administrator):
    client.force_login(administrator)
    group = Group.objects.get(name=GROUP_NAMES[Role.SECRETARIAT])
    assert client.get(reverse("wagtailusers_groups:edit", args=[group.pk])).status_code == 200


def test_the_secretariat_cannot_raise_itself_through_its_edit_form(client, secretary):
    url = reverse("wagtailusers_users:edit", args=[secretary.pk])
    client.post(url, {
        "username": "secretary", "email": secretary.email, "first_name": "Awa", "last_name": "Diop",
        "is_active": "on", "is_superuser": "on", "groups": [g.pk for g in Group.objects.all()],
    })
    secretary.refresh_from_db()
    assert not secretary.is_superuser
    assert set(secretary.groups.values_list("name", flat=True)) == {GROUP_NAMES[Role.SECRETARIAT]}


def test_the_secretariat_cannot_create_an_administrator(client, secretary):
    client.post(reverse("wagtailusers_users:add"), creation_form())
    assert not secretary.__class__.objects.filter(is_superuser=True, username="attacker").exists()


def test_a_user_with_wagtail_permissions_but_no_role_is_kept_out_of_the_admin(client):
    """Wagtail's own gate is a Django permission, which can be granted outside the role groups (with
    a second factor, so that the two-factor gate does not stop them first)."""
    from django.contrib.auth.models import Permission

    outsider = UserFactory()
    if hasattr(factories, "with_mfa"):  # where the admin asks for a second factor first
        outsider = factories.with_mfa(outsider)
    outsider.user_permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="change_user"),
    )
    client.force_login(outsider)
    for url in ("/admin/", reverse("wagtailusers_users:index")):
        response = client.get(url)
        assert response.status_code == 302
        assert "/connexion/" in response["Location"]


def test_the_admin_account_page_changes_no_e_mail_address_unconfirmed(client):
    """Wagtail's own account page changed an address without allauth's confirmation: it offers
    neither the address nor the password any more (allauth's pages do, with their checks)."""
    secretariat = UserFactory(username="sec-account", email="sec-account@example.org",
                              roles=[Role.SECRETARIAT])
    client.force_login(secretariat)
    page = client.get("/admin/account/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="name_email-email"' not in html and 'name="password-new_password1"' not in html
    client.post("/admin/account/", {"name_email-first_name": "X", "name_email-last_name": "Y",
                                     "name_email-email": "attacker@example.org"})
    secretariat.refresh_from_db()
    assert secretariat.email == "sec-account@example.org"
