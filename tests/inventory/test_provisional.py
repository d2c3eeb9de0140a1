"""Provisional and final years (issue #14): the one rule (`inventory.campaign.provisional`), the key
figures that default to the latest final year with the provisional one a link away, the charts that
draw a provisional point apart, the `year_status` column of the synthesis downloads, and the two rates
named apart."""

import csv
import datetime
import io
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from inventory.campaign.provisional import is_provisional, latest_final, provisional_years, year_status
from inventory.contract.choices import ReturnState
from inventory.models import Campaign
from inventory.opendata import charts, figures
from inventory.opendata.synthesis import write_synthesis_csv
from portal.newsletter.composing import live_figures
from portal.reference.models import Country
from tests.factories import MutualFactory, ReturnFactory

NOW = datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)


# --- The rule, without the database ---------------------------------------------------------------

def test_an_open_campaign_makes_its_year_provisional():
    assert is_provisional(None, 30, NOW)
    assert is_provisional(None, 0, NOW)


def test_a_closed_campaign_stays_provisional_for_the_days_the_secretariat_chose():
    assert is_provisional(NOW - 29 * DAY, 30, NOW)
    assert not is_provisional(NOW - 30 * DAY, 30, NOW)
    assert not is_provisional(NOW - 31 * DAY, 30, NOW)
    assert not is_provisional(NOW - DAY, 0, NOW)  # 0: final as soon as it closes
    assert is_provisional(NOW - 100 * DAY, 120, NOW)


def test_year_status_and_the_latest_final_year():
    assert year_status(2025, {2025}) == "provisional"
    assert year_status(2024, {2025}) == "final"
    assert latest_final([2022, 2023, 2024, 2025], {2025}) == 2024
    assert latest_final([2025], {2025}) is None


def _row(country, year, status, **values):
    base = dict.fromkeys(figures.KEY_FIGURES)
    return {**base, "country": country, "year": year, "response_rate": values.pop("rate", None),
            "year_status": status, **values}


def test_headline_defaults_to_the_latest_final_year_and_offers_the_provisional_one():
    rows = [_row("ALL", 2023, "final", rate=0.9, members=1000), _row("ALL", 2024, "final", rate=0.92,
            members=1430), _row("ALL", 2025, "provisional", rate=0.577, members=1060)]
    with translation.override("en"):
        shown = figures.headline(rows)
        assert (shown["year"], shown["provisional"]) == (2024, False)
        assert shown["other"] == {"year": 2025, "provisional": True, "response_rate": "57.7\u00a0%"}
        asked = figures.headline(rows, year=2025)
        assert (asked["year"], asked["provisional"], asked["response_rate"]) == (2025, True, "57.7\u00a0%")
        assert asked["other"]["year"] == 2024 and not asked["other"]["provisional"]
        # An older final year: the provisional one is still offered.
        assert figures.headline(rows, year=2023)["other"]["year"] == 2025
        # A year without figures falls back to the default.
        assert figures.headline(rows, year=1999)["year"] == 2024


def test_headline_of_a_first_campaign_is_provisional_and_says_so():
    rows = [_row("SN", 2025, "provisional", rate=0.5)]
    shown = figures.headline(rows, "SN")
    assert (shown["year"], shown["provisional"], shown["other"]) == (2025, True, None)
    assert figures.headline(rows, "ML") is None


def test_a_line_chart_draws_a_provisional_point_hollow_on_a_dotted_step_with_a_legend():
    series = {"Beneficiaries": [(2023, 1.2e6), (2024, 1.43e6), (2025, 1.06e6)]}
    with translation.override("en"):
        plain = str(charts.line_chart(series, title="People"))
        marked = str(charts.line_chart(series, title="People", provisional={2025}))
    assert "provisional" not in plain.lower()
    assert "Provisional (campaign under way)" in marked
    hollow = re.findall(r'<circle[^>]*class="provisional"[^>]*><title>([^<]*)</title>', marked)
    assert hollow == ["Beneficiaries, 2025: 1,060,000 (provisional)"]
    assert len(re.findall(r'<path[^>]*class="provisional"', marked)) == 1  # 2024 → 2025 only
    # The final years keep their solid line and filled markers.
    assert marked.count('fill="#0072B2"') == 2


# --- Pages, downloads and the newsletter -----------------------------------------------------------

