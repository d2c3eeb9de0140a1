"""Wagtail's editors and moderators map to the portal's focal points and secretariat; the admin
gives nobody more than their role."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Locale, Page

from portal.accounts.permissions import can
from portal.accounts.roles import GROUP_NAMES, Role, ensure_role_groups
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def user_form_data(user, **overrides):
    data = {
        "username": user.username, "email": user.email, "first_name": "Awa", "last_name": "Diop",
        "is_active": "on", "groups": [g.pk for g in user.groups.all()],
    }
    data.update(overrides)
    return data


def refused(response):
    """Wagtail's admin answers a PermissionDenied with a redirect to its dashboard (and a message)."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )


def test_every_role_has_its_group_and_wagtail_defaults_are_mapped():
    names = set(Group.objects.values_list("name", flat=True))
    assert set(GROUP_NAMES.values()) <= names
    assert not {"Editors", "Moderators"} & names


@pytest.mark.parametrize("role,status", [
    (Role.MEMBER, 302), (Role.MUTUAL_MANAGER, 302), (Role.SUPPORTING_ORGANIZATION, 302),
    (Role.FOCAL_POINT, 200), (Role.SECRETARIAT, 200),
])
def test_only_focal_points_and_secretariat_enter_the_admin(client, role, status):
    client.force_login(UserFactory(roles=[role]))
    assert client.get("/admin/").status_code == status


@pytest.mark.parametrize("role,can_publish", [(Role.FOCAL_POINT, False), (Role.SECRETARIAT, True)])
def test_page_permissions_in_the_admin(role, can_publish):
    user = UserFactory(roles=[role])
    home = Page.objects.get(depth=2, locale__language_code="fr")
    perms = home.permissions_for_user(user)
    assert perms.can_edit()
    assert perms.can_publish() is can_publish


def test_focal_points_do_not_keep_what_wagtail_editors_had():
    focal = UserFactory(roles=[Role.FOCAL_POINT])
    assert not focal.has_perm("wagtailimages.delete_image")
    assert not focal.has_perm("wagtaildocs.change_document")


def test_rights_granted_by_hand_to_a_role_group_are_taken_back_on_migrate():
    from django.contrib.auth.models import Permission

    group = Group.objects.get(name=GROUP_NAMES[Role.FOCAL_POINT])
    group.permissions.add(Permission.objects.get(codename="change_user"))
    ensure_role_groups()
    assert not group.permissions.filter(codename="change_user").exists()


def test_secretariat_sets_a_focal_point_countries_in_the_user_admin(client):
    focal = UserFactory(roles=[Role.FOCAL_POINT])
    client.force_login(UserFactory(roles=[Role.SECRETARIAT]))
    url = reverse("wagtailusers_users:edit", args=[focal.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert 'name="focal_point_countries"' in form.content.decode()
    response = client.post(url, user_form_data(
        focal, organization="UTM", country="ML", focal_point_countries=["ML", "SN"]
    ))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert sorted(focal.focal_point_countries.values_list("code", flat=True)) == ["ML", "SN"]
    assert can(focal, "validate_return", country="ML")


def test_secretariat_cannot_make_anyone_an_administrator(client):
    member = UserFactory(roles=[Role.MEMBER])
    client.force_login(UserFactory(roles=[Role.SECRETARIAT]))
    url = reverse("wagtailusers_users:edit", args=[member.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert 'name="is_superuser"' not in form.content.decode()
    response = client.post(url, user_form_data(member, is_superuser="on"))
    assert response.status_code == 302
    member.refresh_from_db()
    assert not member.is_superuser


def test_secretariat_cannot_touch_an_administrator_account(client):
    admin = UserFactory(is_superuser=True)
    client.force_login(UserFactory(roles=[Role.SECRETARIAT]))
    url = reverse("wagtailusers_users:edit", args=[admin.pk])
    assert refused(client.get(url))
    new_password = {"password1": "Taken-over-2026", "password2": "Taken-over-2026"}
    assert refused(client.post(url, user_form_data(admin, **new_password)))
    admin.refresh_from_db()
    assert admin.check_password("a-long-test-password")
    assert refused(client.post(reverse("wagtailusers_users:delete", args=[admin.pk])))
    assert admin.__class__.objects.filter(pk=admin.pk).exists()


def test_nobody_but_an_administrator_widens_their_own_rights(client):
    secretary = UserFactory(roles=[Role.SECRETARIAT])
    client.force_login(secretary)
    url = reverse("wagtailusers_users:edit", args=[secretary.pk])
    assert 'name="groups"' not in client.get(url).content.decode()
    client.post(url, user_form_data(
        secretary, groups=[g.pk for g in Group.objects.all()], focal_point_countries=["SN"]
    ))
    assert set(secretary.groups.values_list("name", flat=True)) == {GROUP_NAMES[Role.SECRETARIAT]}
    assert not secretary.focal_point_countries.exists()


def test_focal_point_cannot_open_the_user_admin(client):
    focal = UserFactory(roles=[Role.FOCAL_POINT])
    client.force_login(focal)
    assert refused(client.get(reverse("wagtailusers_users:edit", args=[focal.pk])))
    assert refused(client.get(reverse("wagtailusers_users:add")))


def test_contact_messages_are_read_by_the_secretariat_only(client, contact_page):
    contact = contact_page.get_translation(Locale.objects.get(language_code="en"))
    client.post(contact.url, {
        "your_name": "John Mensah", "your_e_mail_address": "john@example.org",
        "subject": "Inventory", "your_message": "Hello",
    })
    url = reverse("wagtailforms:list_submissions", args=[contact.pk])
    client.force_login(UserFactory(roles=[Role.FOCAL_POINT]))
    response = client.get(url)
    assert refused(response)
    assert "john@example.org" not in response.content.decode()
    client.force_login(UserFactory(roles=[Role.SECRETARIAT]))
    response = client.get(url)
    assert response.status_code == 200
    assert "john@example.org" in response.content.decode()


def test_the_admin_login_goes_through_the_site_login(client):
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/fr/comptes/connexion/?next=%2Fadmin%2Fpages%2F"
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/comptes/connexion/" in response["Location"]


def test_an_unconfirmed_account_cannot_log_in_through_the_admin(client):
    client.post("/fr/comptes/inscription/", {
        "email": "fatou@example.org", "password1": "Mutuelle-2026!", "password2": "Mutuelle-2026!",
        "first_name": "Fatou", "last_name": "Sow",
    })
    client.post("/admin/login/", {"username": "fatou", "password": "Mutuelle-2026!"})
    assert "_auth_user_id" not in client.session
