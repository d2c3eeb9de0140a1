"""Demo content of the newsletter: the archive page in both trees, issues No 40 and No 41 in French
with their English translations (in our own words, from the facts of seed 001, the ILO/STEP brochure),
and a few confirmed subscribers at example.org. Idempotent: what exists is left as it is."""

import datetime
import json

from django.utils import timezone
from wagtail.models import Locale

from library.models import ResourcePage
from portal.home.models import HomePage
from portal.newsletter.models import NewsletterIndexPage, NewsletterIssuePage, Subscriber

ARCHIVE = {
    "fr": {"title": "La Lettre de la Concertation", "slug": "lettre-d-information",
           "intro": "Trois fois par an depuis 1999, en français et en anglais : la vie du réseau, les "
                    "nouvelles ressources, les rencontres à venir et les derniers chiffres de l'inventaire."},
    "en": {"title": "The Concertation newsletter", "slug": "newsletter",
           "intro": "Three times a year since 1999, in French and in English: the network's life, new "
                    "resources, coming meetings and the inventory's latest figures."},
}

SUBSCRIBERS = [
    ("abonnee.dakar@example.org", "fr"),
    ("abonne.bamako@example.org", "fr"),
    ("mutuelle.kolda@example.org", "fr"),
    ("reader.accra@example.org", "en"),
    ("partner.geneva@example.org", "en"),
]


def _resources(*refs):
    pages = {page.ref: page.pk for page in ResourcePage.objects.filter(ref__in=refs)}
    return [{"page": pages[ref], "summary": ""} for ref in refs if ref in pages]


def _issue_40(language):
    fr = language == "fr"
    sections = [
        {"type": "articles", "value": {
            "heading": "", "intro": "",
            "items": _resources("demo-uemoa-reglement", "demo-step-africa-2007")}},
        {"type": "interview", "value": {
            "heading": "Micro-finance et santé : une mutuelle distribuée par les caisses d'épargne" if fr
            else "Microfinance and health: a mutual sold through savings banks",
            "person": "la responsable d'une mutuelle adossée à un réseau de micro-finance (démo)" if fr
            else "the manager of a mutual linked to a microfinance network (demo)",
            "text": "<p><b>Pourquoi un réseau d'épargne et de crédit crée-t-il une mutuelle ?</b> "
                    "Parce que la maladie est la première cause d'impayés : un membre hospitalisé "
                    "ne rembourse plus son prêt. Assurer la santé protège aussi le portefeuille "
                    "de crédit.</p>"
                    "<p><b>Comment l'offre est-elle distribuée ?</b> Par les caisses du réseau, au guichet, "
                    "au moment où les membres viennent épargner. Après un an, plus de cinq mille personnes "
                    "sont couvertes.</p>" if fr else
                    "<p><b>Why would a savings and credit network set up a mutual?</b> Because "
                    "illness is the first cause of unpaid loans: a member in hospital stops "
                    "repaying. Covering health also protects the loan portfolio.</p>"
                    "<p><b>How is the cover sold?</b> By the network's branches, at the counter, "
                    "when members come to save. After one year, more than five thousand people "
                    "are covered.</p>",
            "page": None}},
        {"type": "inventory_figures", "value": {
            "heading": "", "comment": "Les chiffres validés par les points focaux, pays par pays, sont en "
                                      "ligne et téléchargeables librement." if fr else
                                      "The figures validated by the focal points, country by country, are "
                                      "online and free to download."}},
    ]
    return {
        "number": 40, "issue_date": datetime.date(2026, 3, 16),
        "title": "La Lettre n° 40 : un cadre commun pour les mutuelles de l'UEMOA" if fr
        else "Newsletter No 40: one legal framework for the mutuals of WAEMU",
        "slug": "lettre-40" if fr else "newsletter-40",
        "intro": "Le règlement régional sur la mutualité sociale, une mutuelle vendue au guichet des caisses "
                 "d'épargne, et les chiffres de l'inventaire." if fr else
                 "The regional regulation on social mutuals, a mutual sold at savings-bank counters, and the "
                 "inventory's figures.",
        "editorial": "<p>Pendant des années, chaque pays a encadré — ou pas — ses mutuelles de santé à sa "
                     "manière. Les huit États de l'UEMOA ont choisi de se doter d'un texte commun, préparé "
                     "pays par pays lors d'ateliers nationaux puis harmonisé en réunion sous-régionale.</p>"
                     "<p>Ce numéro revient sur ce que le règlement change pour l'agrément, la gouvernance et "
                     "les réserves des mutuelles, et donne la parole à une mutuelle née dans un réseau de "
                     "micro-finance.</p>" if fr else
                     "<p>For years each country regulated its mutual health organizations in its own way, "
                     "or not at all. The eight WAEMU states chose a common text, prepared country by country "
                     "in national workshops, then harmonised at a subregional meeting.</p>"
                     "<p>This issue looks at what the regulation changes for the registration, governance "
                     "and reserves of mutuals, and hears from a mutual born inside a microfinance "
                     "network.</p>",
        "sections": sections,
    }


