"""The site's own pages, built for the tests of tests/core/ on the skeleton's home pages: content pages
(StandardPage, in French with their English translation), the network's pages of the main menu, the legal
notice and privacy pages, and the contact page with its form, linked from the header and footer through
the site's `SiteLinks`. Built with Wagtail's API, as an editor would in the admin."""

import json

from wagtail.models import Locale, Site

from portal.core.models import ContactFormField, ContactPage, SiteLinks, StandardPage
from portal.home.models import HomePage

# The network's pages: the menu's entry, its history (the search tests look for "Abidjan" in it), and the
# footer's legal notice and privacy pages (not in the menu).
NETWORK = {
    "fr": {"title": "Le réseau", "slug": "le-reseau",
           "intro": "La Concertation réunit depuis 1998 les organisations qui accompagnent les mutuelles."},
    "en": {"title": "The network", "slug": "the-network",
           "intro": "Since 1998, the Concertation has gathered the organizations that support mutuals."},
}
HISTORY = {
    "fr": {"title": "Historique", "slug": "historique",
           "intro": "De l’atelier d’Abidjan en 1998 au dixième anniversaire en 2008.",
           "body": "<p>En juin 1998, les partenaires des mutuelles se retrouvent à Abidjan.</p>"},
    "en": {"title": "History", "slug": "history",
           "intro": "From the Abidjan workshop in 1998 to the tenth anniversary in 2008.",
           "body": "<p>In June 1998, the partners of the mutuals meet in Abidjan.</p>"},
}
LEGAL = {
    "fr": {"title": "Mentions légales", "slug": "mentions-legales",
           "intro": "Qui publie ce portail et comment réutiliser ses contenus."},
    "en": {"title": "Legal notice", "slug": "legal-notice",
           "intro": "Who publishes this portal and how its content may be reused."},
}
PRIVACY = {
    "fr": {"title": "Données personnelles", "slug": "donnees-personnelles",
           "intro": "Quelles données personnelles le portail conserve, et pourquoi."},
    "en": {"title": "Privacy", "slug": "privacy", "intro": "What personal data the portal keeps, and why."},
}
CONTACT = {
    "fr": {"title": "Contact", "slug": "contact",
           "intro": "Une question sur le réseau ? Écrivez au Secrétariat technique.",
           "address": "<p><strong>Secrétariat technique</strong><br/>BP 414<br/>Dakar, Sénégal</p>",
           "thank_you_text": "Merci, votre message a bien été envoyé.",
           "subject": "Message reçu par le site"},
    "en": {"title": "Contact", "slug": "contact",
           "intro": "A question about the network? Write to the Technical Secretariat.",
           "address": "<p><strong>Technical Secretariat</strong><br/>BP 414<br/>Dakar, Senegal</p>",
           "thank_you_text": "Thank you, your message has been sent.",
           "subject": "Message received through the site"},
}
# The contact form's fields: (French label, English label, type, required).
CONTACT_FIELDS = [
    ("Votre nom", "Your name", "singleline", True),
    ("Votre adresse e-mail", "Your e-mail address", "email", True),
    ("Votre organisation", "Your organization", "singleline", False),
    ("Objet", "Subject", "singleline", True),
    ("Votre message", "Your message", "multiline", True),
]
CONTACT_TO = "secretariat@example.org"


def _set(page, fields):
    for name, value in fields.items():
        if name == "body":
            value = json.dumps([{"type": "paragraph", "value": value}])
        setattr(page, name, value)


def home_page() -> HomePage:
    return HomePage.objects.get(locale__language_code="fr")


def translate(page, fields):
    """The English translation of the French `page`, with `fields`, published."""
    english = page.copy_for_translation(Locale.objects.get(language_code="en")).specific
    _set(english, fields)
    english.save_revision().publish()
    return english


def content_page(parent, texts, *, show_in_menus=False) -> StandardPage:
    """A StandardPage under the French `parent` from `texts` ({"fr": fields, "en": fields}; body: an HTML
    paragraph), published with its English translation (under the translation of `parent`). Returns the
    French page."""
    page = StandardPage(locale=parent.locale, show_in_menus=show_in_menus)
    _set(page, texts["fr"])
    parent.add_child(instance=page)
    page.save_revision().publish()
    translate(page, texts["en"])
    return page


def site_links(**pages) -> SiteLinks:
    """The default site's links (network_page, contact_page, legal_page, privacy_page) set to `pages`."""
    links = SiteLinks.for_site(Site.objects.get(is_default_site=True))
    for name, page in pages.items():
        setattr(links, name, page)
    links.save()
    return links


def network_pages() -> dict:
    """The network's page (in the main menu) and its history page, the legal notice and privacy pages
    (footer), in French and English, linked from the site's links. {key: French page}."""
    home = home_page()
    network = content_page(home, NETWORK, show_in_menus=True)
    pages = {
        "network": network,
        "history": content_page(network, HISTORY, show_in_menus=True),
        "legal": content_page(home, LEGAL),
        "privacy": content_page(home, PRIVACY),
    }
    site_links(network_page=network, legal_page=pages["legal"], privacy_page=pages["privacy"])
    return pages


def contact_page() -> ContactPage:
    """The contact page under the French home page, its form's fields (CONTACT_FIELDS) mailed to
    CONTACT_TO, published with its English translation (English labels); the site's contact link.
    Returns the French page."""
    home = home_page()
    contact = ContactPage(locale=home.locale, to_address=CONTACT_TO, show_in_menus=True)
    _set(contact, CONTACT["fr"])
    home.add_child(instance=contact)
    for order, (label, _english, field_type, required) in enumerate(CONTACT_FIELDS):
        ContactFormField.objects.create(page=contact, sort_order=order, label=label, field_type=field_type,
                                        required=required)
    contact.save_revision().publish()
    english = contact.copy_for_translation(Locale.objects.get(language_code="en")).specific
    _set(english, CONTACT["en"])
    labels = [english_label for _label, english_label, _type, _required in CONTACT_FIELDS]
    for form_field, label in zip(english.form_fields.order_by("sort_order"), labels, strict=True):
        form_field.label = label
        form_field.clean_name = ""  # recomputed from the English label on save
        form_field.save()
    english.save_revision().publish()
    site_links(contact_page=contact)
    return contact