@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def open_2025():
    """Senegal: four mutuals, all validated for 2024; for 2025 (campaign open) one validated, two
    submitted, one not started — the public response rate 25 %, the progress of the campaign 75 %."""
    senegal = Country.objects.get(code="SN")
    mutuals = [MutualFactory(country=senegal, name=f"Mutuelle {n}") for n in range(4)]
    for n, mutual in enumerate(mutuals):
        ReturnFactory(mutual=mutual, year=2024, state=ReturnState.VALIDATED, status="functional",
                      members=1000 + n, beneficiaries=3000)
    ReturnFactory(mutual=mutuals[0], year=2025, state=ReturnState.VALIDATED, status="functional",
                  members=700, beneficiaries=2100)
    for mutual in mutuals[1:3]:
        ReturnFactory(mutual=mutual, year=2025, state=ReturnState.SUBMITTED, status="functional", members=5)
    return Campaign.objects.create(year=2025, deadline=timezone.localdate() + 30 * DAY)


def _get(client, name, *args, language="en", **query):
    with translation.override(language):
        path = reverse(name, args=args)
    return client.get(path, query).content.decode()


@pytest.mark.django_db
def test_provisional_years_read_the_campaigns(open_2025):
    now = timezone.now()
    Campaign.objects.create(year=2024, deadline=now.date(), closed_at=now - 3 * DAY, provisional_days=10)
    Campaign.objects.create(year=2023, deadline=now.date(), closed_at=now - 40 * DAY)  # default 30 days
    assert provisional_years() == {2025, 2024}
    assert provisional_years(now + 8 * DAY) == {2025}


@pytest.mark.django_db
def test_the_overview_shows_the_final_year_first_and_the_provisional_one_a_link_away(client, open_2025):
    html = _get(client, "inventory:overview")
    assert "Key figures for 2024</h2>" in html
    assert "Final figures for 2024." in html
    assert 'href="?year=2025#key-figures"' in html
    assert "See the provisional figures for 2025 (response rate so far 25.0\u00a0%)" in html
    assert '<option value="2025">2025 (provisional)</option>' in html
    assert '<option value="2024" selected>2024</option>' in html

    html = _get(client, "inventory:overview", year="2025")
    assert "Key figures for 2025 (provisional)</h2>" in html
    assert 'class="provisional-badge">Provisional</strong>' in html
    assert "validated so far (response rate 25.0\u00a0%) and will change" in html
    assert "See the final figures for 2024" in html
    assert re.search(r'<h2 id="map">[^<]*2025 <span class="provisional-badge">provisional</span></h2>', html)
    # The trends mark 2025 provisional in their chart (an image of its drawing, issue 16) and their table.
    chart = _get(client, "inventory:overview_svg", "people", drawing="narrow")
    assert ", 2025: 2,100 (provisional)</title>" in chart  # beneficiaries' hollow point
    assert "Provisional (campaign under way)" in chart


@pytest.mark.django_db
def test_once_the_campaign_is_closed_and_the_delay_over_the_year_is_final(client, open_2025):
    open_2025.closed_at = timezone.now() - 31 * DAY
    open_2025.save()
    html = _get(client, "inventory:overview")
    assert "Key figures for 2025</h2>" in html
    assert "provisional-badge" not in html and "(provisional)" not in html
    assert "Provisional (campaign under way)" not in html


@pytest.mark.django_db
def test_the_country_page_shows_the_final_year_and_marks_the_provisional_column(client, open_2025):
    html = _get(client, "inventory:country", "SN")
    assert "Key figures for 2024</h2>" in html
    assert "See the provisional figures for 2025 (response rate so far 25.0\u00a0%)" in html
    head = html.split('class="synthesis-table"', 1)[1].split("</thead>", 1)[0]
    assert re.search(r'2025<br><span class="provisional-badge">provisional</span>', head)
    assert "2024<br>" not in head
    html = _get(client, "inventory:country", "SN", year="2025")
    assert "Key figures for 2025 (provisional)</h2>" in html
    assert ('Mutuals reporting in 2025, by status <span class="provisional-badge">provisional</span></h2>'
            in html)


@pytest.mark.django_db
def test_the_home_page_never_calls_a_provisional_year_final(client, open_2025):
    html = client.get("/en/").content.decode()
    panel = re.search(r'<section aria-labelledby="inventory-heading".*?</section>', html, re.S).group(0)
    assert "Key figures for 2024 (final), from the returns validated by the focal points" in panel
    assert "Key figures for 2025" not in panel
    assert "?year=2025#key-figures" in panel and "See the provisional figures for 2025" in panel


