"""Every ISO 3166-1 country, with its English and French names and its currency (`countries.py`).

Creates the missing countries only: a country already in the table (the network's, or one an
import created) keeps its names, currency, focal point and flag. Reversing it deletes nothing.
"""

from django.db import migrations


def seed(apps, schema_editor):
    from portal.reference.countries import seed_countries

    seed_countries(apps.get_model("reference", "Country"))


class Migration(migrations.Migration):

    dependencies = [
        ("reference", "0001_move_country_and_theme"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
