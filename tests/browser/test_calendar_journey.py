"""A visitor on a phone finds next month's training in their country and adds it to their calendar,
in a real Chromium at 360 px. Screenshots go to $SCREENSHOT_DIR when set, else to a temporary folder."""

import datetime

import pytest
from django.utils import timezone
from icalendar import Calendar

from tests.browser.helpers import PHONE, no_sideways_scroll, open_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_finds_next_months_training_in_their_country_and_downloads_its_ics(
    browser, live_server, demo_site, shots
):
    from portal.events.models import EventPage

    seminar = EventPage.objects.get(
        slug="seminaire-micro-assurance-sante-participative", locale__language_code="fr"
    )
    today = timezone.localdate()
    next_month = (today.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)

    context = browser.new_context(locale="fr-FR", viewport=PHONE, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/fr/")
    open_menu(page)
    page.locator(".main-nav a", has_text="Agenda").click()
    assert page.locator("h1").inner_text() == "Agenda"
    assert no_sideways_scroll(page)
    page.screenshot(path=shots / "calendar-upcoming-360.png", full_page=True)

    page.locator(".filters-box summary").click()
    page.locator("[name=country]").select_option("SN")
    page.locator("[name=kind]").select_option("training")
    page.locator("[name=month]").fill(next_month.strftime("%Y-%m"))
    page.locator("form.filters button[type=submit]").click()
    results = page.locator(".event-list .event-item h3 a")
    assert results.all_inner_texts() == [seminar.title]
    assert no_sideways_scroll(page)
    page.screenshot(path=shots / "calendar-filtered-360.png", full_page=True)

    results.first.click()
    assert page.locator("h1").inner_text() == seminar.title
    body = page.locator("main").inner_text()
    assert "heure de Dakar (UTC)" in body and "Africa/Dakar" not in body
    assert page.locator(".event-modules > li").count() == 3
    assert no_sideways_scroll(page)
    page.screenshot(path=shots / "calendar-seminar-360.png", full_page=True)
    # Issue 14: the registration was at the very bottom of this 4,400 px page; now it follows the
    # dates and the place, in the first two screens.
    registration = page.locator("#registration-heading").bounding_box()
    assert registration["y"] < 2 * PHONE["height"]

    with page.expect_download() as download_info:
        page.locator(f"a[download][href$=\"/{seminar.pk}/event.ics\"]").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    calendar = Calendar.from_ical(open(download.path(), "rb").read())
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == seminar.title
    start = vevent.decoded("DTSTART")
    assert start == seminar.start
    # Dakar keeps UTC all year: icalendar writes its times as UTC (09:00Z), the same instant.
    dakar = start.astimezone(seminar.zone)
    assert (dakar.hour, dakar.minute) == (9, 0)
    assert (dakar.year, dakar.month) == (next_month.year, next_month.month)
    context.close()


def test_invalid_filter_on_a_phone_says_which_field(page, live_server, demo_site, shots):
    page.set_viewport_size(PHONE)
    response = page.goto(f"{live_server.url}/fr/agenda/?country=ZZ")
    assert response.status == 400
    assert page.locator(".error-summary").is_visible()
    assert page.locator("#id_country_error").is_visible()
    page.screenshot(path=shots / "calendar-bad-filter-360.png", full_page=True)
