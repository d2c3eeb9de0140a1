"""A project profile's supported mutuals (portal/directory/projects.py, issue 17 item 2): their series
from the validated returns, computed as the inventory's synthesis computes its rows (the provisional
rule, private mutuals left out), beside the KPIs typed by hand; the CSV; the stored page changing with
the links and with a validation; who may edit the links in the admin."""

import csv
import io
import re
import statistics

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from wagtail.models import PageViewRestriction, Site

from inventory.models import Campaign, Union
from inventory.opendata.groups import GROUP_COLUMNS
from inventory.returns.services import return_validate
from library.services import library_index_get_or_create
from portal.accounts.roles import Role
from portal.core.models import SiteLinks
from portal.directory.models import ProjectSupportedMutual
from tests.factories import MutualFactory, ReturnFactory, UserFactory, network_country
from tests.library.helpers import project_profile

pytestmark = pytest.mark.django_db

FIGURES = {"status": "functional", "state": "validated"}


def figures(members, beneficiaries, target, due, collected, benefits):
    return {**FIGURES, "members": members, "beneficiaries": beneficiaries, "target_population": target,
            "contributions_due": due, "contributions_collected": collected, "benefits_paid": benefits}


@pytest.fixture(autouse=True)
def site_links(db):
    SiteLinks.for_site(Site.objects.get(is_default_site=True))  # as in tests/core/test_page_cache.py
    cache.clear()


@pytest.fixture
def mutuals():
    """Two public mutuals of Senegal with validated returns for 2023 and 2024 (and a draft for 2025),
    a private one with huge figures, a union with one more public mutual."""
    senegal = network_country("SN")
    union = Union.objects.create(name="Union des mutuelles de Kolda", country=senegal)
    first = MutualFactory(name="Mutuelle de Diaobé", country=senegal, year_created=2010,
                          contact_name="Awa Contact", contact_email="awa.contact@example.org")
    second = MutualFactory(name="Mutuelle de Vélingara", country=senegal, year_created=2012)
    private = MutualFactory(name="Mutuelle Discrète", country=senegal, is_public=False)
    member = MutualFactory(name="Mutuelle de Kounkané", country=senegal, union=union)
    ReturnFactory(mutual=first, year=2023, **figures(1000, 4000, 20000, 4_000_000, 3_000_000, 1_500_000))
    ReturnFactory(mutual=first, year=2024, **figures(1200, 4800, 20000, 4_800_000, 4_320_000, 2_160_000))
    ReturnFactory(mutual=second, year=2024, **figures(300, 900, 10000, 1_200_000, 600_000, 540_000))
    ReturnFactory(mutual=second, year=2025, **{**figures(999, 999, 999, 9, 9, 9), "state": "draft"})
    ReturnFactory(mutual=private, year=2024, **figures(77777, 99999, 999999, 10, 10, 10))
    ReturnFactory(mutual=member, year=2024, **figures(500, 1500, 5000, 1_000_000, 900_000, 450_000))
    for mutual in (first, second, private, member):
        mutual.refresh_from_db()
    return {"first": first, "second": second, "private": private, "member": member, "union": union}


def link(page, *links, publish=True):
    # In order, as the editor's form numbers them (`sort_order`).
    page.supported_mutuals = [ProjectSupportedMutual(**values, sort_order=n)
                              for n, values in enumerate(links)]
    revision = page.save_revision()
    if publish:
        revision.publish()
    return page


@pytest.fixture
def project(mutuals):
    index = library_index_get_or_create(language="en")
    page = project_profile(index, ref="project-kolda", title="Health insurance in Kolda",
                           slug="kolda", indicators=[{"date": "2024-12-31", "value": "42",
                                                      "name": "Health workers trained"}])
    return link(page, {"mutual": mutuals["first"], "since": 2022},
                {"mutual": mutuals["second"], "since": 2022, "until": 2025}, {"mutual": mutuals["private"]})


