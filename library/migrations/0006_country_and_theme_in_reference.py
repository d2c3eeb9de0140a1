"""The fields pointing at countries and themes point at portal.reference's models (issue #13).

State only: the models kept their tables (reference 0001), so the columns and foreign keys stay as they
are.

The old Theme model leaves library's state once nothing points at it any more.
"""

import modelcluster.fields
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('library', '0005_facet_value_covering_index'),
        ('reference', '0001_move_country_and_theme'),
        ('accounts', '0002_country_and_theme_in_reference'),
        ('events', '0002_country_and_theme_in_reference'),
        ('news', '0003_country_and_theme_in_reference'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='projectprofilepage',
                    name='countries',
                    field=modelcluster.fields.ParentalManyToManyField(blank=True, related_name='+', to='reference.country', verbose_name='countries'),
                ),
                migrations.AlterField(
                    model_name='projectprofilepage',
                    name='themes',
                    field=modelcluster.fields.ParentalManyToManyField(blank=True, related_name='+', to='reference.theme', verbose_name='themes'),
                ),
                migrations.AlterField(
                    model_name='resourcepage',
                    name='countries',
                    field=modelcluster.fields.ParentalManyToManyField(blank=True, related_name='+', to='reference.country', verbose_name='countries'),
                ),
                migrations.AlterField(
                    model_name='resourcepage',
                    name='themes',
                    field=modelcluster.fields.ParentalManyToManyField(blank=True, related_name='+', to='reference.theme', verbose_name='themes'),
                ),
                migrations.DeleteModel(
                    name='Theme',
                ),
            ],
            database_operations=[],
        ),
    ]
