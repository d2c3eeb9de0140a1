"""The inventory's public synthesis pages: the overview (key figures, the map, the trends), a page
per country, the glossary of the indicators, and the CSV of the figures behind every chart.

Everything is read from the cached synthesis (`synthesis.current_synthesis`, recomputed at the next
read after any change), plus one country's returns of one year for its distributions. Bad query
strings are a 400 with the form's message, an unknown country or chart a 404.
"""

from urllib.parse import urlencode

from django import forms
from django.db.models import Count
from django.http import Http404, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from portal.accounts.permissions import require
from portal.core import country_sections
from portal.core.spreadsheets import csv_stream
from portal.core.views import csv_download
from portal.i18n import by_name, keys_by_name
from portal.reference.models import Country
from portal.site_url import public_url

from ..contract import schema
from ..models import Mutual, YearlyReturn
from ..opendata import drawing, figures
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

    def __init__(self, data, *, years, default_year=None, provisional=()):
        # Unbound, the form shows what the page shows: the default measure and the latest final year.
        self.default_year = default_year if default_year is not None else (years[-1] if years else None)
        super().__init__(data, initial={"measure": figures.DEFAULT_MEASURE, "year": self.default_year})
        self.fields["measure"].choices = [(m, column_label(m)) for m in figures.MAP_MEASURES]
        self.fields["year"].choices = [
            (y, _("%(year)s (provisional)") % {"year": y} if y in provisional else str(y))
            for y in reversed(years)]

    def choice(self, year_list):
        """(measure, year) asked for, the defaults for what is missing or invalid."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        year = data.get("year") or self.default_year
        return data.get("measure") or figures.DEFAULT_MEASURE, year


def _network_codes() -> list[str]:
    return list(Country.objects.in_network().values_list("code", flat=True))


def _overview_form(data, rows) -> OverviewForm:
    return OverviewForm(data, years=figures.years(rows), default_year=figures.default_year(rows),
                        provisional=figures.provisional_years(rows))


MAP_PARAMETERS = ("measure", "year")  # the overview's query that its map shows


def _page_query(request, form) -> str:
    """The overview's own query as its address spells it (the map's measure and year, in the order
    given), "" when absent or not valid (the page shows the defaults then)."""
    if not form.is_bound or not form.is_valid():
        return ""
    return urlencode([(k, v) for k, v in request.GET.items() if k in MAP_PARAMETERS])


def _map(rows, measure, year, *, link=_country_link, link_cards=True, page_query=None,
         card_page="") -> figures.Figure:
    """The overview's map for `measure` and `year`. With `page_query` (the page's own query, maybe
    ""), the page draws it in a frame (`frame`: the map's drawing for that query), each country
    opening its card on the page; with `card_page`, this is that frame's drawing."""
    figure = figures.map_figure(rows, year=year, measure=measure, countries=_inventory_countries(),
                                link=link, focus=_network_codes(), link_cards=link_cards,
                                card_page=card_page)
    query = "?" + urlencode({"measure": measure, "year": year})
    figure.csv_url = reverse("inventory:overview_csv", args=["map"]) + query
    svg = reverse("inventory:overview_svg", args=["map"])
    links = {"id": "map-chart", "share": reverse("inventory:overview") + query + "#map-chart",
             "download": svg + query}
    if page_query is not None:
        links["frame"] = figures.drawing_url(svg + ("?" + page_query if page_query else ""), "narrow")
    figure.chart_links = [links]
    return figure


def _trends(rows) -> list[figures.Figure]:
    result = figures.trend_figures(rows)
    for figure in result:
        figure.csv_url = reverse("inventory:overview_csv", args=[figure.slug])
        figure.chart_links = [{"id": f"trend-{figure.slug}",
                               "share": reverse("inventory:overview") + f"#trend-{figure.slug}",
                               "download": reverse("inventory:overview_svg", args=[figure.slug])}]
    return result


@require_safe
def overview(request):
    """Key figures for a year (the latest final year by default, the provisional one a click away),
    Africa shaded by a chosen measure, and the trends over every year, each chart with its table
    and CSV."""
    rows = _rows()
    year_list = figures.years(rows)
    form = _overview_form(request.GET or None, rows)
    valid = not form.is_bound or form.is_valid()
    measure, year = form.choice(year_list)
    context = {"form": form, "year": year, "inventory_section": True}
    if year is not None:
        headline = figures.headline(rows, "ALL", year)
        kept = {"measure": measure} if measure != figures.DEFAULT_MEASURE else {}
        context.update(
            headline=headline,
            other_url=_other_year_url(headline, kept),
            key_figures=headline["items"],
            response_rate=headline["response_rate"],
            map=_map(rows, measure, year, page_query=_page_query(request, form)),
            trends=_trends(rows),
        )
    return render(request, "inventory/overview.html", context, status=200 if valid else 400)


def _other_year_url(headline: dict, query: dict) -> str:
    """The link to the other year of `headline` (its provisional or its final year), on this page."""
    if not headline["other"]:
        return ""
    return "?" + urlencode({**query, "year": headline["other"]["year"]}) + "#key-figures"


def _csv_response(figure: figures.Figure, filename: str) -> StreamingHttpResponse:
    response = csv_download(csv_stream(figure.csv_lines(), format_value=format_cell, lineterminator="\n"),
                            filename)
    response["Cache-Control"] = "no-cache"  # changes with every validation
    return response


def _bad_request(form) -> HttpResponseBadRequest:
    problems = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())
    return HttpResponseBadRequest(problems, content_type="text/plain; charset=utf-8")


