"""A visitor's journey in the library, in French, on a 360 px phone and on a desktop screen: search
"mutuelles Mali", narrow by type and by year, open the resource, download its PDF. The demo's case
study (portal/demo/data/library.yaml, loaded by portal/demo/library.py) has a real file, generated
from its `lines`, whose text is what mentions Mali."""

import pytest

from tests.browser.helpers import PHONE, no_sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
CASE_STUDY = "Fusionner des mutuelles de santé : l'expérience de Sikasso"


@pytest.fixture
def demo_files(settings, demo_media_root):
    """Files where the test session's demo load wrote them: the first transactional test still sees
    that demo (Django flushes the database after such a test, not before), and `demo_site` leaves it
    as it is; after a flush, `demo_site` writes the demo's files there again."""
    settings.MEDIA_ROOT = demo_media_root


def result_titles(page):
    return page.locator(".library-hits h3 a").all_inner_texts()


@pytest.mark.parametrize(("device", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_a_visitor_finds_narrows_opens_and_downloads(
    browser, live_server, demo_files, demo_site, shots, device, viewport
):
    from library.models import ResourcePage

    context = browser.new_context(locale="fr-FR", viewport=viewport, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/fr/bibliotheque/")
    assert page.locator("h1").inner_text() == "Bibliothèque"
    assert CASE_STUDY in result_titles(page)  # the latest resources, before any search
    assert no_sideways_scroll(page)
    page.screenshot(path=shots / f"library-1-latest-{device}.png", full_page=True)

    page.locator("#library-q").fill("mutuelles Mali")
    page.locator("#library-q").press("Enter")
    page.wait_for_load_state()
    found = result_titles(page)
    assert CASE_STUDY in found and len(found) >= 2, found
    assert page.locator(".library-hits mark").count() > 0
    assert no_sideways_scroll(page)
    page.screenshot(path=shots / f"library-2-results-{device}.png", full_page=True)

    # Narrow by type: the type facet is open; its case-study box says how many it would give.
    case_studies = page.locator("input[name=type][value=case_study]")
    label = page.locator(f"label[for='{case_studies.get_attribute('id')}']").inner_text()
    assert label.startswith("Étude de cas (")
    case_studies.check()
    page.locator("button[type=submit][form=library-search]").click()
    page.wait_for_load_state()
    assert page.locator("#library-q").input_value() == "mutuelles Mali"
    assert page.locator("input[name=type][value=case_study]").is_checked()
    narrowed = result_titles(page)
    assert CASE_STUDY in narrowed and len(narrowed) < len(found)

    # Narrow by year: the year range folds away in its <details>.
    year = page.locator("details", has=page.locator("#library-year-min"))
    if year.get_attribute("open") is None:
        year.locator("summary").click()
    page.locator("#library-year-min").fill("2014")
    page.locator("#library-year-max").fill("2016")
    page.locator("button[type=submit][form=library-search]").click()
    page.wait_for_load_state()
    assert result_titles(page) == [CASE_STUDY]
    assert "year_min=2014" in page.url and "type=case_study" in page.url and "q=mutuelles" in page.url
    assert page.locator(".chips li").count() == 4  # type, from, until, and "clear all"
    assert no_sideways_scroll(page)
    page.screenshot(path=shots / f"library-3-narrowed-{device}.png", full_page=True)

    page.locator(".library-hits h3 a").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == CASE_STUDY
    assert no_sideways_scroll(page)
    page.screenshot(path=shots / f"library-4-resource-{device}.png", full_page=True)

    with page.expect_download() as info:
        page.locator("a.button[download]").first.click()
    download = info.value
    data = open(download.path(), "rb").read()
    resource = ResourcePage.objects.get(ref="demo-etude-sikasso-2015")
    assert download.suggested_filename.endswith(".pdf")
    assert len(data) == resource.file_size > 500
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    context.close()


def test_the_search_box_suggests_titles_as_one_types(page, live_server, demo_site, shots):
    page.goto(f"{live_server.url}/fr/bibliotheque/")
    box = page.locator("#library-q")
    assert box.get_attribute("list") == "library-q-titles"  # the script is loaded and wired
    box.press_sequentially("f")
    page.wait_for_timeout(600)
    assert page.locator("#library-q-titles option").count() == 0  # one character: no request
    box.press_sequentially("usion")
    # (not wait_for_function: Playwright evaluates its text with eval, which the site's CSP forbids)
    page.locator("#library-q-titles option").first.wait_for(state="attached")
    values = page.locator("#library-q-titles option").evaluate_all("options => options.map(o => o.value)")
    assert values == [CASE_STUDY]
