"""Demo content of the calendar, in our own words from the seeds' facts: the calendar page in both
trees, the four Forums (seed 003: Dakar 2000, 80 participants; Dakar 2002, 190 from 24 nationalities;
Bamako 2004, 400; Dakar 26-27 November 2007, about 300), the training seminar programme of seed 004
as an upcoming seminar (next month, relative to the day the demo is loaded) and a few upcoming
workshops, webinars and meetings. Invented events end with "(démo)", like the demo inventory.

Idempotent: a page whose slug exists already is left as it is (its missing translation is added).
"""

import datetime
import zoneinfo

from django.db.models import Q
from django.utils import timezone
from wagtail.models import Locale

from inventory.models import SupportingOrganization
from library.models import ResourcePage
from portal.events.models import (
    DatePrecision,
    EventIndexPage,
    EventKind,
    EventModule,
    EventPage,
    ForumPage,
    ForumProceeding,
)
from portal.reference.models import Country, Theme

INDEX = {
    "fr": {"title": "Agenda", "slug": "agenda",
           "intro": "Ateliers thématiques, séminaires de formation, webinaires et forums du réseau."},
    "en": {"title": "Calendar", "slug": "calendar",
           "intro": "Thematic workshops, training seminars, webinars and forums of the network."},
}

ORGANIZATIONS = {
    "STEP": "Bureau international du Travail, programme STEP",
    "UAM": "Union africaine de la mutualité",
    "CIDR": "Centre international de développement et de recherche",
}


def _at(day: datetime.date, hour: int, minute: int, zone: str) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=zoneinfo.ZoneInfo(zone))


