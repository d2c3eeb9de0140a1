"""Anonymous pages from the shared cache (issue 16, portal/core/page_cache.py): a second visitor gets the
stored page, a browser or proxy revalidates with a 304, and what a page shows changing (a page
published, the inventory validated, a country renamed) gives the next visitor the new page at once.
Logged-in visitors, forms with a token and searches are never stored nor served from it."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from wagtail.models import Site

from inventory.models import InventoryState
from portal.accounts.roles import Role
from portal.core import page_cache
from portal.core.models import SiteLinks, StandardPage
from tests.factories import MutualFactory, ReturnFactory, UserFactory, network_country

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site_links(db):
    """The site's links exist, as on any site once its first page was drawn (Wagtail creates the
    setting on first read: a change, which would make the first two visits both draw the page)."""
    SiteLinks.for_site(Site.objects.get(is_default_site=True))


@pytest.fixture
def page(home_fr):
    page = StandardPage(title="Le réseau", slug="le-reseau", intro="Depuis 1998.")
    home_fr.add_child(instance=page)
    page.save_revision().publish()
    return page


def get(client, path, **headers):
    response = client.get(path, **headers)
    assert response.status_code in (200, 304), (path, response.status_code)
    return response


def test_a_second_visitor_gets_the_stored_page_and_a_browser_revalidates_with_a_304(client, page):
    first = get(client, page.url)
    second = get(client, page.url)
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    assert first["Cache-Control"] == "public, no-cache" and "Cookie" in first["Vary"]
    assert first["ETag"] == second["ETag"] and first["Last-Modified"]
    # A browser that has the page asks whether it changed: nothing is sent again.
    again = get(client, page.url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    since = get(client, page.url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    # A stored page keeps the headers of the middlewares inside the cache.
    assert second["X-Frame-Options"] == first["X-Frame-Options"]


def test_publishing_a_change_shows_it_to_the_next_visitor(client, page):
    get(client, page.url)
    page.intro = "Depuis 1998, à Abidjan."
    page.save_revision().publish()
    response = get(client, page.url)
    assert response["X-Page-Cache"] == "miss" and "à Abidjan" in response.content.decode()


def test_unpublishing_a_page_takes_it_off_at_once(client, page):
    url = page.url
    get(client, url)
    page.unpublish()
    assert client.get(url).status_code == 404


def test_each_language_and_each_filter_is_a_page_of_its_own(client, home_fr):
    with translation.override("fr"):
        french = reverse("inventory:overview")
    with translation.override("en"):
        english = reverse("inventory:overview")
    assert get(client, french)["X-Page-Cache"] == "miss"
    assert get(client, english)["X-Page-Cache"] == "miss"
    assert get(client, english)["Content-Language"] == "en"
    assert get(client, french + "?page=2")["X-Page-Cache"] == "miss"


def test_each_value_of_a_repeated_parameter_makes_its_own_page(rf):
    # The library's facets repeat a parameter: ?type=guide&type=case_study is not ?type=case_study.
    both = page_cache.cache_key(rf.get("/fr/bibliotheque/?type=guide&type=case_study"))
    last = page_cache.cache_key(rf.get("/fr/bibliotheque/?type=case_study"))
    paged = page_cache.cache_key(rf.get("/fr/bibliotheque/?type=guide&type=case_study&page=2"))
    assert len({both, last, paged}) == 3


def test_a_validation_shows_on_the_country_page_at_once(client, home_fr):
    senegal = network_country("SN")
    mutual = MutualFactory(country=senegal)
    url = reverse("inventory:country", args=["SN"])
    get(client, url)
    assert get(client, url)["X-Page-Cache"] == "hit"
    ReturnFactory(mutual=mutual, year=2024, members=4321, status="functional", state="validated")
    InventoryState.bump()  # as every committed change of published data does (inventory/signals.py)
    response = get(client, url)
    assert response["X-Page-Cache"] == "miss" and "4\u00a0321" in response.content.decode()


def test_a_country_renamed_shows_at_once(client, home_fr):
    senegal = network_country("SN")
    url = reverse("inventory:country", args=["SN"])
    get(client, url)
    senegal.name_fr = "République du Sénégal"
    senegal.save()
    assert "République du Sénégal" in get(client, url).content.decode()


def test_logged_in_visitors_never_get_nor_fill_the_stored_page(client, page):
    get(client, page.url)  # stored for visitors
    client.force_login(UserFactory(roles=[Role.MEMBER]))
    response = get(client, page.url)
    assert response["X-Page-Cache"] == "bypass"
    assert response["Cache-Control"] == "private, no-cache"
    client.logout()
    assert get(client, page.url)["X-Page-Cache"] == "hit"


def test_searches_forms_and_unknown_parameters_are_served_fresh(client, home_fr):
    with translation.override("fr"):
        search = reverse("search") + "?q=mutuelle"
        overview = reverse("inventory:overview")
    for path in (search, overview + "?utm_source=x", overview + "?year=" + "9" * 50):
        client.get(path)
        assert client.get(path)["X-Page-Cache"] == "bypass", path
    assert not [k for k in _keys() if "pagecache:" in k and "generation" not in k]


def _keys():
    return list(getattr(cache, "_cache", {}).keys())


def test_the_cache_can_be_turned_off(client, page, settings):
    settings.PAGE_CACHE_SECONDS = 0
    get(client, page.url)
    assert get(client, page.url)["X-Page-Cache"] == "bypass"


def test_a_change_inside_a_transaction_invalidates_again_when_it_commits(django_capture_on_commit_callbacks):
    cache.set(page_cache.GENERATION_KEY, "before")
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        page_cache.invalidate()
        between = cache.get(page_cache.GENERATION_KEY)
    assert between != "before" and len(callbacks) == 1
    callbacks[0]()  # the commit: a page stored between the change and the commit is dropped too
    assert cache.get(page_cache.GENERATION_KEY) not in ("before", between)


def test_a_form_with_its_token_is_never_stored(client):
    from tests.core.site_pages import contact_page

    url = contact_page().url
    first, second = client.get(url), client.get(url)
    assert "csrfmiddlewaretoken" in second.content.decode()
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("bypass", "bypass")
    assert second["Cache-Control"] == "private, no-cache"


@pytest.mark.parametrize("restriction", ["login", "password"])
def test_a_restricted_page_is_never_stored_for_anyone(client, page, restriction):
    from django.test import Client
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(page=page, restriction_type=restriction, password="secret-word")
    member = Client()
    member.force_login(UserFactory(roles=[Role.MEMBER]))
    member.get(page.url)  # a member sees it (login) or its password form: nothing stored either way
    for _visit in range(2):
        response = client.get(page.url)
        assert page.intro not in response.content.decode()
        assert response.get("X-Page-Cache") != "hit"
