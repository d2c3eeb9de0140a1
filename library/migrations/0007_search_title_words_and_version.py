"""The embedded search near the limit (issue #16).

- Autocompletion reads an index of the folded titles' words instead of scanning every title with
  LIKE '%…%': on SQLite an FTS5 table with the `ascii` tokenizer (every non-ASCII character is part of a
  word and the folded title holds only words separated by spaces, so its tokens are exactly the title's
  words) and prefix indexes; on PostgreSQL a generated `tsvector` of the same words taken verbatim
  (`array_to_tsvector`, no parser, no dictionary) with a GIN index, queried with `:*` prefixes.
- `SearchIndexVersion`: the token that says when the engine's bitmaps of facet values are out of date.
"""

import uuid

from django.db import migrations, models

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE library_searchentry_titles USING fts5(
        folded_title, content='library_searchentry', content_rowid='id', tokenize='ascii',
        prefix='1 2 3')""",
    """CREATE TRIGGER library_searchentry_titles_ai AFTER INSERT ON library_searchentry BEGIN
        INSERT INTO library_searchentry_titles(rowid, folded_title) VALUES (new.id, new.folded_title);
    END""",
    """CREATE TRIGGER library_searchentry_titles_ad AFTER DELETE ON library_searchentry BEGIN
        INSERT INTO library_searchentry_titles(library_searchentry_titles, rowid, folded_title)
        VALUES ('delete', old.id, old.folded_title);
    END""",
    """CREATE TRIGGER library_searchentry_titles_au AFTER UPDATE ON library_searchentry BEGIN
        INSERT INTO library_searchentry_titles(library_searchentry_titles, rowid, folded_title)
        VALUES ('delete', old.id, old.folded_title);
        INSERT INTO library_searchentry_titles(rowid, folded_title) VALUES (new.id, new.folded_title);
    END""",
    "INSERT INTO library_searchentry_titles(library_searchentry_titles) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS library_searchentry_titles_ai",
    "DROP TRIGGER IF EXISTS library_searchentry_titles_ad",
    "DROP TRIGGER IF EXISTS library_searchentry_titles_au",
    "DROP TABLE IF EXISTS library_searchentry_titles",
]
POSTGRESQL_FORWARD = [
    """ALTER TABLE library_searchentry ADD COLUMN title_words tsvector GENERATED ALWAYS AS (
        array_to_tsvector(string_to_array(folded_title, ' '))) STORED""",
    "CREATE INDEX library_searchentry_title_words_idx ON library_searchentry USING GIN (title_words)",
]
POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS library_searchentry_title_words_idx",
    "ALTER TABLE library_searchentry DROP COLUMN IF EXISTS title_words",
]


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


def first_token(apps, schema_editor):
    apps.get_model("library", "SearchIndexVersion").objects.create(pk=1, token=uuid.uuid4().hex)


class Migration(migrations.Migration):

    dependencies = [
        ("library", "0006_country_and_theme_in_reference"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchIndexVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("token", models.CharField(max_length=32)),
            ],
        ),
        migrations.RunPython(first_token, migrations.RunPython.noop),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRESQL_BACKWARD}),
        ),
    ]
