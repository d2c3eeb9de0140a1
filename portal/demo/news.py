"""Demo news, in our own words from the facts of seed 001 (the ILO's STEP programme in Africa): three
articles and news in French with their English translations, by a demo member, and one flash news."""

import datetime

from django.contrib.auth import get_user_model
from wagtail.models import Locale

from portal.news.models import ArticlePage, FlashNews, Kind
from portal.news.services import news_index_get_or_create
from portal.reference.models import Country, Theme

# Not one of the demo accounts (those end with .demo@example.org and can log in): a name on articles.
AUTHOR = {"email": "redaction@demo.example.org", "username": "redaction-demo", "first_name": "Aminata",
          "last_name": "Sow (démo)", "organization": "Union des mutuelles de santé (démo)"}

ARTICLES = [
    {
        "slug": "mutuelles-et-microfinance-au-senegal", "kind": Kind.ARTICLE,
        "date": datetime.date(2026, 10, 6),
        "countries": ["SN"], "themes": ["microfinance", "financing"], "co_authors": "",
        "fr": {
            "title": "Mutuelles de santé et microfinance : l'expérience de l'UM-PAMECAS",
            "summary": "Au Sénégal, un grand réseau d'épargne et de crédit a adossé une mutuelle de "
                       "santé à ses caisses : les cotisations sont prélevées sur l'épargne des membres.",
            "body": "<p>Les dépenses de santé sont la première cause des retards de remboursement des "
                    "microcrédits. C'est de ce constat que sont partis plusieurs réseaux de microfinance "
                    "pour proposer une assurance santé à leurs membres.</p>"
                    "<h2>Deux mécanismes de recouvrement</h2>"
                    "<p>Avec près de 250 000 membres, l'UM-PAMECAS est le deuxième réseau de microfinance du "
                    "Sénégal. Sa mutuelle combine un <b>prélèvement direct sur les comptes d'épargne</b> "
                    "et un appui de son fonds social, alimenté par une part des intérêts des crédits.</p>",
        },
        "en": {
            "title": "Health mutuals and microfinance: the UM-PAMECAS experience",
            "summary": "In Senegal, a large savings and loan network backed a mutual health organization "
                       "with its branches: premiums are debited from members' savings.",
            "body": "<p>Health expenses are the first reason why micro-loans are repaid late. Starting from "
                    "that observation, several microfinance networks offered health insurance to their "
                    "members.</p><h2>Two ways of collecting premiums</h2>"
                    "<p>With nearly 250,000 members, UM-PAMECAS is Senegal's second microfinance "
                    "network. Its "
                    "mutual combines a <b>direct debit from savings accounts</b> with support from its "
                    "social fund, fed by a share of the interest on loans.</p>",
        },
    },
    {
        "slug": "cadre-juridique-uemoa", "kind": Kind.NEWS, "date": datetime.date(2026, 10, 20),
        "countries": ["SN", "ML", "BJ", "BF", "CI", "TG", "NE", "GW"], "themes": ["legal-framework"],
        "co_authors": "Secrétariat technique",
        "fr": {
            "title": "Un texte commun pour les mutuelles des huit pays de l'UEMOA",
            "summary": "Ateliers nationaux, projet de règlement communautaire : retour sur la "
                       "construction du cadre juridique régional des mutuelles sociales.",
            "body": "<p>Dans la plupart des pays, les mutuelles de santé se sont développées sans cadre "
                    "légal "
                    "adapté. Des ateliers nationaux ont été organisés dans chacun des huit États membres "
                    "pour fixer les grandes lignes d'un texte commun.</p>"
                    "<p>Le projet de règlement sur la mutualité sociale et son règlement d'application ont "
                    "ensuite été soumis à la Commission et au Conseil de l'Union.</p>",
        },
        "en": {
            "title": "A common text for the mutuals of the eight WAEMU countries",
            "summary": "National workshops, a draft community regulation: how the regional legal framework "
                       "of mutual social organizations was built.",
            "body": "<p>In most countries, mutual health organizations grew without a suitable legal "
                    "framework. National workshops were held in each of the eight member States to agree on "
                    "the main lines of a common text.</p>"
                    "<p>The draft regulation on mutual social organizations and its implementing rules were "
                    "then submitted to the Union's Commission and Council.</p>",
        },
    },
    {
        "slug": "mas-gestion-en-rdc", "kind": Kind.ARTICLE, "date": datetime.date(2026, 11, 3),
        "countries": ["CD"], "themes": ["technical-management", "monitoring-evaluation"], "co_authors": "",
        "fr": {
            "title": "Gérer ses adhérents avec MAS Gestion : l'exemple d'une mutuelle d'enseignants à "
                     "Kinshasa",
            "summary": "Grâce au logiciel, la mutuelle des enseignants des écoles catholiques a "
                       "enregistré tous "
                       "ses membres et calculé la fréquence et le coût réels de ses prestations.",
            "body": "<p>MAS Gestion aide les gestionnaires à suivre les adhésions, les cotisations et les "
                    "prestations. Il peut échanger ses données avec MAS Pilote, l'outil de suivi des "
                    "structures d'appui.</p>"
                    "<p>À Kinshasa, la MUSECKIN s'en sert pour connaître la fréquence d'utilisation des "
                    "services et le coût de sa couverture, deux chiffres indispensables pour ajuster la "
                    "cotisation.</p>",
        },
        "en": {
            "title": "Managing members with MAS Gestion: a teachers' mutual in Kinshasa",
            "summary": "With the software, the mutual of Catholic school teachers recorded all its members "
                       "and worked out the real frequency and cost of its benefits.",
            "body": "<p>MAS Gestion helps managers follow enrolments, premiums and benefits. It "
                    "exchanges its data with MAS Pilote, the monitoring tool of supporting organizations.</p>"
                    "<p>In Kinshasa, MUSECKIN uses it to know how often services are used and what its cover "
                    "costs: two figures it needs to set the premium.</p>",
        },
    },
]

