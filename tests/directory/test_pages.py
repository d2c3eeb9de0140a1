"""The directory's public pages and the country page's sections: filters (bad values are a 400 naming
the filter), no personal data anywhere, sections registered by other apps shown only when they have
something to show, the library's recent resources for the country."""

import re

import pytest
from django.test import override_settings
from django.utils import translation

from inventory.models import OrganizationRole, OrganizationRoleKind, SupportingOrganization, Union
from library.documents import SearchDocument
from library.search_embedded import EmbeddedEngine
from portal.accounts.roles import Role
from portal.core import country_sections
from portal.reference.models import Country
from tests.factories import CountryFactory, MutualFactory, UserFactory

pytestmark = pytest.mark.django_db

R = OrganizationRoleKind
DIRECTORY = "/en/directory/"


@pytest.fixture
def network():
    """Two countries, a focal point with a staff member, a committee, a promoter, a hidden record, a
    union; a mutual with a contact person supported by the focal point."""
    SupportingOrganization.objects.all().delete()  # none but this test's: it counts its own
    senegal, mali = Country.objects.get(code="SN"), Country.objects.get(code="ML")
    staff = UserFactory(email="agent.prive@example.org", first_name="Awa", last_name="Privée",
                        roles=[Role.SUPPORTING_ORGANIZATION])
    focal = SupportingOrganization.objects.create(
        name="Appui Sénégal", acronym="AS", website="https://example.org/as", email="contact@as.example.org",
        address="BP 1, Dakar", description_en="Supports mutuals in Senegal.", description_fr="Appuie.")
    focal.staff.add(staff)
    OrganizationRole.objects.create(organization=focal, role=R.FOCAL_POINT, country=senegal)
    focal.countries.add(senegal)
    committee = SupportingOrganization.objects.create(name="Comité national SN", email="comite@example.org")
    OrganizationRole.objects.create(organization=committee, role=R.NATIONAL_COMMITTEE, country=senegal)
    committee.countries.add(senegal)
    promoter = SupportingOrganization.objects.create(name="Promoteur international", acronym="PI")
    OrganizationRole.objects.create(organization=promoter, role=R.PROMOTER)
    promoter.countries.add(senegal, mali)
    hidden = SupportingOrganization.objects.create(name="Organisation masquée", in_directory=False)
    hidden.countries.add(senegal)
    union = Union.objects.create(name="Union des mutuelles de Thiès", country=senegal)
    mutual = MutualFactory(name="Mutuelle de Thiès", country=senegal, union=union,
                           contact_name="Moussa Contact", contact_email="moussa.contact@example.org",
                           contact_phone="+221 77 000 00 00")
    mutual.supporting_organizations.add(focal)
    return {"focal": focal, "committee": committee, "promoter": promoter, "union": union, "mutual": mutual}


def names(response):
    return [o.name for o in response.context["organizations"]]


def test_directory_lists_organizations_with_roles_countries_and_website(client, network):
    response = client.get(DIRECTORY)
    assert response.status_code == 200
    assert names(response) == ["Appui Sénégal", "Comité national SN", "Promoteur international"]
    html = response.content.decode()
    assert "Focal point (Senegal)" in html and "National committee (Senegal)" in html and "Promoter" in html
    assert 'href="https://example.org/as"' in html
    assert "Supports mutuals in Senegal." in html
    assert "Organisation masquée" not in html
    assert "Union des mutuelles de Thiès" in html  # unions of mutuals are listed too


@pytest.mark.parametrize(("query", "expected"), [
    ({"country": "SN"}, ["Appui Sénégal", "Comité national SN", "Promoteur international"]),
    ({"country": "ml"}, ["Promoteur international"]),
    ({"role": "focal_point"}, ["Appui Sénégal"]),
    ({"role": "promoter", "country": "SN"}, ["Promoteur international"]),
    ({"role": "national_committee", "country": "ML"}, []),
])
def test_directory_filters(client, network, query, expected):
    response = client.get(DIRECTORY, query)
    assert response.status_code == 200
    assert names(response) == expected


