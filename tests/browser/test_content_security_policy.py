"""The Content-Security-Policy, as Chromium applies it: the main public pages (with the library's
autocomplete script, the inventory's map and charts, the return form) and Wagtail's admin as the
secretariat work under their policies without a single violation — nothing the portal needs is
refused, so nothing the policy refuses can be the portal's own."""

import pprint
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from tests.browser.helpers import logged_in_page, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Violations:
    """The CSP violations Chromium reports on a page: its console messages ("Refused to …
    Content Security Policy", or an unreadable policy header) and the `securitypolicyviolation`
    events of the document."""

    def __init__(self, page):
        self.page = page
        self.messages = []
        page.on("console", self._console)
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', e => (window.__csp = window.__csp || [])"
            ".push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || '')))"
        )

    def _console(self, message):
        # Chromium's words for a refusal, and for a header it could not read (an unknown feature of
        # the Permissions-Policy, a malformed directive): neither may appear.
        if any(word in message.text for word in ("Content Security Policy", "Content-Security-Policy",
                                                 "Permissions-Policy", "Permissions Policy")):
            self.messages.append(message.text)

    def visit(self, url):
        response = self.page.goto(url)
        assert response.status == 200, url
        self.page.wait_for_load_state("networkidle")
        return response

    def events(self):
        return self.page.evaluate("window.__csp || []")


def fr(name, *args):
    with translation.override("fr"):
        return reverse(name, args=args)


def assert_strict(response):
    """The page came with the public policy: only the site's own scripts and styles."""
    header = response.headers.get("content-security-policy", "")
    assert "default-src 'self'" in header and "object-src 'none'" in header, response.url
    assert "unsafe" not in header and "script-src" not in header and "style-src" not in header, header


def inventory_with_figures():
    """Two countries' validated returns over two years (the overview's map and trend charts), and a
    manager whose 2025 return is a draft."""
    from inventory.contract.choices import ReturnState
    from inventory.models import Campaign
    from portal.accounts.roles import Role
    from portal.reference.models import Country
    from tests.factories import MutualFactory, ReturnFactory

    manager = person("gerant@example.org", Role.MUTUAL_MANAGER)
    Campaign.objects.create(year=2025, deadline="2026-12-31")
    mutuals = []
    for n, code in enumerate(["SN", "SN", "ML"]):
        mutual = MutualFactory(name=f"Mutuelle de santé n° {n}", country=Country.objects.get(code=code),
                               managers=[manager], region="Thiès")
        for year, members in ((2023, 1200 + n), (2024, 1500 + n)):
            ReturnFactory(mutual=mutual, year=year, state=ReturnState.VALIDATED, status="functional",
                          members=members, beneficiaries=4 * members, target_population=40 * members,
                          contributions_collected=Decimal("7200000"))
        mutuals.append(mutual)
    ReturnFactory(mutual=mutuals[0], year=2025, state=ReturnState.DRAFT, status="functional", members=1600)
    return mutuals[0]


def test_public_pages_run_under_the_strict_policy_without_a_violation(browser, live_server, demo_site):
    from inventory.models import Mutual

    mutual = inventory_with_figures()
    assert Mutual.objects.filter(pk=mutual.pk).exists()
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    watch = Violations(page)
    public = ["/fr/", fr("inventory:overview"), fr("inventory:country", "SN"), "/fr/agenda/",
              "/fr/actualites/", fr("inventory:mutual_detail", mutual.mutual_id), fr("newsletter:subscribe"),
              fr("account_login"), fr("directory:list")]
    for path in public:
        assert_strict(watch.visit(f"{live_server.url}{path}"))
    assert_strict(page.goto(f"{live_server.url}/fr/pas-de-page-ici/"))  # a 404
    # The inventory's charts and map are drawn (server-rendered SVG, styled by attributes and classes):
    # the charts as images of the site's SVG, the map in a frame of the site styled by its stylesheet.
    page.goto(f"{live_server.url}{fr('inventory:overview')}")
    assert page.locator("img.chart-image").count() >= 2
    assert page.frame_locator("iframe.map-frame").locator("svg.chart-map").count() == 1
    # The library's search box and its autocomplete script (a file of the site), which fetches titles.
    assert_strict(watch.visit(f"{live_server.url}/fr/bibliotheque/"))
    assert page.locator("script[src*='library-autocomplete']").count() == 1
    with page.expect_response(lambda r: "/api/v1/library/autocomplete" in r.url) as answer:
        page.locator("input[data-autocomplete]").press_sequentially("mut", delay=50)
    assert answer.value.status == 200
    assert page.locator("datalist").count() == 1
    events = watch.events()
    context.close()
    assert not watch.messages and not events, "\n".join(watch.messages + events)

    # The manager's return form, logged in.
    page = logged_in_page(browser, live_server, "gerant@example.org")
    watch = Violations(page)
    working = [fr("inventory:my_mutuals"), fr("accounts:profile"),
               fr("inventory:return_edit", mutual.mutual_id, 2025)]
    for path in working:
        assert_strict(watch.visit(f"{live_server.url}{path}"))
    events = watch.events()
    page.context.close()
    assert not watch.messages and not events, "\n".join(watch.messages + events)


def log_in_with_second_factor(browser, live_server, email):
    page = logged_in_page(browser, live_server, email)
    code = page.locator("input[name=code]")
    if code.count():  # the secretariat's authenticator app (tests/factories.py gives them one)
        from tests.factories import totp_code

        code.fill(totp_code())
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state()
    return page


def test_admin_runs_under_its_policy_without_a_violation(browser, live_server, demo_site):
    from wagtail.models import Page

    from portal.accounts.roles import Role
    from portal.home.models import HomePage
    from portal.reference.models import Country
    from tests.factories import MutualFactory

    person("secretariat@example.org", Role.SECRETARIAT, is_staff=True)
    home = HomePage.objects.get(locale__language_code="fr")
    child = Page.objects.child_of(home).live().first()
    mutual = MutualFactory(name="Mutuelle de Thiès", country=Country.objects.get(code="SN"))
    page = log_in_with_second_factor(browser, live_server, "secretariat@example.org")
    watch = Violations(page)
    problems = {}
    for path in ["/admin/", f"/admin/pages/{home.pk}/", f"/admin/pages/{child.pk}/edit/",
                 "/admin/snippets/", f"/admin/snippets/inventory/mutual/edit/{mutual.pk}/",
                 "/admin/images/", "/admin/documents/", "/admin/users/"]:
        response = watch.visit(f"{live_server.url}{path}")
        assert page.url == f"{live_server.url}{path}", "sent elsewhere (second factor?)"
        header = response.headers.get("content-security-policy", "")
        assert "object-src 'none'" in header and "frame-ancestors 'self'" in header, path
        assert "gravatar" not in page.content(), path
        if watch.messages or watch.events():
            problems[path] = (watch.messages[:], watch.events())
            watch.messages.clear()
    # The secretariat on the public site: Wagtail's user bar (its files, in a shadow root) under the
    # public policy.
    response = watch.visit(f"{live_server.url}/fr/")
    assert_strict(response)
    page.locator("wagtail-userbar").wait_for(state="attached")
    page.locator("#wagtail-userbar-trigger").click()
    page.wait_for_timeout(300)
    if watch.messages or watch.events():
        problems["/fr/"] = (watch.messages[:], watch.events())
    page.context.close()
    assert problems == {}, pprint.pformat(problems)
