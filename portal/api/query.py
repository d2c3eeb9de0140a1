"""The query string, read one way for the API and for the lists: django-filter FilterSets that parse
and validate it, and one reader that turns what they refuse into the API's 400.

- `QueryFilterSet` is the base of every FilterSet that reads a query string: the API's endpoints
  (inventory, library), the news, the calendar, the directories of organizations and of mutuals,
  the library's search page (docs/decisions/django-filter.md names them). Its form
  refuses a `year_min` after `year_max` on a page (`QueryForm.ordered_years`; the API answers such a
  range with no rows); `single_valued()` names the parameters taken once. A
  FilterSet without a model only parses: its caller applies `form.cleaned_data` (to a search engine,
  to rows of a table), and `qs` is refused.
- Fields: `ValuesField` (several values, repeated or comma-separated, each one checked, at most
  MAX_VALUES), `YearField` (from `min_value` to next year, read per request), `CodeChoiceField`
  (one record named by its code or slug, shown by its name; country codes in any case, as the API
  reads them).
- `parse_query` is the API's strict reading: an unknown parameter, a single-valued one given twice,
  a required one missing, an empty value (`?year_min=`) where the OpenAPI document's schema has no
  empty string (anything but free text), a value the filters refuse — each is named at once in one
  ApiError (400) `{"error", "details": {parameter: [messages]}}`. A `year_min` after `year_max` is
  not an error there: the range holds no year, the answer no row (the OpenAPI document cannot tie
  two parameters together, and nothing is wrong with asking).
- `lenient` is a page's forgiving reading: bad values are left out and reported, the rest applies.

Part of the kernel: imports no domain.
"""

from dataclasses import dataclass
from datetime import date

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.i18n import ByLabelChoiceIterator

from .http import MAX_PAGE_SIZE, ApiError

MAX_VALUES = 100

# What the OpenAPI documents say of the strict reading (`parse_query`), for every endpoint alike.
BAD_QUERY = gettext_lazy(
    "A bad query parameter: unknown, given twice, empty (only free text may be), malformed, out of "
    "range, or an unknown code or name; `details` names each one")
EMPTY_RANGE = gettext_lazy("After year_max: an empty range, answered with no rows (not an error).")


def last_year() -> int:
    """The latest year a query may name: next year (read per request, not at import)."""
    return date.today().year + 1


def check_count(values):
    if len(values) > MAX_VALUES:
        raise ValidationError(gettext_lazy("At most %(max)s values."), code="max_values",
                              params={"max": MAX_VALUES})


class ValuesField(forms.MultipleChoiceField):
    """Several values, given repeated (`country=SN&country=ML`) or comma-separated (`country=SN,ML`);
    empty ones (`country=`) are ignored (a page's form sends them; the API refuses them, `parse_query`).
    With `choices` (possibly callable), only those; without, any value that `check` accepts. `upper`
    reads `sn` as `SN`. `invalid` replaces the message for a value refused (`%(value)s` names it)."""

    def __init__(self, *, choices=None, upper=False, check=None, invalid=None, **kwargs):
        self.any_value, self.upper, self.check = choices is None, upper, check
        kwargs.setdefault("required", False)
        if invalid is not None:
            kwargs["error_messages"] = {**kwargs.get("error_messages", {}), "invalid_choice": invalid}
        super().__init__(choices=() if choices is None else choices, **kwargs)

    def to_python(self, value):
        values = [part.strip() for item in super().to_python(value) for part in item.split(",")]
        return [v.upper() if self.upper else v for v in values if v]

    def validate(self, value):
        check_count(value)
        known = None if self.any_value else {str(code) for code, _label in self.choices}  # read once
        for item in value:
            if (known is not None and item not in known) or (self.check and not self.check(item)):
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                      params={"value": item})


