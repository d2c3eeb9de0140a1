"""The demo's studies using the inventory: a release of the demo inventory to cite, and two declared
studies the secretariat has accepted (written for the demo: no real publication, example.org links,
no DOI). The release's files are frozen by the worker that `make run` starts (its safety-net refresh
builds the releases waiting for their files): the loader itself builds nothing."""

from django.utils import timezone

RELEASE_NAME, RELEASE_SLUG, RELEASE_VERSION = "Inventaire 2024", "inventaire-2024", "1.0"

STUDIES = [
    {
        "title": "Renouvellement des adhésions dans les mutuelles communautaires du Sénégal : "
                 "une lecture de l'inventaire (démo)",
        "authors": "Équipe de recherche en protection sociale (démo)",
        "year": 2025, "language": "fr",
        "link": "https://example.org/demo/etudes/renouvellement-adhesions",
    },
    {
        "title": "Claims ratios of community health mutuals in West Africa, read from the network's open "
                 "inventory (demo)",
        "authors": "Health Financing Study Group (demo)",
        "year": 2025, "language": "en",
        "link": "https://example.org/demo/studies/claims-ratios",
    },
]


def load(report) -> None:
    """Once: skipped when a release exists already (the secretariat's own, or an earlier run's). The
    release is recorded once the loader's transaction commits: it freezes the inventory's version as
    loaded (the import's changes count once committed), which the worker then builds."""
    from django.db import transaction

    from inventory.models import Release, YearlyReturn
    from library.models import StudyDeclaration
    from library.services import study_accept, study_declare
    from portal.core.studies import CitableRelease

    if Release.objects.exists() or not YearlyReturn.objects.public().exists():
        return
    cited = CitableRelease(key=f"{RELEASE_SLUG}/{RELEASE_VERSION}",
                           label=f"{RELEASE_NAME} v{RELEASE_VERSION}")
    for study in STUDIES:
        if StudyDeclaration.objects.filter(title=study["title"]).exists():
            continue
        declaration = study_declare(**study, doi="", release=cited, email="declarant.demo@example.org")
        study_accept(declaration, user=None)
    transaction.on_commit(publish_release)
    report.add(f"Demo open data: {cited.label} published (its files are frozen by the worker), "
               f"cited by {len(STUDIES)} accepted studies using the inventory.")


def publish_release() -> None:
    from inventory.models import InventoryState, Release, YearlyReturn

    Release.objects.get_or_create(
        slug=RELEASE_SLUG, version=RELEASE_VERSION,
        defaults={"name": RELEASE_NAME, "published_at": timezone.now().replace(microsecond=0),
                  "inventory_version": InventoryState.current_version(),
                  "returns_count": YearlyReturn.objects.public().count(), "synthesis_count": 0},
    )
