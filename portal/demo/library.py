"""Demo content of the library, in our own words from the seeds' facts: a few resources and the two
project profiles of seeds 000 and 002 (ILO microinsurance innovation pages). Links, except one case
study whose small PDF is written at load time, so that a file's text is searched and downloaded."""

import datetime
import io

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, Locale

from library.models import ProjectIndicator, ProjectLesson, ProjectProfilePage, ProjectUpdate, ResourcePage
from library.services import library_index_get_or_create
from portal.reference.models import Country, Theme

RESOURCES = [
    {
        "ref": "demo-step-africa-2007", "language": "en", "resource_type": "report", "year": 2007,
        "title": "Access to social protection and health care for all: the STEP programme in Africa",
        "summary": "How the ILO's STEP programme supported mutual health organizations in West and Central "
                   "Africa: extension of coverage to people outside formal social security, tools and "
                   "lessons from the field.",
        "authors": "International Labour Office", "publisher": "ILO/STEP",
        "themes": ["uhc", "governance"], "countries": ["SN", "ML", "BJ"],
        "url": "https://www.ilo.org/",
    },
    {
        "ref": "demo-concertation-10-ans", "language": "fr", "resource_type": "brochure", "year": 2008,
        "title": "Dix ans au service des mutuelles de santé africaines (1998-2008)",
        "summary": "Bilan des dix premières années de la Concertation depuis la plateforme d'Abidjan : "
                   "forums, inventaires des mutuelles, ateliers thématiques et partenaires.",
        "authors": "La Concertation", "publisher": "La Concertation",
        "themes": ["governance", "monitoring-evaluation"], "countries": [],
        "url": "https://example.org/concertation-10-ans",
    },
    {
        "ref": "demo-guide-cotisations", "language": "fr", "resource_type": "guide", "year": 2012,
        "title": "Calculer la cotisation d'une mutuelle de santé : guide pratique",
        "summary": "Étapes du calcul de la cotisation à partir des taux d'utilisation et des coûts moyens "
                   "des soins, avec des exemples tirés de mutuelles du Mali et du Sénégal.",
        "authors": "Secrétariat technique; Aïssatou Ndiaye", "publisher": "La Concertation",
        "themes": ["financing", "technical-management"], "countries": ["ML", "SN"],
        "url": "https://example.org/guide-cotisations",
    },
    {
        "ref": "demo-uemoa-reglement", "language": "fr", "resource_type": "legal_text", "year": 2009,
        "title": "Règlement UEMOA sur la mutualité sociale : points clés pour les mutuelles de santé",
        "summary": "Ce que le règlement régional sur les mutuelles sociales change pour l'agrément, la "
                   "gouvernance et les réserves des mutuelles de santé.",
        "authors": "Secrétariat technique", "publisher": "La Concertation",
        "themes": ["legal-framework"], "countries": ["SN", "ML", "BJ", "BF", "CI", "TG", "NE", "GW"],
        "url": "https://example.org/reglement-uemoa",
    },
    {
        "ref": "demo-forum-bamako-2004", "language": "fr", "resource_type": "proceedings", "year": 2004,
        "title": "Actes du forum de Bamako 2004",
        "summary": "Quatre cents participants réunis à Bamako autour de l'extension de la couverture par les "
                   "mutuelles de santé : communications, ateliers et recommandations.",
        "authors": "La Concertation", "publisher": "La Concertation",
        "themes": ["governance", "contracting"], "countries": ["ML"],
        "url": "https://example.org/forum-bamako-2004",
    },
]

# A resource with a real file: its PDF is generated from these lines, which the search reads (neither
# the title nor the summary says "Mali": the file's text does).
CASE_STUDY = {
    "ref": "demo-etude-sikasso-2015", "language": "fr", "resource_type": "case_study", "year": 2015,
    "title": "Fusionner des mutuelles de santé : l'expérience de Sikasso",
    "summary": "Comment sept petites mutuelles de santé d'un même district ont harmonisé leurs garanties, "
               "puis fusionné, et ce que la fusion a changé pour les adhérents et les prestataires.",
    "authors": "Secrétariat technique", "publisher": "La Concertation",
    "themes": ["governance", "contracting"], "countries": ["ML"],
    "filename": "etude-de-cas-fusion-mutuelles-sikasso.pdf",
    "lines": [
        "Fusionner des mutuelles de santé : l'expérience de Sikasso (Mali)",
        "Étude de cas (démo) - La Concertation, 2015",
        "",
        "Dans la région de Sikasso, au Mali, sept mutuelles de santé couvraient chacune",
        "quelques centaines de bénéficiaires, avec des garanties et des cotisations différentes.",
        "Accompagnées par l'Union technique de la Mutualité malienne, elles ont d'abord",
        "harmonisé leurs garanties, puis fusionné en une seule mutuelle de district.",
        "",
        "Ce que la fusion a changé : des conventions uniques avec les centres de santé,",
        "une négociation plus forte avec les prestataires, une gestion tenue par un personnel",
        "formé, et la confiance retrouvée des adhérents.",
        "",
        "Leçons pour les mutuelles du Mali et de la sous-région : préparer les adhérents,",
        "harmoniser avant de fusionner, associer les autorités sanitaires du district.",
        "",
        "Document de démonstration du portail : les faits sont simplifiés.",
    ],
}

