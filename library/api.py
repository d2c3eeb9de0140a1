"""The library's search API (the search contract) and the parsing of its query string, which the
library's search page shares.

GET /api/v1/library/search:

`?q=…&type=…&theme=…&country=…&language=…&year_min=…&year_max=…&sort=relevance|date&page=…&page_size=…`
→ `{"count": N, "results": [{"ref", "title", "url", "resource_type", "year", "language", "countries",
"themes", "snippet"}], "facets": {"resource_type": {value: count}, "theme", "country", "language",
"year"}}`. `type`, `theme`, `country` and `language` may be repeated (values OR-ed); the others are
given at most once. Errors, CORS and the read-only methods are the data API's (`inventory.api.http`):
a bad query string is a 400 `{"error", "details": {parameter: [messages]}}` naming each bad parameter.
The query `q` is always text: quotes, operators and unusual characters are searched, never refused.

GET /api/v1/library/autocomplete?q=…&limit=… → `{"results": [{"title", "url"}]}`: titles holding
every word typed, the last one possibly incomplete (the engine's `autocomplete`).
"""

import datetime
import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.http import JsonResponse, QueryDict
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from inventory.api.http import MAX_AGE, ApiError, api_view
from portal.core.converters import MAX_PAGE

from .models import FIRST_YEAR, PROJECT_PROFILE_TYPE, Language, ResourceType
from .search import MAX_PAGE_SIZE, SORTS, SearchQuery, get_engine

DEFAULT_PAGE_SIZE = 20
MAX_QUERY_LENGTH = 1000  # longer queries are cut, not refused
MAX_VALUES = 100
MAX_THEME_LENGTH = 100
MULTI_VALUED = ("type", "theme", "country", "language")
DEFAULT_SUGGESTIONS = 8
MAX_SUGGESTIONS = 20
COUNTRY_CODE = re.compile(r"^[A-Za-z]{2}$")


class QueryField(forms.CharField):
    """Free text: NUL characters (refused by Django's CharField and PostgreSQL) are dropped and a
    very long query is cut, so that no query is ever an error."""

    def to_python(self, value):
        return super().to_python((value or "").replace("\x00", ""))[:MAX_QUERY_LENGTH]


class ValueListField(forms.MultipleChoiceField):
    """A repeatable parameter; empty values (`type=`) are ignored. Without choices, any short text
    is accepted (theme slugs: the taxonomy is the secretariat's, an unknown one just finds nothing)."""

    def __init__(self, *args, normalise=None, check=None, **kwargs):
        self.normalise, self.check = normalise, check
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        values = [item.strip() for item in super().to_python(value)]
        return [self.normalise(v) if self.normalise else v for v in values if v]

    def validate(self, value):
        if len(value) > MAX_VALUES:
            raise ValidationError(_("At most %(max)s values.") % {"max": MAX_VALUES}, code="max_values")
        known = {str(code) for code, _label in self.choices}
        for item in value:
            if (known and item not in known) or (self.check and not self.check(item)):
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                      params={"value": item})


def _is_theme(value: str) -> bool:
    return len(value) <= MAX_THEME_LENGTH and "\x00" not in value


@dataclass(frozen=True)
class IgnoredParameter:
    """A parameter (or some values of a repeatable one) the search page left out, and why."""

    name: str
    value: str
    message: str


