from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0002_library_pages"),
        ("library", "0002_search_entries"),
    ]

    operations = []
