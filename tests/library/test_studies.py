"""Studies using the inventory (issue 17, item 3): anyone declares a publication that used the open data
(library/views.py `declare_study`), with the release it cites; the secretariat alone accepts or rejects
it; accepted, it is a library resource of the kind "study using the inventory", found and faceted by
the search (both engines), with its citation exports, listed on the open-data page, on the release's
page ("cited by") and counted per release in the download statistics. The declarant's e-mail address
is never shown nor exported."""

import json
import re

import bibtexparser
import pytest
import rispy
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from elasticsearch import Elasticsearch

from inventory.models import Release
from library.models import ResourcePage, ResourceType, StudyDeclaration
from library.search_elasticsearch import ElasticsearchEngine
from library.search_embedded import EmbeddedEngine
from library.services import library_index_get_or_create
from library.views import DECLARATIONS_PER_HOUR
from portal.accounts.roles import Role
from portal.core import antispam, throttle
from tests.factories import LOGIN_PAGES, UserFactory

from .osmem_adapter import OsmemTestNode

pytestmark = pytest.mark.django_db

EMAIL = "chercheuse.privee@example.org"
TITLE = "Adhésion et renouvellement dans les mutuelles de Thiès"
BROWSER = {"HTTP_ACCEPT_LANGUAGE": "fr", "HTTP_USER_AGENT": "Mozilla/5.0 (test)"}


def url(name, *args, language="fr"):
    with translation.override(language):
        return reverse(name, args=args)


@pytest.fixture
def release(home_fr):
    return Release.objects.create(name="Inventaire 2025", slug="inventaire-2025", version="1.0",
                                  published_at=timezone.now(), inventory_version=1, returns_count=3,
                                  synthesis_count=2)


@pytest.fixture
def older_release(release):
    return Release.objects.create(name="Inventaire 2024", slug="inventaire-2024", version="1.0",
                                  published_at=timezone.now() - timezone.timedelta(days=400),
                                  inventory_version=1, returns_count=2, synthesis_count=1)


@pytest.fixture
def secretariat():
    return UserFactory(roles=[Role.SECRETARIAT])


def form_data(**overrides):
    data = {
        "title": TITLE, "authors": "Awa Ndiaye; Université Gaston Berger", "year": "2025", "language": "fr",
        "link": "https://example.org/revue/adhesion-thies", "doi": "", "release": "inventaire-2025/1.0",
        "email": EMAIL, "website": "", "stamp": antispam.new_stamp(0),
    }
    data.update(overrides)
    return data


def declare(client, **overrides):
    return client.post(url("library:declare_study"), form_data(**overrides), **BROWSER)


def anonymous(client):
    """The client as a visitor without a session nor a message waiting (the thanks and the decisions'
    messages quote the title)."""
    client.logout()
    client.cookies.clear()


def accept(client, user, declaration):
    client.force_login(user)
    response = client.post(url("library:study_decide", declaration.pk), {"decision": "accept"})
    assert response.status_code == 302, response.content.decode()[:2000]
    return ResourcePage.objects.get(pk=StudyDeclaration.objects.get(pk=declaration.pk).resource_id)


# -- declaring ------------------------------------------------------------------------------------------

def test_a_visitor_declares_a_study_which_waits_for_review_unseen(client, release):
    form = client.get(url("library:declare_study"))
    assert form.status_code == 200
    assert "Inventaire 2025 v1.0" in form.content.decode()  # the published releases are offered
    response = declare(client)
    assert response.status_code == 302
    declaration = StudyDeclaration.objects.get()
    assert (declaration.status, declaration.email, declaration.cited_release) == (
        "pending", EMAIL, "inventaire-2025/1.0")
    assert declaration.cited_release_label == "Inventaire 2025 v1.0"
    assert not ResourcePage.objects.filter(title=TITLE).exists()
    anonymous(client)
    assert TITLE not in client.get(url("inventory:datasets")).content.decode()


