"""Demo content of the library from `data/library.yaml`: a few resources and two project profiles.
Links, except one case study whose small PDF is written at load time, so that a file's text is
searched and downloaded. Idempotent on each record's ref."""


from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, Locale

from library.models import ProjectIndicator, ProjectLesson, ProjectProfilePage, ProjectUpdate, ResourcePage
from library.services import library_index_get_or_create
from portal.core.pdf import pdf_bytes
from portal.reference.models import Country, Theme

from .content import read

_DATA = read("library")
RESOURCES: list = _DATA["resources"]
# A resource with a real file: its PDF is generated from its `lines`, which the search reads.
CASE_STUDY: dict = _DATA["case_study"]
PROJECTS: list = _DATA["projects"]


def _load_case_study(parent, themes, countries) -> int:
    """The demo resource with a file (idempotent on its ref)."""
    data = CASE_STUDY
    if ResourcePage.objects.filter(ref=data["ref"]).exists():
        return 0
    # A flushed database (the browser tests') has lost the root collection its migration created.
    collection = Collection.get_first_root_node() or Collection.add_root(name="Root")
    document = get_document_model()(title=data["title"], collection=collection)
    document.file.save(data["filename"], ContentFile(pdf_bytes(data["lines"])), save=False)
    document.save()
    values = {key: value for key, value in data.items()
              if key not in ("themes", "countries", "filename", "lines")}
    page = ResourcePage(**values, document=document, licence="CC BY 4.0", locale=parent.locale,
                        slug=data["ref"].removeprefix("demo-"))
    page.themes = [themes[slug] for slug in data["themes"] if slug in themes]
    page.countries = [countries[code] for code in data["countries"] if code in countries]
    parent.add_child(instance=page)
    page.save_revision().publish()
    return 1


def load(report) -> None:
    """Idempotent: a resource or profile whose ref exists already is left as it is."""
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    countries = {country.code: country for country in Country.objects.all()}
    indexes = {language: library_index_get_or_create(language=language) for language in ("fr", "en")}
    # The Portuguese library: the same faceted search over every resource (each in its own tree).
    library_index_get_or_create(language="pt")
    created = 0
    for data in RESOURCES:
        if ResourcePage.objects.filter(ref=data["ref"]).exists():
            continue
        parent = indexes["en" if data["language"] == "en" else "fr"]
        values = {key: value for key, value in data.items() if key not in ("themes", "countries", "url")}
        page = ResourcePage(**values, external_url=data["url"], locale=parent.locale,
                            slug=data["ref"].removeprefix("demo-"))
        page.themes = [themes[slug] for slug in data["themes"] if slug in themes]
        page.countries = [countries[code] for code in data["countries"] if code in countries]
        parent.add_child(instance=page)
        page.save_revision().publish()
        created += 1
    created += _load_case_study(indexes["fr"], themes, countries)
    english = Locale.objects.get(language_code="en")
    for data in PROJECTS:
        if ProjectProfilePage.objects.filter(ref=data["ref"]).exists():
            continue
        scalar = {key: value for key, value in data.items()
                  if key not in ("themes", "countries", "updates", "lessons", "indicators",
                                 "supported_mutuals")}
        page = ProjectProfilePage(**scalar, locale=english)
        page.themes = [themes[slug] for slug in data["themes"] if slug in themes]
        page.countries = [countries[code] for code in data["countries"] if code in countries]
        page.updates = [ProjectUpdate(**update) for update in data["updates"]]
        page.lessons = [ProjectLesson(**lesson) for lesson in data["lessons"]]
        page.indicators = [ProjectIndicator(**indicator) for indicator in data["indicators"]]
        indexes["en"].add_child(instance=page)
        page.save_revision().publish()
        created += 1
    report.add(f"Library: {created} resources and project profiles created.")


def link_supported_mutuals(report) -> None:
    """The demo project profiles' supported mutuals (`supported_mutuals` in the data: demo mutuals by
    name, or unions), once the demo inventory is there; a profile that names some already is left as
    it is, a name not found is skipped."""
    from inventory.models import Mutual, Union
    from portal.directory.models import ProjectSupportedMutual

    linked = 0
    for data in PROJECTS:
        wanted = data.get("supported_mutuals") or []
        page = ProjectProfilePage.objects.filter(ref=data["ref"]).first()
        if not wanted or page is None or ProjectSupportedMutual.objects.filter(page=page).exists():
            continue
        links = []
        for position, item in enumerate(wanted):
            found = (Mutual.objects.filter(name=item["mutual"]).first() if "mutual" in item
                     else Union.objects.filter(name=item["union"]).first())
            if found is not None:
                links.append(ProjectSupportedMutual(
                    **{"mutual" if "mutual" in item else "union": found},
                    since=item.get("since"), until=item.get("until"), sort_order=position))
        if links:
            page.supported_mutuals = links
            page.save_revision().publish()
            linked += 1
    if linked:
        report.add(f"Library: {linked} project profiles linked to the demo mutuals they support.")
