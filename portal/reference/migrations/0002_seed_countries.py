"""Every ISO 3166-1 country, with its English and French names and its currency (`countries.py`),
as the `pycountry` installed when it runs names them (pinned in requirements.lock).

Creates the missing countries, and completes those that an inventory import created before with the
code for both names (the ISO names, the currency when empty or "XXX", the network's flag): a country
someone named keeps its names, currency, focal point and flag. Reversing it deletes nothing."""

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
