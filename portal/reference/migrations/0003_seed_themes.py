"""The network's themes (`themes.py`), so that the library's facets, the proposal and article forms
and people's interests offer them from the first migrate. Into an empty table only: on an upgraded
database that already holds themes (the secretariat's list, which may have deleted some of these or
keep them under other slugs) it adds none. Reversing it deletes nothing."""

from django.db import migrations


def seed(apps, schema_editor):
    from portal.reference.themes import seed_themes

    seed_themes(apps.get_model("reference", "Theme"))


class Migration(migrations.Migration):

    dependencies = [
        ("reference", "0002_seed_countries"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
