"""The fields pointing at countries and themes point at portal.reference's models (issue #13).

State only: the models kept their tables (reference 0001), so the columns and foreign keys stay as they
are.
"""

import modelcluster.fields
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('news', '0002_article_by_former_member'),
        ('reference', '0001_move_country_and_theme'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='articlepage',
                    name='countries',
                    field=modelcluster.fields.ParentalManyToManyField(blank=True, related_name='+', to='reference.country', verbose_name='countries'),
                ),
                migrations.AlterField(
                    model_name='articlepage',
                    name='themes',
                    field=modelcluster.fields.ParentalManyToManyField(blank=True, related_name='+', to='reference.theme', verbose_name='themes'),
                ),
                migrations.AlterField(
                    model_name='flashnews',
                    name='countries',
                    field=models.ManyToManyField(blank=True, help_text='Empty: about the whole network.', related_name='+', to='reference.country', verbose_name='countries'),
                ),
                migrations.AlterField(
                    model_name='flashnews',
                    name='themes',
                    field=models.ManyToManyField(blank=True, related_name='+', to='reference.theme', verbose_name='themes'),
                ),
                migrations.AlterField(
                    model_name='flashnewssubscription',
                    name='countries',
                    field=models.ManyToManyField(blank=True, related_name='+', to='reference.country', verbose_name='countries'),
                ),
                migrations.AlterField(
                    model_name='flashnewssubscription',
                    name='themes',
                    field=models.ManyToManyField(blank=True, related_name='+', to='reference.theme', verbose_name='themes'),
                ),
            ],
            database_operations=[],
        ),
    ]
