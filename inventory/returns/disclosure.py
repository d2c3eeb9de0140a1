"""The disclosure score of a yearly return: five "diamonds", in the spirit of MIX Market's.

A pure function over a row of the returns table. Each diamond is earned on its own, so the score
says how complete a record is and the missing diamonds say what to add:

1. identity and status — the mutual's type, its region and its status in the year;
2. people — target population, members and beneficiaries;
3. product — membership unit, contribution amount and period, how providers are paid, and at
   least one service said to be covered or not;
4. money — contributions due and collected, benefits paid, operating expenses;
5. validated by the focal point.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

SERVICE_COLUMNS = (
    "covers_primary_care", "covers_drugs", "covers_hospitalization", "covers_surgery",
    "covers_childbirth", "covers_transport", "covers_lab",
)


@dataclass(frozen=True)
class Diamond:
    number: int
    label: str
    earned: bool
    missing: tuple[str, ...]  # the columns still empty, when not earned


def _filled(value) -> bool:
    return value is not None and value != ""


def _diamond(number, label, row, columns, *, extra_missing=()):
    missing = tuple(c for c in columns if not _filled(row.get(c))) + tuple(extra_missing)
    return Diamond(number, str(label), not missing, missing)


def diamonds(row: Mapping) -> list[Diamond]:
    """The five diamonds of `row` (a returns-table row; `validation_status` decides the fifth)."""
    services_answered = any(_filled(row.get(c)) for c in SERVICE_COLUMNS)
    return [
        _diamond(1, _("Identity and status"), row, ("mutual_type", "region", "status")),
        _diamond(2, _("People"), row, ("target_population", "members", "beneficiaries")),
        _diamond(
            3, _("Product"), row,
            ("membership_unit", "contribution_amount", "contribution_period", "payment_mode"),
            extra_missing=() if services_answered else ("covers_primary_care",),
        ),
        _diamond(
            4, _("Money"), row,
            ("contributions_due", "contributions_collected", "benefits_paid", "operating_expenses"),
        ),
        Diamond(
            5, str(_("Validated by the focal point")), row.get("validation_status") == "validated",
            () if row.get("validation_status") == "validated" else ("validation_status",),
        ),
    ]


def disclosure_score(row: Mapping) -> int:
    """How many of the five diamonds `row` earns (0 to 5)."""
    return sum(d.earned for d in diamonds(row))
