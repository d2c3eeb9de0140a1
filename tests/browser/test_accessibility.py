"""axe-core (the engine behind browser accessibility audits) finds no serious problem on the main pages."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from portal.demo import content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/fr/",
    "/en/",
    f"/fr/{content.PAGES[0]['fr']['slug']}/",
    f"/en/{content.PAGES[0]['en']['slug']}/{content.PAGES[0]['children'][0]['en']['slug']}/",
    f"/fr/{content.CONTACT['fr']['slug']}/",
    "/fr/recherche/?q=mutuelle",
    "/fr/comptes/inscription/",
    "/en/accounts/login/",
    "/fr/page-absente/",
    "/fr/inventaire/mutuelles/",
    "/en/directory/",
    "/en/directory/?country=SN&role=focal_point",
    "/en/inventory/countries/",
    "/fr/inventaire/pays/SN/",
    "/fr/agenda/",
    "/en/calendar/?when=past",
    "/fr/agenda/seminaire-micro-assurance-sante-participative/",
    "/en/calendar/forum-dakar-2007/",
    "/fr/bibliotheque/",
    "/fr/bibliotheque/?q=mutuelles+Mali&type=case_study&type=guide&year_min=2000&year_max=2020",
    "/en/library/?q=zzzz&language=pt",
    "/en/newsletter/",
    "/fr/lettre-d-information/lettre-41/",
    "/en/newsletter/subscribe/",
]


def serious_violations(page, live_server, pages) -> dict[str, list[str]]:
    """{label: axe's serious or critical violations} over `pages`, (label, path, send): each path is
    opened, its form's submit button clicked first when `send` (to audit the page of errors)."""
    axe = Axe()
    problems = {}
    for label, path, send in pages:
        page.goto(f"{live_server.url}{path}")
        if send:
            page.locator("main form button[type=submit]").click()
            page.wait_for_load_state()
        serious = [
            f"{v['id']}: {v['help']} ({len(v['nodes'])}×)"
            for v in axe.run(page).response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        if serious:
            problems[label] = serious
    return problems


def test_main_pages_have_no_serious_accessibility_violation(page, live_server, demo_site):
    assert serious_violations(page, live_server, [(path, path, False) for path in PAGES]) == {}


def test_the_library_proposal_pages_have_no_serious_accessibility_violation(browser, live_server, demo_site):
    """Logged-in pages: the proposal form, empty and sent back with errors, and "my proposals"."""
    from django.urls import reverse
    from django.utils import translation

    from portal.accounts.roles import Role
    from tests.browser.helpers import logged_in_page, person

    person("membre@example.org", Role.MEMBER)
    page = logged_in_page(browser, live_server, "membre@example.org")
    with translation.override("fr"):
        propose, mine = reverse("library:propose"), reverse("library:my_proposals")
    problems = serious_violations(page, live_server, [
        ("form", propose, False), ("errors", propose, True), ("mine", mine, False)])
    page.context.close()
    assert problems == {}


def test_the_news_pages_and_the_article_form_have_no_serious_accessibility_violation(
    browser, live_server, demo_site
):
    """The news page (filtered, and with a bad filter), an article, its author's page; logged in: the
    article form, empty and sent back with errors, "my articles" and the profile with its flash news part."""
    from django.urls import reverse
    from django.utils import translation

    from portal.accounts.roles import Role
    from portal.demo.news import ARTICLES, AUTHOR
    from portal.news.models import ArticlePage
    from tests.browser.helpers import logged_in_page, person

    person("membre@example.org", Role.MEMBER)
    demo = ArticlePage.objects.get(slug=ARTICLES[0]["slug"], locale__language_code="fr")
    with translation.override("fr"):
        submit, mine, profile = reverse("news:submit"), reverse("news:mine"), reverse("accounts:profile")
        author = reverse("news:author", args=[demo.author.pk])
    assert demo.author.email == AUTHOR["email"]
    page = logged_in_page(browser, live_server, "membre@example.org")
    pages = [("index", "/fr/actualites/?country=SN", False), ("bad filter", "/en/news/?country=ZZ", False),
             ("article", demo.url, False), ("author", author, False), ("form", submit, False),
             ("errors", submit, True), ("mine", mine, False), ("profile", profile, False)]
    problems = serious_violations(page, live_server, pages)
    page.context.close()
    assert problems == {}


def test_the_inventory_pages_and_the_open_phone_menu_have_no_serious_accessibility_violation(
    page, live_server, demo_site
):
    """The overview (its map's countries are links: no "nested-interactive"), a country page, and the
    header's menu and search opened on a phone."""
    from tests.browser.helpers import open_menu, validated_figures

    validated_figures()
    pages = [("/fr/inventaire/", False), ("/en/inventory/", False), ("/fr/inventaire/pays/SN/", False)]
    problems = serious_violations(page, live_server, [(path, path, send) for path, send in pages])
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/fr/")
    axe = Axe()
    for toggle in ("menu", "search"):
        if toggle == "menu":
            open_menu(page)
        else:
            page.locator(".search-toggle").click()
        violations = axe.run(page).response["violations"]
        serious = [v["id"] for v in violations if v["impact"] in ("serious", "critical")]
        if serious:
            problems[toggle] = serious
    assert problems == {}
