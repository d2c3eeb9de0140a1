"""The completion dashboards: counts against an independent count on a random inventory, a few
queries whatever its size, each focal point only its countries, bad query strings are 400s."""

import random
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from inventory.contract.choices import RegistrationState, ReturnState
from inventory.models import Campaign
from portal.accounts.roles import Role
from tests.factories import CountryFactory, MutualFactory, ReturnFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR = TODAY.year - 1
CODES = ("SN", "ML", "BF")
STATES = ("not_started", "draft", "submitted", "returned", "validated")


def url(name, *args, language="en"):
    with translation.override(language):
        return reverse(f"inventory:{name}", args=args)


@pytest.fixture
def secretariat():
    return UserFactory(roles=[Role.SECRETARIAT])


@pytest.fixture
def inventory():
    """A random inventory over three countries, and what the dashboards should say of it, counted
    here from how it was made (not through the code under test)."""
    rng = random.Random(20260401)
    countries = {code: CountryFactory(code=code) for code in CODES}
    expected = {code: dict.fromkeys(STATES, 0) for code in CODES}
    mutual_states = {}  # mutual_id -> state, for the expected mutuals
    no_reporter = set()
    for n in range(45):
        code = rng.choice(CODES)
        registration = rng.choices(
            [RegistrationState.APPROVED, RegistrationState.PENDING, RegistrationState.REJECTED],
            weights=[8, 1, 1],
        )[0]
        year_created = rng.choice([None, YEAR - 6, YEAR - 1, YEAR, YEAR + 1])
        managers = [UserFactory(roles=[Role.MUTUAL_MANAGER])] if rng.random() < 0.7 else []
        mutual = MutualFactory(country=countries[code], registration_state=registration,
                               year_created=year_created, managers=managers, name=f"Mutuelle {n:02d}")
        closed_before = False
        for year in (YEAR - 2, YEAR - 1, YEAR):
            if rng.random() < 0.35:
                continue
            state = rng.choice(ReturnState.values)
            status = rng.choices(["functional", "closed", ""], weights=[6, 1, 1])[0]
            ReturnFactory(mutual=mutual, year=year, state=state, status=status)
            if year < YEAR and state == ReturnState.VALIDATED and status == "closed":
                closed_before = True
            if year == YEAR:
                this_year = state
        if not any(r.year == YEAR for r in mutual.returns.all()):
            this_year = "not_started"
        is_expected = (registration == RegistrationState.APPROVED
                       and (year_created is None or year_created <= YEAR) and not closed_before)
        if is_expected:
            expected[code][this_year] += 1
            mutual_states[mutual.mutual_id] = this_year
            if not managers:
                no_reporter.add(mutual.mutual_id)
    return {"countries": countries, "counts": expected, "states": mutual_states,
            "no_reporter": no_reporter}


def figures(row):
    return {"expected": row.expected, **{state: getattr(row, state) for state in STATES}}


def test_the_secretariat_dashboard_counts_like_an_independent_count(client, secretariat, inventory):
    client.force_login(secretariat)
    response = client.get(url("dashboard"), {"year": YEAR})
    assert response.status_code == 200
    rows = {row.country.code: row for row in response.context["rows"]}
    for code in CODES:
        counts = inventory["counts"][code]
        assert figures(rows[code]) == {"expected": sum(counts.values()), **counts}, code
        responded = counts["submitted"] + counts["validated"]
        assert rows[code].campaign_progress == pytest.approx(responded / sum(counts.values()))
    assert all(row.expected == 0 and row.campaign_progress is None
               for code, row in rows.items() if code not in CODES)
    total = response.context["total"]
    assert total.expected == len(inventory["states"])
    for state in STATES:
        assert getattr(total, state) == sum(inventory["counts"][c][state] for c in CODES)
    page = response.content.decode()
    assert "All countries" in page
    # The progress of the campaign as a percentage, e.g. "41.2 %", named so: not the public pages'
    # response rate (validated over known).
    sn = rows["SN"]
    assert f"{100 * sn.campaign_progress:.1f}\u00a0%" in page, sn.campaign_progress
    assert "Progress of the campaign" in page and "Response rate" not in page


