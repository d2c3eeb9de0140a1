"""Upgrading a database that holds the demo: Country and Theme move to portal.reference without a row
or a link lost, and the permissions given to groups follow them.

Runs in a process of its own on a scratch SQLite file (some of Wagtail's data migrations write to the
default database whatever the alias, so the scratch database must be the default one): `migrate` and
`load_demo`, then back to the state before the move (inventory 0010, library 0005, accounts 0001,
news 0002, events 0001: the content types go back to inventory and library), a few rows changed as an
installation of that version could hold them (countries an inventory import created with their code for
a name, a theme list the secretariat edited), then forward again. `upgrade()` is what that process runs;
it prints what it saw as JSON.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# What points at countries and themes: (app, model, field), counted before and after.
LINKS = [
    ("inventory", "Mutual", "country"), ("inventory", "Union", "country"),
    ("inventory", "OrganizationRole", "country"), ("inventory", "SupportingOrganization", "countries"),
    ("library", "ResourcePage", "countries"), ("library", "ResourcePage", "themes"),
    ("library", "ProjectProfilePage", "countries"), ("news", "ArticlePage", "themes"),
    ("events", "EventPage", "country"), ("events", "EventPage", "themes"),
    ("accounts", "User", "country"), ("accounts", "User", "interests"),
    ("accounts", "User", "focal_point_countries"),
]


def _links(apps) -> dict:
    counts = {}
    for app, model, field in LINKS:
        manager = apps.get_model(app, model).objects
        if apps.get_model(app, model)._meta.get_field(field).many_to_many:
            counts[f"{model}.{field}"] = manager.filter(**{f"{field}__isnull": False}).count()
        else:
            counts[f"{model}.{field}"] = sorted(manager.exclude(**{f"{field}": None})
                                                .values_list(f"{field}_id", flat=True))
    return counts


def upgrade():
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    def migrate(targets):
        """Migrate to `targets`; the models as the applied migrations define them."""
        MigrationExecutor(connection).migrate(targets)
        return MigrationExecutor(connection)._create_project_state(with_applied_migrations=True).apps

    call_command("migrate", verbosity=0)
    call_command("load_demo", admin_password="migration-test", verbosity=0)
    old = migrate([("reference", None)])
    # As an installation of that version could hold them: an edited name; countries that an inventory
    # import created with their code for a name (inventory/imports.py at f3f5bdf: `name_fr=code,
    # name_en=code, currency=row.get("currency") or "XXX", in_network=False`), one of them the network's;
    # one that nobody created yet.
    Country = old.get_model("inventory", "Country")
    Country.objects.filter(code="SN").update(name_fr="Sénégal (édité)")
    Country.objects.filter(code="CV").update(name_fr="CV", name_en="CV", currency="XXX", in_network=False)
    Country.objects.filter(code="TG").update(name_fr="TG", name_en="TG", currency="XXX", in_network=False)
    Country.objects.filter(code="GW").delete()
    # The secretariat's themes: one of the network's deleted, another kept under a slug of its own.
    Theme = old.get_model("library", "Theme")
    Theme.objects.filter(slug="uhc").delete()
    Theme.objects.filter(slug="financing").update(slug="finance")
    before = {"links": _links(old), "countries": Country.objects.count(),
              "themes": old.get_model("library", "Theme").objects.count(),
              "content_types": sorted(old.get_model("contenttypes", "ContentType").objects.filter(
                  model__in=["country", "theme"]).values_list("app_label", "model"))}

    new = migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    Country = new.get_model("reference", "Country")
    secretariat = new.get_model("auth", "Group").objects.get(name="Secretariat")
    after = {
        "links": _links(new), "countries": Country.objects.count(),
        "themes": new.get_model("reference", "Theme").objects.count(),
        "names": {code: Country.objects.get(code=code).name_fr for code in ("SN", "CV", "TG", "GW")},
        "completed": {country.code: [country.currency, country.in_network]
                      for country in Country.objects.filter(code__in=["CV", "TG"])},
        "theme_slugs": sorted(new.get_model("reference", "Theme").objects.values_list("slug", flat=True)),
        "secretariat": sorted(secretariat.permissions.filter(content_type__model__in=["country", "theme"])
                              .values_list("content_type__app_label", "codename")),
    }
    sys.stdout.write(json.dumps({"before": before, "after": after}) + "\n")


@pytest.mark.slow
def test_the_move_keeps_every_row_link_and_permission(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test", "PYTHONPATH": str(ROOT),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'upgrade.sqlite3'}", "MEDIA_ROOT": str(tmp_path / "media")}
    done = subprocess.run(
        [sys.executable, "-c", "from tests.reference.test_migration import upgrade; upgrade()"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    before, after = seen["before"], seen["after"]

    assert before["content_types"] == [["inventory", "country"], ["library", "theme"]]
    assert before["links"]["Mutual.country"] and before["links"]["ResourcePage.themes"]
    assert after["links"] == before["links"]
    # The database held themes: the seeding added none, neither the deleted one nor the renamed one.
    assert after["themes"] == before["themes"]
    assert "finance" in after["theme_slugs"]
    assert "uhc" not in after["theme_slugs"] and "financing" not in after["theme_slugs"]
    # The seeding added the one missing country, completed the two an import left with their code for
    # a name (Togo back in the network) and rewrote no named one.
    assert after["countries"] == before["countries"] + 1
    assert after["names"] == {"SN": "Sénégal (édité)", "CV": "Cap-Vert", "TG": "Togo", "GW": "Guinée-Bissau"}
    assert after["completed"] == {"CV": ["CVE", False], "TG": ["XOF", True]}
    assert after["secretariat"] == [
        ["reference", "add_country"], ["reference", "add_theme"], ["reference", "change_country"],
        ["reference", "change_theme"], ["reference", "delete_theme"],
    ]