PROJECTS = [
    {
        "ref": "demo-project-cermes", "slug": "cermes-migrants-microassurance-sante",
        "title": "Resource mobilization among migrant communities for health microinsurance (CERMES)",
        "project_name": "Resource mobilization among migrant communities for health microinsurance",
        "organizations": "CERMES", "region": "Africa", "countries": ["SN", "ML", "KM"],
        "themes": ["feasibility", "financing"],
        "sub_topics": "Product development; Demand; Health",
        "risk_carrier": "Mutual or community-based", "distribution_channel": "Non-governmental organization",
        "summary": "Can migrants living in France pay health microinsurance premiums for their families in "
                   "Mali, Senegal and the Comoros?",
        "organizational_overview": "A research unit in the social and human sciences of health, bringing "
                                   "together about forty researchers and doctoral students in sociology, "
                                   "economics, public health and history.",
        "description": "A feasibility study in three areas (Kayes in Mali, Matam in Senegal, Ngazidja in the "
                       "Comoros): case studies of similar schemes, then an estimate of transfer amounts and "
                       "of migrants' willingness to pay. Families would join schemes run by the Malian "
                       "union of mutuals (UTM) and by mutuals supported by CIDR in the Comoros. About "
                       "8,000 Malian, 15,000 Comorian and 20,000 Senegalese migrants live in France.",
        "learning_agenda": "How can migrant communities be brought to cover their families at home?\n"
                           "Which remittance channel is affordable enough to carry premiums?\n"
                           "Do migrants' motives for sending money match how families use it?\n"
                           "Does the public health system stand in the way?",
        "last_update": datetime.date(2012, 9, 1),
        "updates": [(datetime.date(2012, 5, 31), "Case studies",
                     "Five existing schemes linking migrants' transfers and health insurance were studied "
                     "in 2010, among them the village social security of the Comoros set up with CIDR.")],
        "lessons": [
            ("Communication", "Without a sustained campaign, collecting funds among migrants stays limited; "
                              "one-off meetings have little effect."),
            ("Transfers", "Informal channels still dominate in Mali and the Comoros; in Senegal formal "
                          "transfer services are gaining ground."),
            ("Families", "Families at home are the best advocates: 76.1 % of those surveyed in Senegal saw "
                         "the project as a priority."),
        ],
        "indicators": [],
    },
    {
        "ref": "demo-project-utm", "slug": "keneya-sabatili-utm",
        "title": "Kénéya Sabatili, insuring health (UTM)",
        "project_name": "Kénéya Sabatili (Insuring health)",
        "organizations": "Union technique de la Mutualité malienne (UTM); SOCODEVI; MACIF",
        "region": "Africa", "countries": ["ML"], "themes": ["uhc", "financing", "governance"],
        "sub_topics": "Policy and regulation; Subsidies; Demand; Health",
        "risk_carrier": "Mutual or community-based",
        "distribution_channel": "Mutuals, community-based organizations",
        "summary": "Testing universal health insurance for farmers and informal workers in the Sikasso "
                   "region of Mali.",
        "organizational_overview": "UTM, founded in 1998, is the apex body of Mali's mutual health "
                                   "organizations: present in seven regions, it supports about 80 mutuals "
                                   "and runs a voluntary health insurance product in the main towns "
                                   "(60,000 beneficiaries in 2010). SOCODEVI, a Canadian NGO, and MACIF, a "
                                   "French mutual insurer, have supported a mutual in Sikasso since 2007.",
        "description": "The districts of Sikasso and then Koutiala (638,440 inhabitants, three quarters "
                       "rural) are to test the national strategy of a mutual scheme for informal and "
                       "agricultural workers. Goal: better access to care for 25,000 people in three years, "
                       "where 60 % of health spending is paid out of pocket.",
        "learning_agenda": "What drives the demand for health insurance, and what does a State "
                           "co-financing of premiums change?\n"
                           "What do the communication strategies achieve?\n"
                           "How can a working public-private partnership be set up?\n"
                           "Which capacity building makes local mutuals and their union professional?\n"
                           "What is the effect on penetration and on health behaviour?",
        "last_update": datetime.date(2011, 11, 1),
        "updates": [(datetime.date(2011, 4, 30), "Pilot sites chosen",
                     "At the end of 2010 the Council of Ministers adopted the strategy to extend social "
                     "protection and chose Sikasso, Ségou and Mopti as pilot sites; UTM and its partners "
                     "prepared a socio-economic survey.")],
        "lessons": [
            ("Public-private partnership", "The government has to take part in making the project known; "
                                           "silence from the authorities slows enrolment."),
            ("Merging mutuals", "Harmonised cover across Sikasso strengthened the confidence of the "
                                "mutual movement; merged mutuals negotiate better with partners."),
        ],
        # Illustrative figures for the demo (the seed's table is empty): our own, not the ILO's.
        "indicators": [
            (datetime.date(2011, 4, 30), "Mutuals in the merger", "7"),
            (datetime.date(2011, 4, 30), "Beneficiaries", "2,300"),
        ],
    },
]