def test_the_release_page_offers_the_form_with_its_release_chosen(client, release, older_release):
    page = client.get(url("inventory:release_detail", "inventaire-2024", "1.0")).content.decode()
    link = url("library:declare_study") + "?release=inventaire-2024/1.0"
    assert f'href="{link}"' in page
    form = client.get(link).content.decode()
    assert '<option value="inventaire-2024/1.0" selected>' in form


@pytest.mark.parametrize("field, value", [
    ("doi", "10.12/too-short-registrant"),
    ("doi", "doi.org/10.12345"),
    ("link", "ftp://example.org/etude.pdf"),
    ("link", "javascript:alert(1)"),
    ("link", "pas une adresse"),
    ("release", "inventaire-2030/9.9"),  # not a published release
    ("release", ""),
    ("year", "1890"),
    ("year", "2999"),
    ("title", ""),
    ("authors", ""),
    ("email", "pas-une-adresse"),
    ("email", ""),
])
def test_wrong_or_missing_values_are_refused_and_nothing_typed_is_lost(client, release, field, value):
    sent = form_data(**{field: value})
    response = client.post(url("library:declare_study"), sent, **BROWSER)
    assert response.status_code == 400
    assert not StudyDeclaration.objects.exists()
    form = response.context["form"]
    assert field in form.errors
    html = response.content.decode()
    # Everything else typed comes back, and the stamp of the first showing is kept.
    assert f'value="{TITLE}"' in html or field == "title"
    assert "Awa Ndiaye; Université Gaston Berger" in html or field == "authors"
    assert f'value="{EMAIL}"' in html or field == "email"
    assert form.data["stamp"] == sent["stamp"]


def test_a_link_or_a_doi_is_needed(client, release):
    response = declare(client, link="", doi="")
    assert response.status_code == 400 and "link" in response.context["form"].errors
    assert declare(client, link="", doi="10.12345/thies.2025.07").status_code == 302
    assert StudyDeclaration.objects.get().doi == "10.12345/thies.2025.07"


def test_a_doi_link_is_kept_as_the_doi(client, release):
    assert declare(client, link="https://doi.org/10.12345/Thies-2025").status_code == 302
    declaration = StudyDeclaration.objects.get()
    assert (declaration.doi, declaration.link) == ("10.12345/Thies-2025", "")
    assert declare(client, link="", doi="doi:10.12345/autre", title="Une autre étude").status_code == 302
    assert StudyDeclaration.objects.get(title="Une autre étude").doi == "10.12345/autre"


def test_without_a_release_nothing_can_be_declared(client, home_fr):
    page = client.get(url("library:declare_study")).content.decode()
    assert "No release of the inventory has been published yet" in page or \
        "Aucune version de l" in page
    assert declare(client).status_code == 400
    assert not StudyDeclaration.objects.exists()


def test_a_bot_filling_the_honeypot_or_posting_without_the_forms_stamp_is_refused(client, release):
    assert declare(client, website="https://spam.example").status_code == 400
    assert declare(client, stamp="").status_code == 400
    assert declare(client, stamp="forged:stamp").status_code == 400
    # A script posting the instant the form was shown, without a browser's headers.
    instant = client.post(url("library:declare_study"), form_data(stamp=antispam.new_stamp()))
    assert instant.status_code == 400
    assert not StudyDeclaration.objects.exists()


def test_declarations_are_rate_limited_per_client_address(client, release):
    cache.clear()
    try:
        for n in range(DECLARATIONS_PER_HOUR):
            assert declare(client, title=f"Étude {n}").status_code == 302
        response = declare(client, title="Une de trop")
        assert response.status_code == 429
        assert 'value="Une de trop"' in response.content.decode()  # what was typed is kept
        assert StudyDeclaration.objects.count() == DECLARATIONS_PER_HOUR
    finally:
        cache.delete(throttle._key("study-declarations", "127.0.0.1"))


# -- moderating: the secretariat only ---------------------------------------------------------------------

@pytest.mark.parametrize("role", [None, Role.MEMBER, Role.MUTUAL_MANAGER,
                                  Role.SUPPORTING_ORGANIZATION, Role.FOCAL_POINT])
