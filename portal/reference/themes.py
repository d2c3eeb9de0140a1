"""The network's themes, as the seeding writes them: the subjects of its work that the library, the
news, the calendar and people's interests are classified by (`../shared/DOMAIN.md`).

`seed_themes` creates the themes missing from the table and never touches an existing one (the
secretariat may have renamed it): on an upgraded database it only adds; run twice it adds nothing.
The secretariat adds, renames or removes themes in the admin; an import may add new ones.
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


def seed_themes(theme_model) -> int:
    """Create the network's themes missing from `theme_model`'s table (a historical model in a
    migration); returns how many were created."""
    existing = set(theme_model.objects.values_list("slug", flat=True))
    missing = [theme_model(slug=slug, name_fr=name_fr, name_en=name_en)
               for slug, name_fr, name_en in THEMES if slug not in existing]
    theme_model.objects.bulk_create(missing)
    return len(missing)