class BadDrawing(Exception):
    """A `drawing` that is not one of `figures.DRAWINGS` (a 400 with the reason)."""


def _drawing_asked(request) -> str | None:
    """The `drawing` asked for (one of `figures.DRAWINGS`: the chart as the page shows it), None for
    the file to share; a 400 on any other value."""
    value = request.GET.get("drawing")
    if value is None:
        return None
    if value not in figures.DRAWINGS:
        raise BadDrawing(_("drawing: give one of %(names)s.") % {"names": ", ".join(figures.DRAWINGS)})
    return value


def _drawing_response(svg: str, *, stylesheet: str = "") -> HttpResponse:
    """A chart as the page shows it, loaded after the page (an image, the map's frame). No
    `Cache-Control` of its own: an anonymous visitor's copy is kept and revalidated as the pages are
    (`portal.core.page_cache`: an `ETag`, a 304 until the inventory changes)."""
    return HttpResponse(drawing.page_drawing(svg, stylesheet=stylesheet),
                        content_type="image/svg+xml; charset=utf-8")


def _bad_drawing(error: BadDrawing) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")


def _svg_response(request, svg: str, figure: figures.Figure, position: int, filename: str, *,
                  title: str = "") -> HttpResponse:
    """The chart as a file to share: its title above, below it the source and the page it is on."""
    links = figure.chart_links[position] if figure.chart_links else {}
    page = public_url(links["share"]) if links.get("share") else ""
    source = _("Source: the inventory of mutual health organizations of West and Central Africa, "
               "validated returns. %(page)s") % {"page": page}
    response = HttpResponse(drawing.standalone_svg(svg, title=title or figure.title, source=source.strip()),
                            content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-cache"  # changes with every validation
    return response


def _overview_figure(request, slug, rows, *, for_file=False, in_frame=False):
    """(figure, file name stem) of one of the overview's charts, the map's for the query's `measure`
    and `year` (`in_frame`: the map of the page's frame, opening the cards of the page of that
    query); a 400 response instead when the query is not valid."""
    if slug == "map":
        year_list = figures.years(rows)
        query = request.GET.copy()
        query.pop("drawing", None)
        form = _overview_form(query or None, rows)
        if form.is_bound and not form.is_valid():
            return _bad_request(form), ""
        measure, year = form.choice(year_list)
        if year is None:
            raise Http404(_("No validated return yet."))
        if in_frame:
            page_query = urlencode([(k, v) for k, v in query.items() if k in MAP_PARAMETERS])
            page = reverse("inventory:overview") + ("?" + page_query if page_query else "")
            figure = _map(rows, measure, year, card_page=page)
        elif for_file:  # a file has no cards to open: each country links to its page
            figure = _map(rows, measure, year, link_cards=False,
                          link=lambda code: public_url(_country_link(code)))
        else:
            figure = _map(rows, measure, year)
        return figure, f"inventory-map-{measure}-{year}"
    trends = {f.slug: f for f in _trends(rows)}
    if slug not in trends:
        raise Http404(_("There is no such chart."))
    return trends[slug], f"inventory-trend-{slug}"


@require_safe
def overview_csv(request, slug):
    """The figures of one of the overview's charts as CSV (the map's for `measure` and `year`)."""
    require(request, "download_public_data")
    figure, stem = _overview_figure(request, slug, _rows())
    if isinstance(figure, HttpResponse):
        return figure
    return _csv_response(figure, f"{stem}.csv")


@require_safe
def overview_svg(request, slug):
    """One of the overview's charts alone, as an SVG file (the map's for `measure` and `year`, its
    countries linking to their pages); the wide drawing where there is one. With `drawing` (narrow or
    wide), the chart as the overview shows it, which the page loads after itself."""
    require(request, "download_public_data")
    try:
        size = _drawing_asked(request)
    except BadDrawing as error:
        return _bad_drawing(error)
    figure, stem = _overview_figure(request, slug, _rows(), for_file=size is None, in_frame=size is not None)
    if isinstance(figure, HttpResponse):
        return figure
    if size is not None:  # as the page shows it: the map in its frame, a trend as an image
        if slug == "map":
            return _drawing_response(figure.charts[0], stylesheet=static("css/map.css"))
        return _drawing_response((figure.wide_charts if size == "wide" else figure.charts)[0])
    return _svg_response(request, (figure.wide_charts or figure.charts)[0], figure, 0, f"{stem}.svg")


# --- A country ----------------------------------------------------------------------------------

def _country_figures(country: Country, rows: list[dict], year: int | None = None) -> dict:
    """Everything a country page draws, from its synthesis rows and one year's returns: `year` if it
    has validated returns, else its latest final year (`figures.headline`)."""
    own = [r for r in rows if r["country"] == country.code]
    if not own:
        return {"latest": None}
    headline = figures.headline(own, country.code, year)
    latest = headline["year"]
    frame = returns_frame(YearlyReturn.objects.public().filter(mutual__country=country, year=latest))
    currencies = frame["currency"].dropna()
    currency = currencies.mode().iloc[0] if not currencies.empty else country.currency
    result = {
        "latest": latest,
        "headline": headline,
        "latest_row": figures.row_for(own, country.code, latest),
        "provisional_years": figures.provisional_years(own),
        "synthesis": figures.synthesis_figure(own, schema.published_column_names("synthesis")),
        "distributions": figures.distributions_figure(frame, year=latest, currency=currency),
        "status": figures.status_figure(figures.row_for(own, country.code, latest), year=latest),
        "type": figures.type_figure(frame, year=latest),
    }
    page = reverse("inventory:country", args=[country.code])
    # The year asked for (not the default one) stays in the addresses of its charts and their files.
    asked = {"year": latest} if year is not None and year == latest else {}
    for slug in ("synthesis", "distributions", "status", "type"):
        result[slug].csv_url = reverse("inventory:country_csv", args=[country.code, slug])
        if slug != "synthesis" and asked:
            result[slug].csv_url += "?" + urlencode(asked)
    for slug in ("status", "type"):
        svg = reverse("inventory:country_svg", args=[country.code, slug])
        result[slug].chart_links = [{"id": f"chart-{slug}", "share": f"{page}#chart-{slug}",
                                     "download": svg + ("?" + urlencode(asked) if asked else "")}]
    svg = reverse("inventory:country_svg", args=[country.code, "distributions"])
    result["distributions"].chart_links = [
        {"id": f"chart-{name}", "share": f"{page}#chart-{name}",
         "download": svg + "?" + urlencode({"indicator": name, **asked})}
        for name in figures.DISTRIBUTED]
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
        **_country_figures(country, _rows(), _year_asked(request)),
        "sections": country_sections.sections(country, request),
    }
    if context["latest"] is not None:
        context["key_figures"] = context["headline"]["items"]
        context["other_url"] = _other_year_url(context["headline"], {})
        context["response_rate"] = context["headline"]["response_rate"]
    return render(request, "inventory/country.html", context)


