"""No request a visitor or a member can craft gets a server error (5xx): every URL pattern of the site
(read from Django's resolver: the language-prefixed pages, Wagtail's pages, /api/v1/, documents) with
hostile values in its path parameters and in the query parameters pages read (page, page_size, year,
q, country, sort…). A value out of range is a 404 or a 400, a strange query an empty result.

The walk covers GET requests; forms' POSTs have tests of their own beside each form."""

import re
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import get_resolver
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import Page

from portal.accounts.roles import Role
from portal.core.converters import MAX_ID
from tests.factories import MutualFactory, ReturnFactory, UserFactory

pytestmark = pytest.mark.django_db

HUGE = [
    "99999999999999999999",  # past 64 bits
    "9223372036854775808",  # 2**63: one past SQLite's INTEGER and PostgreSQL's bigint
    "9223372036854775807",
    "2147483648",  # one past PostgreSQL's integer
    "1" + "0" * 400,
]
HOSTILE = [
    *HUGE, "-1", "0", "-9223372036854775809", "1e309", "١٢", "0x10", " 7 ",
    '"', '"unbalanced quote', "a AND OR NOT -b * : ( ) ^ ~ \\", "*", "-", ":", "x:y", "'; --",
    "\x00", "a\x00b", "%00", "//evil.example/x/", "https://evil.example/", "../../etc/passwd",
    "<script>alert(1)</script>", "é€𝄞", "\u202e", " ", "", "x" * 5000, "mot " * 500,
]
QUERY_PARAMETERS = [
    "page", "page_size", "year", "year_min", "year_max", "q", "country", "sort", "type", "theme",
    "language", "kind", "month", "when", "role", "status", "limit", "format", "next", "id", "pk",
]
# Prefixes outside this walk: the admin (staff only, Wagtail's own URLs) and Django's static files.
SKIPPED = ("admin/", "django-admin/", "static/", "media/")
# What fills the other parameters while one of them is hostile: a value of the right shape.
BENIGN = {"IdConverter": "1", "YearConverter": "2025", "IntConverter": "1", "ReleaseVersionConverter": "1.0"}


def url_templates(language: str) -> list[tuple[str, dict]]:
    """Every GET-able URL pattern as (`%(name)s` format string, {parameter: converter class name}),
    for `language`'s prefix; Wagtail's catch-all page pattern included (its parameter is `_0`)."""
    found = {}

    def walk(resolver, prefix):
        for _key, entries in resolver.reverse_dict.lists():
            for possibilities, _pattern, _defaults, converters in entries:
                for text, params in possibilities:
                    found[prefix + text] = {
                        name: type(converters[name]).__name__ if name in converters else "" for name in params
                    }
        for _namespace, (sub_prefix, sub_resolver) in resolver.namespace_dict.items():
            walk(sub_resolver, prefix + re.sub(r"\\(.)", r"\1", sub_prefix))

    with translation.override(language):
        walk(get_resolver(), "/")
    return sorted((text, params) for text, params in found.items()
                  if text.lstrip("/").startswith((f"{language}/", "api/", "documents/"))
                  and not text.lstrip("/").startswith(SKIPPED))


def fill(template: str, params: dict, hostile: dict, mutual_id: str = "x") -> str:
    benign = {**BENIGN, "mutual_id": mutual_id}
    values = {name: hostile.get(name, benign.get(name, benign.get(converter, "x")))
              for name, converter in params.items()}
    return template % {name: quote(value, safe="") for name, value in values.items()}


def assert_no_server_error(client, path, query=None):
    response = client.get(path, query or {})
    assert response.status_code < 500, (path, query, response.status_code)


@pytest.fixture
def visitor():
    client = Client(raise_request_exception=False)
    return client


@pytest.fixture
def member():
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(roles=[Role.MEMBER]))
    return client


@pytest.fixture
def some_data():
    """One listed mutual with a return, so that the inventory's pages get past "no such mutual"."""
    mutual = MutualFactory()
    ReturnFactory(mutual=mutual, year=2025)
    return mutual


def page_paths(language: str) -> list[str]:
    """One live page of each page type in `language` (the library, the news, the calendar…)."""
    pages = {}
    for page in Page.objects.live().filter(locale__language_code=language, depth__gt=1).specific():
        pages.setdefault(type(page), page.url)
    return sorted(pages.values())


@pytest.mark.parametrize("path", [
    "/fr/agenda/9223372036854775808/event.ics", "/fr/agenda/0/event.ics",
    "/fr/annuaire/99999999999999999999/", "/fr/inventaire/campaigns/20251/close/",
])
def test_a_number_out_of_range_in_a_path_is_a_404(visitor, path):
    assert visitor.get(path).status_code == 404


