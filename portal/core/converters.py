"""Bounded numbers in the site's paths and query strings: a value no database row can have is a 404
(in a path) or a 400 (in a query string), never a database error.

`<id:pk>` replaces Django's `<int:…>` in every URL of the portal: 1 to 2**63 − 1, the range of a
64-bit primary key (BigAutoField, SQLite's INTEGER; PostgreSQL compares its 32-bit keys with such a
number without error). `<year:year>` is a reporting or campaign year of four digits. Registered once,
when the core app is ready (`register`)."""

from django.urls import register_converter

MAX_ID = 2**63 - 1
FIRST_YEAR, LAST_YEAR = 1000, 9999
# A page number larger than this asks for rows past any table the portal will hold: a form field's
# maximum, which keeps offsets (page × page size) inside 64 bits. (Django's Paginator.get_page needs
# none: it answers a number past the end with the last page before any query.)
MAX_PAGE = 1_000_000


class IdConverter:
    """A row's id: digits without a sign, at most MAX_ID (a larger one matches no URL: 404)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError(value)  # Django's resolver: this pattern does not match
        return number

    def to_url(self, value) -> str:
        return str(int(value))


class YearConverter:
    """A year of four digits (anything else matches no URL: 404)."""

    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


def bounded_int(value, *, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
    """`value` (a query-string value) as an int when it is one within [minimum, maximum], else None."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if minimum <= number <= maximum else None


def register() -> None:
    register_converter(IdConverter, "id")
    register_converter(YearConverter, "year")
