"""Reads that shape inventory data for pages."""

from django.db.models import OuterRef, Subquery

from .exports import return_row
from .filters import SERVICES
from .models import Mutual, YearlyReturn


def public_mutuals():
    """Public mutuals with their latest validated return's year, status and services covered."""
    latest = YearlyReturn.objects.validated().filter(mutual=OuterRef("pk")).order_by("-year")
    annotations = {"latest_year": Subquery(latest.values("year")[:1]),
                   "latest_status": Subquery(latest.values("status")[:1])}
    for service, _label in SERVICES:
        annotations[f"latest_{service}"] = Subquery(latest.values(service)[:1])
    return Mutual.objects.public().select_related("country", "union").annotate(**annotations)


def mutual_profile(mutual: Mutual) -> dict:
    """What a mutual's public page shows: its validated years as rows of the returns table
    (indicators included, oldest first) and the latest of them."""
    validated = list(mutual.returns.validated().order_by("year"))
    by_year = {r.year: r for r in validated}
    rows = [return_row(r, by_year.get(r.year - 1)) for r in validated]
    return {"rows": rows, "latest": rows[-1] if rows else None}