FLASH = {
    "title_fr": "Inventaire 2025 : dernier rappel avant la clôture",
    "title_en": "Inventory 2025: last reminder before closing",
    "text_fr": "Les mutuelles qui n'ont pas encore mis à jour leurs données 2025 ont jusqu'à la fin du mois. "
               "Les points focaux peuvent aider.",
    "text_en": "Mutuals that have not yet updated their 2025 data have until the end of the month. Focal "
               "points can help.",
}


def _author():
    User = get_user_model()
    user = User.objects.filter(email=AUTHOR["email"]).first()
    if user is None:
        user = User(**AUTHOR)
        user.set_unusable_password()  # a name on the demo articles, not an account to log in with
        user.save()
    return user


def load(report) -> None:
    """Idempotent: an article whose slug exists under the French news page is left as it is, and so is
    the flash news if its title exists. The flash news is stored published without being e-mailed."""
    fr = news_index_get_or_create(language="fr")
    en_locale = Locale.objects.get(language_code="en")
    news_index_get_or_create(language="en")
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    countries = {country.code: country for country in Country.objects.all()}
    author = _author()
    created = 0
    for data in ARTICLES:
        if fr.get_children().filter(slug=data["slug"]).exists():
            continue
        page = ArticlePage(
            slug=data["slug"], locale=fr.locale, kind=data["kind"], date=data["date"], language="fr",
            author=author, co_authors=data["co_authors"], **data["fr"],
        )
        page.countries = [countries[code] for code in data["countries"] if code in countries]
        page.themes = [themes[slug] for slug in data["themes"] if slug in themes]
        fr.add_child(instance=page)
        page.save_revision().publish()
        english = page.copy_for_translation(en_locale).specific
        for name, value in data["en"].items():
            setattr(english, name, value)
        english.language = "en"
        english.save_revision().publish()
        created += 1
    if not FlashNews.objects.filter(title_fr=FLASH["title_fr"]).exists():
        flash = FlashNews(**FLASH)
        flash.save()
        # Published directly (no revision, no signal): loading the demo e-mails nobody.
        FlashNews.objects.filter(pk=flash.pk).update(live=True, first_published_at=flash.created_at,
                                                     last_published_at=flash.created_at)
    report.add(f"News: {created} articles created (French and English).")