def _year_asked(request) -> int | None:
    """The `year` of a country page's query string; None (the default year) when absent or not a
    year the country has figures for."""
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and len(value) == 4 else None


@require_safe
def country_csv(request, code, slug):
    """The figures of one of a country page's tables or charts as CSV."""
    require(request, "download_public_data")
    country = _country_or_404(code)
    found = _country_figures(country, _rows(), _year_asked(request))
    if slug not in ("synthesis", "distributions", "status", "type") or found["latest"] is None:
        raise Http404(_("There is no such chart."))
    return _csv_response(found[slug], f"inventory-{country.code}-{slug}.csv")


@require_safe
def country_svg(request, code, slug):
    """One of a country page's charts alone, as an SVG file, for the `year` asked for (the default
    year otherwise); for the distributions, the chart of the `indicator` asked for (a 400 naming the
    indicators when it is missing or unknown). With `drawing` (narrow or wide), the chart as the
    country page shows it, which the page loads after itself."""
    require(request, "download_public_data")
    try:
        size = _drawing_asked(request)
    except BadDrawing as error:
        return _bad_drawing(error)
    country = _country_or_404(code)
    if slug not in ("distributions", "status", "type"):
        raise Http404(_("There is no such chart."))
    found = _country_figures(country, _rows(), _year_asked(request))
    if found["latest"] is None:
        raise Http404(_("There is no such chart."))
    figure = found[slug]
    position = 0
    if slug == "distributions":
        indicator = request.GET.get("indicator", "")
        if indicator not in figures.DISTRIBUTED:
            return HttpResponseBadRequest(
                _("indicator: give one of %(names)s.") % {"names": ", ".join(figures.DISTRIBUTED)},
                content_type="text/plain; charset=utf-8")
        position = figures.DISTRIBUTED.index(indicator)
        slug = f"{slug}-{indicator}"
    if size is not None:  # as the country page shows it, which loads it after itself
        drawings = figure.wide_charts if size == "wide" and figure.wide_charts else figure.charts
        return _drawing_response(drawings[position])
    return _svg_response(request, (figure.wide_charts or figure.charts)[position], figure, position,
                         f"inventory-{country.code}-{slug}-{found['latest']}.svg",
                         title=_("%(country)s: %(chart)s") % {"country": country.name, "chart": figure.title})


@require_safe
def glossary(request):
    """What each figure of the synthesis means, how it is computed and how to read it."""
    return render(request, "inventory/glossary.html", {"entries": ENTRIES, "inventory_section": True})