def test_the_country_dashboard_lists_each_expected_mutual_with_its_state(client, secretariat, inventory):
    client.force_login(secretariat)
    for code in CODES:
        response = client.get(url("country_dashboard", code), {"year": YEAR})
        assert response.status_code == 200
        listed = {p.mutual.mutual_id: p.state for p in response.context["progress"]}
        assert listed == {m: s for m, s in inventory["states"].items() if m.startswith(code)}
        nobody = {p.mutual.mutual_id for p in response.context["progress"] if not p.reporters}
        assert nobody == {m for m in inventory["no_reporter"] if m.startswith(code)}
        assert response.context["without_reporters"] == len(nobody)
        for state in STATES:
            response = client.get(url("country_dashboard", code.lower()), {"year": YEAR, "state": state})
            assert {p.mutual.mutual_id for p in response.context["progress"]} == {
                m for m, s in inventory["states"].items() if m.startswith(code) and s == state}


def test_the_country_dashboard_shows_date_score_and_links(client, secretariat):
    manager = UserFactory(roles=[Role.MUTUAL_MANAGER])
    started = MutualFactory(name="Mutuelle de Thiès", region="Thiès", managers=[manager])
    ReturnFactory(mutual=started, year=YEAR, state=ReturnState.DRAFT, status="functional",
                  target_population=10000, members=800, beneficiaries=3000)
    MutualFactory(name="Mutuelle de Kolda")
    client.force_login(secretariat)
    response = client.get(url("country_dashboard", "SN"), {"year": YEAR})
    html = response.content.decode()
    assert url("return_detail", started.mutual_id, YEAR) in html
    progress = {p.mutual.name: p for p in response.context["progress"]}
    assert progress["Mutuelle de Thiès"].disclosure_score == 2  # identity and people; a draft
    assert "◆◆◇◇◇" in html and "2 of 5" in html
    assert progress["Mutuelle de Thiès"].last_change.date() == timezone.now().date()
    assert progress["Mutuelle de Kolda"].state == "not_started"
    assert "nobody" in html


def test_dashboards_take_a_few_queries_whatever_the_number_of_mutuals(client, secretariat):
    client.force_login(secretariat)

    def queries(address):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(address, {"year": YEAR}).status_code == 200
        return len(captured)

    def add(n):
        for _ in range(n):
            mutual = MutualFactory(managers=[UserFactory(roles=[Role.MUTUAL_MANAGER])])
            ReturnFactory(mutual=mutual, year=YEAR, state=random.choice(ReturnState.values))

    add(3)
    queries(url("dashboard"))  # the first page a user sees creates their Wagtail profile
    small = queries(url("dashboard")), queries(url("country_dashboard", "SN"))
    add(30)
    assert (queries(url("dashboard")), queries(url("country_dashboard", "SN"))) == small
    assert max(small) < 40  # most of them the layout's (menu, footer links)


@pytest.fixture
def focal_point():
    return UserFactory(roles=[Role.FOCAL_POINT], focal_countries=["SN", "BF"])


def test_a_focal_point_sees_only_its_countries(client, focal_point, inventory):
    client.force_login(focal_point)
    response = client.get(url("dashboard"), {"year": YEAR})
    assert response.status_code == 200
    assert sorted(row.country.code for row in response.context["rows"]) == ["BF", "SN"]
    assert response.context["total"] is None
    html = response.content.decode()
    assert inventory["countries"]["ML"].name not in html
    assert "All countries" not in html
    assert client.get(url("country_dashboard", "SN")).status_code == 200
    assert client.get(url("country_dashboard", "ML")).status_code == 403
    assert client.get(url("country_dashboard", "ML"), {"state": "draft"}).status_code == 403