def pdf_file(lines: list[str]) -> bytes:
    """A one-page PDF (A4, Helvetica, WinAnsi encoding: French accents) with a text layer holding
    `lines`, written by hand so that the demo needs no PDF library; pypdf reads its text back."""

    def escape(line):
        return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text = "\n".join(["BT /F1 11 Tf 15 TL 56 780 Td", *(f"({escape(line)}) Tj T*" for line in lines), "ET"])
    stream = text.encode("cp1252")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _load_case_study(parent, themes, countries) -> int:
    """The demo resource with a file (idempotent on its ref)."""
    data = CASE_STUDY
    if ResourcePage.objects.filter(ref=data["ref"]).exists():
        return 0
    # A flushed database (the browser tests') has lost the root collection its migration created.
    collection = Collection.get_first_root_node() or Collection.add_root(name="Root")
    document = get_document_model()(title=data["title"], collection=collection)
    document.file.save(data["filename"], ContentFile(pdf_file(data["lines"])), save=False)
    document.save()
    values = {key: value for key, value in data.items()
              if key not in ("themes", "countries", "filename", "lines")}
    page = ResourcePage(**values, document=document, licence="CC BY 4.0", locale=parent.locale,
                        slug=data["ref"].removeprefix("demo-"))
    page.themes = [themes[slug] for slug in data["themes"] if slug in themes]
    page.countries = [countries[code] for code in data["countries"] if code in countries]
    parent.add_child(instance=page)
    page.save_revision().publish()
    return 1


def load(report) -> None:
    """Idempotent: a resource or profile whose ref exists already is left as it is."""
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    countries = {country.code: country for country in Country.objects.all()}
    indexes = {language: library_index_get_or_create(language=language) for language in ("fr", "en")}
    created = 0
    for data in RESOURCES:
        if ResourcePage.objects.filter(ref=data["ref"]).exists():
            continue
        parent = indexes["en" if data["language"] == "en" else "fr"]
        values = {key: value for key, value in data.items() if key not in ("themes", "countries", "url")}
        page = ResourcePage(**values, external_url=data["url"], locale=parent.locale,
                            slug=data["ref"].removeprefix("demo-"))
        page.themes = [themes[slug] for slug in data["themes"] if slug in themes]
        page.countries = [countries[code] for code in data["countries"] if code in countries]
        parent.add_child(instance=page)
        page.save_revision().publish()
        created += 1
    created += _load_case_study(indexes["fr"], themes, countries)
    english = Locale.objects.get(language_code="en")
    for data in PROJECTS:
        if ProjectProfilePage.objects.filter(ref=data["ref"]).exists():
            continue
        scalar = {key: value for key, value in data.items()
                  if key not in ("themes", "countries", "updates", "lessons", "indicators")}
        page = ProjectProfilePage(**scalar, locale=english)
        page.themes = [themes[slug] for slug in data["themes"] if slug in themes]
        page.countries = [countries[code] for code in data["countries"] if code in countries]
        page.updates = [
            ProjectUpdate(date=date, title=title, text=text) for date, title, text in data["updates"]
        ]
        page.lessons = [ProjectLesson(title=title, text=text) for title, text in data["lessons"]]
        page.indicators = [ProjectIndicator(date=date, name=name, value=value)
                           for date, name, value in data["indicators"]]
        indexes["en"].add_child(instance=page)
        page.save_revision().publish()
        created += 1
    report.add(f"Library: {created} resources and project profiles created.")
