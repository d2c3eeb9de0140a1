"""The fields pointing at countries and themes point at portal.reference's models (issue #13).

State only: the models kept their tables (reference 0001), so the columns and foreign keys stay as they
are.
"""

import django.db.models.deletion
import modelcluster.fields
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0001_initial'),
        ('reference', '0001_move_country_and_theme'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='eventpage',
                    name='country',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='reference.country', verbose_name='country'),
                ),
                migrations.AlterField(
                    model_name='eventpage',
                    name='themes',
                    field=modelcluster.fields.ParentalManyToManyField(blank=True, related_name='+', to='reference.theme', verbose_name='themes'),
                ),
            ],
            database_operations=[],
        ),
    ]
