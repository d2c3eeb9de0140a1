"""Words about the synthesis table: each column's short label and unit on the public pages, and the
glossary of the indicators (definition, formula, how to read it) that every table header links to.

The definitions follow `DOMAIN.md` and the schemas' descriptions, written for a reader rather than a
programmer. Titles come from the published schemas where theirs read well in both languages (the
returns table's), from gettext otherwise; the French is in the catalogue like every other string.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ..contract import schema
from ..contract.choices import MutualStatus
from ..templatetags.inventory_tags import PERCENT_COLUMNS

STATUS_COLUMNS = {f"mutuals_{status}": status for status in MutualStatus.values}
SUM_COLUMNS = ["target_population", "members", "beneficiaries"]


@dataclass(frozen=True)
class Entry:
    """One glossary entry; `anchor` is its fragment on the glossary page."""

    anchor: str
    definition: str
    formula: str
    reading: str
    title_column: str = ""  # a returns-table column whose published title is the entry's title
    own_title: str = ""

    @property
    def title(self) -> str:
        return str(self.own_title) if self.own_title else schema.title(self.title_column, "returns")


ENTRIES = [
    Entry("mutuals_known", own_title=_("Mutuals known"),
          definition=_("The mutuals of the country listed in the inventory that may have been active "
                       "in the year: created that year or earlier (or in an unknown year), and not "
                       "reported closed in an earlier year."),
          formula=_("Count of the public mutuals of the country whose year of creation is empty or not "
                    "after the year, and without a validated return with status “closed” in an earlier "
                    "year."),
          reading=_("The denominator of the response rate. A mutual that stops reporting stays known "
                    "until it reports its closure, so a falling response rate may mean mutuals went "
                    "silent rather than closed.")),
    Entry("mutuals_reporting", own_title=_("Mutuals reporting"),
          definition=_("The mutuals whose return for the year was validated by the country's focal "
                       "point."),
          formula=_("Count of the validated returns of the year (one per mutual)."),
          reading=_("Every other figure of the year comes from these returns only: keep this count in "
                    "mind when comparing a country's figures from one year to the next.")),
    Entry("response_rate", own_title=_("Response rate"),
          definition=_("The share of the mutuals known whose return for the year was validated by the "
                       "focal point: the rate of the public pages and downloads."),
          formula=_("mutuals reporting (validated returns) / mutuals known; empty when no mutual is "
                    "known."),
          reading=_("A low rate means the figures describe only part of the country's mutuals: the "
                    "sums of members and beneficiaries then understate the whole. Not to be confused "
                    "with the progress of the campaign, which also counts the returns still awaiting "
                    "validation.")),
    Entry("campaign_progress", own_title=_("Progress of the campaign"),
          definition=_("How far the year's collection has come: the share of the mutuals expected to "
                       "report whose return has been submitted or validated. The completion dashboards "
                       "of the secretariat and the focal points show it."),
          formula=_("(submitted returns + validated returns) / mutuals expected; the mutuals expected "
                    "are the approved mutuals created by that year and not closed before it."),
          reading=_("It runs ahead of the response rate: a submitted return counts here as soon as the "
                    "mutual sends it, but enters the public figures only once the focal point has "
                    "validated it.")),
    Entry("provisional", own_title=_("Provisional and final figures"),
          definition=_("A year's figures are provisional while its campaign is open, and for a few "
                       "days after the secretariat closes it (the secretariat chooses how many): "
                       "returns are still arriving and being validated. Every other year is final."),
          formula=_("The pages show the latest final year by default; the provisional year is one "
                    "click away, marked “provisional” with its response rate. Charts draw it with a "
                    "hollow point on a dashed line; tables and downloads say it in the year_status "
                    "column."),
          reading=_("Do not read a fall in a provisional year as a real change: the sums grow as the "
                    "remaining returns are validated.")),
    Entry("status", own_title=_("Mutuals by status"),
          definition=_("How the reporting mutuals describe themselves in the year: in project, being "
                       "set up, functional (paying benefits), in difficulty or dormant, closed."),
          formula=_("Count of the validated returns of the year with each status."),
          reading=_("Sums, the pooled penetration rate and the medians count the functional mutuals "
                    "only: a mutual that does not pay benefits yet, or any more, has no meaningful "
                    "ratios.")),
    Entry("target_population", title_column="target_population",
          definition=_("The people a mutual means to cover (the inhabitants of its area, the workers of "
                       "its trade…), as it estimates them."),
          formula=_("Sum over the functional mutuals' validated returns of the year; a missing figure "
                    "adds nothing; empty when no return gives it."),
          reading=_("Mutuals estimate it in different ways: read it as an order of magnitude.")),
    Entry("members", title_column="members",
          definition=_("The members (adherents): the people who join the mutual and pay the "
                       "contributions."),
          formula=_("Sum over the functional mutuals' validated returns of the year; a missing figure "
                    "adds nothing; empty when no return gives it."),
          reading=_("Compared with the beneficiaries, it shows how many people each membership covers "
                    "on average (the household, for a family membership).")),
    Entry("beneficiaries", title_column="beneficiaries",
          definition=_("The members and their dependants: everyone entitled to the mutual's benefits."),
          formula=_("Sum over the functional mutuals' validated returns of the year; a missing figure "
                    "adds nothing; empty when no return gives it."),
          reading=_("The number of people the reporting mutuals actually cover.")),
    Entry("penetration_rate", title_column="penetration_rate",
          definition=_("The share of its target population that a mutual covers."),
          formula=_("For a mutual: beneficiaries / target population. For a country, the pooled rate "
                    "is the total of beneficiaries / the total of target population over the functional "
                    "mutuals that gave both (target above zero); the median is that of the mutuals' "
                    "own rates."),
          reading=_("The pooled rate gives large mutuals more weight; the median describes a typical "
                    "mutual. Both are low where mutuals reach only part of the people they aim at.")),
    Entry("growth_rate", title_column="growth_rate",
          definition=_("How much a mutual's membership changed since the year before."),
          formula=_("(members in year N − members in year N−1) / members in year N−1, when the same "
                    "mutual has a validated return for N−1."),
          reading=_("Above zero the mutual grew, below zero it lost members. Empty for a mutual "
                    "without a validated return the year before.")),
    Entry("renewal_rate", title_column="renewal_rate",
          definition=_("The share of last year's members who renewed their membership."),
          formula=_("members who renewed in year N / members in year N−1."),
          reading=_("Members who do not renew are often dissatisfied or could not pay: a low rate is a "
                    "warning. Above 100 % the figures do not agree with each other.")),
    Entry("collection_rate", title_column="collection_rate",
          definition=_("The share of the contributions due in the year that was actually collected."),
          formula=_("contributions collected / contributions due."),
          reading=_("Near 100 %, members pay what they owe; a low rate weakens the mutual even when "
                    "membership looks high.")),
    Entry("utilisation_rate", title_column="utilisation_rate",
          definition=_("How often the beneficiaries used the services the mutual covers."),
          formula=_("care episodes covered / beneficiaries: episodes per beneficiary in the year."),
          reading=_("Very low use may mean care is hard to reach or the cover little known; very high "
                    "use can strain the mutual's balance.")),
    Entry("average_episode_cost", title_column="average_episode_cost",
          definition=_("What the mutual paid on average for one care episode."),
          formula=_("benefits paid / care episodes covered, in local currency."),
          reading=_("It depends on the services covered and on the providers' prices. Compare it "
                    "within a country only: currencies differ, so no figure is given for all "
                    "countries together.")),
    Entry("claims_ratio", title_column="claims_ratio",
          definition=_("The share of the contributions collected that went back to the members as "
                       "benefits."),
          formula=_("benefits paid / contributions collected."),
          reading=_("Low, the members get little for their money; above 100 %, benefits exceed the "
                    "contributions and the mutual lives on other resources.")),
    Entry("expense_ratio", title_column="expense_ratio",
          definition=_("The running costs compared with the contributions collected."),
          formula=_("operating expenses / contributions collected."),
          reading=_("High, much of the contributions pays for management rather than care; volunteer "
                    "work keeps it low in many mutuals.")),
    Entry("own_resources_coverage", title_column="own_resources_coverage",
          definition=_("How far the mutual's own resources pay for its benefits and running costs."),
          formula=_("(contributions collected + other own income) / (benefits paid + operating "
                    "expenses)."),
          reading=_("At 100 % or more the mutual pays its way without subsidies; below, subsidies or "
                    "reserves fill the gap.")),
    Entry("subsidy_dependence", title_column="subsidy_dependence",
          definition=_("The share of the mutual's income that comes from subsidies."),
          formula=_("subsidies / (contributions collected + other income + subsidies)."),
          reading=_("The higher it is, the more the mutual is at risk when the support ends.")),
    Entry("reserve_cover_months", title_column="reserve_cover_months",
          definition=_("How many months of benefits the reserves at the end of the year could pay."),
          formula=_("reserves / (benefits paid / 12)."),
          reading=_("A few months of cover lets a mutual weather a bad year; without reserves any rise "
                    "in claims puts it in difficulty.")),
    Entry("disclosure_score", own_title=_("Disclosure score"),
          definition=_("How complete and checked a mutual's record of one year is, in five diamonds: "
                       "identity and status; people (target population, members, beneficiaries); "
                       "product (membership unit, contribution, how providers are paid, services "
                       "covered); money (contributions due and collected, benefits paid, operating "
                       "expenses); validation by the country's focal point."),
          formula=_("One diamond for each group whose figures are all given in the year's validated "
                    "return. The directory shows every mutual's score for the same year, the latest "
                    "final one (not provisional); a mutual without a validated return that year "
                    "scores 0."),
          reading=_("It says how much a mutual discloses, not how well it is run. A mutual that "
                    "stopped reporting scores 0, however complete its earlier records; the missing "
                    "diamonds say what to add.")),
    Entry("median", own_title=_("Median and number of returns (n)"),
          definition=_("The synthesis sums up each indicator by its median over the functional mutuals "
                       "for which it can be computed; n says how many returns that is."),
          formula=_("The middle value once the values are sorted (for an even count, halfway between "
                    "the two middle values). The charts also show the quartiles: a quarter of the "
                    "values lie below the first, a quarter above the third."),
          reading=_("Half of the mutuals are above the median, half below. A median over few returns "
                    "(small n) can move a lot from one year to the next.")),
    Entry("peer_groups", own_title=_("Peer groups (a mutual among its peers)"),
          definition=_("Each mutual with a validated return sees its indicators of the year beside those "
                       "of four groups of peers: the mutuals of the same country, of the same type, of "
                       "the same size band, and the whole network. Size bands count the beneficiaries "
                       "of the year: under 1,000; 1,000 to 4,999; 5,000 to 19,999; 20,000 or more."),
          formula=_("Over the functional mutuals whose return of the year is validated, among the public "
                    "mutuals (the mutual itself included when it is one of them, so that the country's "
                    "and the network's medians are the synthesis tables'): the median, the first and "
                    "third quartiles, and n. A group where fewer than 5 returns give the indicator shows "
                    "no figure."),
          reading=_("Below 5 returns each quartile would be one or two mutuals' own figures: a reader "
                    "who knows the group could tell who reported what, and a single return would move "
                    "it. The average cost of a care episode is compared within the country only.")),
    Entry("not_computable", own_title=_("Empty cells"),
          definition=_("A figure that was not reported, or a ratio that cannot be computed."),
          formula=_("A ratio whose denominator is zero or missing, or whose numerator is missing, is "
                    "left empty — never shown as 0."),
          reading=_("An empty cell says nothing about the mutual's performance, only that the figure "
                    "is not known.")),
]
BY_ANCHOR = {entry.anchor: entry for entry in ENTRIES}


def base_indicator(column: str) -> str:
    """`claims_ratio_median` and `claims_ratio_n` -> `claims_ratio`; other columns unchanged."""
    for suffix in ("_median", "_n"):
        if column.endswith(suffix):
            return column[: -len(suffix)]
    return column


def anchor(column: str) -> str | None:
    """The glossary entry explaining a synthesis column (its fragment on the glossary page)."""
    if column in STATUS_COLUMNS:
        return "status"
    base = base_indicator(column)
    return base if base in BY_ANCHOR else None


def column_kind(column: str) -> str:
    """How a synthesis (or returns) column's values read: "integer", "percent" or "number"."""
    if column == "response_rate" or (base_indicator(column) in PERCENT_COLUMNS and not column.endswith("_n")):
        return "percent"
    if column.endswith("_median") or column in ("utilisation_rate", "average_episode_cost",
                                                 "reserve_cover_months"):
        return "number"
    return "integer"


def column_label(column: str) -> str:
    """A synthesis column's short header in the reader's language (the schema's French titles of
    the medians are column names, so the pages build their own from the indicators' titles)."""
    if column in STATUS_COLUMNS:
        return str(MutualStatus(STATUS_COLUMNS[column]).label)
    if column in ("mutuals_known", "mutuals_reporting", "response_rate"):
        return str(BY_ANCHOR[column].title)
    if column == "penetration_rate":
        return str(_("Penetration rate (pooled)"))
    if column == "year":
        return str(_("Year"))
    if column.endswith("_median"):
        indicator = schema.title(base_indicator(column), "returns")
        return str(_("%(indicator)s, median") % {"indicator": indicator})
    if column.endswith("_n"):
        return str(_("n (returns behind the median)"))
    return schema.title(column, "returns")