@pytest.mark.parametrize("who", ["visitor", "member", "manager", "supporting", "lonely focal point"])
def test_others_may_not_see_the_dashboards(client, who):
    CountryFactory(code="SN")
    users = {
        "member": [Role.MEMBER], "manager": [Role.MUTUAL_MANAGER],
        "supporting": [Role.SUPPORTING_ORGANIZATION], "lonely focal point": [Role.FOCAL_POINT],
    }
    if who != "visitor":
        # A focal point of no country; the others are given a country that does not make them one.
        client.force_login(UserFactory(roles=users[who],
                                       focal_countries=[] if who == "lonely focal point" else ["SN"]))
    for address in url("dashboard"), url("country_dashboard", "SN"):
        response = client.get(address)
        if who == "visitor":
            assert response.status_code == 302 and "/login/" in response["Location"]
        else:
            assert response.status_code == 403
    home = client.get(url("mutual_list")).content.decode()
    assert url("dashboard") not in home


def test_the_dashboard_link_is_in_the_menu_of_who_may_see_it(client, focal_point, secretariat):
    for user in focal_point, secretariat:
        client.force_login(user)
        assert url("dashboard") in client.get(url("mutual_list")).content.decode()


@pytest.mark.parametrize("query", [
    {"year": "abc"}, {"year": "1800"}, {"year": str(TODAY.year + 5)}, {"year": "2020.5"},
    {"state": "lost"}, {"state": "validated'--"},
])
def test_bad_query_strings_are_400_with_the_reason(client, secretariat, query):
    client.force_login(secretariat)
    response = client.get(url("country_dashboard", "SN"), query)
    assert response.status_code == 400
    field = next(iter(query))
    assert response.context["form"].errors[field]
    assert response.context["form"].errors[field][0] in unescape(response.content.decode())
    if field == "year":
        assert client.get(url("dashboard"), query).status_code == 400


def test_an_unknown_country_is_404(client, secretariat):
    client.force_login(secretariat)
    assert client.get(url("country_dashboard", "ZZ")).status_code == 404


def test_the_default_year_is_the_open_campaigns_else_the_latest_else_last_year(client, secretariat):
    client.force_login(secretariat)
    assert client.get(url("dashboard")).context["year"] == TODAY.year - 1
    Campaign.objects.create(year=2020, deadline=TODAY, closed_at=timezone.now())
    Campaign.objects.create(year=2022, deadline=TODAY, closed_at=timezone.now())
    assert client.get(url("dashboard")).context["year"] == 2022
    Campaign.objects.create(year=2021, deadline=TODAY)
    assert client.get(url("dashboard")).context["year"] == 2021
    assert client.get(url("country_dashboard", "SN")).context["year"] == 2021
    assert client.get(url("dashboard"), {"year": "2019"}).context["year"] == 2019


# --- The disclosure score on public pages ----------------------------------------------------

def test_the_directory_and_profile_show_the_diamonds_of_the_latest_validated_year(client):
    thies = MutualFactory(name="Mutuelle de Thiès", region="Thiès")
    ReturnFactory(mutual=thies, year=YEAR - 1, state=ReturnState.VALIDATED, status="functional",
                  target_population=10000, members=800, beneficiaries=3000)
    # A fuller return that is not validated yet: not public, so not counted.
    ReturnFactory(mutual=thies, year=YEAR, state=ReturnState.SUBMITTED, status="functional",
                  target_population=10000, members=900, beneficiaries=3100, contributions_due=1,
                  contributions_collected=1, benefits_paid=1, operating_expenses=1)
    MutualFactory(name="Mutuelle sans chiffres")

    html = client.get(url("mutual_list")).content.decode()
    assert "Disclosure score" in html
    assert "◆◆◆◇◇" in html and "3 of 5" in html  # identity, people, validated

    html = client.get(url("mutual_detail", thies.mutual_id)).content.decode()
    assert "3 of 5" in html
    for label in ("Identity and status", "People", "Product", "Money", "Validated by the focal point"):
        assert label in html
    assert html.count("(missing)") == 2  # product and money


