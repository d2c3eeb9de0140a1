"""Country and Theme move here from inventory and library, without moving a row.

The tables keep their names (`db_table`), so this migration changes Django's state only; the matching
migrations of inventory, library, accounts, news and events point their fields here and delete the old
models, in state only too. The content types are renamed (inventory.country -> reference.country,
library.theme -> reference.theme) rather than created anew, so the permissions given to groups and the
admin's history of these records keep pointing at them.

The state differs from the old one in ways the database does not see: a new country is outside the
network unless said otherwise (`in_network` default False; Django keeps no default in the table), and a
currency may be empty (unknown) and is checked against ISO 4217.
"""

import portal.i18n
import portal.reference.currencies
from django.db import migrations, models

MOVED = (("inventory", "country"), ("library", "theme"))


def move_content_types(apps, schema_editor, forward=True):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for old_app, model in MOVED:
        source, target = (old_app, "reference") if forward else ("reference", old_app)
        if ContentType.objects.using(db).filter(app_label=target, model=model).exists():
            # Already there (created by hand, or a second run): the old row is left for Django's
            # remove_stale_contenttypes, with whatever still points at it.
            continue
        ContentType.objects.using(db).filter(app_label=source, model=model).update(app_label=target)
    ContentType.objects.clear_cache()


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, forward=False)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("inventory", "0010_import_jobs"),
        ("library", "0005_facet_value_covering_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Country',
                    fields=[
                        ('code', models.CharField(max_length=2, primary_key=True, serialize=False, verbose_name='ISO code')),
                        ('name_fr', models.CharField(max_length=100, verbose_name='name in French')),
                        ('name_en', models.CharField(max_length=100, verbose_name='name in English')),
                        ('currency', models.CharField(blank=True, choices=portal.reference.currencies.currency_choices, help_text='ISO 4217 code of the local currency, e.g. XOF; empty when unknown.', max_length=3, validators=[portal.reference.currencies.validate_currency], verbose_name='currency')),
                        ('focal_point', models.CharField(blank=True, help_text='Organization only: the names of persons are never published. Kept in step with the organizations that have the focal point role for this country.', max_length=255, verbose_name='focal point organization')),
                        ('in_network', models.BooleanField(default=False, verbose_name='in the network')),
                    ],
                    options={
                        'verbose_name': 'country',
                        'verbose_name_plural': 'countries',
                        'db_table': 'inventory_country',
                        'ordering': ['name_fr'],
                    },
                    bases=(portal.i18n.BilingualNameMixin, models.Model),
                ),
                migrations.CreateModel(
                    name='Theme',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('slug', models.SlugField(max_length=80, unique=True, verbose_name='slug')),
                        ('name_fr', models.CharField(max_length=120, verbose_name='name in French')),
                        ('name_en', models.CharField(max_length=120, verbose_name='name in English')),
                    ],
                    options={
                        'verbose_name': 'theme',
                        'verbose_name_plural': 'themes',
                        'db_table': 'library_theme',
                        'ordering': ['name_fr'],
                    },
                    bases=(portal.i18n.BilingualNameMixin, models.Model),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
