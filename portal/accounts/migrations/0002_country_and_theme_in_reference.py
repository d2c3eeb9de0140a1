"""The fields pointing at countries and themes point at portal.reference's models (issue #13).

State only: the models kept their tables (reference 0001), so the columns and foreign keys stay as they
are.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('reference', '0001_move_country_and_theme'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='user',
                    name='country',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='reference.country', verbose_name='country'),
                ),
                migrations.AlterField(
                    model_name='user',
                    name='focal_point_countries',
                    field=models.ManyToManyField(blank=True, help_text='Countries whose returns this person validates, when in the focal point group.', related_name='focal_point_users', to='reference.country', verbose_name='focal point for'),
                ),
                migrations.AlterField(
                    model_name='user',
                    name='interests',
                    field=models.ManyToManyField(blank=True, related_name='+', to='reference.theme', verbose_name='interests'),
                ),
            ],
            database_operations=[],
        ),
    ]
