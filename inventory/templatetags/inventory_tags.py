from django import template
from django.utils.formats import number_format

from inventory.campaign.schedule import dashboard_scope
from inventory.contract import schema
from inventory.contract.choices import ENUM_CHOICES
from inventory.models import Release

register = template.Library()

# Indicators read as percentages; the others keep their unit (a cost, a number of months).
PERCENT_COLUMNS = {
    "penetration_rate", "growth_rate", "renewal_rate", "collection_rate", "claims_ratio",
    "expense_ratio", "own_resources_coverage", "subsidy_dependence",
}


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def column_title(column):
    """The contract column's title in the reader's language."""
    return schema.title(column)


@register.filter
def choice_label(code, column):
    choices = ENUM_CHOICES.get(column)
    if not code or choices is None:
        return code or "—"
    return dict(choices.choices).get(code, code)


@register.filter
def figure(value, column=""):
    """A figure for reading: grouped digits in the reader's format, ratios as percentages,
    empty when missing or not computable."""
    if value is None or value == "":
        return ""
    # Rounded here: number_format cuts extra decimals off (14.29 would read 14.2).
    if column in PERCENT_COLUMNS:
        return number_format(round(value * 100, 1), decimal_pos=1, use_l10n=True, force_grouping=True) + " %"
    if isinstance(value, float) and not value.is_integer():
        return number_format(round(value, 1), decimal_pos=1, use_l10n=True, force_grouping=True)
    return number_format(value, use_l10n=True, force_grouping=True)


# --- Campaign, dashboards, disclosure score ---------------------------------------------------

@register.filter
def percent(ratio):
    """A ratio (0.25) as a percentage in the reader's format ("25,0 %"); empty when None."""
    if ratio is None or ratio == "":
        return ""
    # Rounded here: number_format cuts the extra decimals off (14.29 would read 14.2).
    return number_format(round(ratio * 100, 1), decimal_pos=1, use_l10n=True) + "\u00a0%"


@register.filter
def score_diamonds(score):
    """A disclosure score (0 to 5) as five diamonds, earned first: ◆◆◆◇◇."""
    score = int(score or 0)
    return "◆" * score + "◇" * (5 - score)


@register.simple_tag
def sees_dashboard(user):
    """Whether the completion dashboard is for `user` (secretariat, or focal point of a country)."""
    return dashboard_scope(user)[0]


# --- Open data ----------------------------------------------------------------------------------

@register.simple_tag
def latest_release():
    """The newest frozen release of the open data (None before the first): for a "cite" line
    under a table or chart, e.g. `{% latest_release as release %}{{ release.label }}`."""
    return Release.objects.latest_release()


@register.simple_tag
def how_to_cite():
    """How to cite the current data shown under a table or chart, in the reader's language."""
    from django.utils import timezone
    from django.utils.translation import get_language

    from inventory.opendata.releases import live_citation

    language = (get_language() or "fr")[:2]
    return live_citation(language if language in ("en", "pt") else "fr", timezone.localdate())


@register.filter
def glossary_link(column):
    """The full address of the column's glossary entry ("" when it has none): works in pages and
    in downloaded files alike."""

    from inventory.opendata.glossary import anchor
    from portal.mail import absolute_url

    fragment = anchor(column)
    return f"{absolute_url('inventory:glossary')}#{fragment}" if fragment else ""
