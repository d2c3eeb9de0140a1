"""The embedded search engine's tables (re-exported by `library.models`).

One `SearchEntry` per indexed `SearchDocument`, holding the document as shown in results and its
text normalised by `library.text.normalise`; one `SearchFacetValue` per (facet, value) of an entry,
from which the engine reads each facet value's entries once into bitmaps (`search_embedded`). The
full-text index over the normalised columns is built by migration 0002 for the database in use: an FTS5
table kept in step by triggers on SQLite, a generated `tsvector` column with a GIN index on PostgreSQL;
migration 0007 indexes the folded title's words the same way for autocompletion (prefix queries).
`SearchIndexVersion` changes with every write to the index, so that a process knows when the bitmaps
it keeps are out of date.
"""

from django.db import models


class SearchEntry(models.Model):
    ref = models.CharField(max_length=200, unique=True)
    title = models.TextField()
    summary = models.TextField(blank=True)
    authors = models.TextField(blank=True)
    body = models.TextField(blank=True)
    resource_type = models.CharField(max_length=40, db_index=True)
    themes = models.JSONField(default=list)
    countries = models.JSONField(default=list)
    language = models.CharField(max_length=8, db_index=True)
    year = models.IntegerField(null=True, db_index=True)
    url = models.CharField(max_length=500)
    date = models.DateField(null=True, db_index=True)
    # Normalised text (stems of the folded words), what the full-text index sees.
    norm_title = models.TextField(blank=True)
    norm_summary = models.TextField(blank=True)
    norm_authors = models.TextField(blank=True)
    norm_body = models.TextField(blank=True)
    # The title folded but not stemmed, for autocompletion on what a reader is typing.
    folded_title = models.TextField(blank=True)

    class Meta:
        app_label = "library"

    def __str__(self):
        return self.title


class SearchFacetValue(models.Model):
    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="facet_values")
    facet = models.CharField(max_length=20)
    value = models.CharField(max_length=80)

    class Meta:
        app_label = "library"
        # facet, value then entry: facet counts and facet filters read the index alone (covering).
        indexes = [models.Index(fields=["facet", "value", "entry"], name="library_facet_value_entry_idx")]

    def __str__(self):
        return f"{self.facet}={self.value}"


class SearchIndexVersion(models.Model):
    """One row (id 1): a random token, replaced in the transaction of every write to the index. A
    token is never reused (a rolled back write leaves the previous one), so that what a process derived
    from the index under a token stays true as long as the token is the same."""

    token = models.CharField(max_length=32)

    class Meta:
        app_label = "library"

    def __str__(self):
        return self.token