def test_the_portal_s_own_urls_take_bounded_numbers_only():
    """Django's <int:…> takes any number of digits: the portal's views outside the admin (not allauth's
    or Wagtail's) take <id:…> and <year:…>, whose ranges the database can compare."""
    from django.urls import URLResolver
    from django.urls.converters import IntConverter

    def patterns(resolver, route="", converters=()):
        for entry in resolver.url_patterns:
            here = route + str(entry.pattern)
            found = (*converters, *getattr(entry.pattern, "converters", {}).values())
            if isinstance(entry, URLResolver):
                yield from patterns(entry, here, found)
            else:
                yield here, entry.callback, found

    ours = [(route, found) for route, callback, found in patterns(get_resolver())
            if getattr(callback, "__module__", "").startswith(("portal.", "inventory.", "library."))
            and not route.startswith("admin/")]
    assert len(ours) > 40
    assert [route for route, found in ours if any(type(c) is IntConverter for c in found)] == []


def test_ids_and_years_still_make_urls():
    from django.urls import resolve, reverse

    assert resolve(reverse("events:event_ics", args=[MAX_ID])).kwargs == {"pk": MAX_ID}
    assert resolve(reverse("inventory:campaign_close", args=[2025])).kwargs == {"year": 2025}


# In a path, each value reaches the view only when the route's converter takes it: the large integers
# are the ones that matter there; a few others check the fall-through to Wagtail's pages.
PATH_VALUES = [*HUGE[:4], "-1", '"\x00', "//evil.example/x/", "é€𝄞 " + "x" * 1000]


@pytest.mark.parametrize("who", ["visitor", "member"])
def test_hostile_path_parameters_never_cause_a_server_error(request, who, some_data):
    client = request.getfixturevalue(who)
    templates = url_templates("fr")
    assert any("event.ics" in text for text, _params in templates)
    assert any(text.startswith("/api/v1/") for text, _params in templates)
    for template, params in templates:
        for name in params:
            for value in PATH_VALUES:
                assert_no_server_error(client, fill(template, params, {name: value}, some_data.mutual_id))


@pytest.mark.parametrize(("who", "rounds"), [("visitor", 3), ("member", 2)])
def test_hostile_query_parameters_never_cause_a_server_error(request, who, rounds, some_data):
    """Every page without path parameters, and one page of each Wagtail page type, with all the query
    parameters at once, each round giving each parameter another hostile value."""
    client = request.getfixturevalue(who)
    paths = [fill(template, params, {}) for template, params in url_templates("fr") if not params]
    paths += page_paths("fr") + page_paths("en")[:3]
    step = len(HOSTILE) // rounds
    for path in paths:
        for start in range(0, step * rounds, step):
            query = {name: HOSTILE[(start + i) % len(HOSTILE)] for i, name in enumerate(QUERY_PARAMETERS)}
            assert_no_server_error(client, path, query)


hostile_text = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=60),
                         st.integers(min_value=-(2**70), max_value=2**70).map(str))


@pytest.mark.parametrize("who", ["visitor", "member"])
def test_mixed_hostile_requests_never_cause_a_server_error(request, who, some_data):
    """Hypothesis mixes the hostile values: one parameter at a time hides nothing a mix would show."""
    client = request.getfixturevalue(who)
    templates = url_templates("fr") + url_templates("en")
    pages = page_paths("fr") + page_paths("en")

    @settings(max_examples=100, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(route=st.sampled_from(templates), page=st.sampled_from(pages), on_page=st.booleans(),
           path_values=st.dictionaries(st.sampled_from(["pk", "year", "mutual_id", "token", "slug", "code",
                                                        "filename", "number", "path", "section", "country"]),
                                       hostile_text),
           query=st.dictionaries(st.sampled_from(QUERY_PARAMETERS), hostile_text, max_size=6))
    def check(route, page, on_page, path_values, query):
        template, params = route
        path = page if on_page else fill(template, params, path_values, some_data.mutual_id)
        assert_no_server_error(client, path, query)

    check()


@pytest.mark.parametrize("path", ["/fr/inventaire/mutuelles/%00/", "/fr/inventaire/pays/S%00N/",
                                  "/en/inventory/returns/%22%00/2025/", "/fr/%01/"])
def test_a_control_character_in_the_path_is_a_404_on_every_database(client, path):
    """PostgreSQL refuses a NUL in a text it compares: such a path is answered before any query."""
    response = client.get(path)
    assert response.status_code == 404
