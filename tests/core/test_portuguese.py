"""Portuguese (issue 18): the site's third language, with French as the default and the fallback.
Names, dates, numbers, typography and the codebook's titles follow the reader's language; e-mails go
out in Portuguese to those who read it. (The pages of the demo in Portuguese: tests/demo/test_portuguese.py;
the catalogue's completeness: tests/test_i18n.py.)"""

import datetime

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format, number_format

from inventory.contract import schema
from portal import i18n
from portal.mail import user_language
from portal.reference.models import Country, Theme
from portal.reference.themes import PORTUGUESE_NAMES, THEMES
from tests.factories import UserFactory


def test_portuguese_is_a_language_of_the_site_and_french_stays_the_default():
    assert dict(settings.LANGUAGES)["pt"] == "Português"
    assert settings.LANGUAGE_CODE == "fr"
    assert "pt" in dict(settings.WAGTAIL_CONTENT_LANGUAGES)


def test_dates_and_numbers_are_written_the_portuguese_way():
    with translation.override("pt"):
        # Months with a small letter, as the 1990 spelling agreement writes them (Django's own
        # Portuguese catalogue gives "Dezembro").
        assert date_format(datetime.date(2026, 12, 7)) == "7 de dezembro de 2026"
        assert date_format(datetime.date(2026, 3, 1)) == "1 de março de 2026"
        assert number_format(1234567.5, decimal_pos=1, use_l10n=True, force_grouping=True) == "1.234.567,5"
    with translation.override("fr"):  # the French months are untouched
        assert date_format(datetime.date(2026, 12, 7)) == "7 décembre 2026"


def test_country_and_theme_names_in_portuguese_with_french_as_the_fallback():
    guinea_bissau = Country(code="GW", name_fr="Guinée-Bissau", name_en="Guinea-Bissau")
    ivory_coast = Country(code="CI", name_fr="Côte d'Ivoire", name_en="Côte d'Ivoire")
    unknown = Country(code="XZ", name_fr="Pays inconnu", name_en="Unknown country")
    new_theme = Theme(slug="mutual-insurance", name_fr="Assurance mutuelle", name_en="Mutual insurance")
    with translation.override("pt"):
        assert guinea_bissau.name == "Guiné-Bissau"
        assert ivory_coast.name == "Costa do Marfim"
        assert Country(code="CV", name_fr="Cap-Vert", name_en="Cabo Verde").name == "Cabo Verde"
        assert unknown.name == "Pays inconnu"
        assert Theme(slug="uhc", name_fr="Couverture sanitaire universelle",
                     name_en="Universal health coverage").name == "Cobertura universal de saúde"
        assert new_theme.name == "Assurance mutuelle"
    with translation.override("en"):
        assert guinea_bissau.name == "Guinea-Bissau"
    with translation.override("fr"):
        assert guinea_bissau.name == "Guinée-Bissau"
    # Every theme the network seeds has its Portuguese name.
    assert sorted(PORTUGUESE_NAMES) == sorted(slug for slug, _fr, _en in THEMES)


def test_typography_follows_the_language():
    with translation.override("pt"):
        assert i18n.french_colon() == ":"
        assert i18n.elide("a declaração de Aar Sa Jaboot") == "a declaração de Aar Sa Jaboot"
        assert i18n.ordinal(4, feminine=True) == ("4.", "ª")
        assert i18n.ordinal(1) == ("1.", "º")
    with translation.override("fr"):
        assert i18n.french_colon() == "\u00a0:"
        assert i18n.elide("la déclaration de Aar Sa Jaboot") == "la déclaration d’Aar Sa Jaboot"
        assert i18n.ordinal(1, feminine=True) == ("1", "re")


@pytest.mark.parametrize("table", ["returns", "synthesis"])
def test_every_published_column_has_a_portuguese_title(table):
    """The codebook page and the forms name each column in the reader's language; the contract gives
    French and English, the portal gives Portuguese (inventory/contract/portuguese.py)."""
    from inventory.contract.portuguese import portuguese_title

    missing = [f["name"] for f in schema.published_fields(table) if not portuguese_title(f["name"], table)]
    assert missing == []
    with translation.override("pt"):
        assert schema.title("members") == "Aderentes (pagantes)"
    with translation.override("fr"):
        assert schema.title("members") == schema.field("members")["title_fr"]


@pytest.mark.django_db
def test_e_mails_go_out_in_portuguese_to_portuguese_readers():
    """The person's first language when the portal writes in it (the campaign's e-mails in Portuguese:
    tests/inventory/test_campaign_emails.py)."""
    assert user_language(UserFactory(languages=["pt", "fr"])) == "pt"
    assert user_language(UserFactory(languages=["es", "pt"])) == "fr"  # a language the portal does not write


@pytest.mark.django_db
def test_a_portuguese_browser_is_sent_to_the_portuguese_site_and_others_to_french(client):
    for accept, home in [("pt-PT,pt;q=0.9", "/pt/"), ("pt-BR", "/pt/"), ("es-ES,es", "/fr/"), ("", "/fr/")]:
        response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
        assert response.status_code == 302 and response["Location"] == home, (accept, response["Location"])


def test_event_dates_in_portuguese():
    from django.template.defaultfilters import date

    from portal.events.templatetags.events_tags import _format, zone_city

    with translation.override("pt"):
        assert date(datetime.date(2026, 12, 27), _format("day")) == "domingo, 27 de dezembro de 2026"
        assert date(datetime.date(2026, 12, 27), _format("month")) == "dezembro de 2026"
        assert zone_city("Atlantic/Cape_Verde") == "Cabo Verde"
    with translation.override("fr"):
        assert date(datetime.date(2026, 12, 27), _format("day")) == "dimanche 27 décembre 2026"


@pytest.mark.django_db
def test_the_site_search_finds_a_country_by_its_portuguese_name(client):
    from tests.factories import MutualFactory

    MutualFactory(country=Country.objects.get(code="CI"), name="Mutuelle de Bouaké")
    html = client.get("/pt/pesquisa/", {"q": "Costa do Marfim"}).content.decode()
    assert "Costa do Marfim" in html
    html = client.get("/pt/pesquisa/", {"q": "Bouaké"}).content.decode()
    assert "Mutuelle de Bouaké" in html and "Costa do Marfim" in html


@pytest.mark.django_db
def test_how_to_cite_the_data_in_portuguese():
    from inventory.opendata.releases import live_citation

    citation = live_citation("pt", datetime.date(2026, 12, 7))
    assert "Inventário das mútuas de saúde, dados atuais [conjunto de dados], consultado em " \
           "7 de dezembro de 2026. Licença CC BY 4.0." in citation
    assert "/pt/inventario/dados/" in citation
    assert "7 décembre 2026" in live_citation("fr", datetime.date(2026, 12, 7))
