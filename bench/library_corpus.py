"""The generated library of `bench/library_search.py`: N resources, the same for the same seed.

French, English and Portuguese titles and summaries from the vocabulary of the domain (weighted
types, themes and countries), one to three authors or an organization, years 1990–2026 (more recent
than old), and for about a third of them (`BODY_SHARE`) the extracted text of their file, a few hundred
words (`BODY_WORDS`). `generate` returns them as the search engines index them (`SearchDocument`);
it imports the library, so Django is set up first.
"""

import datetime
import random

COUNTRIES = {  # code: weight, "in <country>" (French, English, Portuguese)
    "SN": (14, ("au Sénégal", "in Senegal", "no Senegal")),
    "ML": (14, ("au Mali", "in Mali", "no Mali")),
    "BF": (10, ("au Burkina Faso", "in Burkina Faso", "no Burkina Faso")),
    "CI": (7, ("en Côte d'Ivoire", "in Côte d'Ivoire", "na Costa do Marfim")),
    "BJ": (8, ("au Bénin", "in Benin", "no Benim")),
    "TG": (5, ("au Togo", "in Togo", "no Togo")),
    "NE": (5, ("au Niger", "in Niger", "no Níger")),
    "GN": (5, ("en Guinée", "in Guinea", "na Guiné")),
    "CM": (5, ("au Cameroun", "in Cameroon", "nos Camarões")),
    "TD": (2, ("au Tchad", "in Chad", "no Chade")),
    "CD": (3, ("en RD Congo", "in the DR Congo", "na RD Congo")),
    "RW": (4, ("au Rwanda", "in Rwanda", "no Ruanda")),
    "BI": (2, ("au Burundi", "in Burundi", "no Burundi")),
    "MR": (2, ("en Mauritanie", "in Mauritania", "na Mauritânia")),
    "GH": (4, ("au Ghana", "in Ghana", "no Gana")),
    "MG": (2, ("à Madagascar", "in Madagascar", "em Madagáscar")),
    "KM": (1, ("aux Comores", "in the Comoros", "nas Comores")),
    "GW": (2, ("en Guinée-Bissau", "in Guinea-Bissau", "na Guiné-Bissau")),
    "CV": (2, ("au Cap-Vert", "in Cape Verde", "em Cabo Verde")),
    "MZ": (2, ("au Mozambique", "in Mozambique", "em Moçambique")),
}
REGIONS = ("en Afrique de l'Ouest", "in West Africa", "na África Ocidental")

# type: weight, title openings (fr, en, pt)
TYPES = {
    "report": (20, ("Rapport sur", "Report on", "Relatório sobre")),
    "case_study": (14, ("Étude de cas :", "Case study:", "Estudo de caso:")),
    "article": (14, ("Analyse de", "Analysis of", "Análise de")),
    "guide": (10, ("Guide pratique pour", "A practical guide to", "Guia prático para")),
    "newsletter": (8, ("Lettre d'information :", "Newsletter:", "Boletim informativo:")),
    "training_manual": (6, ("Manuel de formation sur", "Training manual on", "Manual de formação sobre")),
    "proceedings": (6, ("Actes de l'atelier sur", "Proceedings of the workshop on",
                        "Actas do seminário sobre")),
    "legal_text": (5, ("Texte réglementaire sur", "Regulation on", "Regulamento sobre")),
    "brochure": (5, ("Brochure :", "Brochure:", "Brochura:")),
    "monograph": (5, ("Monographie sur", "Monograph on", "Monografia sobre")),
    "other": (4, ("Note sur", "Note on", "Nota sobre")),
    "software": (1, ("Logiciel de gestion pour", "Software for", "Software para")),
}

