import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Orderable, Page
from wagtail.search import index

from portal.core import citations, project_sections
from portal.core.citations import citation_file
from portal.core.contributions import ContributionMixin
from portal.core.extraction import check_upload, extract_text
from portal.reference.models import Language, Theme
from portal.site_url import page_public_url, public_url

from .documents import SearchDocument


class ResourceType(models.TextChoices):
    ARTICLE = "article", _("Article")
    BROCHURE = "brochure", _("Brochure")
    MONOGRAPH = "monograph", _("Monograph")
    CASE_STUDY = "case_study", _("Case study")
    LEGAL_TEXT = "legal_text", _("Legal text")
    GUIDE = "guide", _("Guide")
    TRAINING_MANUAL = "training_manual", _("Training manual")
    REPORT = "report", _("Report")
    PROCEEDINGS = "proceedings", _("Proceedings")
    NEWSLETTER = "newsletter", _("Newsletter")
    SOFTWARE = "software", _("Software")
    # A publication that used the inventory's open data, declared by anyone and accepted by the
    # secretariat (`StudyDeclaration`): it names the release it cited.
    STUDY = "inventory_study", _("Study using the inventory")
    OTHER = "other", _("Other")


# The search's type for project profiles, beside the resource types.
PROJECT_PROFILE_TYPE = "project_profile"


FIRST_YEAR = 1950


def validate_year(value):
    last = datetime.date.today().year + 1
    if value is not None and not FIRST_YEAR <= value <= last:
        raise ValidationError(
            _("The year must be between %(first)s and %(last)s."), params={"first": FIRST_YEAR, "last": last}
        )


def split_values(text: str) -> list[str]:
    """`"A; B ;"` → `["A", "B"]`: several values in one field or CSV cell, separated by semicolons."""
    return [part.strip() for part in (text or "").split(";") if part.strip()]


def new_ref() -> str:
    return f"res-{uuid.uuid4().hex[:12]}"


