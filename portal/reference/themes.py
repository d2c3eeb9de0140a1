"""The network's themes, as the seeding writes them: the subjects of its work that the library, the
news, the calendar and people's interests are classified by (`../shared/DOMAIN.md`).

`seed_themes` (migration 0003) creates them in an empty table only: a database that already holds
themes (an upgraded one) is the secretariat's list, which may have deleted some of these or keep the
same subject under another slug ("finance" for "financing"), so it adds none there. The demo, whose
content names its themes by slug, puts back the missing ones with `add_missing_themes`; neither ever
touches an existing theme (the secretariat may have renamed it). The secretariat adds, renames or
removes themes in the admin; an import may add new ones.
"""

# (slug, French name, English name)
THEMES = [
    ("financing", "Financement", "Financing"),
    ("governance", "Gouvernance", "Governance"),
    ("technical-management", "Gestion technique", "Technical management"),
    ("contracting", "Contractualisation avec les prestataires", "Contracting with providers"),
    ("legal-framework", "Cadre juridique", "Legal framework"),
    ("microfinance", "Lien avec la microfinance", "Microfinance linkage"),
    ("uhc", "Couverture sanitaire universelle", "Universal health coverage"),
    ("feasibility", "Études de faisabilité", "Feasibility studies"),
    ("monitoring-evaluation", "Suivi et évaluation", "Monitoring and evaluation"),
]

# The network's themes in Portuguese, by slug (a theme the secretariat adds shows its French name to
# Portuguese readers until it is given one here).
PORTUGUESE_NAMES = {
    "financing": "Financiamento",
    "governance": "Governação",
    "technical-management": "Gestão técnica",
    "contracting": "Contratualização com os prestadores",
    "legal-framework": "Quadro jurídico",
    "microfinance": "Ligação com as microfinanças",
    "uhc": "Cobertura universal de saúde",
    "feasibility": "Estudos de viabilidade",
    "monitoring-evaluation": "Monitorização e avaliação",
}


def add_missing_themes(theme_model) -> int:
    """Create the network's themes whose slug is missing from `theme_model`'s table (the demo, whose
    content names them by slug); returns how many were created."""
    existing = set(theme_model.objects.values_list("slug", flat=True))
    missing = [theme_model(slug=slug, name_fr=name_fr, name_en=name_en)
               for slug, name_fr, name_en in THEMES if slug not in existing]
    theme_model.objects.bulk_create(missing)
    return len(missing)


def seed_themes(theme_model) -> int:
    """Create the network's themes if `theme_model`'s table (a historical model in a migration) holds
    none; a table with themes is left as it is. Returns how many were created."""
    if theme_model.objects.exists():
        return 0
    return add_missing_themes(theme_model)
