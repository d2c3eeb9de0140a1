"""Every public page answers in both languages, in the right language, with working links."""

import re

import pytest
from django.core import mail
from wagtail.models import Page

from .conftest import HOME_TITLES
from .site_pages import CONTACT, HISTORY, LEGAL, NETWORK, PRIVACY

pytestmark = pytest.mark.django_db


def live_pages(language):
    return Page.objects.live().filter(locale__language_code=language, depth__gt=1).specific()


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.usefixtures("network_pages", "contact_page")
def test_every_page_answers_in_its_language(client, language):
    pages = list(live_pages(language))
    assert len(pages) >= 10  # home, 4 sections, network (+ history), legal, privacy, contact
    for page in pages:
        url = page.get_url()
        assert url.startswith(f"/{language}/"), url
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert f'<html lang="{language}">' in html
        assert f"<h1>{page.title}</h1>" in html.replace("&#x27;", "'").replace("&amp;", "&")


def test_root_redirects_to_french_by_default(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/fr/"


def test_root_follows_an_english_browser(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response["Location"] == "/en/"


@pytest.mark.usefixtures("home_titles")
def test_home_page_in_french_and_english(client):
    fr = client.get("/fr/").content.decode()
    en = client.get("/en/").content.decode()
    assert HOME_TITLES["fr"] in fr
    assert "Aller au contenu" in fr and "Rechercher" in fr
    assert HOME_TITLES["en"] in en
    assert "Skip to content" in en and "Search" in en


def test_language_switcher_links_to_the_same_page_in_the_other_language(client, network_pages):
    history_fr = network_pages["history"]
    history_en = history_fr.get_translations().get()
    html = client.get(history_fr.url).content.decode()
    assert f'href="{history_en.url}" hreflang="en"' in html
    html = client.get(history_en.url).content.decode()
    assert f'href="{history_fr.url}" hreflang="fr"' in html


def test_language_switcher_keeps_the_query_of_a_page(client, network_pages):
    """Issue 15: a page's filters, search words or page number were lost in the other language."""
    history_fr = network_pages["history"]
    history_en = history_fr.get_translations().get()
    html = client.get(history_fr.url, {"country": "SN", "page": "2"}).content.decode()
    assert f'href="{history_en.url}?country=SN&amp;page=2" hreflang="en"' in html


def test_language_switcher_on_a_django_view_keeps_the_view(client):
    html = client.get("/fr/recherche/?q=mutuelle").content.decode()
    assert 'href="/en/search/?q=mutuelle" hreflang="en"' in html


@pytest.mark.usefixtures("network_pages")
def test_main_menu_lists_the_network_pages_in_the_reader_language(client):
    html = client.get("/en/").content.decode()
    menu = re.search(r'<nav class="main-nav".*?</nav>', html, re.S).group(0)
    assert NETWORK["en"]["title"] in menu
    assert NETWORK["fr"]["title"] not in menu


@pytest.mark.usefixtures("network_pages", "contact_page")
def test_footer_links_to_legal_privacy_and_contact_in_the_reader_language(client):
    html = client.get("/en/").content.decode()
    footer = re.search(r"<footer.*?</footer>", html, re.S).group(0)
    for entry in (LEGAL, PRIVACY):
        assert f'/en/{entry["en"]["slug"]}/' in footer
        assert f'/fr/{entry["fr"]["slug"]}/' not in footer
    assert f'/en/{CONTACT["en"]["slug"]}/' in footer


def test_footer_links_to_the_countries_the_directory_and_the_newsletter_in_french(client):
    html = client.get("/fr/").content.decode()
    footer = re.search(r"<footer.*?</footer>", html, re.S).group(0)
    assert '<a href="/fr/inventaire/pays/">Pays</a>' in footer
    assert '<a href="/fr/annuaire/">Annuaire</a>' in footer
    assert '<a href="/fr/lettre-d-information/abonnement/">' in footer
    assert client.get("/fr/annuaire/").status_code == 200
    assert client.get("/fr/lettre-d-information/abonnement/").status_code == 200


@pytest.mark.parametrize("language,text", [("fr", "Page introuvable"), ("en", "Page not found")])
def test_unknown_page_is_a_translated_404(client, language, text):
    response = client.get(f"/{language}/no-such-page/")
    assert response.status_code == 404
    assert text in response.content.decode()


def test_server_error_page_renders_without_the_database(rf):
    from portal.core.views import server_error

    response = server_error(rf.get("/fr/"))
    assert response.status_code == 500
    assert "Une erreur est survenue" in response.content.decode()


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.usefixtures("network_pages")
def test_search_finds_pages_of_the_reader_language(client, language):
    history = HISTORY[language]
    word = "Abidjan"
    response = client.get(f"/{language}/{'recherche' if language == 'fr' else 'search'}/", {"q": word})
    assert response.status_code == 200
    html = response.content.decode()
    assert history["title"] in html
    other = "en" if language == "fr" else "fr"
    assert f'href="/{other}/' not in re.search(r'<ol class="results".*?</ol>', html, re.S).group(0)


def test_search_with_no_match_says_so(client):
    html = client.get("/fr/recherche/", {"q": "zzzyxwq"}).content.decode()
    assert "0 résultat" in html


@pytest.mark.parametrize("query", ['"Abidjan', 'Abidjan"', "Abidjan AND OR NOT", "-Abidjan", "Abidjan*",
                                   "(Abidjan)", "Abidjan " * 25])
@pytest.mark.usefixtures("network_pages")
def test_search_reads_quotes_and_operators_as_words(client, query):
    history = HISTORY["fr"]
    response = client.get("/fr/recherche/", {"q": query})
    assert response.status_code == 200
    assert history["title"] in response.content.decode()


@pytest.mark.parametrize("query", ['"', "*", "-", ":", "AND", '" OR "', "titre:Abidjan"])
def test_search_for_signs_and_field_syntax_answers_without_an_error(client, query):
    response = client.get("/fr/recherche/", {"q": query, "page": "99999999999999999999"})
    assert response.status_code == 200


def test_search_rejects_an_overlong_query_with_a_400(client):
    response = client.get("/fr/recherche/", {"q": "x" * 500})
    assert response.status_code == 400
    assert "au plus 200 caractères" in response.content.decode()  # the error says the limit


def contact_url(language):
    return f"/{language}/{CONTACT[language]['slug']}/"


@pytest.mark.usefixtures("contact_page")
def test_contact_form_keeps_what_was_typed_when_invalid(client):
    response = client.post(contact_url("fr"), {
        "votre_nom": "Awa Diop", "votre_adresse_e_mail": "not-an-address",
        "objet": "", "votre_message": "Bonjour, je voudrais adhérer.",
    })
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bonjour, je voudrais adhérer." in html
    assert 'value="Awa Diop"' in html
    assert "Saisissez une adresse de courriel valide" in html
    assert not mail.outbox


@pytest.mark.usefixtures("contact_page")
def test_contact_form_stores_and_emails_the_message(client):
    from wagtail.contrib.forms.models import FormSubmission

    response = client.post(contact_url("en"), {
        "your_name": "John Mensah", "your_e_mail_address": "john@example.org",
        "subject": "Inventory", "your_message": "How do we register our mutual?",
    })
    assert response.status_code == 200
    assert "How do we register our mutual?" in FormSubmission.objects.latest("id").form_data[
        "your_message"
    ]
    assert len(mail.outbox) == 1
    assert "How do we register our mutual?" in mail.outbox[0].body


def contact_message(number, email="john@example.org"):
    return {"your_name": "John Mensah", "your_e_mail_address": email,
            "subject": f"Question {number}", "your_message": f"Message number {number}."}


@pytest.mark.usefixtures("contact_page")
def test_the_sixth_contact_message_in_an_hour_is_refused_and_not_sent(client):
    from wagtail.contrib.forms.models import FormSubmission

    from portal.core.models import CONTACT_PER_PERSON

    limit = CONTACT_PER_PERSON[0]
    for number in range(limit):
        assert client.post(contact_url("en"), contact_message(number)).status_code == 200
    stored = FormSubmission.objects.count()
    response = client.post(contact_url("en"), contact_message(limit))
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many messages were sent in the last hour" in html
    assert "Message number 5." in html and 'value="john@example.org"' in html  # what was typed is kept
    assert FormSubmission.objects.count() == stored
    assert len(mail.outbox) == limit
    # Someone else writing from another connection is not held back.
    other = client.post(contact_url("en"), contact_message(9, "ama@example.org"), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200 and len(mail.outbox) == limit + 1


@pytest.mark.usefixtures("contact_page")
def test_contact_messages_are_limited_per_account_whatever_address_is_typed(client):
    from portal.core.models import CONTACT_PER_PERSON
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    for number in range(CONTACT_PER_PERSON[0]):
        client.post(contact_url("en"), contact_message(number, f"someone{number}@example.org"),
                    REMOTE_ADDR=f"10.0.1.{number}")
    response = client.post(contact_url("en"), contact_message(7, "new@example.org"), REMOTE_ADDR="10.0.1.99")
    assert response.status_code == 429
    assert len(mail.outbox) == CONTACT_PER_PERSON[0]


@pytest.mark.usefixtures("contact_page")
def test_contact_messages_are_limited_per_connection_whatever_address_is_typed(client):
    from portal.core.models import CONTACT_PER_ADDRESS

    for number in range(CONTACT_PER_ADDRESS[0]):
        response = client.post(contact_url("en"), contact_message(number, f"p{number}@example.org"))
        assert response.status_code == 200
    response = client.post(contact_url("en"), contact_message(99, "another@example.org"))
    assert response.status_code == 429
    assert len(mail.outbox) == CONTACT_PER_ADDRESS[0]


def test_numbers_and_dates_follow_the_language():
    import datetime

    from django.utils import formats, translation

    with translation.override("fr"):
        assert formats.number_format(1234.5, use_l10n=True, force_grouping=True) == "1\u00a0234,5"
        assert formats.date_format(datetime.date(2026, 11, 22)) == "22 novembre 2026"
    with translation.override("en"):
        assert formats.number_format(1234.5, use_l10n=True, force_grouping=True) == "1,234.5"
        assert formats.date_format(datetime.date(2026, 11, 22)) == "Nov. 22, 2026"


def test_content_pages_show_their_date_in_the_reader_language(client, network_pages):
    import datetime

    from django.utils import timezone

    page = network_pages["network"]
    published = timezone.make_aware(datetime.datetime(2026, 3, 1, 12, 0))
    Page.objects.filter(pk=page.pk).update(last_published_at=published)
    english = page.get_translations().get()
    Page.objects.filter(pk=english.pk).update(last_published_at=published)
    assert "Mis à jour le 1 mars 2026" in client.get(page.url).content.decode()
    assert "Last updated on March 1, 2026" in client.get(english.url).content.decode()


@pytest.mark.usefixtures("network_pages", "contact_page")
def test_public_pages_carry_no_personal_contact_data(client):
    phone = re.compile(r"\+\d{3}[\s\d]{6,}")
    email = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
    for language in ("fr", "en"):
        for page in live_pages(language):
            html = client.get(page.get_url()).content.decode()
            assert not phone.search(html), page.url
            assert not email.search(html), page.url


def test_pages_travel_compressed_to_browsers_that_accept_it(client):
    response = client.get("/fr/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response["Content-Encoding"] == "gzip"
    assert len(response.content) < len(client.get("/fr/").content) / 2
