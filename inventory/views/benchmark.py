"""A mutual's peer benchmark: the one-page report of a validated year (the mutual's reporters, its
country's focal points, the secretariat), which the "validated" e-mail links to."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from portal.accounts.permissions import can, require

from ..models import Mutual
from ..opendata import peers
from ..registry.selectors import benchmark_years, mutual_benchmark


@login_required
def return_benchmark(request, mutual_id, year):
    mutual = get_object_or_404(Mutual.objects.select_related("country", "union"), mutual_id=mutual_id)
    require(request, "view_peer_benchmark", mutual=mutual)
    benchmark = mutual_benchmark(mutual, year)
    if benchmark is None:
        raise Http404("No validated return that year")
    return render(request, "inventory/benchmark.html", {
        "mutual": mutual, "year": year, "benchmark": benchmark, "years": benchmark_years(mutual),
        "min_peers": peers.MIN_PEERS, "can_edit": can(request.user, "edit_return", mutual=mutual),
    })