class LibraryIndexPage(Page):
    """The library's home, one per language tree: resources and project profiles live under it. The
    page is the library's faceted search (a GET form: it works without JavaScript)."""

    intro = models.TextField(_("introduction"), blank=True, max_length=400)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["library.ResourcePage", "library.ProjectProfilePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("library")

    def get_context(self, request, *args, **kwargs):
        # The selector reads these models (and the API's form, which reads them too): imported when
        # a page is served, not while the models are being defined.
        from .selectors import library_search

        context = super().get_context(request, *args, **kwargs)
        context["search"] = library_search(request.GET)
        return context


class LibraryItemMixin(models.Model):
    """Fields and helpers shared by resources and project profiles (what the search indexes)."""

    # Excluded from copies: a translated or duplicated page gets a ref of its own on save.
    ref = models.CharField(
        _("reference"), max_length=80, unique=True, blank=True, null=True,
        help_text=_("Stable identifier used by the import (filled in automatically when empty)."),
    )
    themes = ParentalManyToManyField(Theme, blank=True, related_name="+", verbose_name=_("themes"))
    countries = ParentalManyToManyField(
        "reference.Country", blank=True, related_name="+", verbose_name=_("countries")
    )

    exclude_fields_in_copy = ["ref"]

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self.ref:
            self.ref = new_ref()
        super().save(*args, **kwargs)

    def theme_slugs(self) -> tuple[str, ...]:
        return tuple(sorted(theme.slug for theme in self.themes.all()))

    def country_codes(self) -> tuple[str, ...]:
        return tuple(sorted(country.code for country in self.countries.all()))


class ResourcePage(RoutablePageMixin, LibraryItemMixin, ContributionMixin, Page):
    """A document of the library: a file (whose text is extracted for the search) or an external link.
    Members propose resources from the site (`library/views.py`): see `portal/core/contributions.py`."""

    summary = models.TextField(_("summary"), blank=True)
    resource_type = models.CharField(_("type"), max_length=20, choices=ResourceType.choices)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default="fr")
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True, validators=[validate_year])
    authors = models.TextField(_("authors"), blank=True, help_text=_("Separated by semicolons."))
    publisher = models.CharField(_("publisher"), max_length=255, blank=True)
    licence = models.CharField(_("licence"), max_length=255, blank=True)
    document = models.ForeignKey(
        "wagtaildocs.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("file"),
    )
    external_url = models.URLField(_("external link"), max_length=500, blank=True)
    doi = models.CharField(_("DOI"), max_length=200, blank=True, validators=[citations.validate_doi],
                           help_text=_("E.g. 10.12345/abcd, when the publication has one."))
    # A study using the inventory: the release it cites, "slug/version" and its label when accepted
    # (kept as text: the library does not depend on the inventory, portal/core/studies.py).
    cited_release = models.CharField(_("release cited"), max_length=100, blank=True,
                                     help_text=_("For a study using the inventory: slug/version of the "
                                                 "release, e.g. inventaire-2025/1.0."))
    cited_release_label = models.CharField(_("release cited (name)"), max_length=100, blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("cover image"),
    )
    # The file's text, for the search: extracted by a task (library/tasks.py), never in the request
    # that attaches the file. `extracted_document_id` is the document the text comes from: while it
    # differs from `document_id`, the extraction is pending (`extraction_pending`).
    extracted_text = models.TextField(_("extracted text"), blank=True, editable=False)
    extraction_note = models.CharField(_("text extraction"), max_length=255, blank=True, editable=False)
    extracted_document_id = models.PositiveIntegerField(null=True, blank=True, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("resource_type"), FieldPanel("language"), FieldPanel("year")]),
        FieldPanel("authors"),
        FieldRowPanel([FieldPanel("publisher"), FieldPanel("licence")]),
        MultiFieldPanel(
            [FieldPanel("document"),
             HelpPanel(template="library/admin/extraction_status.html", heading=_("Text for the search")),
             FieldPanel("external_url")],
            _("File or link (one of the two)"),
        ),
        FieldRowPanel([FieldPanel("doi"), FieldPanel("cited_release"), FieldPanel("cited_release_label")]),
        FieldPanel("cover_image"),
        FieldPanel("themes"),
        FieldPanel("countries"),
        FieldPanel("ref"),
    ]
    search_fields = [
        *Page.search_fields, index.SearchField("summary"), index.SearchField("authors"),
    ]
    parent_page_types = ["library.LibraryIndexPage"]
    subpage_types = []
    contributions_url_name = "library:my_proposals"

    class Meta:
        verbose_name = _("library resource")
        verbose_name_plural = _("library resources")

    def __str__(self):
        return self.title

    # The extraction's fields belong to the file, not to a revision: see `with_content_json`.
    EXTRACTION_FIELDS = ("extracted_text", "extraction_note", "extracted_document_id")

    def save(self, *args, **kwargs):
        """A new file empties the text and queues its extraction (`library.tasks.extract_resource_text`,
        atomic with this save's transaction); a save that does not write the file (a revision's
        bookkeeping, `update_fields` without `document`) leaves both alone."""
        update_fields = kwargs.get("update_fields")
        writes_document = update_fields is None or "document" in update_fields
        queue = writes_document and self.extraction_pending
        if writes_document and self.document_id != self.extracted_document_id:
            self.extracted_text, self.extraction_note = "", ""
            if not self.document_id:
                self.extracted_document_id = None  # no file, no text: nothing to wait for
        super().save(*args, **kwargs)
        if queue:
            from portal.core.tasks import enqueue, runs_immediately

            from .tasks import extract_resource_text

            enqueue(extract_resource_text, self.pk, self.document_id)
            if runs_immediately():  # the task has run (tests): this object gets its text too
                self.refresh_from_db(fields=list(self.EXTRACTION_FIELDS))

    def with_content_json(self, content):
        """A revision brought back (to publish, to edit, to compare) keeps the record's extracted text:
        the text arrives from the task after the revision was written, and a revision's copy of it
        would put back an older text (or none)."""
        page = super().with_content_json(content)
        for name in self.EXTRACTION_FIELDS:
            setattr(page, name, getattr(self, name))
        return page

    @property
    def extraction_pending(self) -> bool:
        """Whether the file's text is still to be extracted (queued, or the worker has not run yet)."""
        return bool(self.document_id) and self.document_id != self.extracted_document_id

    # -- validation and text ----------------------------------------------------------------------
    def clean(self):
        super().clean()
        errors = {}
        if not self.document_id and not self.external_url:
            errors["document"] = _("Give the file or an external link.")
        # A file is checked when attached (reading it runs the bounded extraction, seconds for a long
        # PDF), not again at each edit of the page: one whose text is extracted has passed the check.
        if self.document_id and self.document_id != self.extracted_document_id:
            problem = self.document_problem()
            if problem:
                errors["document"] = problem
        if self.ref:
            clash = ResourcePage.objects.filter(ref=self.ref).exclude(pk=self.pk).exists() or \
                ProjectProfilePage.objects.filter(ref=self.ref).exists()
            if clash:
                errors["ref"] = _("Another resource has this reference.")
        if errors:
            raise ValidationError(errors)

    def document_problem(self) -> str:
        """Why the attached file is refused (too large, or not the type its name claims), or ""."""
        data = _read(self.document)
        if data is None:
            return str(_("The file cannot be read."))
        check = check_upload(self.document.file.name, data)
        return "" if check.ok else check.message

    def refresh_text(self):
        """Extract the text of the current file into the fields (none without a file; a note when
        unreadable). Slow on a large file: the task calls it, in the worker, not a request."""
        self.extracted_text, self.extraction_note = "", ""
        if self.document_id:
            data = _read(self.document)
            if data is None:
                self.extraction_note = str(_("The file cannot be read."))
            else:
                extraction = extract_text(data)
                self.extracted_text, self.extraction_note = extraction.text, str(extraction.note)
        self.extracted_document_id = self.document_id

    # -- reading ----------------------------------------------------------------------------------
    @property
    def author_list(self) -> list[str]:
        return split_values(self.authors)

    @property
    def link(self) -> str:
        return self.document.url if self.document_id else self.external_url

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def cited_release_parts(self) -> tuple[str, str] | None:
        """(slug, version) of the release a study using the inventory cites, for its page's link."""
        slug, _sep, version = self.cited_release.partition("/")
        return (slug, version) if slug and version else None

    @property
    def file_kind(self) -> str:
        return self.document.file_extension.upper() if self.document_id else ""

    @property
    def file_size(self):
        if not self.document_id:
            return None
        try:
            return self.document.get_file_size()
        except OSError:
            return None

    def related(self, limit=5):
        """Other live resources of the same language tree sharing a theme, newest first."""
        # From the page's own themes, not a query: a preview renders a revision whose themes live in
        # memory (modelcluster), where `values_list("pk")` has no field named pk.
        themes = [theme.pk for theme in self.themes.all()]
        if not themes:
            return ResourcePage.objects.none()
        return (
            ResourcePage.objects.live().public().filter(locale=self.locale, themes__in=themes)
            .exclude(pk=self.pk).distinct().order_by("-year", "title")[:limit]
        )

    def citation(self, request=None) -> citations.Citation:
        """The resource as a reference (BibTeX, RIS, the page's citation meta tags): its addresses
        are on the public address (SITE_URL), whatever host the page was read through, since a
        reference is kept and shared. `request` is accepted for the callers' sake, not used."""
        url = page_public_url(self)
        file_url = public_url(self.document.url) if self.document_id and self.file_kind == "PDF" else ""
        return citations.Citation(
            key=self.ref or str(self.pk), title=self.title, authors=tuple(self.author_list),
            year=self.year, publisher=self.publisher, resource_type=self.resource_type,
            language=self.language, abstract=self.summary, url=url, pdf_url=file_url,
            keywords=tuple(theme.name for theme in self.themes.all()), doi=self.doi,
        )

    def to_search_document(self) -> SearchDocument:
        return SearchDocument(
            ref=self.ref or "", title=self.title, summary=self.summary, authors="; ".join(self.author_list),
            body=" ".join(filter(None, [self.extracted_text, self.cited_release_label])),
            resource_type=self.resource_type, themes=self.theme_slugs(),
            countries=self.country_codes(), language=self.language, year=self.year,
            url=self.get_url() or self.url_path, date=datetime.date(self.year, 1, 1) if self.year else None,
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["citation"] = self.citation(request)
        context["related"] = self.related()
        return context

    def json_ld(self) -> dict:
        """schema.org data of the page's head (library/jsonld.py)."""
        from .jsonld import resource

        return resource(self)

    @path("cite/bibtex/")
    def bibtex(self, request):
        return citation_file(self.citation(request), "bibtex", self.slug)

    @path("cite/ris/")
    def ris(self, request):
        return citation_file(self.citation(request), "ris", self.slug)

    @path("cite/csl-json/")
    def csl_json(self, request):
        return citation_file(self.citation(request), "csl", self.slug)


def _read(document) -> bytes | None:
    try:
        with document.open_file() as handle:
            return handle.read()
    except (OSError, ValueError):
        return None


class ProjectProfilePage(LibraryItemMixin, Page):
    """A project's profile, as on the ILO microinsurance innovation pages: who, where, what it tests,
    its indicators over time, its updates and its lessons."""

    project_name = models.CharField(_("project name"), max_length=255)
    organizations = models.TextField(_("organizations"), blank=True, help_text=_("Separated by semicolons."))
    region = models.CharField(_("region"), max_length=120, blank=True)
    sub_topics = models.CharField(_("sub-topics"), max_length=255, blank=True,
                                  help_text=_("Separated by semicolons."))
    risk_carrier = models.CharField(_("type of risk carrier"), max_length=255, blank=True)
    distribution_channel = models.CharField(_("type of distribution channel"), max_length=255, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    organizational_overview = models.TextField(_("organizational overview"), blank=True)
    description = models.TextField(_("project description"), blank=True)
    learning_agenda = models.TextField(
        _("learning agenda"), blank=True, help_text=_("One question per line.")
    )
    last_update = models.DateField(_("date of last update"), null=True, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("project_name"),
        FieldPanel("summary"),
        FieldPanel("organizations"),
        FieldRowPanel([FieldPanel("region"), FieldPanel("last_update")]),
        FieldPanel("countries"),
        FieldPanel("themes"),
        FieldPanel("sub_topics"),
        FieldRowPanel([FieldPanel("risk_carrier"), FieldPanel("distribution_channel")]),
        FieldPanel("organizational_overview"),
        FieldPanel("description"),
        FieldPanel("learning_agenda"),
        InlinePanel("indicators", label=_("Key performance indicators"), help_text=_(
            "Typed by hand, for what the inventory does not hold: the supported mutuals' members, "
            "beneficiaries and rates come from their validated returns.")),
        InlinePanel("updates", label=_("Project updates")),
        InlinePanel("lessons", label=_("Lessons")),
        FieldPanel("ref"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("description"), index.SearchField("summary")]
    parent_page_types = ["library.LibraryIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("project profile")
        verbose_name_plural = _("project profiles")

    def __str__(self):
        return self.title

    @property
    def organization_list(self):
        return split_values(self.organizations)

    @property
    def sub_topic_list(self):
        return split_values(self.sub_topics)

    @property
    def questions(self):
        return [line.strip(" •-\t") for line in self.learning_agenda.splitlines() if line.strip(" •-\t")]

    def indicator_table(self):
        """KPIs as a table: one row per indicator, one column per date (oldest first)."""
        indicators = list(self.indicators.all())
        dates = sorted({item.date for item in indicators})
        rows = {}
        for item in indicators:
            rows.setdefault(item.name, {})[item.date] = item.value
        return dates, [(name, [values.get(date, "") for date in dates]) for name, values in rows.items()]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # What other apps add (the supported mutuals' figures from the inventory: portal/directory).
        context["project_sections"] = project_sections.sections(self, request)
        return context

    def to_search_document(self) -> SearchDocument:
        body = "\n".join(
            [self.organizations, self.organizational_overview, self.description, self.learning_agenda,
             self.sub_topics, self.risk_carrier, self.distribution_channel, self.region]
            + [f"{update.title} {update.text}" for update in self.updates.all()]
            + [f"{lesson.title} {lesson.text}" for lesson in self.lessons.all()]
        )
        date = self.last_update
        return SearchDocument(
            ref=self.ref or "", title=self.title, summary=self.summary or self.description[:400],
            authors="; ".join(self.organization_list), body=" ".join(body.split()),
            resource_type=PROJECT_PROFILE_TYPE, themes=self.theme_slugs(), countries=self.country_codes(),
            language=self.locale.language_code if self.locale_id else settings.LANGUAGE_CODE,
            year=date.year if date else None, url=self.get_url() or self.url_path, date=date,
        )


class ProjectIndicator(Orderable):
    """One key performance indicator at one date (the table has a column per date)."""

    page = ParentalKey(ProjectProfilePage, on_delete=models.CASCADE, related_name="indicators")
    date = models.DateField(_("date"))
    name = models.CharField(_("indicator"), max_length=200)
    value = models.CharField(_("value"), max_length=100)

    panels = [FieldRowPanel([FieldPanel("date"), FieldPanel("name"), FieldPanel("value")])]


class ProjectUpdate(Orderable):
    page = ParentalKey(ProjectProfilePage, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=255, blank=True)
    text = models.TextField(_("text"))

    panels = [FieldRowPanel([FieldPanel("date"), FieldPanel("title")]), FieldPanel("text")]

    class Meta(Orderable.Meta):
        ordering = ["-date"]


class ProjectLesson(Orderable):
    page = ParentalKey(ProjectProfilePage, on_delete=models.CASCADE, related_name="lessons")
    title = models.CharField(_("lesson"), max_length=255)
    text = models.TextField(_("text"))

    panels = [FieldPanel("title"), FieldPanel("text")]


class StudyDeclaration(models.Model):
    """A publication that used the inventory's data, as declared by anyone on the site
    (`library.views.declare_study`), waiting for the secretariat's decision. Accepted, it becomes a
    library resource of the kind "study using the inventory" (`resource`). The e-mail address is for
    the moderation only: never shown on a public page nor in any download."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    title = models.CharField(_("title"), max_length=255)
    authors = models.TextField(_("authors"), max_length=1000, help_text=_("Separated by semicolons."))
    year = models.PositiveSmallIntegerField(_("year"), validators=[validate_year])
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default="fr")
    link = models.URLField(_("link"), max_length=500, blank=True)
    doi = models.CharField(_("DOI"), max_length=200, blank=True, validators=[citations.validate_doi])
    cited_release = models.CharField(_("release cited"), max_length=100)
    cited_release_label = models.CharField(_("release cited (name)"), max_length=100)
    # Emptied when the declarant's account is deleted (library/personal_data.py).
    email = models.EmailField(_("e-mail address"), blank=True, help_text=_("For the moderation only."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("declared"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    resource = models.ForeignKey(ResourcePage, verbose_name=_("library resource"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("declared study")
        verbose_name_plural = _("declared studies")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    @property
    def author_list(self) -> list[str]:
        return split_values(self.authors)

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""


# The embedded search engine's tables live in their own module.
from .search_entries import SearchEntry, SearchFacetValue, SearchIndexVersion  # noqa: E402, F401
