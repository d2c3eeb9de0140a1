"""Reads that shape inventory data for pages."""

from dataclasses import dataclass, field

from django.db.models import Count, FilteredRelation, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from portal.i18n import by_name
from portal.reference.models import Country

from ..campaign.provisional import latest_final, provisional_years
from ..campaign.schedule import expected_mutuals, reporters_by_mutual
from ..contract.choices import ReturnState
from ..models import Mutual, YearlyReturn
from ..opendata.exports import return_row
from ..returns.disclosure import diamonds, disclosure_score
from .filters import SERVICES


def public_mutuals():
    """Public mutuals with their latest validated return's year, status and services covered."""
    latest = YearlyReturn.objects.validated().filter(mutual=OuterRef("pk")).order_by("-year")
    annotations = {"latest_year": Subquery(latest.values("year")[:1]),
                   "latest_status": Subquery(latest.values("status")[:1])}
    for service, _label in SERVICES:
        annotations[f"latest_{service}"] = Subquery(latest.values(service)[:1])
    return Mutual.objects.public().select_related("country", "union").annotate(**annotations)


def with_latest_figures(mutuals):
    """`mutuals` (from `public_mutuals()`) with the members and beneficiaries of their latest validated
    return (`latest_members`, `latest_beneficiaries`): the figures the directory's table shows."""
    latest = YearlyReturn.objects.validated().filter(mutual=OuterRef("pk")).order_by("-year")
    return mutuals.annotate(latest_members=Subquery(latest.values("members")[:1]),
                            latest_beneficiaries=Subquery(latest.values("beneficiaries")[:1]))


def mutual_profile(mutual: Mutual, year: int | None = None) -> dict:
    """What a mutual's public page shows: its validated years as rows of the returns table
    (indicators included, oldest first), the latest of them, and the disclosure diamonds and score
    of its record for `year` (`disclosure_year()` when None): none earned without a validated
    return that year."""
    validated = list(mutual.returns.validated().order_by("year"))
    by_year = {r.year: r for r in validated}
    rows = [return_row(r, by_year.get(r.year - 1)) for r in validated]
    latest = rows[-1] if rows else None
    year = year or disclosure_year()
    record = next((row for row in rows if row["year"] == year), None)
    year_diamonds = diamonds(record or {})
    return {"rows": rows, "latest": latest, "diamonds": year_diamonds, "disclosure_year": year,
            "disclosure_record": record, "score": sum(d.earned for d in year_diamonds)}


# --- Disclosure scores on public pages --------------------------------------------------------

def disclosure_year() -> int | None:
    """The year whose records the public disclosure scores describe: the latest *final* year with
    validated returns (the provisional rule of inventory/campaign/provisional.py: a year whose
    campaign is open or closed only lately has records still coming in, and a mutual that has not
    reported yet would look silent), else the latest year. One year for every mutual: a mutual that
    stopped reporting does not keep the score of its last record forever."""
    years = set(YearlyReturn.objects.validated().values_list("year", flat=True).distinct())
    return latest_final(years, provisional_years()) or max(years, default=None)


def disclosure_scores(mutuals, year: int | None) -> dict[int, int]:
    """Mutual pk -> disclosure score (0 to 5) of its validated return of `year`, 0 without one, for
    mutuals from `public_mutuals()`; one query."""
    by_pk = {mutual.pk: mutual for mutual in mutuals}
    scores = dict.fromkeys(by_pk, 0)
    if not by_pk or year is None:
        return scores
    for ret in YearlyReturn.objects.validated().filter(year=year, mutual_id__in=list(by_pk)):
        ret.mutual = by_pk[ret.mutual_id]  # already loaded, with its union
        scores[ret.mutual_id] = disclosure_score(return_row(ret))
    return scores


# --- Completion dashboards ---------------------------------------------------------------------

# A mutual's place in the year's reporting: no return yet, or its return's state.
NOT_STARTED = "not_started"
COMPLETION_STATES = (NOT_STARTED, *ReturnState.values)
COMPLETION_LABELS = {NOT_STARTED: _("Not started"), **dict(ReturnState.choices)}


@dataclass
class Completion:
    """How far a country's (or, with `country` None, all countries') expected mutuals are."""

    country: Country | None
    expected: int = 0
    counts: dict = field(default_factory=dict)  # state (COMPLETION_STATES) -> mutuals

    def __getattr__(self, name):
        if name in COMPLETION_STATES:
            return self.counts.get(name, 0)
        raise AttributeError(name)

    @property
    def responded(self) -> int:
        return self.counts.get(ReturnState.SUBMITTED, 0) + self.counts.get(ReturnState.VALIDATED, 0)

    @property
    def campaign_progress(self) -> float | None:
        """The progress of the campaign: (submitted + validated) / expected; None when nothing is
        expected. Not the public pages' response rate (validated / known, the synthesis table's)."""
        return self.responded / self.expected if self.expected else None


