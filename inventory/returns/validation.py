"""What is an error and what is only a warning in a return (pure functions over row mappings).

Errors are the contract's constraints (type, required, enum, pattern, minimum, maximum): they block
a submission and an import. Warnings are plausibility checks: real mutuals do report such figures,
so they never block; the reporter explains each with a short comment.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from ..contract import schema


@dataclass(frozen=True)
class Problem:
    column: str
    value: object
    reason: str


@dataclass(frozen=True)
class PlausibilityWarning:
    code: str
    columns: tuple[str, ...]
    message: str


def _is_empty(value) -> bool:
    return value is None or value == ""


def check_value(field: dict, value) -> str | None:
    """The reason `value` breaks the field's constraints, or None. Values are already typed."""
    constraints = field.get("constraints", {})
    if _is_empty(value):
        return str(_("This value is required.")) if constraints.get("required") else None
    kind = field["type"]
    if kind == "integer" and (isinstance(value, bool) or not isinstance(value, int)):
        return str(_("A whole number is expected."))
    if kind == "number" and (isinstance(value, bool) or not isinstance(value, int | float | Decimal)):
        return str(_("A number is expected."))
    if kind == "boolean" and not isinstance(value, bool):
        return str(_("true or false is expected."))
    if "enum" in constraints and value not in constraints["enum"]:
        return str(_("Must be one of: %(values)s.") % {"values": ", ".join(constraints["enum"])})
    if "pattern" in constraints and not re.fullmatch(constraints["pattern"], str(value)):
        return str(_("Does not have the expected form (%(pattern)s).") % {"pattern": constraints["pattern"]})
    if "minimum" in constraints and value < constraints["minimum"]:
        return str(_("Must be at least %(minimum)s.") % {"minimum": constraints["minimum"]})
    if "maximum" in constraints and value > constraints["maximum"]:
        return str(_("Must be at most %(maximum)s.") % {"maximum": constraints["maximum"]})
    return None


def check_row(row: Mapping, columns: list[str] | None = None) -> list[Problem]:
    """Every constraint the row breaks, over `columns` (default: every non-computed column)."""
    computed = set(schema.indicator_names())
    names = columns or [n for n in schema.column_names() if n not in computed]
    problems = []
    for name in names:
        reason = check_value(schema.field(name), row.get(name))
        if reason:
            problems.append(Problem(name, row.get(name), reason))
    return problems


def _grouped(value) -> str:
    """A figure in a message, grouped the reader's way (1 500 in French, 1,500 in English)."""
    from django.utils.formats import number_format

    if isinstance(value, float | Decimal) and value == int(value):
        value = int(value)
    return number_format(value, use_l10n=True, force_grouping=True)


# A change beyond these factors from last year asks for a comment.
PLAUSIBLE_CHANGE = 3.0


def plausibility_warnings(row: Mapping, previous: Mapping | None = None) -> list[PlausibilityWarning]:
    """Figures that are possible but surprising, each with a code the reporter comments on."""
    g = row.get
    warnings = []

    def over(code, smaller, larger, message):
        if g(smaller) is not None and g(larger) is not None and g(smaller) > g(larger):
            warnings.append(PlausibilityWarning(code, (smaller, larger), str(message)))

    over("beneficiaries_below_members", "members", "beneficiaries",
         _("There are fewer beneficiaries than members, yet members are beneficiaries too."))
    over("beneficiaries_above_target", "beneficiaries", "target_population",
         _("There are more beneficiaries than people in the target population."))
    over("collected_above_due", "contributions_collected", "contributions_due",
         _("More contributions were collected than were due."))
    over("new_above_members", "new_members", "members",
         _("There are more new members than members."))
    if previous:
        last = previous.get("members")
        if g("renewed_members") is not None and last is not None and g("renewed_members") > last:
            warnings.append(PlausibilityWarning(
                "renewed_above_last_members", ("renewed_members",),
                str(_("More members renewed than the mutual had last year.")),
            ))
        for name in ("members", "beneficiaries", "contributions_collected", "benefits_paid"):
            now, before = g(name), previous.get(name)
            if now and before and not (1 / PLAUSIBLE_CHANGE <= now / before <= PLAUSIBLE_CHANGE):
                warnings.append(PlausibilityWarning(
                    f"{name}_changed", (name,),
                    str(_("%(field)s changed from %(before)s to %(now)s since last year.") % {
                        "field": schema.title(name), "before": _grouped(before), "now": _grouped(now),
                    }),
                ))
    return warnings
