"""The inventory's public synthesis pages: the overview (key figures, the map, the trends), a page
per country, the glossary of the indicators, and the CSV of the figures behind every chart.

Everything is read from the cached synthesis (`synthesis.current_synthesis`, recomputed at the next
read after any change), plus one country's returns of one year for its distributions. Bad query
strings are a 400 with the form's message, an unknown country or chart a 404.
"""

from urllib.parse import urlencode

from django import forms
from django.db.models import Count
from django.http import Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from portal.accounts.permissions import require
from portal.core import country_sections
from portal.core.spreadsheets import csv_stream
from portal.i18n import by_name, keys_by_name
from portal.reference.models import Country

from ..contract import schema
from ..models import Mutual, YearlyReturn
from ..opendata import figures
from ..opendata.exports import format_cell
from ..opendata.glossary import ENTRIES, column_label
from ..opendata.synthesis import current_synthesis, returns_frame, synthesis_rows
from ..registry.selectors import public_mutuals

MUTUALS_LISTED = 50  # on a country page; the directory lists them all


def _rows() -> list[dict]:
    return list(synthesis_rows(current_synthesis()))


def _inventory_country_list():
    """The countries of the inventory: the network's and any other with a public mutual (every ISO
    country is in the table; these are the ones with a page)."""
    return Country.objects.in_network_or(Mutual.objects.public().values("country_id"))


def _inventory_countries() -> dict[str, str]:
    """Code -> name (reader's language) of the countries of the inventory."""
    return {c.code: c.name for c in _inventory_country_list()}


def _country_link(code: str) -> str:
    return reverse("inventory:country", args=[code])


class OverviewForm(forms.Form):
    """The map's measure and the year of the key figures and the map (both optional)."""

    measure = forms.ChoiceField(label=gettext_lazy("Shade the map by"), required=False)
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int, required=False, empty_value=None)

    def __init__(self, data, *, years):
        # Unbound, the form shows what the page shows: the default measure and the latest year.
        super().__init__(data, initial={"measure": figures.DEFAULT_MEASURE,
                                        "year": years[-1] if years else None})
        self.fields["measure"].choices = [(m, column_label(m)) for m in figures.MAP_MEASURES]
        self.fields["year"].choices = [(y, str(y)) for y in reversed(years)]

    def choice(self, year_list):
        """(measure, year) asked for, the defaults for what is missing or invalid."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        year = data.get("year") or (year_list[-1] if year_list else None)
        return data.get("measure") or figures.DEFAULT_MEASURE, year


def _map(rows, measure, year) -> figures.Figure:
    figure = figures.map_figure(rows, year=year, measure=measure, countries=_inventory_countries(),
                                link=_country_link)
    figure.csv_url = reverse("inventory:overview_csv", args=["map"]) + "?" + urlencode(
        {"measure": measure, "year": year})
    return figure


def _trends(rows) -> list[figures.Figure]:
    result = figures.trend_figures(rows)
    for figure in result:
        figure.csv_url = reverse("inventory:overview_csv", args=[figure.slug])
    return result


@require_safe
def overview(request):
    """Key figures for a year (the latest by default), Africa shaded by a chosen measure, and the
    trends over every year, each chart with its table and CSV."""
    rows = _rows()
    year_list = figures.years(rows)
    form = OverviewForm(request.GET or None, years=year_list)
    valid = not form.is_bound or form.is_valid()
    measure, year = form.choice(year_list)
    context = {"form": form, "year": year, "inventory_section": True}
    if year is not None:
        everywhere = figures.row_for(rows, "ALL", year)
        context.update(
            key_figures=figures.key_figures(everywhere),
            response_rate=figures.Cell(everywhere["response_rate"], "percent").text,
            map=_map(rows, measure, year),
            trends=_trends(rows),
        )
    return render(request, "inventory/overview.html", context, status=200 if valid else 400)


def _csv_response(figure: figures.Figure, filename: str) -> StreamingHttpResponse:
    lines = csv_stream(figure.csv_lines(), format_value=format_cell, lineterminator="\n")
    response = StreamingHttpResponse((line.encode("utf-8") for line in lines),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-cache"  # changes with every validation
    return response


@require_safe
def overview_csv(request, slug):
    """The figures of one of the overview's charts as CSV (the map's for `measure` and `year`)."""
    require(request, "download_public_data")
    rows = _rows()
    if slug == "map":
        year_list = figures.years(rows)
        form = OverviewForm(request.GET or None, years=year_list)
        if form.is_bound and not form.is_valid():
            problems = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())
            return HttpResponseBadRequest(problems, content_type="text/plain; charset=utf-8")
        measure, year = form.choice(year_list)
        if year is None:
            raise Http404(_("No validated return yet."))
        return _csv_response(_map(rows, measure, year), f"inventory-map-{measure}-{year}.csv")
    trends = {f.slug: f for f in figures.trend_figures(rows)}
    if slug not in trends:
        raise Http404(_("There is no such chart."))
    return _csv_response(trends[slug], f"inventory-trend-{slug}.csv")


# --- A country ----------------------------------------------------------------------------------

def _country_figures(country: Country, rows: list[dict]) -> dict:
    """Everything a country page draws, from its synthesis rows and its latest year's returns."""
    own = [r for r in rows if r["country"] == country.code]
    if not own:
        return {"latest": None}
    latest = max(r["year"] for r in own)
    frame = returns_frame(YearlyReturn.objects.public().filter(mutual__country=country, year=latest))
    currencies = frame["currency"].dropna()
    currency = currencies.mode().iloc[0] if not currencies.empty else country.currency
    result = {
        "latest": latest,
        "latest_row": figures.row_for(own, country.code, latest),
        "synthesis": figures.synthesis_figure(own, schema.column_names("synthesis")),
        "distributions": figures.distributions_figure(frame, year=latest, currency=currency),
        "status": figures.status_figure(figures.row_for(own, country.code, latest), year=latest),
        "type": figures.type_figure(frame, year=latest),
    }
    for slug in ("synthesis", "distributions", "status", "type"):
        result[slug].csv_url = reverse("inventory:country_csv", args=[country.code, slug])
    result["years"], result["groups"] = figures.synthesis_table(own)
    return result


