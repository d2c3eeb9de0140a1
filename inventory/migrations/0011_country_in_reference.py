"""The fields pointing at countries and themes point at portal.reference's models (issue #13).

State only: the models kept their tables (reference 0001), so the columns and foreign keys stay as they
are.

The old Country model leaves inventory's state once nothing points at it any more.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('inventory', '0010_import_jobs'),
        ('reference', '0001_move_country_and_theme'),
        ('accounts', '0002_country_and_theme_in_reference'),
        ('events', '0002_country_and_theme_in_reference'),
        ('news', '0003_country_and_theme_in_reference'),
        ('library', '0006_country_and_theme_in_reference'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='union',
                    name='country',
                    field=models.ForeignKey(blank=True, help_text='Empty for a network spanning several countries.', null=True, on_delete=django.db.models.deletion.PROTECT, to='reference.country', verbose_name='country'),
                ),
                migrations.AlterField(
                    model_name='mutual',
                    name='country',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='reference.country', verbose_name='country'),
                ),
                migrations.AlterField(
                    model_name='mutualidsequence',
                    name='country',
                    field=models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, primary_key=True, serialize=False, to='reference.country'),
                ),
                migrations.AlterField(
                    model_name='organizationrole',
                    name='country',
                    field=models.ForeignKey(blank=True, help_text='Required for a focal point or a national committee; empty: network-wide.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='organization_roles', to='reference.country', verbose_name='country'),
                ),
                migrations.AlterField(
                    model_name='supportingorganization',
                    name='countries',
                    field=models.ManyToManyField(blank=True, help_text='Where it works. The countries of its roles are added on save.', to='reference.country', verbose_name='countries'),
                ),
                migrations.DeleteModel(
                    name='Country',
                ),
            ],
            database_operations=[],
        ),
    ]
