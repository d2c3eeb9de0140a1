"""On a freshly migrated database (no demo, no earlier import), both imports take any ISO 3166-1
country: the countries come from the migrations, not from the demo or an inventory import."""

import csv

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from inventory.contract import schema
from inventory.models import Mutual
from library.models import ResourcePage
from portal.reference.models import Country

pytestmark = pytest.mark.django_db

NOT_IN_THE_DEMO = ["CV", "GW", "BR"]


def test_the_demo_is_not_what_holds_these_countries():
    assert not Mutual.objects.exists() and not ResourcePage.objects.exists()
    assert not Country.objects.filter(code__in=NOT_IN_THE_DEMO, in_network=True).exists()


def test_import_library_takes_any_iso_country(tmp_path, capsys):
    path = tmp_path / "library.csv"
    path.write_text(
        "ref,title,summary,resource_type,themes,countries,language,year,authors,publisher,url,file\n"
        "lusophone-1,Mutuelles lusophones,,case_study,,CV;GW;BR,pt,2019,,,https://example.org/cv,\n",
        encoding="utf-8",
    )
    call_command("import_library", str(path))
    resource = ResourcePage.objects.get(ref="lusophone-1")
    assert resource.country_codes() == ("BR", "CV", "GW")
    assert resource.live


def _returns_file(path, codes):
    columns = schema.column_names()
    rows = [{"mutual_id": f"{code}-0001", "mutual_name": f"Mutuelle de {code}", "country": code,
             "year": "2024", "status": "functional", "members": "120", "validation_status": "validated"}
            for code in codes]
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=[c for c in columns if c in rows[0]])
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_import_inventory_takes_any_iso_country_and_keeps_its_names(tmp_path):
    call_command("import_inventory", str(_returns_file(tmp_path / "returns.csv", NOT_IN_THE_DEMO)))
    assert sorted(Mutual.objects.values_list("country_id", flat=True)) == sorted(NOT_IN_THE_DEMO)
    cape_verde = Country.objects.get(code="CV")
    # The reference names stay: the import no longer makes a country named after its code.
    assert (cape_verde.name_fr, cape_verde.name_en, cape_verde.currency) == ("Cap-Vert", "Cabo Verde", "CVE")
    assert not cape_verde.in_network


def test_a_code_iso_leaves_to_its_users_is_still_imported_as_the_contract_asks(tmp_path):
    call_command("import_inventory", str(_returns_file(tmp_path / "returns.csv", ["XK"])))
    kosovo = Country.objects.get(code="XK")
    assert (kosovo.name_fr, kosovo.currency, kosovo.in_network) == ("XK", "", False)


def _page(client, name, *args):
    with translation.override("fr"):
        return client.get(reverse(f"inventory:{name}", args=args))


def test_a_country_outside_the_network_gets_a_page_once_it_has_a_public_mutual(client, tmp_path):
    assert _page(client, "country", "CV").status_code == 404
    assert _page(client, "country", "SN").status_code == 200
    listed = _page(client, "countries").content.decode()
    assert "Sénégal" in listed and "Cap-Vert" not in listed and "Brésil" not in listed

    call_command("import_inventory", str(_returns_file(tmp_path / "returns.csv", ["CV"])))

    assert _page(client, "country", "CV").status_code == 200
    assert "Cap-Vert" in _page(client, "countries").content.decode()


def test_the_networks_themes_are_offered_from_the_first_migrate(client):
    """No demo: a member proposing a document chooses among the network's themes, in their language."""
    from library.forms import ProposalForm
    from portal.accounts.roles import Role
    from tests.factories import UserFactory

    offered = {theme.slug for theme in ProposalForm().fields["themes"].queryset}
    assert {"financing", "governance", "contracting", "uhc", "monitoring-evaluation"} <= offered
    client.force_login(UserFactory(roles=[Role.MEMBER]))
    with translation.override("fr"):
        html = client.get(reverse("library:propose")).content.decode()
    assert "Contractualisation avec les prestataires" in html and "Suivi et évaluation" in html
