"""The knowledge map's pages (`portal.home.themes`): the themes overview and a page per theme, with
its RSS and Atom feeds (`theme_feeds`). Public pages: they show only public content."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from portal.reference.models import Country, Theme

from . import themes


@require_safe
def overview(request):
    countries, rows = themes.overview_matrix()
    return render(request, "home/themes_overview.html", {"countries": countries, "rows": rows})


@require_safe
def detail(request, slug):
    """A theme's page; `?country=ML` keeps what is about that country (an unknown code is a 404)."""
    theme = get_object_or_404(Theme, slug=slug.lower())
    country = None
    code = request.GET.get("country", "")
    if code:
        country = Country.objects.filter(code=code.upper()[:3]).first()
        if country is None:
            raise Http404("unknown country")
    context = {"theme": theme, "country": country, **themes.theme_page(theme, country)}
    return render(request, "home/theme_page.html", context)
