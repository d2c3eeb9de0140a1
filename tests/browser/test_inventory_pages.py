"""The inventory's working pages on a 360 px phone: no sideways scrolling of the page (wide tables
scroll inside their frame) and no serious accessibility problem found by axe-core, for the manager's,
the focal point's and the secretariat's pages."""

from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.helpers import logged_in_page, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def test_working_pages_fit_a_phone_and_pass_the_audit(browser, live_server, demo_site):
    from inventory.contract.choices import ReturnState
    from inventory.models import Campaign
    from portal.accounts.roles import Role
    from portal.reference.models import Country
    from tests.factories import MutualFactory, ReturnFactory

    senegal = Country.objects.get(code="SN")
    manager = person("gerant@example.org", Role.MUTUAL_MANAGER)
    person("secretariat@example.org", Role.SECRETARIAT)
    person("point-focal@example.org", Role.FOCAL_POINT, focal_countries=["SN"])
    Campaign.objects.create(year=2025, deadline="2026-12-31")
    for n, state in enumerate([ReturnState.DRAFT, ReturnState.SUBMITTED, ReturnState.VALIDATED, None]):
        mutual = MutualFactory(
            name=f"Mutuelle de santé communautaire de la commune de Ndiaganiao n° {n}",
            country=senegal, managers=[manager], region="Thiès",
        )
        ReturnFactory(mutual=mutual, year=2024, state=ReturnState.VALIDATED, status="functional",
                      members=1500, beneficiaries=6000, contributions_collected=Decimal("7200000"))
        if state:
            ReturnFactory(mutual=mutual, year=2025, state=state, status="functional", members=1600)
    first = mutual.mutual_id
    pages = {
        "gerant@example.org": [
            "/fr/inventaire/espace-declarant/",
            f"/fr/inventaire/declarations/{first}/2025/modifier/",
            f"/fr/inventaire/declarations/{first}/2024/",
            f"/fr/inventaire/declarations/{first}/2024/historique/",
            "/fr/inventaire/inscriptions/nouvelle/",
        ],
        "point-focal@example.org": ["/fr/inventaire/suivi/", "/fr/inventaire/suivi/SN/",
                                    "/fr/inventaire/inscriptions/en-attente/"],
        "secretariat@example.org": ["/fr/inventaire/campagnes/", "/fr/inventaire/importer/"],
    }
    axe = Axe()
    problems = {}
    for email, paths in pages.items():
        page = logged_in_page(browser, live_server, email)
        for path in paths:
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, path
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            serious = [
                f"{v['id']}: {v['help']}" for v in axe.run(page).response["violations"]
                if v["impact"] in ("serious", "critical")
            ]
            if overflow > 0 or serious:
                problems[path] = (overflow, serious)
        page.context.close()
    assert problems == {}
