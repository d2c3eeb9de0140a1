"""Demo content of the newsletter from `data/newsletter.yaml`: the archive page in both trees, two issues
in French with their English translations, and a few confirmed subscribers at example.org. Idempotent:
what exists is left as it is."""

import json

from django.utils import timezone
from wagtail.models import Locale

from library.models import ResourcePage
from portal.home.models import HomePage
from portal.newsletter.models import NewsletterIndexPage, NewsletterIssuePage, Subscriber

from .content import read

_DATA = read("newsletter")
ARCHIVE: dict = _DATA["archive"]
SUBSCRIBERS: list = _DATA["subscribers"]
ISSUES: list = _DATA["issues"]


def _resources(refs):
    pages = {page.ref: page.pk for page in ResourcePage.objects.filter(ref__in=refs)}
    return [{"page": pages[ref], "summary": ""} for ref in refs if ref in pages]


def _issue(issue, language) -> dict:
    """The issue's fields in `language`, its sections' resource refs resolved to pages."""
    text = issue[language]
    sections = [
        {"type": section["type"],
         "value": {**section["value"], "items": _resources(section["value"]["items"])}
         if "items" in section["value"] else section["value"]}
        for section in text["sections"]
    ]
    return {"number": issue["number"], "issue_date": issue["issue_date"], **text, "sections": sections}


def _fill(page, data):
    for name in ("number", "issue_date", "title", "slug", "intro", "editorial"):
        setattr(page, name, data[name])
    page.sections = json.dumps(data["sections"])


def _archive(report, fr, en):
    home = HomePage.objects.filter(locale=fr).first()
    archive = NewsletterIndexPage.objects.filter(locale=fr).first()
    if archive is None:
        archive = NewsletterIndexPage(locale=fr, show_in_menus=True, **ARCHIVE["fr"])
        home.add_child(instance=archive)
        archive.save_revision().publish()
        report.add("Newsletter archive created.")
    if archive.get_translation_or_none(en) is None:
        translated = archive.copy_for_translation(en)
        for name, value in ARCHIVE["en"].items():
            setattr(translated, name, value)
        translated.save_revision().publish()
    return archive


def load(report) -> None:
    fr, _ = Locale.objects.get_or_create(language_code="fr")
    en, _ = Locale.objects.get_or_create(language_code="en")
    if not HomePage.objects.filter(locale=fr).exists():
        return
    archive = _archive(report, fr, en)
    created = 0
    for entry in ISSUES:
        data = _issue(entry, "fr")
        issue = NewsletterIssuePage.objects.filter(locale=fr, number=data["number"]).first()
        if issue is None:
            issue = NewsletterIssuePage(locale=fr)
            _fill(issue, data)
            archive.add_child(instance=issue)
            issue.save_revision().publish()
            created += 1
        if issue.get_translation_or_none(en) is None:
            translated = issue.copy_for_translation(en)
            _fill(translated, _issue(entry, "en"))
            translated.save_revision().publish()
    now = timezone.now()
    new = 0
    for subscriber in SUBSCRIBERS:
        _, was_created = Subscriber.objects.get_or_create(
            email=subscriber["email"], defaults={"language": subscriber["language"], "confirmed_at": now})
        new += was_created
    report.add(f"Newsletter: {created} issues and {new} demo subscribers created.")
