"""A member proposes a resource with a small PDF and an editor publishes it, in a real Chromium.

The member (on a 360 px phone) fills the proposal form and finds the proposal awaiting review in
"my proposals"; the secretariat opens the Wagtail admin, finds it under "Awaiting your review" and
approves it; the resource is then live, found by the library search, and the member has the
"published" e-mail with its link. Screenshots go to $SCREENSHOT_DIR when set, else a temporary folder.
"""

import pytest

from tests.browser.helpers import admin_page, logged_in_page, no_sideways_scroll, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Guide de la contractualisation avec les centres de santé de Kolda"


def french(name):
    from django.urls import reverse
    from django.utils import translation

    with translation.override("fr"):
        return reverse(name)


def test_a_member_proposes_a_resource_and_an_editor_publishes_it(browser, live_server, demo_site, shots,
                                                                 tmp_path, settings):
    from django.core import mail

    from library.models import ResourcePage
    from portal.accounts.roles import Role
    from portal.core.pdf import pdf_bytes
    from portal.reference.models import Theme

    settings.ELASTICSEARCH_URL = ""  # the embedded library search
    member = person("membre@example.org", Role.MEMBER)
    person("secretariat@example.org", Role.SECRETARIAT)
    pdf = tmp_path / "contractualisation-kolda.pdf"
    pdf.write_bytes(pdf_bytes("Convention entre la mutuelle et le centre de sante de Kolda"))
    contracting = Theme.objects.get(slug="contracting")

    # The member proposes the resource from the site.
    page = logged_in_page(browser, live_server, "membre@example.org")
    page.goto(live_server.url + french("library:propose"))
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_summary").fill("Modèle de convention et retour d'expérience de trois mutuelles.")
    page.locator("#id_resource_type").select_option("guide")
    page.locator("#id_language").select_option("fr")
    page.locator("#id_year").fill("2021")
    page.locator("#id_authors").fill("Union régionale des mutuelles de Kolda")
    page.locator(f"input[name=themes][value='{contracting.pk}']").check()
    page.locator("input[name=countries][value=SN]").check()
    page.locator("#id_file").set_input_files(str(pdf))
    assert no_sideways_scroll(page)
    page.screenshot(path=shots / "proposal-form-360.png", full_page=True)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    assert page.url.endswith(french("library:my_proposals"))
    row = page.locator("table.proposals tbody tr", has_text=TITLE)
    assert row.locator(".proposal-awaiting_review").is_visible()
    assert no_sideways_scroll(page)
    page.screenshot(path=shots / "my-proposals-360.png", full_page=True)
    resource = ResourcePage.objects.get(title=TITLE)
    assert not resource.live
    assert any(m.to == [member.email] and TITLE in m.subject for m in mail.outbox)  # "received"
    visitor = browser.new_context(locale="fr-FR").new_page()
    assert visitor.goto(live_server.url + resource.url).status == 404

    # The secretariat finds it in the Wagtail admin, awaiting review, and approves it.
    admin = admin_page(browser, live_server, "secretariat@example.org")
    waiting = admin.locator("#awaiting-review-section tr", has_text=TITLE)
    waiting.wait_for()  # the dashboard's panels arrive after the page
    admin.screenshot(path=shots / "admin-awaiting-review.png", full_page=True)
    waiting.locator("[data-controller=w-dropdown] button").first.click()
    approve = waiting.locator("button[data-workflow-action-url*='/approve/']:not([data-launch-modal])")
    with admin.expect_navigation():
        approve.click()
    resource = ResourcePage.objects.get(pk=resource.pk)
    assert resource.live
    admin.screenshot(path=shots / "admin-after-approval.png", full_page=True)

    # Live for visitors, found by the library search, and the member told with the link.
    response = visitor.goto(live_server.url + resource.url)
    assert response.status == 200
    assert visitor.get_by_role("heading", name=TITLE).is_visible()
    visitor.screenshot(path=shots / "published-resource.png", full_page=True)
    download = visitor.request.get(live_server.url + resource.document.url)
    assert download.ok and download.body().startswith(b"%PDF-")
    found = visitor.request.get(f"{live_server.url}/api/v1/library/search?q=contractualisation+Kolda").json()
    assert [hit["title"] for hit in found["results"]] == [TITLE]
    published = [m for m in mail.outbox if m.to == [member.email] and "publi" in m.subject.lower()]
    assert len(published) == 1
    assert resource.url in published[0].body
    page.reload()
    row = page.locator("table.proposals tbody tr", has_text=TITLE)
    assert row.locator(".proposal-published").is_visible()
    for context_page in (page, visitor, admin):
        context_page.context.close()