# theme slug: weight, topics (fr, en, pt)
THEMES = {
    "financing": (14, (
        ("le calcul des cotisations des mutuelles de santé", "calculating contributions to mutual health "
         "organizations", "o cálculo das cotizações das mutualidades de saúde"),
        ("la mobilisation des cotisations", "premium collection", "a cobrança das cotizações"),
        ("le financement de la santé", "health financing", "o financiamento da saúde"),
    )),
    "governance": (12, (
        ("la gouvernance des mutuelles de santé", "the governance of mutual health organizations",
         "a governação das mutualidades de saúde"),
        ("la formation des élus et des gérants", "training elected officers and managers",
         "a formação dos eleitos e dos gestores"),
        ("les unions de mutuelles", "unions of mutuals", "as uniões de mutualidades"),
    )),
    "contracting": (10, (
        ("la contractualisation avec les prestataires de soins", "contracting with health care providers",
         "a contratualização com os prestadores de cuidados"),
        ("les conventions entre mutuelles et centres de santé", "agreements between mutuals and health "
         "centres", "os acordos entre mutualidades e centros de saúde"),
    )),
    "uhc": (10, (
        ("l'assurance maladie universelle", "universal health coverage", "a cobertura universal de saúde"),
        ("la couverture du risque maladie", "health insurance for informal workers",
         "o seguro de saúde dos trabalhadores informais"),
    )),
    "technical-management": (8, (
        ("la gestion technique d'une mutuelle", "the technical management of a health insurance scheme",
         "a gestão técnica de uma mutualidade"),
        ("le système d'information des mutuelles", "information systems for insurers",
         "o sistema de informação das mutualidades"),
    )),
    "enrolment": (8, (
        ("l'adhésion des ménages", "enrolment of insured members", "a adesão das famílias"),
        ("la prise en charge des indigents", "covering the poorest households", "a cobertura dos indigentes"),
    )),
    "legal-framework": (6, (
        ("le cadre juridique de la mutualité sociale", "the legal framework of mutual insurance",
         "o quadro jurídico da mutualidade"),
        ("le règlement UEMOA sur la mutualité", "the WAEMU regulation on mutuals",
         "o regulamento da UEMOA sobre a mutualidade"),
    )),
    "monitoring-evaluation": (6, (
        ("le suivi et l'évaluation des mutuelles", "monitoring and evaluating mutuals",
         "o acompanhamento e a avaliação das mutualidades"),
        ("les indicateurs de performance", "key performance indicators", "os indicadores de desempenho"),
    )),
    "reinsurance": (3, (
        ("la réassurance et les fonds de garantie", "reinsurance and guarantee funds",
         "o resseguro e os fundos de garantia"),
    )),
    "feasibility": (3, (
        ("les études de faisabilité", "feasibility studies", "os estudos de viabilidade"),
    )),
    "network": (4, (
        ("la vie du réseau", "the network's activities", "a vida da rede"),
    )),
}

SENTENCES = (  # {country} is a country in the document's language, {n} a number, {year} a year
    (
        "Les mutuelles de santé {country} comptaient {n} adhérents en {year}.",
        "Le taux de recouvrement des cotisations reste faible dans les zones rurales.",
        "La contractualisation avec les prestataires améliore la qualité des soins offerts aux membres.",
        "L'assemblée générale élit le conseil d'administration pour trois ans.",
        "Les gérants tiennent le registre des adhérents et le cahier des prestations.",
        "La gouvernance démocratique est au cœur du modèle mutualiste.",
        "L'État a adopté une stratégie nationale d'extension de la couverture du risque maladie.",
        "Les centres de santé conventionnés sont payés à l'acte ou par capitation.",
        "La période d'observation limite la sélection adverse.",
        "Le fonds de garantie couvre les déficits des mutuelles membres de l'union.",
        "Les ménages du secteur informel cotisent par mois ou après les récoltes.",
        "Les élus ont suivi une formation sur la gestion financière et le suivi des indicateurs.",
        "L'assurance maladie universelle s'appuie sur les mutuelles communautaires {country}.",
        "Le panier de soins comprend les consultations, les médicaments essentiels et les accouchements.",
        "Le ratio de sinistralité a atteint {n} pour mille en {year}.",
        "Les partenaires techniques et financiers appuient la mise en place des unions départementales.",
        "La mutualité sociale est régie par le règlement communautaire de l'UEMOA.",
        "Un système d'information permet de suivre les adhésions et les prestations.",
        "Les prestataires de soins signalent des retards de paiement.",
        "Les indigents sont pris en charge par les collectivités locales.",
    ),
    (
        "Mutual health organizations {country} had {n} members in {year}.",
        "Insured members pay a yearly premium per person.",
        "Contracting with providers improved the quality of care for the insured.",
        "Community-based health insurance reaches workers of the informal sector.",
        "The scheme's governance relies on a general assembly and an elected board.",
        "Claims are checked by the manager before the providers are paid.",
        "Universal health coverage policies build on existing mutual schemes {country}.",
        "The benefit package covers outpatient care, essential drugs and deliveries.",
        "Enrolment drops when premiums are collected at the wrong season.",
        "Reinsurance protects small schemes against large claims.",
        "The claims ratio reached {n} per thousand in {year}.",
        "Health insurance for the poorest households is subsidized by the government.",
        "Key performance indicators are reported every quarter.",
        "The insurer and the health centres signed a capitation agreement.",
    ),
    (
        "As mutualidades de saúde {country} tinham {n} membros em {year}.",
        "As cotizações são pagas mensalmente pelos agregados familiares.",
        "A contratualização com os prestadores de cuidados melhora a qualidade dos serviços.",
        "O seguro de saúde comunitário abrange os trabalhadores do setor informal.",
        "A assembleia geral elege os órgãos sociais da mutualidade.",
        "A cobertura universal de saúde apoia-se nas mutualidades existentes.",
        "Os gestores receberam formação em gestão financeira.",
        "O pacote de benefícios inclui consultas, medicamentos essenciais e partos.",
    ),
)
FIRST = ("Aminata", "Oumar", "Moussa", "Fatou", "Ibrahima", "Awa", "Mamadou", "Aïssatou", "Kofi", "Ana",
         "João", "Marie", "Jean", "Bakary", "Mariam", "Seydou", "Adjoa", "Koffi", "Hélène", "Rokia")
