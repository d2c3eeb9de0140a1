"""The directory's records (`inventory.SupportingOrganization` with its roles): the focal point text
of a country follows the organizations holding the role, the old texts were turned into
organizations by the migration, and the admin keeps an organization's countries in step."""

import importlib

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from inventory.models import OrganizationRole, OrganizationRoleKind, SupportingOrganization
from inventory.registry.organizations import find_organization, organization_sync, split_focal_point_text
from portal.accounts.roles import Role
from portal.reference.models import Country
from tests.factories import CountryFactory, UserFactory

pytestmark = pytest.mark.django_db

FP = OrganizationRoleKind.FOCAL_POINT
NC = OrganizationRoleKind.NATIONAL_COMMITTEE
PROMOTER = OrganizationRoleKind.PROMOTER


def test_focal_point_text_follows_the_roles():
    country = CountryFactory(code="QA", focal_point="")
    ngo = SupportingOrganization.objects.create(name="Aide aux mutuelles", acronym="AAM")
    role = OrganizationRole.objects.create(organization=ngo, role=FP, country=country)
    country.refresh_from_db()
    assert country.focal_point == "Aide aux mutuelles (AAM)"
    other = SupportingOrganization.objects.create(name="Bureau d'appui")
    OrganizationRole.objects.create(organization=other, role=FP, country=country)
    country.refresh_from_db()
    assert country.focal_point == "Aide aux mutuelles (AAM) / Bureau d'appui"
    ngo.name = "Appui aux mutuelles"
    ngo.save()
    role.delete()
    country.refresh_from_db()
    assert country.focal_point == "Bureau d'appui"
    # Another role does not make a focal point.
    OrganizationRole.objects.create(organization=ngo, role=NC, country=country)
    country.refresh_from_db()
    assert country.focal_point == "Bureau d'appui"


def test_a_focal_point_or_a_committee_needs_a_country():
    ngo = SupportingOrganization.objects.create(name="Comité")
    with pytest.raises(ValidationError) as error:
        OrganizationRole(organization=ngo, role=NC).full_clean()
    assert "country" in error.value.message_dict
    OrganizationRole(organization=ngo, role=PROMOTER).full_clean()  # network-wide: fine


def test_sync_adds_the_countries_of_the_roles():
    mali = CountryFactory(code="ML")
    ngo = SupportingOrganization.objects.create(name="Union technique")
    OrganizationRole.objects.create(organization=ngo, role=FP, country=mali)
    organization_sync(organization=ngo)
    assert list(ngo.countries.all()) == [mali]


def test_split_and_find_organizations_named_in_a_text():
    assert split_focal_point_text("CIDR / GTZ / Mutuelle de Nylon") == [
        ("CIDR", ""), ("GTZ", ""), ("Mutuelle de Nylon", "")]
    assert split_focal_point_text("Union technique de la mutualité malienne (UTM)") == [
        ("Union technique de la mutualité malienne", "UTM")]
    assert split_focal_point_text("BIT/STEP en RDC") == [("BIT/STEP en RDC", "")]
    gtz = SupportingOrganization.objects.create(name="Coopération technique allemande", acronym="XYZ")
    assert find_organization("xyz") == gtz
    assert find_organization("Coopération Technique allemande", "") == gtz
    assert find_organization("Autre nom", "XYZ") == gtz
    assert find_organization("Personne") is None


def historical_apps(app_label: str, migration_name: str):
    """The models as they were right after `migration_name` of `app_label` (what its RunPython gets):
    Country was then inventory's, on the same table as portal.reference's Country now."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    return MigrationLoader(connection).project_state((app_label, migration_name)).apps


def test_migration_turns_focal_point_texts_into_organizations():
    name = "0008_organizations_directory"
    migration = importlib.import_module(f"inventory.migrations.{name}")
    at_that_time = historical_apps("inventory", name)
    Country.objects.update(focal_point="")  # other countries' texts: not this test's
    existing = SupportingOrganization.objects.create(name="Appui technique régional", acronym="ATR")
    one = CountryFactory(code="QB", focal_point="ATR / Comité des mutuelles / Mutuelle du port (MDP)")
    two = CountryFactory(code="QC", focal_point="Appui technique régional (ATR)")
    CountryFactory(code="QD", focal_point="")
    before = SupportingOrganization.objects.count()

    migration.focal_points_to_organizations(at_that_time, None)
    migration.focal_points_to_organizations(at_that_time, None)  # running it twice changes nothing more

    assert SupportingOrganization.objects.count() == before + 2
    port = SupportingOrganization.objects.get(acronym="MDP")
    assert port.name == "Mutuelle du port"
    holders = {code: set(OrganizationRole.objects.filter(role=FP, country_id=code)
                         .values_list("organization__name", flat=True)) for code in ("QB", "QC", "QD")}
    assert holders == {
        "QB": {"Appui technique régional", "Comité des mutuelles", "Mutuelle du port"},
        "QC": {"Appui technique régional"},
        "QD": set(),
    }
    assert set(existing.countries.values_list("code", flat=True)) == {"QB", "QC"}
    # The texts now say what the roles say, each organization named in full.
    one.refresh_from_db()
    two.refresh_from_db()
    assert one.focal_point == "Appui technique régional (ATR) / Comité des mutuelles / Mutuelle du port (MDP)"
    assert two.focal_point == "Appui technique régional (ATR)"


def test_staff_semantics_are_unchanged():
    user = UserFactory(roles=[Role.SUPPORTING_ORGANIZATION])
    ngo = SupportingOrganization.objects.create(name="ONG")
    ngo.staff.add(user)
    assert list(user.supporting_organizations.all()) == [ngo]
    with translation.override("en"):
        assert str(SupportingOrganization._meta.verbose_name) == "organization"


def test_the_admin_saves_roles_and_keeps_countries_and_focal_point_text_in_step(client):
    admin = UserFactory(roles=[Role.SECRETARIAT])
    client.force_login(admin)
    country = CountryFactory(code="QE", focal_point="")
    other = CountryFactory(code="QF")
    data = {
        "name": "Réseau d'appui", "acronym": "RA", "description_fr": "", "description_en": "",
        "countries": [other.code], "in_directory": "on", "website": "https://example.org/ra",
        "address": "", "email": "contact@example.org", "phone": "", "staff": [],
        "roles-TOTAL_FORMS": "2", "roles-INITIAL_FORMS": "0", "roles-MIN_NUM_FORMS": "0",
        "roles-MAX_NUM_FORMS": "1000",
        "roles-0-role": FP, "roles-0-country": country.code, "roles-0-id": "", "roles-0-DELETE": "",
        "roles-1-role": PROMOTER, "roles-1-country": "", "roles-1-id": "", "roles-1-DELETE": "",
    }
    response = client.post("/admin/snippets/inventory/supportingorganization/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    ngo = SupportingOrganization.objects.get(name="Réseau d'appui")
    assert set(ngo.roles.values_list("role", "country_id")) == {(FP, "QE"), (PROMOTER, None)}
    assert set(ngo.countries.values_list("code", flat=True)) == {"QE", "QF"}
    assert Country.objects.get(code="QE").focal_point == "Réseau d'appui (RA)"
    # A committee without a country is refused, naming the field; nothing is saved.
    data.update({"name": "Sans pays", "roles-0-role": NC, "roles-0-country": "", "roles-TOTAL_FORMS": "1"})
    response = client.post("/admin/snippets/inventory/supportingorganization/add/", data)
    assert response.status_code == 200
    assert "choisissez le pays" in response.content.decode()
    assert not SupportingOrganization.objects.filter(name="Sans pays").exists()