def _first_monday_of_next_month(today: datetime.date) -> datetime.date:
    first = (today.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return first + datetime.timedelta(days=(7 - first.weekday()) % 7)


FORUM_QUESTIONS_2007 = {
    "fr": "Mettre les mutuelles de santé en réseau est-il une stratégie pertinente et efficace pour l'accès "
          "aux soins, l'extension de la protection sociale et la lutte contre la pauvreté ?\n"
          "Par quelles stratégies les mutuelles gagnent-elles en crédibilité, en reconnaissance et en "
          "développement ?\n"
          "Quel rôle l'État peut-il jouer pour soutenir le mouvement mutualiste et sa mise en réseau ?",
    "en": "Is networking mutual health organizations a relevant and efficient strategy for access to care, "
          "the extension of social protection and the fight against poverty?\n"
          "Through which strategies do mutuals gain credibility, recognition and growth?\n"
          "What role can the State play in supporting the mutual movement and its networks?",
}


def _forums():
    return [
        {
            "slug": "forum-dakar-2000", "edition": 1, "city": "Dakar", "country": "SN",
            "start": _at(datetime.date(2000, 9, 1), 9, 0, "Africa/Dakar"), "days": 1,
            "precision": DatePrecision.MONTH, "participants": 80, "themes": ["governance"],
            "fr": {"title": "Premier forum de la Concertation, Dakar 2000",
                   "intro": "La première rencontre des acteurs des mutuelles de santé de la Concertation, "
                            "à Dakar en septembre 2000."},
            "en": {"title": "First Forum of the Concertation, Dakar 2000",
                   "intro": "The first meeting of the Concertation's mutual health actors, in Dakar in "
                            "September 2000."},
        },
        {
            "slug": "forum-dakar-2002", "edition": 2, "city": "Dakar", "country": "SN",
            "start": _at(datetime.date(2002, 9, 1), 9, 0, "Africa/Dakar"), "days": 1,
            "precision": DatePrecision.MONTH, "participants": 190, "nationalities": 24,
            "themes": ["governance", "financing"],
            "fr": {"title": "Deuxième forum, Dakar 2002",
                   "intro": "De nouveau à Dakar, en septembre 2002 : 190 participants venus de 24 pays."},
            "en": {"title": "Second Forum, Dakar 2002",
                   "intro": "Dakar again, in September 2002: 190 participants from 24 countries."},
        },
        {
            "slug": "forum-bamako-2004", "edition": 3, "city": "Bamako", "country": "ML",
            "start": _at(datetime.date(2004, 1, 1), 9, 0, "Africa/Bamako"), "days": 1,
            "precision": DatePrecision.YEAR, "participants": 400, "themes": ["governance", "contracting"],
            "proceedings": ["demo-forum-bamako-2004"],
            "fr": {"title": "Troisième forum, Bamako 2004",
                   "intro": "Le forum de Bamako a réuni 400 participants autour de l'extension de la "
                            "couverture par les mutuelles de santé."},
            "en": {"title": "Third Forum, Bamako 2004",
                   "intro": "The Bamako Forum brought 400 participants together on extending coverage "
                            "through mutual health organizations."},
        },
        {
            "slug": "forum-dakar-2007", "edition": 4, "city": "Dakar", "country": "SN",
            "start": _at(datetime.date(2007, 11, 26), 9, 0, "Africa/Dakar"), "days": 2,
            "precision": DatePrecision.EXACT, "participants": 300, "approximate": True,
            "themes": ["governance", "uhc"], "organizations": ["UAM", "STEP"],
            "fr": {"title": "Quatrième forum, Dakar 2007",
                   "intro": "Deux jours à Dakar sur la mise en réseau des mutuelles de santé ; l'Union "
                            "africaine de la mutualité y est née.",
                   "note": "Pour la première fois, des pays anglophones (Ghana, Libéria, Tanzanie, Kenya, "
                           "Ouganda) et lusophones (Cap-Vert) étaient représentés."},
            "en": {"title": "Fourth Forum, Dakar 2007",
                   "intro": "Two days in Dakar on networking mutual health organizations; the African "
                            "Mutuality Union was founded there.",
                   "note": "For the first time, English-speaking (Ghana, Liberia, Tanzania, Kenya, Uganda) "
                           "and Portuguese-speaking (Cape Verde) countries took part."},
        },
    ]


SEMINAR_MODULES = [
    {
        "days": (0, 2), "duration": {"fr": "3 jours", "en": "3 days"},
        "fr": {
            "title": "Module 1 — La micro-assurance santé participative dans les stratégies nationales de "
                     "financement des soins",
            "objectives": "Comprendre les buts et l'organisation des modes de financement de la santé\n"
                          "Mesurer ce que l'assurance maladie change au financement des soins\n"
                          "Chercher la complémentarité entre mutuelles de santé et régimes publics",
            "topics": "Le secteur de la santé dans son cadre macro-économique\n"
                      "Financer les soins : l'offre ou la demande, gratuité ou cotisation\n"
                      "L'assurance maladie : forces, limites et formes\n"
                      "Ce qui distingue la micro-assurance maladie\n"
                      "Les mutuelles de santé dans l'assurance maladie universelle (cas de la "
                      "Belgique, de la France et du Rwanda)",
            "speakers": "Alain Letourmy, économiste de la santé (CNRS, CERMES)\n"
                        "Bruno Galland, médecin, expert en micro-assurance santé (CIDR)\n"
                        "Experts de la Mutualité française (FNMF)",
        },
        "en": {
            "title": "Module 1 — Participatory health microinsurance in national health financing strategies",
            "objectives": "Understand the aims and organization of the different ways of financing health\n"
                          "See what health insurance changes in the financing of care\n"
                          "Make mutual health organizations and public schemes complement each other",
            "topics": "The health sector in its macro-economic setting\n"
                      "Health financing strategies: supply or demand, free care or contributions\n"
                      "Health insurance: strengths, limits and forms\n"
                      "What sets health microinsurance apart\n"
                      "Mutual health organizations within universal health insurance (Belgium, France and "
                      "Rwanda as cases)",
            "speakers": "Alain Letourmy, health economist (CNRS, CERMES)\n"
                        "Bruno Galland, physician, health microinsurance expert (CIDR)\n"
                        "Experts of the French mutual federation (FNMF)",
        },
    },
    {
        "days": (3, 4), "duration": {"fr": "2,5 jours", "en": "2.5 days"},
        "fr": {
            "title": "Module 2 — Gestion et gouvernance des organismes de micro-assurance santé "
                     "participative",
            "objectives": "Renforcer les acteurs du Nord et du Sud qui créent et gèrent la micro-assurance "
                          "santé participative",
            "topics": "Gestion technique et financière : produits, cotisations, prestataires, risques\n"
                      "La gouvernance participative, ses atouts et ses limites\n"
                      "D'autres modèles : gestion externalisée, transfert du risque, centre technique",
            "speakers": "Allan Boutbien (Conseil en gestion des risques, CGR)\n"
                        "Cadres du Réseau Alliance Santé (Bénin) et du Réseau Guinée\n"
                        "Experts de la FNMF\n"
                        "Bruno Galland (CIDR)",
        },
        "en": {
            "title": "Module 2 — Management and governance of participatory health microinsurance",
            "objectives": "Strengthen the actors in the North and the South who set up and run participatory "
                          "health microinsurance",
            "topics": "Technical and financial management: products, contributions, providers, risks\n"
                      "Participatory governance, its strengths and limits\n"
                      "Other models: outsourced management, risk transfer, technical centres",
            "speakers": "Allan Boutbien (risk management consultancy, CGR)\n"
                        "Staff of Réseau Alliance Santé (Benin) and Réseau Guinée\n"
                        "FNMF experts\n"
                        "Bruno Galland (CIDR)",
        },
    },
    {
        "days": (7, 11), "duration": {"fr": "5 jours", "en": "5 days"},
        "fr": {
            "title": "Module 3 — La viabilité de la micro-assurance santé participative : outils et méthodes",
            "objectives": "Donner aux gestionnaires, dirigeants et techniciens les outils pour concevoir et "
                          "gérer des produits viables",
            "topics": "Étude de faisabilité et capacité contributive ; calcul d'une cotisation\n"
                      "Montage institutionnel et choix du porteur de risque\n"
                      "Le système d'information\n"
                      "La contractualisation avec les prestataires\n"
                      "Viabilité économique et financière : cofinancement et réassurance",
            "speakers": "Allan Boutbien (CGR)\n"
                        "Bruno Galland et Siméon Nsabimana (CIDR)",
        },
        "en": {
            "title": "Module 3 — Making participatory health microinsurance viable: tools and methods",
            "objectives": "Give managers, leaders and technicians the tools to design and run viable "
                          "products",
            "topics": "Feasibility study and ability to pay; computing a contribution\n"
                      "Institutional set-up and the choice of the risk carrier\n"
                      "The information system\n"
                      "Contracting with health care providers\n"
                      "Economic and financial viability: co-financing and reinsurance",
            "speakers": "Allan Boutbien (CGR)\n"
                        "Bruno Galland and Siméon Nsabimana (CIDR)",
        },
    },
]


def _upcoming(today: datetime.date):
    monday = _first_monday_of_next_month(today)
    return [
        {
            "slug": "seminaire-micro-assurance-sante-participative", "kind": EventKind.TRAINING,
            "start": _at(monday, 9, 0, "Africa/Dakar"),
            "end": _at(monday + datetime.timedelta(days=11), 17, 0, "Africa/Dakar"),
            "time_zone": "Africa/Dakar", "city": "Dakar",
            "venue": "Secrétariat technique de la Concertation", "country": "SN", "languages": ["fr"],
            "themes": ["financing", "governance", "technical-management"],
            "organizer": "La Concertation", "organizations": ["CIDR"], "capacity": 25,
            "deadline_days": 7, "modules": SEMINAR_MODULES, "monday": monday,
            "fr": {"title": "Séminaire : la micro-assurance santé participative en question (démo)",
                   "intro": "Trois modules sur deux semaines pour les promoteurs et dirigeants de "
                            "mutuelles : financement de la santé, gestion et gouvernance, outils de "
                            "viabilité.",
                   "description": "<p>Face aux politiques d'assurance maladie universelle, les "
                                  "organismes de micro-assurance santé participative doivent connaître "
                                  "leurs atouts et leurs limites pour prendre part au dialogue politique "
                                  "et gagner en savoir-faire. Ce séminaire reprend le programme de "
                                  "formation du réseau.</p>"},
            "en": {"title": "Seminar: participatory health microinsurance in question (demo)",
                   "intro": "Three modules over two weeks for promoters and leaders of mutuals: health "
                            "financing, management and governance, tools for viability.",
                   "description": "<p>As universal health insurance policies spread, participatory "
                                  "health microinsurance schemes need to know their strengths and limits "
                                  "to take part in policy dialogue and build their skills. This seminar "
                                  "follows the network's training programme.</p>"},
        },
        {
            "slug": "atelier-contractualisation-cotonou", "kind": EventKind.WORKSHOP,
            "start": _at(today + datetime.timedelta(days=45), 8, 30, "Africa/Porto-Novo"),
            "end": _at(today + datetime.timedelta(days=46), 17, 0, "Africa/Porto-Novo"),
            "time_zone": "Africa/Porto-Novo", "city": "Cotonou", "country": "BJ", "languages": ["fr"],
            "themes": ["contracting"], "organizer": "Comité national du Bénin (démo)",
            "fr": {"title": "Atelier : contractualiser avec les prestataires de soins (démo)",
                   "intro": "Deux jours d'échanges entre mutuelles et formations sanitaires sur les "
                            "conventions, le tiers payant et le suivi des prestations."},
            "en": {"title": "Workshop: contracting with health care providers (demo)",
                   "intro": "Two days of exchanges between mutuals and health facilities on agreements, "
                            "third-party payment and the follow-up of services."},
        },
        {
            "slug": "webinaire-indicateurs-inventaire", "kind": EventKind.WEBINAR,
            "start": _at(today + datetime.timedelta(days=20), 14, 0, "Africa/Kinshasa"),
            "end": _at(today + datetime.timedelta(days=20), 16, 0, "Africa/Kinshasa"),
            "time_zone": "Africa/Kinshasa", "country": "CD", "online_url": "https://example.org/webinaire-demo",
            "languages": ["fr", "en"], "themes": ["monitoring-evaluation"], "organizer": "La Concertation",
            "fr": {"title": "Webinaire : lire les indicateurs de sa mutuelle dans l'inventaire (démo)",
                   "intro": "Taux de pénétration, de recouvrement, ratio de sinistralité : comment les "
                            "lire et les comparer, depuis Kinshasa et en ligne."},
            "en": {"title": "Webinar: reading your mutual's indicators in the inventory (demo)",
                   "intro": "Penetration, collection and claims ratios: how to read and compare them, from "
                            "Kinshasa and online."},
        },
        {
            "slug": "reunion-points-focaux-bamako", "kind": EventKind.MEETING,
            "start": _at(today + datetime.timedelta(days=75), 9, 0, "Africa/Bamako"),
            "end": _at(today + datetime.timedelta(days=75), 18, 0, "Africa/Bamako"),
            "time_zone": "Africa/Bamako", "city": "Bamako", "country": "ML", "languages": ["fr", "en"],
            "themes": ["monitoring-evaluation"], "organizer": "La Concertation", "capacity": 30,
            "fr": {"title": "Réunion annuelle des points focaux (démo)",
                   "intro": "Bilan de la campagne de l'inventaire et programme de l'année."},
            "en": {"title": "Yearly meeting of the focal points (demo)",
                   "intro": "The inventory campaign in review and the year's programme."},
        },
    ]


def _organization(acronym: str) -> SupportingOrganization:
    name = ORGANIZATIONS[acronym]
    found = SupportingOrganization.objects.filter(
        Q(acronym__iexact=acronym) | Q(name__iexact=name) | Q(name__iexact=acronym)
    ).first()
    return found or SupportingOrganization.objects.create(name=name, acronym=acronym)


def _index(language: str) -> EventIndexPage:
    locale = Locale.objects.get(language_code=language)
    existing = EventIndexPage.objects.filter(locale=locale).first()
    if existing is not None:
        return existing
    if language == "fr":
        from portal.home.models import HomePage

        home = HomePage.objects.get(locale=locale)
        page = EventIndexPage(locale=locale, show_in_menus=True, **INDEX["fr"])
        home.add_child(instance=page)
    else:
        page = _index("fr").copy_for_translation(locale, copy_parents=True).specific
        for key, value in INDEX[language].items():
            setattr(page, key, value)
        page.save()
    page.save_revision().publish()
    return page


def _modules(data, language):
    monday = data["monday"]
    return [
        EventModule(
            sort_order=order, duration=module["duration"][language],
            start_date=monday + datetime.timedelta(days=module["days"][0]),
            end_date=monday + datetime.timedelta(days=module["days"][1]),
            **module[language],
        )
        for order, module in enumerate(data.get("modules", []))
    ]


def _set_text(page, data, language):
    text = data[language]
    page.title = text["title"]
    page.intro = text["intro"]
    page.description = text.get("description", "")
    if isinstance(page, ForumPage):
        page.participation_note = text.get("note", "")
        page.questions = FORUM_QUESTIONS_2007[language] if page.edition == 4 else ""
    if data.get("modules"):
        page.modules = _modules(data, language)


def _event(parent_fr, parent_en, model, data, **fields) -> int:
    """The event in French under `parent_fr` and its English translation; returns how many pages were made."""
    created = 0
    page = parent_fr.get_children().filter(slug=data["slug"]).first()
    if page is None:
        page = model(locale=parent_fr.locale, slug=data["slug"], **fields)
        _set_text(page, data, "fr")
        page.themes = list(Theme.objects.filter(slug__in=data.get("themes", [])))
        if model is ForumPage:
            page.speaker_organizations = [_organization(acronym) for acronym in data.get("organizations", [])]
            page.proceedings = [
                ForumProceeding(resource=resource)
                for resource in ResourcePage.objects.filter(ref__in=data.get("proceedings", []))
            ]
        else:
            page.organizations = [_organization(acronym) for acronym in data.get("organizations", [])]
        parent_fr.add_child(instance=page)
        page.save_revision().publish()
        created += 1
    else:
        page = page.specific
    if page.get_translation_or_none(parent_en.locale) is None:
        translation = page.copy_for_translation(parent_en.locale).specific
        _set_text(translation, data, "en")
        translation.slug = page.slug
        translation.save()
        translation.save_revision().publish()
        created += 1
    return created


def load(report) -> None:
    countries = {country.code: country for country in Country.objects.all()}
    index_fr, index_en = _index("fr"), _index("en")
    created = 0
    for forum in _forums():
        end = forum["start"] + datetime.timedelta(days=forum["days"] - 1, hours=8)
        created += _event(
            index_fr, index_en, ForumPage, forum,
            edition=forum["edition"], start=forum["start"], end=end, time_zone=str(forum["start"].tzinfo),
            date_precision=forum["precision"], city=forum["city"], country=countries.get(forum["country"]),
            participants_count=forum["participants"],
            participants_approximate=forum.get("approximate", False),
            nationalities_count=forum.get("nationalities"), organizer="La Concertation", languages=["fr"],
        )
    today = timezone.localdate()
    for event in _upcoming(today):
        deadline = None
        if event.get("deadline_days"):
            deadline = event["start"] - datetime.timedelta(days=event["deadline_days"])
        created += _event(
            index_fr, index_en, EventPage, event,
            kind=event["kind"], start=event["start"], end=event["end"], time_zone=event["time_zone"],
            city=event.get("city", ""), venue=event.get("venue", ""),
            country=countries.get(event["country"]), online_url=event.get("online_url", ""),
            organizer=event["organizer"], languages=event["languages"],
            registration_open=True, capacity=event.get("capacity"), registration_deadline=deadline,
        )
    report.add(f"Calendar: {created} event pages created (French and English).")