@pytest.mark.django_db
def test_the_newsletter_figures_are_the_final_year_with_the_provisional_one_linked(open_2025):
    found = live_figures("en")
    assert (found["year"], found["provisional"]) == (2024, False)
    assert found["other"]["year"] == 2025 and found["other"]["provisional"]
    assert found["other"]["url"].endswith("?year=2025#key-figures")
    assert found["other"]["url"].startswith("http")


@pytest.mark.django_db
def test_the_synthesis_download_ends_with_year_status(open_2025):
    stream = io.StringIO()
    write_synthesis_csv(stream)
    rows = list(csv.DictReader(io.StringIO(stream.getvalue())))
    assert list(rows[0])[-1] == "year_status"
    assert {(r["country"], r["year"]): r["year_status"] for r in rows} == {
        ("SN", "2024"): "final", ("SN", "2025"): "provisional",
        ("ALL", "2024"): "final", ("ALL", "2025"): "provisional"}


@pytest.mark.django_db
def test_the_two_rates_have_two_names(client, open_2025):
    from portal.accounts.roles import Role
    from tests.factories import UserFactory

    public = _get(client, "inventory:country", "SN", year="2025")
    assert "response rate 25.0\u00a0%" in public and "Progress of the campaign" not in public
    client.force_login(UserFactory(roles=[Role.SECRETARIAT]))
    dashboard = _get(client, "inventory:dashboard", year="2025")
    senegal = dashboard.split(">Senegal</a></th>", 1)[1].split("</tr>", 1)[0]
    assert senegal.rstrip().endswith('<td class="num">75.0\u00a0%</td>')
    assert "Progress of the campaign" in dashboard and "Response rate" not in dashboard
    glossary = _get(client, "inventory:glossary")
    assert 'id="response_rate"' in glossary and 'id="campaign_progress"' in glossary
    assert 'id="provisional"' in glossary


@pytest.mark.django_db
def test_the_secretariat_chooses_how_long_a_closed_campaign_stays_provisional(client):
    from portal.accounts.roles import Role
    from tests.factories import UserFactory

    client.force_login(UserFactory(roles=[Role.SECRETARIAT]))
    year = timezone.localdate().year - 1
    with translation.override("en"):
        path = reverse("inventory:campaigns")
    deadline = (timezone.localdate() + 30 * DAY).isoformat()
    response = client.post(path, {"year": year, "deadline": deadline, "provisional_days": "10"})
    assert response.status_code == 302
    assert Campaign.objects.get(year=year).provisional_days == 10
    assert "provisional until 10 days after closing" in client.get(path).content.decode()
    # Left empty, the default applies; out of range, the form says so.
    Campaign.objects.all().update(closed_at=timezone.now())
    assert client.post(path, {"year": year - 1, "deadline": deadline}).status_code == 302
    assert Campaign.objects.get(year=year - 1).provisional_days == 30
    Campaign.objects.all().update(closed_at=timezone.now())
    response = client.post(path, {"year": year - 2, "deadline": deadline, "provisional_days": "400"})
    assert response.status_code == 400


@pytest.mark.django_db
def test_the_secretariat_can_make_a_closed_year_final_at_once_and_only_the_secretariat(client, open_2025):
    from portal.accounts.roles import Role
    from tests.factories import UserFactory

    open_2025.closed_at = timezone.now() - 2 * DAY
    open_2025.save()
    assert provisional_years() == {2025}  # closed two days ago, 30 days by default
    with translation.override("en"):
        path = reverse("inventory:campaign_provisional_days", args=[2025])
    client.force_login(UserFactory(roles=[Role.FOCAL_POINT]))
    assert client.post(path, {"provisional_days": "0"}).status_code == 403
    client.force_login(UserFactory(roles=[Role.SECRETARIAT]))
    assert client.post(path, {"provisional_days": "-1"}).status_code == 302
    assert provisional_years() == {2025}  # refused: nothing changed
    assert client.post(path, {"provisional_days": "0"}).status_code == 302
    assert provisional_years() == frozenset()
    assert "Key figures for 2025</h2>" in _get(client, "inventory:overview")
