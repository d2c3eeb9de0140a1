from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from portal.accounts.permissions import can
from portal.i18n import keys_by_name, name_field

from ..opendata import peers
from ..registry.filters import SERVICES, MutualFilter
from ..registry.selectors import (
    disclosure_scores,
    disclosure_year,
    mutual_benchmark,
    mutual_profile,
    public_mutuals,
    with_latest_figures,
)

PER_PAGE = 50
# The columns of a mutual's evolution table (contract names, in this order).
PROFILE_COLUMNS = [
    "members", "beneficiaries", "target_population", "contributions_collected", "benefits_paid",
    "penetration_rate", "growth_rate", "renewal_rate", "collection_rate", "claims_ratio",
]


def mutual_list(request):
    """The public directory of mutuals, filtered by the query string (bad values: 400)."""
    filterset = MutualFilter(request.GET or None, queryset=public_mutuals())
    valid = filterset.is_valid() if filterset.is_bound else True
    mutuals = filterset.qs if valid else public_mutuals().none()
    page = Paginator(keys_by_name(mutuals, name_field("country__"), "name"), PER_PAGE).get_page(
        request.GET.get("page"))
    listed = with_latest_figures(mutuals).in_bulk(page.object_list)
    page.object_list = [listed[key] for key in page.object_list]
    year = disclosure_year()
    scores = disclosure_scores(page.object_list, year)
    for mutual in page.object_list:
        mutual.disclosure_score = scores.get(mutual.pk)
    context = {"filter": filterset, "page": page, "disclosure_year": year}
    return render(request, "inventory/mutual_list.html", context, status=200 if valid else 400)


def mutual_detail(request, mutual_id):
    """A mutual's public profile. Its contact person is shown only to who works on its returns."""
    mutual = get_object_or_404(public_mutuals(), mutual_id=mutual_id)
    profile = mutual_profile(mutual)
    # Among its peers: a validated year (?year=, by default the latest), as on the report page.
    years = [row["year"] for row in reversed(profile["rows"])]
    asked = request.GET.get("year", "")
    year = int(asked) if asked.isdigit() and int(asked) in years else (years[0] if years else None)
    context = {
        "mutual": mutual,
        **profile,
        "benchmark": mutual_benchmark(mutual, year) if year else None,
        "benchmark_years": years,
        "min_peers": peers.MIN_PEERS,
        "can_view_report": can(request.user, "view_peer_benchmark", mutual=mutual),
        "services": SERVICES,
        "profile_columns": PROFILE_COLUMNS,
        "show_contact_person": can(request.user, "view_return_history", mutual=mutual),
        "supporting_organizations": mutual.supporting_organizations.all(),
    }
    return render(request, "inventory/mutual_detail.html", context)