def _issue_41(language):
    fr = language == "fr"
    sections = [
        {"type": "text", "value": {
            "heading": "Mutuelles et prestataires de soins : contractualiser" if fr
            else "Mutuals and care providers: signing agreements",
            "text": "<p>Au Burkina Faso et au Sénégal, des mutuelles et des formations sanitaires publiques "
                    "ont commencé par faire l'inventaire de leurs accords existants avant de négocier des "
                    "conventions types : tarifs, délais de paiement, qualité de l'accueil.</p>"
                    "<p>En RD Congo, une mutuelle d'enseignants a enregistré toutes ses prises en "
                    "charge dans un logiciel de gestion ; ces données lui servent à négocier le "
                    "coût des soins et, à terme, à baisser les cotisations.</p>" if fr else
                    "<p>In Burkina Faso and Senegal, mutuals and public health facilities first listed the "
                    "agreements they already had, then negotiated model contracts: fees, payment delays, "
                    "how patients are received.</p>"
                    "<p>In the DR Congo, a teachers' mutual recorded all the care it paid for in management "
                    "software; it uses these data to negotiate the cost of care and, in time, to lower "
                    "its premiums.</p>"}},
        {"type": "resources", "value": {
            "heading": "", "intro": "",
            "items": _resources("demo-guide-cotisations", "demo-forum-bamako-2004",
                                "demo-concertation-10-ans")}},
        {"type": "text", "value": {
            "heading": "Vie du réseau : se regrouper en unions" if fr else "Network life: joining in unions",
            "text": "<p>Regroupées en unions, les mutuelles pèsent davantage face aux prestataires et aux "
                    "autorités, et partagent des services coûteux : gestion, audit, formation des élus. "
                    "Huit mutuelles d'un district sanitaire du Burkina Faso étudient un tel plan de "
                    "consolidation.</p>" if fr else
                    "<p>Joined in unions, mutuals weigh more with care providers and authorities, and share "
                    "costly services: management, audit, training of elected officers. Eight mutuals of a "
                    "health district in Burkina Faso are studying such a consolidation plan.</p>"}},
        {"type": "inventory_figures", "value": {"heading": "", "comment": ""}},
    ]
    return {
        "number": 41, "issue_date": datetime.date(2026, 7, 15),
        "title": "La Lettre n° 41 : négocier avec les prestataires de soins" if fr
        else "Newsletter No 41: negotiating with care providers",
        "slug": "lettre-41" if fr else "newsletter-41",
        "intro": "Conventions entre mutuelles et formations sanitaires, nouvelles ressources et unions de "
                 "mutuelles." if fr else
                 "Agreements between mutuals and health facilities, new resources and unions of mutuals.",
        "editorial": "<p>Une mutuelle n'offre une vraie protection que si ses membres sont bien reçus là où "
                     "ils se soignent. Ce numéro est consacré à la relation avec les prestataires : ce qui "
                     "se négocie, avec quelles données, et comment les unions de mutuelles s'y "
                     "prennent.</p>" if fr else
                     "<p>A mutual only protects its members if they are well received where they seek care. "
                     "This issue is about the relationship with care providers: what is negotiated, with "
                     "which data, and how unions of mutuals go about it.</p>",
        "sections": sections,
    }


def _fill(page, data):
    for name in ("number", "issue_date", "title", "slug", "intro", "editorial"):
        setattr(page, name, data[name])
    page.sections = json.dumps(data["sections"])


def _archive(report, fr, en):
    home = HomePage.objects.filter(locale=fr).first()
    archive = NewsletterIndexPage.objects.filter(locale=fr).first()
    if archive is None:
        archive = NewsletterIndexPage(locale=fr, show_in_menus=True, **ARCHIVE["fr"])
        home.add_child(instance=archive)
        archive.save_revision().publish()
        report.add("Newsletter archive created.")
    if archive.get_translation_or_none(en) is None:
        translated = archive.copy_for_translation(en)
        for name, value in ARCHIVE["en"].items():
            setattr(translated, name, value)
        translated.save_revision().publish()
    return archive


def load(report) -> None:
    fr, _ = Locale.objects.get_or_create(language_code="fr")
    en, _ = Locale.objects.get_or_create(language_code="en")
    if not HomePage.objects.filter(locale=fr).exists():
        return
    archive = _archive(report, fr, en)
    created = 0
    for build in (_issue_40, _issue_41):
        data = build("fr")
        issue = NewsletterIssuePage.objects.filter(locale=fr, number=data["number"]).first()
        if issue is None:
            issue = NewsletterIssuePage(locale=fr)
            _fill(issue, data)
            archive.add_child(instance=issue)
            issue.save_revision().publish()
            created += 1
        if issue.get_translation_or_none(en) is None:
            translated = issue.copy_for_translation(en)
            _fill(translated, build("en"))
            translated.save_revision().publish()
    now = timezone.now()
    new = 0
    for email, language in SUBSCRIBERS:
        _, was_created = Subscriber.objects.get_or_create(
            email=email, defaults={"language": language, "confirmed_at": now})
        new += was_created
    report.add(f"Newsletter: {created} issues and {new} demo subscribers created.")