def test_only_the_secretariat_sees_the_queue_and_decides(client, release, role):
    declare(client)
    declaration = StudyDeclaration.objects.get()
    client.force_login(UserFactory(roles=[role] if role else []))  # None: an account with no role
    assert client.get(url("library:study_queue")).status_code == 403
    for decision in ("accept", "reject"):
        response = client.post(url("library:study_decide", declaration.pk), {"decision": decision})
        assert response.status_code == 403
    declaration.refresh_from_db()
    assert declaration.status == "pending" and declaration.resource is None


def test_a_visitor_is_sent_to_log_in(client, release):
    declare(client)
    declaration = StudyDeclaration.objects.get()
    response = client.get(url("library:study_queue"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN_PAGES)
    response = client.post(url("library:study_decide", declaration.pk), {"decision": "accept"})
    assert response.status_code == 302 and response["Location"].startswith(LOGIN_PAGES)
    assert StudyDeclaration.objects.get().status == "pending"


def test_the_secretariat_accepts_and_the_study_is_published_in_the_library(client, release, secretariat):
    declare(client, doi="10.12345/thies.2025")
    declaration = StudyDeclaration.objects.get()
    client.force_login(secretariat)
    queue = client.get(url("library:study_queue")).content.decode()
    assert TITLE in queue and EMAIL in queue  # the secretariat may write to the declarant
    page = accept(client, secretariat, declaration)
    assert page.live and page.resource_type == ResourceType.STUDY == "inventory_study"
    assert (page.title, page.year, page.doi, page.cited_release) == (
        TITLE, 2025, "10.12345/thies.2025", "inventaire-2025/1.0")
    assert page.external_url == "https://example.org/revue/adhesion-thies"
    assert page.get_parent().locale.language_code == "fr"
    declaration.refresh_from_db()
    assert (declaration.status, declaration.decided_by) == ("accepted", secretariat)
    # Decided once: a second post publishes nothing more.
    client.post(url("library:study_decide", declaration.pk), {"decision": "accept"})
    assert ResourcePage.objects.filter(title=TITLE).count() == 1
    anonymous(client)
    html = client.get(page.url).content.decode()
    assert "Study using the inventory" in html or "Étude utilisant l" in html
    assert url("inventory:release_detail", "inventaire-2025", "1.0") in html
    assert "https://doi.org/10.12345/thies.2025" in html and EMAIL not in html
    # What search engines read: the study is based on the release (Google Dataset Search links them).
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    data = next(item for item in (data if isinstance(data, list) else data.get("@graph", [data]))
                if item.get("name") == TITLE)
    assert data["isBasedOn"].endswith(url("inventory:release_detail", "inventaire-2025", "1.0"))
    assert {"@type": "PropertyValue", "propertyID": "DOI", "value": "10.12345/thies.2025",
            "url": "https://doi.org/10.12345/thies.2025"} in data["identifier"]


def test_an_english_study_goes_to_the_english_library(client, release, secretariat, home_en):
    declare(client, language="en", title="Renewal in community health mutuals")
    page = accept(client, secretariat, StudyDeclaration.objects.get())
    assert page.locale.language_code == "en"


def test_a_rejected_study_is_published_nowhere(client, release, secretariat):
    declare(client)
    declaration = StudyDeclaration.objects.get()
    client.force_login(secretariat)
    assert client.post(url("library:study_decide", declaration.pk), {"decision": "reject"}).status_code == 302
    declaration.refresh_from_db()
    assert declaration.status == "rejected" and declaration.resource is None
    assert not ResourcePage.objects.filter(title=TITLE).exists()
    anonymous(client)
    assert TITLE not in client.get(url("inventory:datasets")).content.decode()


# -- where accepted studies show ---------------------------------------------------------------------------

def test_accepted_studies_show_on_the_open_data_page_their_release_and_the_statistics_at_once(
        client, release, older_release, secretariat):
    datasets = url("inventory:datasets")
    cited = url("inventory:release_detail", "inventaire-2025", "1.0")
    other = url("inventory:release_detail", "inventaire-2024", "1.0")
    anonymous(client)
    for path in (datasets, cited, other):  # anonymous visitors' pages (from the page cache if stored)
        client.get(path)
        assert TITLE not in client.get(path).content.decode()
    declare(client)
    accept(client, secretariat, StudyDeclaration.objects.get())
    anonymous(client)
    assert TITLE in client.get(datasets).content.decode()
    assert TITLE in client.get(cited).content.decode()  # "cited by"
    assert TITLE not in client.get(other).content.decode()  # another release: not cited by it
    for path in (datasets, cited):
        assert EMAIL not in client.get(path).content.decode()
    client.force_login(secretariat)
    statistics = client.get(url("inventory:download_statistics"))
    counts = {release.label: release.study_count for release in statistics.context["releases"]}
    assert counts == {"Inventaire 2025 v1.0": 1, "Inventaire 2024 v1.0": 0}
    assert statistics.context["studies_total"] == 1


def test_no_stored_anonymous_page_is_stale_after_an_acceptance(
        client, release, secretariat, settings, django_capture_on_commit_callbacks):
    """Anonymous visitors' pages come from the page cache when stored (the library's list of studies is;
    the open-data pages, with the guestbook's form, are drawn each time): a declaration waiting for
    review changes no public page and keeps them stored, its acceptance shows at once everywhere."""
    settings.PAGE_CACHE_SECONDS, settings.ELASTICSEARCH_URL = 300, ""
    studies_list = library_index_get_or_create(language="fr").url + "?type=inventory_study"
    pages = [url("inventory:datasets"), url("inventory:release_detail", "inventaire-2025", "1.0"),
             studies_list]
    declare(client, title="Une première déclaration")
    anonymous(client)
    for path in pages:
        client.get(path)
        assert TITLE not in client.get(path).content.decode()
    assert client.get(studies_list)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        declare(client)
    anonymous(client)
    assert client.get(studies_list)["X-Page-Cache"] == "hit"  # still stored: nothing public changed
    with django_capture_on_commit_callbacks(execute=True):
        accept(client, secretariat, StudyDeclaration.objects.get(title=TITLE))
    anonymous(client)
    for path in pages:
        response = client.get(path)
        assert response["X-Page-Cache"] != "hit" and TITLE in response.content.decode(), path


def test_a_study_unpublished_in_the_admin_leaves_the_lists(client, release, secretariat):
    declare(client)
    page = accept(client, secretariat, StudyDeclaration.objects.get())
    page.unpublish()
    anonymous(client)
    assert TITLE not in client.get(url("inventory:datasets")).content.decode()


def test_the_guestbook_and_the_open_data_page_lead_to_the_declaration_form(client, release):
    form_url = url("library:declare_study")
    for path in (url("inventory:datasets"), url("inventory:release_detail", "inventaire-2025", "1.0")):
        html = client.get(path).content.decode()
        guestbook = html[html.index('class="dataset-guestbook"'):]
        assert f'href="{form_url}"' in guestbook


def test_the_e_mail_address_is_in_no_citation_export(client, release, secretariat):
    declare(client, doi="10.12345/thies.2025")
    page = accept(client, secretariat, StudyDeclaration.objects.get())
    anonymous(client)
    bibtex = client.get(page.url + "cite/bibtex/").content.decode()
    ris = client.get(page.url + "cite/ris/").content.decode()
    csl = client.get(page.url + "cite/csl-json/").json()
    for text in (bibtex, ris, str(csl)):
        assert EMAIL not in text
    entry = bibtexparser.parse_string(bibtex).entries[0]
    assert entry["title"].strip("{}") == TITLE and entry["doi"] == "10.12345/thies.2025"
    record = rispy.loads(ris)[0]
    assert record["title"] == TITLE and record["doi"] == "10.12345/thies.2025"
    assert csl[0]["DOI"] == "10.12345/thies.2025"


# -- search: both engines -----------------------------------------------------------------------------------

@pytest.fixture(params=["embedded", "elasticsearch"])
def engine_settings(request, settings):
    if request.param == "elasticsearch":
        settings.ELASTICSEARCH_URL = request.getfixturevalue("osmem_clone").url
        settings.ELASTICSEARCH_CLIENT_OPTIONS = {"node_class": OsmemTestNode}
        settings.ELASTICSEARCH_INDEX_PREFIX = "test"
        return ElasticsearchEngine(Elasticsearch(settings.ELASTICSEARCH_URL, node_class=OsmemTestNode),
                                   index_prefix="test")
    settings.ELASTICSEARCH_URL = ""
    return EmbeddedEngine()


def test_an_accepted_study_is_found_and_faceted_as_its_own_kind(
        client, release, secretariat, engine_settings, django_capture_on_commit_callbacks):
    engine_settings.rebuild([])
    declare(client)
    with django_capture_on_commit_callbacks(execute=True):
        accept(client, secretariat, StudyDeclaration.objects.get())
    anonymous(client)
    found = client.get("/api/v1/library/search", {"q": "renouvellement Thiès"}).json()
    assert TITLE in [hit["title"] for hit in found["results"]]
    assert found["facets"]["resource_type"].get("inventory_study") == 1
    only = client.get("/api/v1/library/search", {"type": "inventory_study"}).json()
    assert [hit["title"] for hit in only["results"]] == [TITLE]
    assert client.get("/api/v1/library/search", {"type": "guide"}).json()["results"] == []


def test_the_secretariats_to_do_lists_the_declared_studies_waiting_and_nobody_elses(
        client, release, secretariat):
    declare(client)
    todo_url = url("todo", language="en")
    client.force_login(secretariat)
    html = client.get(todo_url).content.decode()
    listed = re.search(r'<section class="todo-section" id="todo-library_studies".*?</section>', html, re.S)
    assert listed and "Review the declared study “" + TITLE in listed.group(0)
    assert url("library:study_queue", language="en") in listed.group(0)
    for role in (Role.MEMBER, Role.FOCAL_POINT, Role.MUTUAL_MANAGER):
        client.force_login(UserFactory(roles=[role]))
        assert 'id="todo-library_studies"' not in client.get(todo_url).content.decode()


def test_a_declarants_account_shows_their_declarations_and_its_deletion_takes_the_address_off(
        client, release, secretariat):
    from portal.accounts import personal_data

    declare(client, email="Awa.Ndiaye@example.org")
    page = accept(client, secretariat, StudyDeclaration.objects.get())
    person = UserFactory(email="awa.ndiaye@example.org", roles=[Role.MEMBER])
    held = {section["name"]: section for section in personal_data.collect(person)}
    assert [record["title"] for record in held["declared_studies"]["records"]] == [TITLE]
    personal_data.delete_account(person)
    assert StudyDeclaration.objects.get().email == ""
    assert ResourcePage.objects.get(pk=page.pk).live  # the publication stays in the library


def test_the_open_data_page_lists_the_20_newest_studies_and_leads_to_all_of_them(
        client, release, secretariat):
    from library.services import study_accept, study_declare
    from portal.core.studies import citable_releases

    cited = citable_releases()[0]
    for n in range(21):
        study_accept(study_declare(title=f"Étude numéro {n:02d}", authors="Équipe (démo)", year=2000 + n,
                                   language="fr", link="https://example.org/e", doi="", release=cited,
                                   email=EMAIL), user=secretariat)
    html = client.get(url("inventory:datasets")).content.decode()
    assert "Étude numéro 20" in html and "Étude numéro 01" in html and "Étude numéro 00" not in html
    all_studies = url("library:studies")
    assert f'href="{all_studies}"' in html
    response = client.get(all_studies)
    assert response.status_code == 302
    assert response["Location"] == library_index_get_or_create(language="fr").url + "?type=inventory_study"


@pytest.mark.parametrize("language", ["fr", "en", "pt"])
def test_a_reader_asking_for_every_study_stays_in_their_language(client, language):
    response = client.get(url("library:studies", language=language))
    assert response.status_code == 302
    library = library_index_get_or_create(language=language)
    assert response["Location"] == library.url + "?type=inventory_study"
    assert response["Location"].startswith(f"/{language}/")
    form = client.get(url("library:declare_study", language=language))
    assert form.context["form"].initial["language"] == language
