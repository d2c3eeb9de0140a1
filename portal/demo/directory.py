"""Demo content of the directory: the network's promoters (seed 003), the focal points of the demo
countries (the organizations of `portal/demo/content.py`'s COUNTRIES) and a few national committees.

Public facts about organizations only, in our own words; no person, no personal address. Websites
only for organizations whose public site is well known; invented records (the national committees)
end with "(démo)" and use example.org addresses. Idempotent: an organization found by name or
acronym is completed (empty fields filled, missing roles and countries added), never overwritten.
"""

from inventory.models import OrganizationRole, OrganizationRoleKind, SupportingOrganization
from inventory.registry.organizations import find_organization, organization_sync
from portal.reference.models import Country

R = OrganizationRoleKind

ORGANIZATIONS = [
    # The promoters: technical and financial support to the network.
    {"name": "Union nationale des mutualités socialistes", "acronym": "UNMS",
     "website": "https://www.solidaris.be/",
     "fr": "Mutualité belge, l'un des promoteurs historiques du réseau, qui appuie le mouvement mutualiste "
           "en Afrique de l'Ouest et du Centre.",
     "en": "A Belgian mutual health insurer, one of the network's long-standing promoters, supporting the "
           "mutual movement in West and Central Africa.",
     "roles": [(R.PROMOTER, None)], "countries": ["SN", "BJ"]},
    {"name": "Association internationale de la mutualité", "acronym": "AIM",
     "website": "https://www.aim-mutual.org/",
     "fr": "Fédération internationale d'organismes mutualistes d'assurance maladie ; promoteur du réseau.",
     "en": "An international federation of mutual health insurers; a promoter of the network.",
     "roles": [(R.PROMOTER, None)], "countries": []},
    {"name": "Programme STEP du Bureau international du Travail", "acronym": "BIT/STEP",
     "website": "https://www.ilo.org/",
     "fr": "Le programme « Stratégies et techniques contre l'exclusion sociale et la pauvreté » du BIT : "
           "appui aux stratégies nationales d'extension de la protection sociale, outils de gestion "
           "(MAS Gestion, MAS Pilote), guides et formations. Point focal en RDC.",
     "en": "The ILO's Strategies and Tools against social Exclusion and Poverty programme: support to "
           "national strategies for extending social protection, management software (MAS Gestion, "
           "MAS Pilote), guides and training. Focal point in the DRC.",
     "roles": [(R.PROMOTER, None), (R.RESEARCH_TRAINING, None), (R.FOCAL_POINT, "CD")],
     "countries": ["SN", "BF", "BJ", "CD", "RW"]},
    {"name": "Gesellschaft für Technische Zusammenarbeit", "acronym": "GTZ",
     "website": "https://www.giz.de/",
     "fr": "Coopération technique allemande (aujourd'hui GIZ), projet d'assurance maladie ; promoteur du "
           "réseau, point focal au Rwanda et, avec d'autres, en Guinée et au Cameroun.",
     "en": "German technical cooperation (now GIZ), health insurance project; a promoter of the network, "
           "focal point in Rwanda and, with others, in Guinea and Cameroon.",
     "roles": [(R.PROMOTER, None), (R.FOCAL_POINT, "RW"), (R.FOCAL_POINT, "GN"), (R.FOCAL_POINT, "CM")],
     "countries": ["RW", "GN", "CM"]},
    {"name": "Mutuelle de la fonction publique", "acronym": "MFP",
     "fr": "Mutuelle française des agents publics ; promoteur du réseau.",
     "en": "A French mutual of public servants; a promoter of the network.",
     "roles": [(R.PROMOTER, None)], "countries": []},
    {"name": "Mutuelle générale de l'Éducation nationale", "acronym": "MGEN",
     "website": "https://www.mgen.fr/",
     "fr": "Mutuelle française des personnels de l'éducation ; promoteur du réseau.",
     "en": "A French mutual of education staff; a promoter of the network.",
     "roles": [(R.PROMOTER, None)], "countries": []},
    {"name": "USAID — programme PHRplus", "acronym": "PHRplus",
     "fr": "Programme de l'Agence des États-Unis pour le développement international sur les politiques "
           "et systèmes de santé ; promoteur du réseau.",
     "en": "The United States Agency for International Development's health policy and systems "
           "programme; a promoter of the network.",
     "roles": [(R.PROMOTER, None)], "countries": []},
    {"name": "Action for West Africa Region — santé de la reproduction", "acronym": "AWARE-RH",
     "fr": "Projet régional pour la santé de la reproduction en Afrique de l'Ouest ; promoteur du réseau.",
     "en": "A regional reproductive health project in West Africa; a promoter of the network.",
     "roles": [(R.PROMOTER, None)], "countries": []},
    {"name": "Solidarité mondiale", "acronym": "WSM",
     "website": "https://www.wsm.be/",
     "fr": "ONG belge du mouvement ouvrier chrétien, qui appuie des mutuelles de santé ; promoteur du "
           "réseau et, avec d'autres, point focal au Bénin.",
     "en": "A Belgian NGO of the Christian labour movement supporting mutual health organizations; a "
           "promoter of the network and, with others, focal point in Benin.",
     "roles": [(R.PROMOTER, None), (R.SUPPORTING_STRUCTURE, None), (R.FOCAL_POINT, "BJ")],
     "countries": ["BJ", "SN", "BF"]},
    # Focal points of the demo countries.
    {"name": "Secrétariat technique de la Concertation",
     "fr": "Le secrétariat du réseau, à Dakar : il anime la Concertation, tient l'inventaire et le site. "
           "Point focal au Sénégal.",
     "en": "The network's secretariat in Dakar: it runs the network, the inventory and the site. Focal "
           "point in Senegal.",
     "email": "secretariat@example.org",
     "roles": [(R.FOCAL_POINT, "SN"), (R.OTHER, None)], "countries": ["SN"]},
    {"name": "Union technique de la mutualité malienne", "acronym": "UTM",
     "fr": "Organisation faîtière des mutuelles de santé du Mali, créée en 1998, présente dans la plupart "
           "des régions du pays. Point focal au Mali.",
     "en": "The apex organization of Mali's mutual health organizations, created in 1998 and present in "
           "most regions of the country. Focal point in Mali.",
     "roles": [(R.UNION, "ML"), (R.SUPPORTING_STRUCTURE, "ML"), (R.FOCAL_POINT, "ML")], "countries": ["ML"]},
    {"name": "Centre international de développement et de recherche", "acronym": "CIDR",
     "fr": "ONG qui appuie la création de réseaux de mutuelles de santé ; point focal en Guinée et au "
           "Cameroun avec d'autres organisations.",
     "en": "An NGO supporting networks of mutual health organizations; focal point in Guinea and Cameroon "
           "with other organizations.",
     "roles": [(R.SUPPORTING_STRUCTURE, None), (R.FOCAL_POINT, "GN"), (R.FOCAL_POINT, "CM")],
     "countries": ["GN", "CM"]},
    {"name": "Caritas (Dar Naïm)",
     "fr": "Point focal en Mauritanie.", "en": "Focal point in Mauritania.",
     "roles": [(R.FOCAL_POINT, "MR"), (R.SUPPORTING_STRUCTURE, "MR")], "countries": ["MR"]},
    {"name": "Mutuelle de Nylon",
     "fr": "Mutuelle de santé de Douala ; point focal au Cameroun avec d'autres.",
     "en": "A mutual health organization in Douala; focal point in Cameroon with others.",
     "roles": [(R.FOCAL_POINT, "CM")], "countries": ["CM"]},
    {"name": "Alliance Santé", "fr": "Point focal au Bénin avec d'autres organisations.",
     "en": "Focal point in Benin with other organizations.",
     "roles": [(R.FOCAL_POINT, "BJ")], "countries": ["BJ"]},
    {"name": "Maison de la mutualité",
     "fr": "Structure d'appui aux mutuelles du Bénin ; point focal avec d'autres.",
     "en": "A support structure for Benin's mutuals; focal point with others.",
     "roles": [(R.FOCAL_POINT, "BJ"), (R.SUPPORTING_STRUCTURE, "BJ")], "countries": ["BJ"]},
    {"name": "Louvain Développement", "fr": "ONG universitaire belge ; point focal au Togo.",
     "en": "A Belgian university NGO; focal point in Togo.",
     "roles": [(R.FOCAL_POINT, "TG"), (R.SUPPORTING_STRUCTURE, None)], "countries": ["TG"]},
    {"name": "SIGEM", "fr": "Point focal en Côte d'Ivoire.", "en": "Focal point in Côte d'Ivoire.",
     "roles": [(R.FOCAL_POINT, "CI")], "countries": ["CI"]},
    {"name": "Ministère du Travail et de la Sécurité sociale — Direction de la protection sociale",
     "fr": "Point focal au Burkina Faso.", "en": "Focal point in Burkina Faso.",
     "roles": [(R.FOCAL_POINT, "BF")], "countries": ["BF"]},
    {"name": "Mutualité de la fonction publique", "fr": "Point focal au Burundi.",
     "en": "Focal point in Burundi.", "roles": [(R.FOCAL_POINT, "BI")], "countries": ["BI"]},
    # National committees (invented for the demo).
    *[{"name": f"Comité national de la Concertation — {name} (démo)",
       "fr": f"Acteurs nationaux et internationaux des mutuelles de santé réunis pour se concerter ({name}).",
       "en": f"National and international actors of mutual health organizations working together ({name}).",
       "email": f"comite-{code.lower()}@example.org",
       "roles": [(R.NATIONAL_COMMITTEE, code)], "countries": [code]}
      for code, name in [("SN", "Sénégal"), ("ML", "Mali"), ("BJ", "Bénin"), ("BF", "Burkina Faso")]],
]


def load(report) -> None:
    countries = {c.code: c for c in Country.objects.all()}
    created = 0
    for entry in ORGANIZATIONS:
        wanted_countries = {code for code in entry["countries"] if code in countries}
        wanted_roles = [(role, code) for role, code in entry["roles"] if code is None or code in countries]
        organization = find_organization(entry["name"], entry.get("acronym", ""))
        if organization is None:
            organization = SupportingOrganization(name=entry["name"], acronym=entry.get("acronym", ""))
            created += 1
        for field, value in [("website", entry.get("website", "")), ("email", entry.get("email", "")),
                             ("description_fr", entry["fr"]), ("description_en", entry["en"]),
                             ("acronym", entry.get("acronym", ""))]:
            if value and not getattr(organization, field):
                setattr(organization, field, value)
        organization.save()
        organization.countries.add(*(countries[code] for code in wanted_countries))
        for role, code in wanted_roles:
            OrganizationRole.objects.get_or_create(
                organization=organization, role=role, country=countries.get(code) if code else None,
            )
        organization_sync(organization=organization)
    report.add(f"Directory: {created} organizations created, "
               f"{SupportingOrganization.objects.count()} in all.")
