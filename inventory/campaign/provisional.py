"""Provisional and final years: the one rule every page, chart, table and download follows.

A reporting year is *provisional* while its campaign is open, and for `Campaign.provisional_days`
days after the secretariat closes it (late validations still move its figures); every other year —
a closed campaign's after that delay, or a year without a campaign (imported history) — is *final*.

`is_provisional` is the rule itself (pure: a campaign's dates in, a yes or no out);
`provisional_years` reads the campaigns once for a request or an export; `year_status` names a year's
status as the synthesis table's `year_status` column writes it.
"""

import datetime

from django.utils import timezone

PROVISIONAL = "provisional"
FINAL = "final"
STATUSES = (PROVISIONAL, FINAL)


def is_provisional(closed_at: datetime.datetime | None, provisional_days: int,
                   now: datetime.datetime) -> bool:
    """Whether a campaign closed at `closed_at` (None: still open) makes its year provisional at
    `now`: open, or closed less than `provisional_days` days ago."""
    if closed_at is None:
        return True
    return now < closed_at + datetime.timedelta(days=provisional_days)


def provisional_years(now: datetime.datetime | None = None) -> frozenset[int]:
    """The reporting years that are provisional at `now` (by default, now): one query."""
    from ..models import Campaign

    now = timezone.now() if now is None else now
    campaigns = Campaign.objects.values_list("year", "closed_at", "provisional_days")
    return frozenset(year for year, closed_at, days in campaigns if is_provisional(closed_at, days, now))


def year_status(year: int, provisional: frozenset[int] | set[int]) -> str:
    """"provisional" or "final" for `year`, given the provisional years."""
    return PROVISIONAL if year in provisional else FINAL


def latest_final(years, provisional) -> int | None:
    """The latest of `years` that is final, None when every one is provisional (or none is given)."""
    finals = [y for y in years if y not in provisional]
    return max(finals) if finals else None