class SearchForm(forms.Form):
    q = QueryField(required=False)
    type = ValueListField(choices=[*ResourceType.choices, (PROJECT_PROFILE_TYPE, "project_profile")])
    theme = ValueListField(check=_is_theme)
    country = ValueListField(normalise=str.upper, check=COUNTRY_CODE.match)
    language = ValueListField(choices=Language.choices)
    year_min = forms.IntegerField(required=False, min_value=FIRST_YEAR)
    year_max = forms.IntegerField(required=False, min_value=FIRST_YEAR)
    sort = forms.ChoiceField(required=False, choices=[(s, s) for s in SORTS])
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)
    page_size = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE_SIZE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        last = datetime.date.today().year + 1  # read per request, not at import
        for name in ("year_min", "year_max"):
            self.fields[name].validators.append(MaxValueValidator(last))

    def clean(self):
        data = super().clean()
        low, high = data.get("year_min"), data.get("year_max")
        if low is not None and high is not None and low > high:
            self.add_error("year_min", _("year_min must not be greater than year_max."))
        return data

    @classmethod
    def lenient(cls, params: QueryDict) -> tuple["SearchForm", list[IgnoredParameter]]:
        """For the search page, which never answers with an error: the valid form of `params` once
        every bad value is left out, and what was left out and why (the rest still applies).

        Unknown parameters are dropped silently (links from elsewhere carry their own); a parameter
        given once only keeps its first value; a repeatable one keeps its good values."""
        data = QueryDict(mutable=True)
        for name in cls.base_fields:
            values = params.getlist(name)
            if values:
                data.setlist(name, values if name in MULTI_VALUED else values[:1])
        ignored = []
        for _attempt in range(len(cls.base_fields) + 1):  # each round removes at least one value
            form = cls(data)
            if form.is_valid():
                break
            for name, messages in form.errors.items():
                if name in MULTI_VALUED:
                    field, kept, bad = form.fields[name], [], []
                    for value in data.getlist(name):
                        try:
                            field.clean([value])
                        except ValidationError:
                            bad.append(value)
                        else:
                            kept.append(value)
                    data.setlist(name, kept[:MAX_VALUES])
                    value = ", ".join(bad)
                else:
                    value = data.pop(name, [""])[0]
                ignored.append(IgnoredParameter(name, value, " ".join(str(m) for m in messages)))
        return form, ignored

    def search_query(self) -> SearchQuery:
        data = self.cleaned_data
        return SearchQuery(
            q=data["q"],
            types=tuple(dict.fromkeys(data["type"])),
            themes=tuple(dict.fromkeys(data["theme"])),
            countries=tuple(dict.fromkeys(data["country"])),
            languages=tuple(dict.fromkeys(data["language"])),
            year_min=data["year_min"],
            year_max=data["year_max"],
            sort=data["sort"] or "relevance",
            page=data["page"] or 1,
            page_size=data["page_size"] or DEFAULT_PAGE_SIZE,
        )


class AutocompleteForm(forms.Form):
    q = QueryField(required=False)
    limit = forms.IntegerField(required=False, min_value=1, max_value=MAX_SUGGESTIONS)


def parse_search(request) -> SearchForm:
    """The valid search form of the query string, or an ApiError (400) naming each bad parameter."""
    return _parse(request, SearchForm, multi_valued=MULTI_VALUED)


def _parse(request, form_class, *, multi_valued=(), required=()):
    """The valid `form_class` of the query string, or an ApiError (400) naming each bad parameter:
    unknown, given twice when it is given once, missing when `required`, or invalid."""
    accepted = list(form_class.base_fields)
    unknown = [name for name in request.GET if name not in accepted]
    if unknown:
        message = _("Unknown parameter. This endpoint accepts: %(names)s.") % {"names": ", ".join(accepted)}
        raise ApiError(400, _("Unknown query parameter: %(names)s.") % {"names": ", ".join(unknown)},
                       {name: [message] for name in unknown})
    errors = {
        name: [_("Give this parameter once.")]
        for name in accepted if name not in multi_valued and len(request.GET.getlist(name)) > 1
    }
    for name in required:
        if name not in request.GET:
            errors.setdefault(name, []).append(_("This parameter is required."))
    form = form_class(request.GET)
    if not form.is_valid():
        for name, messages in form.errors.items():
            errors.setdefault(name, []).extend(str(m) for m in messages)
    if errors:
        raise ApiError(400, _("Invalid query parameters: %(names)s.") % {"names": ", ".join(errors)}, errors)
    return form


@api_view
def search(request):
    """One page of the library's search results, with every facet's counts."""
    query = parse_search(request).search_query()
    result = get_engine().search(query)
    last_page = max(1, -(-result.count // query.page_size))
    if query.page > last_page:
        raise ApiError(404, _("Page %(page)s does not exist: the last page is %(last)s.")
                       % {"page": query.page, "last": last_page},
                       {"page": [_("The last page is %(last)s.") % {"last": last_page}]})
    response = JsonResponse(result.as_dict(), json_dumps_params={"ensure_ascii": False})
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response



@api_view
def autocomplete(request):
    """Titles that complete what is typed in `q`, for a search box's suggestions."""
    data = _parse(request, AutocompleteForm, required=("q",)).cleaned_data
    suggestions = get_engine().autocomplete(data["q"], limit=data["limit"] or DEFAULT_SUGGESTIONS)
    response = JsonResponse({"results": [{"title": s.title, "url": s.url} for s in suggestions]},
                            json_dumps_params={"ensure_ascii": False})
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response