def test_unions_follow_the_filters(client, network):
    assert client.get(DIRECTORY, {"role": "promoter"}).context.get("unions") is None
    assert client.get(DIRECTORY, {"role": "union", "country": "SN"}).context["unions"] == [network["union"]]
    assert client.get(DIRECTORY, {"country": "ML"}).context["unions"] == []


@pytest.mark.parametrize("query", [{"country": "ZZ"}, {"role": "boss"}, {"country": "<script>"}])
def test_bad_filter_values_are_a_400_naming_the_filter(client, network, query):
    with translation.override("en"):
        response = client.get(DIRECTORY, query)
    assert response.status_code == 400
    field = next(iter(query))
    assert response.context["form"].errors[field]
    html = response.content.decode()
    assert "Some filters are not valid" in html and "<script>" not in html


def test_organization_page(client, network):
    focal = network["focal"]
    response = client.get(f"{DIRECTORY}{focal.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Appui Sénégal" in html and "contact@as.example.org" in html and "BP 1, Dakar" in html
    assert "1 mutual in the inventory" in html and "Mutuelle de Thiès" in html
    assert '/en/inventory/countries/SN/' in html
    hidden = SupportingOrganization.objects.get(name="Organisation masquée")
    assert client.get(f"{DIRECTORY}{hidden.pk}/").status_code == 404
    assert client.get(f"{DIRECTORY}999999/").status_code == 404


def test_no_personal_data_on_the_directory_or_the_country_page(client, network):
    pages = [DIRECTORY, f"{DIRECTORY}?country=SN", f"{DIRECTORY}{network['focal'].pk}/",
             "/en/inventory/countries/SN/", "/fr/inventaire/pays/SN/", "/en/inventory/countries/"]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        for secret in ("agent.prive@example.org", "Privée", "Moussa Contact", "moussa.contact@example.org",
                       "77 000 00 00"):
            assert secret not in html, (path, secret)


def test_country_page_shows_focal_point_committee_and_organizations(client, network):
    html = client.get("/en/inventory/countries/SN/").content.decode()
    section = html.split('id="section-organizations"', 1)[1].split("</section>", 1)[0]
    focal_part, rest = section.split("National committee", 1)
    assert "Appui Sénégal" in focal_part and "contact@as.example.org" in focal_part
    committee_part, others = rest.split("Organizations active in the country", 1)
    assert "Comité national SN" in committee_part and "comite@example.org" in committee_part
    assert "Promoteur international" in others
    assert "Union des mutuelles de Thiès" in others
    assert f'href="/en/directory/{network["focal"].pk}/"' in section
    # Mali has only the promoter: no focal point heading there.
    mali = client.get("/en/inventory/countries/ML/").content.decode()
    assert "Focal point</h3>" not in mali and "Promoteur international" in mali


def test_a_country_without_organizations_has_no_organizations_section(client):
    CountryFactory(code="QZ")
    SupportingOrganization.objects.filter(countries="QZ").delete()
    html = client.get("/en/inventory/countries/QZ/").content.decode()
    assert 'id="section-organizations"' not in html


@pytest.fixture
def test_section():
    def context(country, request):
        return {"word": f"Hello {country.code}"} if country.code == "SN" else None

    country_sections.register("test-section", order=99, title="A test section",
                              template="directory/_test_section.html", context=context)
    yield
    country_sections.unregister("test-section")


def test_a_registered_section_shows_only_when_it_has_something(client, test_section, settings, tmp_path):
    (tmp_path / "directory").mkdir()
    (tmp_path / "directory" / "_test_section.html").write_text("<p>{{ word }} from {{ country.name }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    senegal = client.get("/en/inventory/countries/SN/").content.decode()
    assert '<h2 id="section-test-section-title">A test section</h2>' in senegal
    assert "<p>Hello SN from Senegal</p>" in senegal
    assert 'href="#section-test-section"' in senegal  # in the page's contents
    mali = client.get("/en/inventory/countries/ML/").content.decode()
    assert "A test section" not in mali


def test_a_failing_section_is_left_out_and_the_page_still_works(client, caplog):
    def broken(country, request):
        raise RuntimeError("boom")

    country_sections.register("broken", order=1, title="Broken", template="nothing.html", context=broken)
    try:
        response = client.get("/en/inventory/countries/SN/")
    finally:
        country_sections.unregister("broken")
    assert response.status_code == 200
    assert "Broken" not in response.content.decode()
    assert "boom" in caplog.text


def document(ref, title, countries, year):
    import datetime

    return SearchDocument(ref=ref, title=title, summary="", authors="", body="", resource_type="guide",
                          themes=(), countries=tuple(countries), language="fr", year=year,
                          url=f"/fr/bibliotheque/{ref}/", date=datetime.date(year, 1, 1))


def test_the_country_page_lists_the_librarys_recent_resources(client):
    docs = [document(f"ml-{n}", f"Guide malien {n}", ["ML"], 2000 + n) for n in range(7)]
    docs.append(document("sn-1", "Guide sénégalais", ["SN"], 2020))
    with override_settings(ELASTICSEARCH_URL=""):
        EmbeddedEngine().rebuild(docs)
        html = client.get("/fr/inventaire/pays/ML/").content.decode()
        section = html.split('id="section-resources"', 1)[1].split("</section>", 1)[0]
        # The five newest, newest first, and a link to the library filtered on the country.
        shown = [f"Guide malien {n}" in section for n in range(7)]
        assert shown == [False, False, True, True, True, True, True]
        assert section.index("Guide malien 6") < section.index("Guide malien 2")
        assert "Guide sénégalais" not in section
        assert "?country=ML" in section
        EmbeddedEngine().rebuild([docs[-1]])
        html = client.get("/fr/inventaire/pays/ML/").content.decode()
        assert 'id="section-resources"' not in html


def test_the_countries_index_links_every_country_page(client, network):
    response = client.get("/en/inventory/countries/")
    assert response.status_code == 200
    html = response.content.decode()
    for country in Country.objects.in_network():
        assert f'href="/en/inventory/countries/{country.code}/"' in html
    assert "Appui Sénégal (AS)" in html  # Senegal's focal point, from the roles
    assert 'href="/en/inventory/countries/"' in client.get(DIRECTORY).content.decode()


def options(html, name):
    """(value, label, selected) of each option of the select `name`."""
    select = html.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
    found = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select)
    return [(value, label, bool(selected)) for value, selected, label in found]


def test_the_filters_show_what_was_chosen_and_say_what_is_wrong(client, network):
    """`ml` is read as Mali and shown chosen; the countries are named in the reader's language, in
    that language's order; a code naming no country is refused with a message naming it."""
    with translation.override("en"):
        html = client.get(DIRECTORY, {"country": "ml", "role": "promoter"}).content.decode()
        refused = client.get(DIRECTORY, {"country": "zz"}).content.decode()
    countries = options(html, "country")
    assert countries[0] == ("", "All countries", False)
    assert ("ML", "Mali", True) in countries and ("SN", "Senegal", False) in countries
    labels = [label for _value, label, _selected in countries[1:]]
    assert labels == sorted(labels)
    assert options(html, "role")[0] == ("", "All roles", False)
    assert ("promoter", "Promoter", True) in options(html, "role")
    assert "Select a valid choice. ZZ is not one of the available choices." in refused
    french = options(client.get("/fr/annuaire/").content.decode(), "country")
    assert ("SN", "Sénégal", False) in french


def test_the_directory_filter_is_a_filterset_on_the_portals_base(network):
    from portal.api.query import QueryFilterSet
    from portal.directory.filters import DirectoryFilter

    assert issubclass(DirectoryFilter, QueryFilterSet)
    filterset = DirectoryFilter({"country": " sn ", "role": "focal_point"})
    assert filterset.form.is_valid()
    assert filterset.form.cleaned_data["country"].code == "SN"