FULL = {"status": "functional", "target_population": 10000, "members": 800, "beneficiaries": 3000,
        "membership_unit": "family", "contribution_amount": 500, "contribution_period": "month",
        "payment_mode": "third_party", "covers_drugs": True, "contributions_due": 1,
        "contributions_collected": 1, "benefits_paid": 1, "operating_expenses": 1}


def test_the_disclosure_score_is_every_mutuals_record_of_one_year_not_its_best_one(client, settings):
    """Issue 14: every mutual showed 5 of 5, the score of its own latest validated return, however
    old. Now one year for all, the latest whose campaign is closed: a mutual that stopped reporting
    scores 0, and a year still being collected does not count yet."""
    # The campaign is changed below by queryset updates, which send no signal (the secretariat's own
    # close and delay forms invalidate the page cache): pages drawn afresh.
    settings.PAGE_CACHE_SECONDS = 0
    region = MutualFactory(name="Mutuelle régulière", region="Thiès", mutual_type="community")
    ReturnFactory(mutual=region, year=YEAR - 1, state=ReturnState.VALIDATED, **FULL)
    ReturnFactory(mutual=region, year=YEAR, state=ReturnState.VALIDATED,
                  **{**FULL, "operating_expenses": None, "payment_mode": ""})
    silent = MutualFactory(name="Mutuelle silencieuse", region="Thiès", mutual_type="community")
    ReturnFactory(mutual=silent, year=YEAR - 3, state=ReturnState.VALIDATED, **FULL)
    partial = MutualFactory(name="Mutuelle partielle", region="Thiès", mutual_type="community")
    ReturnFactory(mutual=partial, year=YEAR - 1, state=ReturnState.VALIDATED,
                  **{**FULL, "contributions_due": None})
    Campaign.objects.create(year=YEAR, deadline=TODAY)  # open: YEAR's records are still coming in

    response = client.get(url("mutual_list"))
    assert response.context["disclosure_year"] == YEAR - 1
    scores = {m.name: m.disclosure_score for m in response.context["page"].object_list}
    assert scores == {"Mutuelle régulière": 5, "Mutuelle silencieuse": 0, "Mutuelle partielle": 4}
    html = response.content.decode()
    assert f"Disclosure score {YEAR - 1}" in html and "#disclosure_score" in html
    assert ">800<" in html  # the lead's promise: the latest validated members are in the table

    html = client.get(url("mutual_detail", silent.mutual_id)).content.decode()
    assert "0 of 5" in html and f"No validated return for {YEAR - 1}" in html
    glossary = client.get(url("glossary")).content.decode()
    assert 'id="disclosure_score"' in glossary and "not how well it is run" in glossary

    # Closed today: its figures stay provisional for the campaign's delay, so do the scores' year…
    Campaign.objects.filter(year=YEAR).update(closed_at=timezone.now())
    assert client.get(url("mutual_list")).context["disclosure_year"] == YEAR - 1
    # …and once the year is final (no delay), every mutual is scored on it.
    Campaign.objects.filter(year=YEAR).update(provisional_days=0)
    scores = {m.name: m.disclosure_score for m in client.get(url("mutual_list")).context["page"].object_list}
    assert scores == {"Mutuelle régulière": 3, "Mutuelle silencieuse": 0, "Mutuelle partielle": 0}


def test_the_directory_computes_scores_in_one_query_per_page(client):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            client.get(url("mutual_list"))
        return len(captured)

    for _n in range(3):
        ReturnFactory(mutual=MutualFactory(), year=YEAR, state=ReturnState.VALIDATED)
    queries()
    few = queries()
    for n in range(20):
        ReturnFactory(mutual=MutualFactory(), year=YEAR - n % 3, state=ReturnState.VALIDATED)
    assert queries() == few