LAST = ("Diallo", "Traoré", "Keïta", "Ndiaye", "Sow", "Coulibaly", "Touré", "Mensah", "Silva", "Pereira",
        "Dupont", "Kaboré", "Ouédraogo", "Diop", "Sangaré", "Camara", "Agbodjan", "Hounkpatin", "Fall")
ORGANIZATIONS = ("La Concertation", "BIT/STEP", "Secrétariat technique", "ANAM", "WSM", "GIZ", "USAID",
                 "Union technique de la mutualité malienne", "Mutualité Française", "CIDR")
LANGUAGES = (("fr", 70), ("en", 22), ("pt", 8))
BODY_SHARE = 0.35  # resources with a file whose text was extracted
BODY_WORDS = (200, 600)


def _weighted(rng: random.Random, table: dict):
    keys = list(table)
    return rng.choices(keys, weights=[table[k][0] for k in keys])[0]


def _sentence(rng: random.Random, li: int, countries: list[str], year: int) -> str:
    return rng.choice(SENTENCES[li]).format(
        country=COUNTRIES[rng.choice(countries)][1][li] if countries else REGIONS[li],
        n=rng.randint(50, 90000), year=rng.randint(max(1990, year - 10), year),
    )


def generate(n: int, seed: int = 2026):
    """`n` SearchDocuments, the same for the same seed."""
    from library.documents import SearchDocument

    rng = random.Random(seed)
    languages = [code for code, _w in LANGUAGES]
    language_weights = [w for _code, w in LANGUAGES]
    documents = []
    for i in range(n):
        lang = rng.choices(languages, weights=language_weights)[0]
        li = languages.index(lang)
        resource_type = _weighted(rng, TYPES)
        themes = list(dict.fromkeys(_weighted(rng, THEMES) for _ in range(rng.randint(1, 3))))
        how_many = rng.choice((0, 1, 1, 1, 2, 3))
        countries = list(dict.fromkeys(_weighted(rng, COUNTRIES) for _ in range(how_many)))
        year = 1990 + int(37 * rng.random() ** 0.6)  # more recent resources than old ones
        topic = rng.choice(THEMES[themes[0]][1])[li]
        place = COUNTRIES[countries[0]][1][li] if countries else REGIONS[li]
        title = f"{TYPES[resource_type][1][li]} {topic} {place}"
        if rng.random() < 0.3:
            title += f" ({year})"
        summary = " ".join(_sentence(rng, li, countries, year) for _ in range(rng.randint(1, 3)))
        body = ""
        if rng.random() < BODY_SHARE:
            target = rng.randint(*BODY_WORDS)
            parts, count = [], 0
            while count < target:
                parts.append(_sentence(rng, li, countries, year))
                count += len(parts[-1].split())
            body = " ".join(parts)
        people = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(rng.randint(0, 3))]
        authors = "; ".join(people or [rng.choice(ORGANIZATIONS)])
        ref = f"bench-{i:06d}"
        documents.append(SearchDocument(
            ref=ref, title=title, summary=summary, authors=authors, body=body, resource_type=resource_type,
            themes=tuple(themes), countries=tuple(countries), language=lang, year=year,
            url=f"/{lang}/bibliotheque/{ref}/",
            date=datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)),
        ))
    return documents
