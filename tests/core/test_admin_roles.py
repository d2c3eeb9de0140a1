"""Wagtail's editors and moderators map to the portal's focal points and secretariat."""

import pytest
from django.urls import reverse
from wagtail.models import Page

from portal.accounts.permissions import can
from portal.accounts.roles import GROUP_NAMES, Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_role_has_its_group_and_wagtail_defaults_are_mapped():
    from django.contrib.auth.models import Group

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


def test_secretariat_sets_a_focal_point_countries_in_the_user_admin(client):
    focal = UserFactory(roles=[Role.FOCAL_POINT])
    client.force_login(UserFactory(roles=[Role.SECRETARIAT], is_superuser=True))
    url = reverse("wagtailusers_users:edit", args=[focal.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert 'name="focal_point_countries"' in form.content.decode()
    data = {
        "username": focal.username, "email": focal.email, "first_name": "Awa", "last_name": "Diop",
        "is_active": "on", "groups": [g.pk for g in focal.groups.all()],
        "organization": "UTM", "country": "ML", "focal_point_countries": ["ML", "SN"],
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert sorted(focal.focal_point_countries.values_list("code", flat=True)) == ["ML", "SN"]
    assert can(focal, "validate_return", country="ML")


def test_secretariat_cannot_make_anyone_an_administrator(client):
    member = UserFactory(roles=[Role.MEMBER])
    client.force_login(UserFactory(roles=[Role.SECRETARIAT]))
    url = reverse("wagtailusers_users:edit", args=[member.pk])
    assert 'name="is_superuser"' not in client.get(url).content.decode()
    client.post(url, {
        "username": member.username, "email": member.email, "first_name": "Awa",
        "last_name": "Diop", "is_active": "on", "is_superuser": "on",
        "groups": [g.pk for g in member.groups.all()],
    })
    member.refresh_from_db()
    assert not member.is_superuser
