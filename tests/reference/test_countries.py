"""The reference data a freshly migrated database holds: every ISO 3166-1 country, with its names in
French and English and its currency; the network's countries flagged, the others not."""

import pycountry
import pytest
from django.core.exceptions import ValidationError

from portal.reference.countries import NETWORK, seed_countries
from portal.reference.currencies import country_currencies, validate_currency
from portal.reference.models import Country

pytestmark = pytest.mark.django_db


def test_the_migrations_alone_seed_every_iso_country():
    assert set(Country.objects.values_list("code", flat=True)) >= {c.alpha_2 for c in pycountry.countries}
    cape_verde = Country.objects.get(code="CV")
    assert (cape_verde.name_fr, cape_verde.name_en, cape_verde.currency) == ("Cap-Vert", "Cabo Verde", "CVE")
    assert Country.objects.get(code="GW").name_fr == "Guinée-Bissau"
    assert Country.objects.get(code="BR").name_fr == "Brésil"
    assert Country.objects.get(code="DE").name_fr == "Allemagne"


def test_only_the_networks_countries_are_in_the_network():
    assert set(Country.objects.in_network().values_list("code", flat=True)) == NETWORK
    assert not Country.objects.get(code="CV").in_network


def test_names_read_in_the_order_a_reader_says_them():
    assert Country.objects.get(code="RU").name_fr == "Russie"
    assert Country.objects.get(code="CD").name_en == "Democratic Republic of the Congo"


def test_seeding_again_adds_the_missing_countries_and_never_rewrites_one():
    senegal = Country.objects.get(code="SN")
    senegal.name_fr, senegal.currency, senegal.in_network = "Sénégal (édité)", "EUR", False
    senegal.save()
    Country.objects.filter(code="CV").delete()

    assert seed_countries(Country) == 1

    senegal.refresh_from_db()
    assert (senegal.name_fr, senegal.currency, senegal.in_network) == ("Sénégal (édité)", "EUR", False)
    assert Country.objects.get(code="CV").name_fr == "Cap-Vert"
    assert seed_countries(Country) == 0


def _as_an_old_import_left_it(code, currency):
    """A country as `import_inventory` created it before the seeding (commit f3f5bdf): its code for
    both names, the file's currency or "XXX", outside the network."""
    Country.objects.filter(code=code).update(name_fr=code, name_en=code, currency=currency, in_network=False)


def seen(code):
    country = Country.objects.get(code=code)
    return (country.name_fr, country.name_en, country.currency, country.in_network)


def test_seeding_completes_a_country_an_old_import_left_with_its_code_for_a_name():
    _as_an_old_import_left_it("TG", "XXX")  # a network country
    _as_an_old_import_left_it("GH", "GHS")  # outside the network, with the file's currency
    _as_an_old_import_left_it("NE", "")

    assert seed_countries(Country) == 3

    assert seen("TG") == ("Togo", "Togo", "XOF", True)
    assert seen("GH") == ("Ghana", "Ghana", "GHS", False)
    assert seen("NE") == ("Niger", "Niger", "XOF", True)
    assert "TG" in Country.objects.in_network().values_list("code", flat=True)
    assert seed_countries(Country) == 0


def test_seeding_leaves_a_country_the_secretariat_named_as_it_is():
    Country.objects.filter(code="ML").update(name_fr="Mali (édité)", name_en="ML", currency="XXX",
                                             in_network=False)

    assert seed_countries(Country) == 0

    assert seen("ML") == ("Mali (édité)", "ML", "XXX", False)


def test_every_country_has_an_iso_4217_currency_except_antarctica():
    currencies = country_currencies()
    assert set(currencies) == {c.alpha_2 for c in pycountry.countries}
    assert [code for code, currency in currencies.items() if not currency] == ["AQ"]
    for currency in currencies.values():
        validate_currency(currency)
    assert [currencies[code] for code in ("SN", "CM", "FR", "EC")] == ["XOF", "XAF", "EUR", "USD"]


def test_a_currency_outside_iso_4217_is_refused():
    with pytest.raises(ValidationError):
        validate_currency("ABC")
    country = Country.objects.get(code="CV")
    country.currency = "abc"
    with pytest.raises(ValidationError):
        country.full_clean()


def test_the_currency_is_chosen_from_iso_4217_named_in_the_readers_language():
    from django.utils import translation

    field = Country._meta.get_field("currency")
    with translation.override("fr"):
        assert ("XOF", "XOF — Franc CFA (BCEAO)") in list(field.formfield().choices)
    with translation.override("en"):
        assert ("XOF", "XOF — CFA Franc BCEAO") in list(field.formfield().choices)
