"""A Senegalese mutual, its manager and Senegal's focal point, and the yearly return's pages as the
return tests reach them (test_return_pages.py, test_return_review.py): French URLs, a section's POST."""

import pytest
from django.urls import reverse
from django.utils import translation

from portal.accounts.roles import Role
from tests.factories import MutualFactory, UserFactory


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
def focal_point():
    return UserFactory(roles=[Role.FOCAL_POINT], focal_countries=["SN"])


def logged_in(client, user):
    client.force_login(user)
    return client


def section_post(version, **values):
    return {"base_version": version, "then": "review", **values}

