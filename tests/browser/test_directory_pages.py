"""The directory, an organization's page, the countries index and a country page with its sections on
a 360 px phone: no sideways scrolling, no serious axe-core problem; screenshots in $SCREENSHOT_DIR."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import translation

from tests.browser.helpers import PHONE, no_sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_directory_and_country_page_fit_a_phone(browser, live_server, demo_site, shots):
    from inventory.models import Union
    from inventory.registry.organizations import find_organization
    from portal.reference.models import Country
    from tests.factories import MutualFactory

    senegal = Country.objects.get(code="SN")
    union = Union.objects.create(name="Union départementale des mutuelles de santé de Thiès", country=senegal)
    secretariat = find_organization("Secrétariat technique de la Concertation")
    for n in range(3):
        mutual = MutualFactory(name=f"Mutuelle de santé communautaire de Ndiaganiao n° {n}", country=senegal,
                               union=union, contact_name="Personne Privée")
        mutual.supporting_organizations.add(secretariat)
    with translation.override("fr"):
        directory = reverse("directory:list")
        pages = {
            "directory": directory,
            "directory-filtered": f"{directory}?country=SN&role=focal_point",
            "organization": reverse("directory:organization", args=[secretariat.pk]),
            "countries": reverse("inventory:countries"),
            "country": reverse("inventory:country", args=["SN"]),
        }
    context = browser.new_context(locale="fr-FR", viewport=PHONE)
    page = context.new_page()
    axe = Axe()
    problems = {}
    for name, path in pages.items():
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        page.screenshot(path=str(shots / f"directory-{name}.png"), full_page=True)
        assert "Personne Privée" not in page.content()
        serious = [f"{v['id']}: {v['help']}" for v in axe.run(page).response["violations"]
                   if v["impact"] in ("serious", "critical")]
        if not no_sideways_scroll(page) or serious:
            problems[path] = serious or "sideways scroll"
    # The country page shows its focal point's card, from the directory.
    page.goto(f"{live_server.url}{pages['country']}")
    section = page.locator("#section-organizations")
    assert section.get_by_role("link", name="Secrétariat technique de la Concertation").count()
    context.close()
    assert problems == {}
