import re

from django.core.paginator import Paginator
from django.http import HttpResponseServerError
from django.shortcuts import redirect, render
from django.template.loader import get_template
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from wagtail.models import Locale, Page

from .forms import SearchForm

RESULTS_PER_PAGE = 10
WORD = re.compile(r"\w+")
OPERATORS = {"AND", "OR", "NOT"}  # in capitals, as search engines write them; "or" is a French word


def search_words(query: str) -> str:
    """The words of what was typed, separated by spaces: quotes, operators and signs (`"`, `*`, `-`,
    `:`, parentheses, AND/OR/NOT in capitals) are not a query language here, and the database backends
    would read some of them as one (SQLite's FTS5 fails on an unbalanced quote)."""
    return " ".join(word for word in WORD.findall(query) if word not in OPERATORS)


def search(request):
    """Site-wide search over the published pages of the reader's language: any text typed gets results
    or none, never an error (`search_words`)."""
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    results = None
    if query:
        pages = Page.objects.live().public().filter(locale=Locale.get_active()).specific()
        words = search_words(query)
        paginator = Paginator(pages.search(words) if words else pages.none(), RESULTS_PER_PAGE)
        results = paginator.get_page(request.GET.get("page"))  # not a number: 1; past the end: the last
    status = 400 if form.is_bound and not form.is_valid() else 200
    context = {"form": form, "results": results, "query": query}
    return render(request, "core/search.html", context, status=status)


def admin_login_redirect(request):
    """Wagtail's login page sends people to the site's login, keeping where they were going."""
    target = reverse("account_login")
    next_url = request.GET.get("next")
    if next_url:
        target += "?" + urlencode({"next": next_url})
    return redirect(target)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors, no database: this must render even when the database is down.
    return HttpResponseServerError(get_template("500.html").render({"lang": get_language() or "fr"}))