def _country_or_404(code: str) -> Country:
    if len(code) != 2 or not code.isalpha():
        raise Http404(_("There is no such country."))
    # Another country (ISO knows 249) has no page until one of its mutuals is public.
    return get_object_or_404(_inventory_country_list(), code=code.upper())


@require_safe
def country_list(request):
    """The countries of the inventory (the network's and any other with a public mutual), each with
    its focal point and its number of public mutuals, linking to its page."""
    codes = _inventory_countries()
    counts = dict(
        Mutual.objects.public().filter(country__in=codes).values_list("country").annotate(n=Count("pk"))
    )
    countries = by_name(Country.objects.filter(code__in=codes))
    for item in countries:
        item.mutuals_count = counts.get(item.code, 0)
    return render(request, "inventory/country_list.html",
                  {"countries": countries, "inventory_section": True})


@require_safe
def country(request, code):
    """A country's synthesis for every year with its denominators, the indicators' distributions and
    the counts by type and status for its latest year, its mutuals and its focal point, and the
    sections other apps register (`portal.core.country_sections`: organizations, resources…)."""
    country = _country_or_404(code)
    if code != country.code:
        return redirect("inventory:country", country.code)
    mutuals = public_mutuals().filter(country=country)
    keys = keys_by_name(mutuals, "name")
    listed = mutuals.in_bulk(keys[:MUTUALS_LISTED])
    context = {
        "country": country,
        "inventory_section": True,
        "mutuals": [listed[key] for key in keys[:MUTUALS_LISTED]],
        "mutuals_count": len(keys),
        "directory_url": reverse("inventory:mutual_list") + "?" + urlencode({"country": country.code}),
        **_country_figures(country, _rows()),
        "sections": country_sections.sections(country, request),
    }
    if context["latest"] is not None:
        context["key_figures"] = figures.key_figures(context["latest_row"])
        context["response_rate"] = figures.Cell(context["latest_row"]["response_rate"], "percent").text
    return render(request, "inventory/country.html", context)


@require_safe
def country_csv(request, code, slug):
    """The figures of one of a country page's tables or charts as CSV."""
    require(request, "download_public_data")
    country = _country_or_404(code)
    found = _country_figures(country, _rows())
    if slug not in ("synthesis", "distributions", "status", "type") or found["latest"] is None:
        raise Http404(_("There is no such chart."))
    return _csv_response(found[slug], f"inventory-{country.code}-{slug}.csv")


@require_safe
def glossary(request):
    """What each figure of the synthesis means, how it is computed and how to read it."""
    return render(request, "inventory/glossary.html", {"entries": ENTRIES, "inventory_section": True})
