"""Walking the public site: every URL pattern outside /admin/ (from Django's resolver, in French: the
English ones are the same views under /en/), a real URL for each (path parameters filled with objects
made for the walk, the walker being the mutual's manager, its supporting organization's staff or its
country's focal point as their role says), and what a request answers (`admin_urls.outcome`). Used by
tests/core/test_site_urls.py."""

import datetime
import zoneinfo
from types import SimpleNamespace

from django.utils import timezone
from wagtail.models import Locale

from inventory.models import Campaign, ImportJob, Mutual, Release, SupportingOrganization
from portal.accounts.roles import Role
from tests.factories import MutualFactory, ReturnFactory, UserFactory, network_country

from .admin_urls import MISSING, all_routes, build_url


def site_routes():
    """Every URL pattern outside admin/, the active language's prefix included (the walk runs in
    French)."""
    return [route for route in all_routes() if not route.startswith("admin/")]


def _event():
    from portal.events.models import EventIndexPage, EventPage

    index = EventIndexPage.objects.get(locale__language_code="fr")
    zone = zoneinfo.ZoneInfo("Africa/Dakar")
    day = timezone.localdate() + datetime.timedelta(days=20)
    event = EventPage(
        title="Atelier parcouru", time_zone="Africa/Dakar", locale=index.locale, city="Dakar",
        start=datetime.datetime.combine(day, datetime.time(9), tzinfo=zone),
        end=datetime.datetime.combine(day, datetime.time(17), tzinfo=zone), registration_open=True,
    )
    index.add_child(instance=event)
    event.save_revision().publish()
    return event


def _document():
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model
    from wagtail.models import Collection

    return get_document_model().objects.create(
        title="Document parcouru", file=ContentFile(b"%PDF-1.4 walk", name="parcouru.pdf"),
        collection=Collection.get_first_root_node(),
    )


def make_objects(user, role):
    """One object of each kind a site URL names. `user` (None for a visitor) manages the walk's mutual,
    works for its supporting organization or is its country's focal point, as `role` says; the
    mutual's return of 2025 is submitted (waiting for its focal point); someone else's import job and
    proposals are there too."""
    from library.models import LibraryIndexPage, ResourcePage, StudyDeclaration
    from portal.news.models import ArticlePage, NewsIndexPage

    country = network_country("SN")
    organization = SupportingOrganization.objects.create(name="Organisation parcourue")
    organization.countries.add(country)
    someone = UserFactory(roles=[Role.MUTUAL_MANAGER])
    mutual = MutualFactory(country=country, managers=[someone])
    mutual.supporting_organizations.add(organization)
    if role == Role.MUTUAL_MANAGER:
        mutual.managers.add(user)
    if role == Role.SUPPORTING_ORGANIZATION:
        organization.staff.add(user)
    if role == Role.FOCAL_POINT:
        user.focal_point_countries.add(country)
    validated = ReturnFactory(mutual=mutual, year=2024, state="validated", status="functional")
    submitted = ReturnFactory(mutual=mutual, year=2025, state="submitted", status="functional")
    pending = Mutual.objects.create(name="Mutuelle en attente", country=country, registration_state="pending",
                                    registered_by=someone)
    Campaign.objects.create(year=2025, deadline=timezone.localdate() + datetime.timedelta(days=30))
    job = ImportJob.objects.create(user=someone, file_name="import.csv")
    member = UserFactory(roles=[Role.MEMBER])
    library = LibraryIndexPage.objects.get(locale__language_code="fr")
    proposal = ResourcePage(title="Proposition parcourue", slug="proposition-parcourue", contributor=member,
                            live=False, locale=library.locale, resource_type="guide",
                            external_url="https://example.org/guide")
    library.add_child(instance=proposal)
    proposal.save_revision(user=member)
    news = NewsIndexPage.objects.get(locale__language_code="fr")
    article = ArticlePage(title="Article parcouru", slug="article-parcouru", contributor=member, live=False,
                          locale=news.locale, summary="Résumé.", body="<p>Texte.</p>", language="fr")
    news.add_child(instance=article)
    article.save_revision(user=member)
    release = Release.objects.create(
        name="Inventaire 2025", slug="inventaire-2025", version="1.0", changelog="",
        published_at=timezone.now().replace(microsecond=0), published_by=someone, inventory_version=1,
        returns_count=1, synthesis_count=1,
    )
    study = StudyDeclaration.objects.create(
        title="Étude parcourue", authors="A. Diallo", year=2025, link="https://example.org/etude",
        cited_release=f"{release.slug}/{release.version}", cited_release_label=str(release.name),
        email="declarant@example.org",
    )
    return SimpleNamespace(
        country=country, mutual=mutual, validated=validated, submitted=submitted, pending=pending,
        organization=organization, job=job, member=member, proposal=proposal, article=article,
        release=release, study=study, event=_event(), locale=Locale.objects.get(language_code="fr"),
        document=_document(),
    )


# Routes whose URL is not the defaults below.
_SPECIAL = {
    "api/v1/^(?P<path>.+)$": lambda o: "/api/v1/no-such-endpoint",
    "^media/(?P<path>(?:original_images|images)/.+)$": lambda o: "/media/images/missing.png",
    "fr/^((?:[\\w\\-]+/)*)$": lambda o: "/fr/",
    "documents/^(\\d+)/(.*)$": lambda o: f"/documents/{o.document.pk}/{o.document.filename}",
}


def url_for(route, o):
    if route in _SPECIAL:
        return _SPECIAL[route](o)
    values = {
        "section": "pages", "message_id": "20261207000000000000-0123abcd", "key": "walk-key",
        "uidb36": "1", "pk": MISSING, "mutual_id": o.mutual.mutual_id, "year": 2025, "number": 1,
        "slug": "map", "code": "SN", "country": "SN", "public_id": o.job.public_id, "fmt": "bibtex",
        "filename": "inventory.csv", "version": "1.0", "token": "not-a-token",
        "page_view_restriction_id": MISSING, "page_id": MISSING, "restriction_id": MISSING,
    }
    if route.startswith("fr/inventaire/declarations/") and "/modifier/<slug:section>/" in route:
        values["section"] = "people"
    if route.startswith("fr/inventaire/pays/"):
        values["slug"] = "status"
    if route.startswith("fr/inventaire/inscriptions/"):
        values["pk"] = o.pending.pk
    if route.startswith("fr/bibliotheque/"):
        values["pk"] = o.study.pk if "/etudes/" in route else o.proposal.pk
    if route.endswith("/comparaison/"):
        values["year"] = 2024  # the validated year
    if route.startswith("fr/actualites/mes-articles/"):
        values["pk"] = o.article.pk
    if route.startswith("fr/actualites/auteurs/"):
        values["pk"] = o.member.pk
    if route.startswith("fr/agenda/"):
        values["pk"] = o.event.pk
    if route.startswith("fr/themes/"):
        values["slug"] = "financing"
    if route.startswith("fr/annuaire/"):
        values["pk"] = o.organization.pk
    if route.startswith("fr/inventaire/donnees/versions/"):
        values["slug"] = "inventaire-2025"
    return build_url(route, values)

