"""The site search's page (`search`): every kind grouped, or all the results of one kind, paginated.
What it finds and how: `portal.home.search`."""

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from portal.core.forms import SearchForm

from . import search as site_search

RESULTS_PER_PAGE = 10


class SiteSearchForm(SearchForm):
    kind = forms.ChoiceField(
        label=_("Only"), required=False,
        choices=[("", _("Everything")), *((kind, label) for kind, label in site_search.KINDS.items())],
    )


@require_safe
def search(request):
    """Any text typed gets results or none, never an error; a query longer than the form allows, or
    an unknown kind, is a 400 that says so."""
    form = SiteSearchForm(request.GET or None)
    valid = form.is_valid() if form.is_bound else True
    query = form.cleaned_data["q"] if form.is_bound and valid else ""
    kind = form.cleaned_data.get("kind", "") if form.is_bound and valid else ""
    context = {"form": form, "query": query, "kind": kind, "everything": None, "results": None}
    if query and kind:
        if kind == "library":
            group = site_search.library_group(query, RESULTS_PER_PAGE)
            context["group"] = group
        else:
            if kind in site_search.PAGE_KINDS:
                found = site_search.page_results(kind, query)
            else:
                found = site_search.registry_items(kind, query)
            results = Paginator(found, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
            items = site_search.page_items(results) if kind in site_search.PAGE_KINDS else list(results)
            context["results"] = results
            context["group"] = site_search.Group(kind, results.paginator.count, items)
    elif query:
        context["everything"] = site_search.search_everything(query)
    return render(request, "core/search.html", context, status=200 if valid else 400)