def page_html(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


def table_rows(html) -> dict[str, list[str]]:
    """The section's table: year -> the cells' texts."""
    soup = BeautifulSoup(html, "html.parser")
    table = soup.select_one("#inventory table")
    return {tr.find_all("td")[0].get_text(): [td.get_text() for td in tr.find_all("td")]
            for tr in table.select("tbody tr")}


def download(client, page):
    response = client.get(reverse("directory:project_csv", args=[page.pk]))
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_page_shows_the_public_supported_mutuals_series_beside_the_kpis_typed_by_hand(client, project,
                                                                                         mutuals):
    with translation.override("en"):
        html = page_html(client, project)
        mutual_urls = [reverse("inventory:mutual_detail", args=[mutuals[key].mutual_id])
                       for key in ("first", "second")]
        csv_url = reverse("directory:project_csv", args=[project.pk])
    soup = BeautifulSoup(html, "html.parser")
    section = soup.select_one("#inventory")
    assert section.h2.get_text() == "The supported mutuals in the inventory"
    text = section.get_text(" ")
    # The public mutuals named and linked to their pages, with their years of support; the private one
    # neither named nor counted, the contact person nowhere.
    links = [a["href"] for a in section.select(".project-mutuals a")]
    assert links == mutual_urls
    assert "supported since 2022" in text and "supported 2022–2025" in text
    assert "Discrète" not in html and "77,777" not in html and "77777" not in html
    assert "1 supported mutual is not shown to the public" in " ".join(text.split())
    assert "Awa Contact" not in html and "awa.contact" not in html
    # The synthesis's sums over the functional mutuals; the draft of 2025 shows nowhere.
    rows = table_rows(html)
    assert list(rows) == ["2023", "2024"]
    assert rows["2024"][1:6] == ["2", "2", "2", "1,500", "5,700"]  # known, reporting, functional, sums
    assert rows["2024"][6] == "19.0\u00a0%"  # pooled: 5,700 / 30,000
    # The collection rate's median over the two mutuals, as the inventory defines the rate.
    assert rows["2024"][7] == "70.0\u00a0%" and rows["2024"][8] == "2"  # median of 90 % and 50 %
    assert rows["2024"][9] == "70.0\u00a0%"  # claims: median of 50 % and 90 %
    # The chart (server-drawn SVG, no script) and the CSV link; the KPIs typed by hand still there.
    assert section.select("svg[role=img]") and not soup.select("#inventory script")
    assert section.select_one(".chart-download a[download]")["href"] == csv_url
    assert "Health workers trained" in html and "Source:" in text


def test_the_figures_are_the_inventory_synthesis_own(project, mutuals):
    """The group's row equals what the synthesis's computation gives for those mutuals alone (not a
    second definition of the indicators)."""
    from inventory.opendata import groups

    row = groups.group_rows([mutuals["first"].pk, mutuals["second"].pk, mutuals["private"].pk])[-1]
    assert row["year"] == 2024 and row["members"] == 1500 and row["mutuals_known"] == 2
    assert row["collection_rate_median"] == pytest.approx(statistics.median([0.9, 0.5]))
    assert row["year_status"] == "final"


def test_a_union_brings_its_public_mutuals(client, project, mutuals):
    link(project, {"mutual": mutuals["first"]}, {"union": mutuals["union"], "since": 2024})
    with translation.override("en"):
        html = page_html(client, project)
    text = " ".join(BeautifulSoup(html, "html.parser").select_one("#inventory").get_text(" ").split())
    assert "Union des mutuelles de Kolda · 1 mutual" in text
    assert table_rows(html)["2024"][4] == "1,700"  # Diaobé 1,200 + Kounkané 500


def test_a_year_whose_campaign_is_open_is_provisional(client, project):
    Campaign.objects.create(year=2024, deadline="2026-12-31")
    with translation.override("en"):
        html = page_html(client, project)
    rows = table_rows(html)
    assert rows["2024"][-1] == "provisional" and rows["2023"][-1] == "final"
    assert "The 2024 returns are still being collected" in html
    assert download(client, project)[-1][-1] == "provisional"


def test_the_csv_has_the_synthesis_column_names_and_the_table_s_values(client, project):
    lines = download(client, project)
    assert lines[0] == ["year", *GROUP_COLUMNS, "year_status"]
    assert lines[1][:6] == ["2023", "2", "1", "1", "1000", "4000"]  # both known, one reporting
    year_2024 = dict(zip(lines[0], lines[2], strict=True))
    assert year_2024["members"] == "1500" and year_2024["collection_rate_median"] == "0.7"
    assert year_2024["collection_rate_n"] == "2" and year_2024["year_status"] == "final"
    assert not any("Discrète" in cell or "77777" in cell for line in lines for cell in line)


def test_the_csv_of_a_page_not_shown_to_the_public_is_a_404(client, project):
    url = reverse("directory:project_csv", args=[project.pk])
    PageViewRestriction.objects.create(page=project, restriction_type="login")
    assert client.get(url).status_code == 404
    PageViewRestriction.objects.filter(page=project).delete()
    project.unpublish()
    assert client.get(url).status_code == 404


def test_a_project_without_links_shows_no_section_and_no_csv(client, mutuals):
    index = library_index_get_or_create(language="en")
    page = project_profile(index, ref="project-none", slug="none")
    html = page_html(client, page)
    assert 'id="inventory"' not in html
    assert client.get(reverse("directory:project_csv", args=[page.pk])).status_code == 404


def test_the_stored_page_changes_when_the_links_are_published_not_before(client, project, mutuals):
    page_html(client, project)
    assert client.get(project.url)["X-Page-Cache"] == "hit"
    link(project, {"mutual": mutuals["first"]}, publish=False)  # a draft: the public page stays
    with translation.override("en"):
        assert "Vélingara" in page_html(client, project)
    link(project, {"mutual": mutuals["first"]})
    response = client.get(project.url)
    assert response["X-Page-Cache"] == "miss"
    assert "Vélingara" not in response.content.decode()


def test_the_stored_page_changes_when_a_supported_mutual_s_return_is_validated(
        client, project, mutuals, django_capture_on_commit_callbacks):
    with translation.override("en"):
        page_html(client, project)
        assert client.get(project.url)["X-Page-Cache"] == "hit"
        ret = ReturnFactory(mutual=mutuals["second"], year=2023, state="submitted",
                            **{k: v for k, v in figures(640, 2000, 10000, 1, 1, 1).items() if k != "state"})
        with django_capture_on_commit_callbacks(execute=True):
            return_validate(ret=ret, user=UserFactory(roles=[Role.SECRETARIAT]))
        response = client.get(project.url)
    assert response["X-Page-Cache"] == "miss"
    assert table_rows(response.content.decode())["2023"][4] == "1,640"


def test_a_link_names_a_mutual_or_a_union(mutuals):
    from django.core.exceptions import ValidationError

    for values in ({}, {"mutual": mutuals["first"], "union": mutuals["union"]}):
        with pytest.raises(ValidationError):
            ProjectSupportedMutual(**values).clean()
    with pytest.raises(ValidationError):
        ProjectSupportedMutual(mutual=mutuals["first"], since=2025, until=2020).clean()
    ProjectSupportedMutual(union=mutuals["union"], since=2020, until=2025).clean()


# --- The admin --------------------------------------------------------------------------------------

def edit_form(client, page) -> dict:
    """The editor's form as the browser would send it: every field with its current value."""
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    form = BeautifulSoup(response.content.decode(), "html.parser").select_one("form#page-edit-form")
    data = {}
    for field in form.select("input[name], textarea[name], select[name]"):
        name = field["name"]
        if field.name == "textarea":
            data[name] = field.get_text()
        elif field.name == "select":
            chosen = field.select("option[selected]")
            if field.has_attr("multiple"):
                data[name] = [option["value"] for option in chosen]
            elif chosen:
                data[name] = chosen[0].get("value", "")
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data.setdefault(name, []).append(field.get("value", "on"))
        elif field.get("type") not in ("submit", "button", "file"):
            data[name] = field.get("value", "")
    return data


def test_the_secretariat_links_mutuals_in_the_admin_and_the_page_follows(client, project, mutuals):
    client.force_login(UserFactory(roles=[Role.SECRETARIAT]))
    data = edit_form(client, project)
    assert data["supported_mutuals-TOTAL_FORMS"] == "3"
    assert data["supported_mutuals-0-mutual"] == str(mutuals["first"].pk)
    # Take the second mutual away, put the union in the private one's place, publish.
    assert {data[f"supported_mutuals-{n}-ORDER"] for n in range(3)} == {"1", "2", "3"}
    data["supported_mutuals-1-DELETE"] = "1"
    data["supported_mutuals-2-mutual"] = ""
    data["supported_mutuals-2-union"] = str(mutuals["union"].pk)
    data["action-publish"] = "action-publish"
    response = client.post(reverse("wagtailadmin_pages:edit", args=[project.pk]), data)
    assert response.status_code == 302, re.findall(r'class="error-message">(.*?)<', response.content.decode())
    links = project.specific_class.objects.get(pk=project.pk).supported_mutuals.all()
    assert [(x.mutual_id, x.union_id) for x in links] == [(mutuals["first"].pk, None),
                                                          (None, mutuals["union"].pk)]
    client.logout()
    with translation.override("en"):
        html = page_html(client, project)
    assert "Vélingara" not in html and "Kounkané" not in html and "Union des mutuelles de Kolda" in html


def test_a_link_with_both_a_mutual_and_a_union_is_refused_in_the_admin(client, project, mutuals):
    client.force_login(UserFactory(roles=[Role.SECRETARIAT]))
    data = edit_form(client, project)
    data["supported_mutuals-0-union"] = str(mutuals["union"].pk)
    data["action-publish"] = "action-publish"
    response = client.post(reverse("wagtailadmin_pages:edit", args=[project.pk]), data)
    # The secretary's admin speaks French (their account's language).
    assert response.status_code == 200 and "pas les deux" in response.content.decode()
    assert project.specific_class.objects.get(pk=project.pk).supported_mutuals.count() == 3


def test_a_focal_point_may_edit_the_links_as_any_project_profile_field(client, project):
    client.force_login(UserFactory(roles=[Role.FOCAL_POINT], focal_countries=["SN"]))
    html = client.get(reverse("wagtailadmin_pages:edit", args=[project.pk])).content.decode()
    assert 'name="supported_mutuals-TOTAL_FORMS"' in html
    # The panel's chooser opens for them (mutual names and identifiers: no contact person).
    chooser = client.get(reverse("wagtailsnippetchoosers_inventory_mutual:choose"))
    assert chooser.status_code == 200
    assert "Diaobé" in chooser.json()["html"] and "Awa Contact" not in chooser.json()["html"]


@pytest.mark.parametrize("role", [Role.AUTHENTICATED, Role.MEMBER, Role.MUTUAL_MANAGER,
                                  Role.SUPPORTING_ORGANIZATION])
def test_other_roles_cannot_edit_the_links(client, project, mutuals, role):
    user = UserFactory(roles=[] if role == Role.AUTHENTICATED else [role])
    if role == Role.MUTUAL_MANAGER:
        mutuals["first"].managers.add(user)
    client.force_login(user)
    url = reverse("wagtailadmin_pages:edit", args=[project.pk])
    response = client.get(url)
    assert response.status_code in (302, 403)
    data = {"title": "Pris", "supported_mutuals-TOTAL_FORMS": "0", "action-publish": "action-publish"}
    assert client.post(url, data).status_code in (302, 403)
    assert project.specific_class.objects.get(pk=project.pk).supported_mutuals.count() == 3


def test_the_page_with_its_section_is_valid_html(client, project, mutuals, tmp_path):
    """Nu HTML checker (tests/demo/test_html_validity.py's) on the page with every part of the section
    shown (a union, a mutual not public, a provisional year), in both languages."""
    from tests.demo.test_html_validity import nu_errors

    french = project_profile(library_index_get_or_create(language="fr"), ref="projet-kolda", slug="kolda")
    links = [{"mutual": mutuals["first"], "since": 2020, "until": 2024}, {"mutual": mutuals["private"]},
             {"union": mutuals["union"]}]
    Campaign.objects.create(year=2024, deadline="2026-12-31")
    files = []
    for language, page in (("fr", link(french, *links)), ("en", link(project, *links))):
        html = client.get(page.url).content.decode()
        assert 'id="inventory"' in html and "provisional-note" in html
        (tmp_path / f"{language}.html").write_text(html)
        files.append(tmp_path / f"{language}.html")
    assert nu_errors(files) == []
