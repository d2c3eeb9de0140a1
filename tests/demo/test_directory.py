"""The directory's demo: the promoters of the seeds and the demo countries' focal points with their
roles, loaded by `load_demo` (`demo_site`), and a second load changes nothing."""

import pytest

from inventory.models import OrganizationRole, OrganizationRoleKind, SupportingOrganization
from portal.demo import directory as demo
from portal.demo.loader import Report
from portal.reference.models import Country

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_site")]


def snapshot():
    return (
        sorted(SupportingOrganization.objects.values_list("name", "acronym", "website", "email")),
        sorted(OrganizationRole.objects.values_list("organization__name", "role", "country_id")),
        sorted(Country.objects.values_list("code", "focal_point")),
    )


def test_the_demo_has_the_promoters_and_focal_points_and_loads_once():
    promoters = set(SupportingOrganization.objects.with_role(OrganizationRoleKind.PROMOTER)
                    .values_list("acronym", flat=True))
    assert {"UNMS", "AIM", "BIT/STEP", "GTZ", "MGEN", "WSM"} <= promoters
    mali = Country.objects.get(code="ML")
    assert mali.focal_point == "Union technique de la mutualité malienne (UTM)"
    assert SupportingOrganization.objects.with_role(OrganizationRoleKind.NATIONAL_COMMITTEE, mali).exists()
    # No person: organizations' generic addresses only, on example.org for invented ones.
    for email in SupportingOrganization.objects.exclude(email="").values_list("email", flat=True):
        assert email.endswith("@example.org")
    before = snapshot()
    report = Report()
    demo.load(report)
    assert snapshot() == before
    assert report.lines == [f"Directory: 0 organizations created, {len(before[0])} in all."]


def test_the_demo_completes_an_organization_an_editor_created_without_overwriting_it():
    utm = SupportingOrganization.objects.get(acronym="UTM")
    utm.description_fr = "Texte de l'éditeur"
    utm.website = ""
    utm.save()
    utm.roles.filter(role=OrganizationRoleKind.UNION).delete()
    demo.load(Report())
    utm.refresh_from_db()
    assert utm.description_fr == "Texte de l'éditeur"
    assert utm.roles.filter(role=OrganizationRoleKind.UNION, country="ML").exists()