class YearField(forms.IntegerField):
    """A year from `min_value` to next year."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if self.max_value is None:
            self.max_value = last_year()
            self.validators.append(MaxValueValidator(self.max_value))


class _ByLabelIterator(ByLabelChoiceIterator, django_filters.fields.ModelChoiceIterator):
    pass


class CodeChoiceField(django_filters.fields.ModelChoiceField):
    """One record named by its code or slug (`to_field_name`, else its key), labelled by its `name`
    (in the reader's language), offered in the order of the names (`portal.i18n.collation_key`).
    `upper` reads `ml` as `ML` (`lower`, `Financing` as `financing`), and the form then shows that
    one chosen."""

    iterator = _ByLabelIterator

    def __init__(self, *args, upper=False, lower=False, **kwargs):
        self.upper, self.lower = upper, lower
        super().__init__(*args, **kwargs)

    def _normal(self, value):
        if not isinstance(value, str):
            return value
        value = value.strip()
        return value.upper() if self.upper else value.lower() if self.lower else value

    def to_python(self, value):
        return super().to_python(self._normal(value))

    def bound_data(self, data, initial):
        return super().bound_data(self._normal(data), initial)

    def label_from_instance(self, obj):
        return obj.name


class CodeChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = CodeChoiceField


class ValuesFilter(django_filters.Filter):
    """Rows whose `field_name` is one of the values given."""

    field_class = ValuesField
    many = True

    def filter(self, qs, value):
        return qs.filter(**{f"{self.field_name}__in": value}) if value else qs


class YearFilter(django_filters.Filter):
    field_class = YearField


class Parameter(django_filters.Filter):
    """A parameter read into `cleaned_data` with the form field `field_class`, applied by the caller
    (a page number, a sort order, the words of a search)."""

    def __init__(self, field_class=forms.CharField, **kwargs):
        self.field_class = field_class
        super().__init__(**kwargs)

    def filter(self, qs, value):
        return qs


class QueryForm(forms.Form):
    # A page refuses a `year_min` after `year_max` (it says so, and a lenient page drops `year_min`);
    # the API (`parse_query`) sets it False: such a range holds no year, and the answer is empty.
    ordered_years = True

    def clean(self):
        data = super().clean()
        low, high = data.get("year_min"), data.get("year_max")
        if self.ordered_years and low is not None and high is not None and low > high:
            self.add_error("year_min", _("year_min (%(low)s) is after year_max (%(high)s).")
                           % {"low": low, "high": high})
        return data


class _ParseOnly:
    """The queryset of a FilterSet without a model: it parses, its caller applies the values."""

    model = None

    def all(self):
        raise TypeError("This FilterSet only parses: read its form's cleaned_data.")


class QueryFilterSet(django_filters.FilterSet):
    """The base of the portal's FilterSets; a subclass's Meta inherits `QueryFilterSet.Meta`."""

    class Meta:
        form = QueryForm

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None and self._meta.model is None:
            queryset = _ParseOnly()
        super().__init__(data, queryset, **kwargs)

    @classmethod
    def single_valued(cls) -> list[str]:
        return [name for name, f in cls.base_filters.items() if not getattr(f, "many", False)]


class PageForm(forms.Form):
    page = forms.IntegerField(min_value=1, required=False)
    page_size = forms.IntegerField(min_value=1, max_value=MAX_PAGE_SIZE, required=False)


def takes_empty(field) -> bool:
    """Whether the API reads an empty value of this field: free text only (`q`, `region`: an empty
    string is a string, and means no words, no filter). Any other parameter's schema in the OpenAPI
    document (an integer, a code, an identifier, a name) has no empty value, and the API refuses it."""
    return isinstance(field, forms.CharField)


def parse_query(request, filterset_class, queryset=None, *, page_form=PageForm, required=()):
    """(filterset, pages) of a valid query string — `pages` the cleaned `page_form` ({} without one)
    — or an ApiError (400) naming each bad parameter: unknown ones, single-valued ones given twice,
    `required` ones missing, empty values where the parameter takes none (`takes_empty`), values the
    filters or the page form refuse. A `year_min` after `year_max` is read as given (an empty range)."""
    page_fields = list(page_form.base_fields) if page_form else []
    accepted = [*filterset_class.base_filters, *page_fields]
    unknown = [name for name in request.GET if name not in accepted]
    if unknown:
        message = _("Unknown parameter. This endpoint accepts: %(names)s.") % {"names": ", ".join(accepted)}
        raise ApiError(400, _("Unknown query parameter: %(names)s.") % {"names": ", ".join(unknown)},
                       {name: [message] for name in unknown})
    errors = {
        name: [_("Give this parameter once.")]
        for name in [*filterset_class.single_valued(), *page_fields] if len(request.GET.getlist(name)) > 1
    }
    for name in required:
        if name not in request.GET:
            errors.setdefault(name, []).append(_("This parameter is required."))
    filterset = filterset_class(request.GET, queryset=queryset)
    filterset.form.ordered_years = False
    forms_read = [filterset.form, *([page_form(request.GET)] if page_form else [])]
    fields = {name: field for form in forms_read for name, field in form.fields.items()}
    empty = [name for name in request.GET
             if not takes_empty(fields[name]) and any(not v.strip() for v in request.GET.getlist(name))]
    for name in empty:  # said once: not also "Enter a whole number" for a blank
        errors.setdefault(name, []).append(_("Empty value: give a value, or leave the parameter out."))
    for form in forms_read:
        if not form.is_valid():
            for name, messages in form.errors.items():
                if name not in empty:
                    errors.setdefault(name, []).extend(str(m) for m in messages)
    if errors:
        raise ApiError(400, _("Invalid query parameters: %(names)s.") % {"names": ", ".join(errors)}, errors)
    return filterset, forms_read[1].cleaned_data if page_form else {}


@dataclass(frozen=True)
class IgnoredParameter:
    """A parameter (or some values of a repeatable one) a page left out, and why."""

    name: str
    value: str
    message: str


def lenient(filterset_class, params: QueryDict):
    """For a page that never answers with an error: (the valid filterset of `params` once every bad
    value is left out, [IgnoredParameter…] saying what was left out and why); the rest still applies.

    Unknown parameters are dropped silently (links from elsewhere carry their own); a parameter
    taken once only keeps its first value; a repeatable one keeps its good values."""
    single = set(filterset_class.single_valued())
    data = QueryDict(mutable=True)
    for name in filterset_class.base_filters:
        values = params.getlist(name)
        if values:
            data.setlist(name, values[:1] if name in single else values)
    ignored = []
    for _attempt in range(len(filterset_class.base_filters) + 1):  # each round removes at least one value
        filterset = filterset_class(data)
        form = filterset.form
        if form.is_valid():
            break
        for name, messages in form.errors.items():
            if name in single:
                value = data.pop(name, [""])[0]
            else:
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
            ignored.append(IgnoredParameter(name, value, " ".join(str(m) for m in messages)))
    return filterset, ignored
