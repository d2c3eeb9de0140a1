"""The network's themes, as the migrations seed them: the nine into an empty table, none into a table
where the secretariat already keeps its own (an upgraded database), whatever their slugs."""

import importlib

import pytest
from django.apps import apps

from portal.reference.models import Theme
from portal.reference.themes import THEMES, add_missing_themes

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("portal.reference.migrations.0003_seed_themes")


def test_the_migration_seeds_the_nine_themes_into_an_empty_table():
    Theme.objects.all().delete()

    MIGRATION.seed(apps, None)

    assert sorted(Theme.objects.values_list("slug", flat=True)) == sorted(slug for slug, _fr, _en in THEMES)
    assert Theme.objects.get(slug="financing").name == "Financement"


def test_the_migration_adds_no_theme_where_the_secretariat_keeps_its_own():
    Theme.objects.all().delete()
    Theme.objects.create(slug="finance", name_fr="Financement", name_en="Financing")

    MIGRATION.seed(apps, None)

    assert list(Theme.objects.values_list("slug", "name_fr")) == [("finance", "Financement")]


def test_the_demo_puts_back_the_themes_its_content_names():
    Theme.objects.filter(slug__in=["uhc", "governance"]).delete()
    Theme.objects.filter(slug="financing").update(name_fr="Financement (édité)")

    assert add_missing_themes(Theme) == 2

    assert Theme.objects.filter(slug__in=["uhc", "governance"]).count() == 2
    assert Theme.objects.get(slug="financing").name_fr == "Financement (édité)"
    assert add_missing_themes(Theme) == 0