def completion_by_country(year: int, countries=None) -> list[Completion]:
    """One Completion per country for `year`, by country name: the given countries (a queryset),
    or with None every country of the network and any other that has expected mutuals.

    One aggregate query over the expected mutuals joined to their return of the year (at most one
    per mutual), plus one for the countries.
    """
    year_return = FilteredRelation("returns", condition=Q(returns__year=year))
    aggregates = {"expected": Count("pk"), NOT_STARTED: Count("pk", filter=Q(year_return__isnull=True))}
    for state in ReturnState.values:
        aggregates[state] = Count("year_return", filter=Q(year_return__state=state))
    figures = {
        row.pop("country_id"): row
        for row in expected_mutuals(year, countries).annotate(year_return=year_return)
        .values("country_id").annotate(**aggregates).order_by()
    }
    if countries is None:
        countries = Country.objects.filter(Q(in_network=True) | Q(code__in=list(figures)))
    result = []
    for country in by_name(countries):
        row = dict(figures.get(country.code, {}))
        expected = row.pop("expected", 0)
        result.append(Completion(country, expected, row))
    return result


def completion_total(rows: list[Completion]) -> Completion:
    """The ALL row: the sums of `rows`."""
    total = Completion(None)
    for row in rows:
        total.expected += row.expected
        for state in COMPLETION_STATES:
            total.counts[state] = total.counts.get(state, 0) + row.counts.get(state, 0)
    return total


@dataclass
class MutualProgress:
    """One expected mutual on a country's dashboard."""

    mutual: Mutual
    state: str  # one of COMPLETION_STATES
    yearly_return: YearlyReturn | None
    reporters: int

    @property
    def state_label(self):
        return COMPLETION_LABELS[self.state]

    @property
    def last_change(self):
        return self.yearly_return.updated_at if self.yearly_return else None

    @property
    def disclosure_score(self) -> int | None:
        return disclosure_score(return_row(self.yearly_return)) if self.yearly_return else None


def country_progress(year: int, country: Country, state: str | None = None) -> list[MutualProgress]:
    """Each mutual of `country` expected for `year`, with its return of the year (if any) and how
    many people report for it; only those in `state` when given. Four queries whatever the size."""
    mutuals = expected_mutuals(year, [country]).select_related("union").order_by("name", "mutual_id")
    returns = {
        r.mutual_id: r for r in YearlyReturn.objects.filter(year=year, mutual__in=mutuals.values("pk"))
    }
    people = reporters_by_mutual(mutuals)
    result = []
    for mutual in mutuals:
        ret = returns.get(mutual.pk)
        if ret is not None:
            ret.mutual = mutual
        progress = MutualProgress(
            mutual, ret.state if ret else NOT_STARTED, ret, len(people.get(mutual.pk, ()))
        )
        if state is None or progress.state == state:
            result.append(progress)
    return result


# --- Peer benchmark ------------------------------------------------------------------------------

@dataclass
class PeerGroup:
    """One of a mutual's peer groups in a year: what it is and how many functional returns it holds."""

    group: str
    label: str  # "Same country"
    key_label: str  # "Senegal", "Community-based", "1,000 to 4,999 beneficiaries"; "" when none
    n: int


@dataclass
class MutualBenchmark:
    year: int
    provisional: bool
    status: str  # the mutual's status in the year
    groups: list  # PeerGroup, in `peers.GROUPS` order
    indicators: list  # peers.IndicatorBenchmark, with `reading` and `title` set for the page

    @property
    def functional(self) -> bool:
        return self.status == "functional"


def benchmark_years(mutual: Mutual) -> list[int]:
    """The years of the mutual's validated returns, newest first: the years it has a benchmark for."""
    return list(mutual.returns.validated().order_by("-year").values_list("year", flat=True))


def mutual_benchmark(mutual: Mutual, year: int) -> MutualBenchmark | None:
    """The mutual's validated return of `year` beside its peer groups (`opendata.peers`); None
    without a validated return that year. A private mutual sees its own figures beside the public
    mutuals' (its own never enter any group)."""
    from ..contract import schema
    from ..contract.choices import MutualType
    from ..opendata import glossary, peers

    returns = {r.year: r for r in mutual.returns.validated().filter(year__in=[year - 1, year])}
    ret = returns.get(year)
    if ret is None:
        return None
    ret.mutual = mutual
    row = return_row(ret, returns.get(year - 1))
    peer_rows, statistics = peers.year_statistics(year)
    indicators = peers.benchmark(row, statistics, year)
    for item in indicators:
        item.title = schema.title(item.indicator, "returns")
        item.reading = glossary.BY_ANCHOR[item.indicator].reading
    keys = peers.group_keys(row)
    sizes = peers.group_sizes(peer_rows, row, year)
    key_labels = {
        peers.COUNTRY: mutual.country.name,
        peers.TYPE: str(MutualType(keys[peers.TYPE]).label) if keys[peers.TYPE] else "",
        peers.SIZE: str(peers.BAND_LABELS[keys[peers.SIZE]]) if keys[peers.SIZE] else "",
        peers.NETWORK: str(_("all countries")),
    }
    groups = [PeerGroup(group, str(peers.GROUP_LABELS[group]), key_labels[group], sizes[group])
              for group in peers.GROUPS]
    return MutualBenchmark(year, year in provisional_years(), row.get("status") or "", groups, indicators)
