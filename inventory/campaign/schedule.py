"""The yearly campaign: who is expected to report, opening and closing, and the campaign e-mails.

The secretariat opens year N with a deadline (`campaign_open`); `send_due_messages` (run hourly by
the `send_reminders` command, or from the campaign page) sends each mutual's reporters:

- the invitation, as soon as the campaign is open;
- `reminder_14` from 14 days before the deadline, `reminder_3` from 3 days before, `overdue` from the
  day after it — only the latest of those that is due, and only while the mutual's return for the
  year is not submitted or validated.

Every e-mail is logged once per campaign, mutual and kind (`CampaignMessage`), and the log row is
committed before the e-mail goes: a crash or a second run at the same time never sends it twice.
"""

import datetime
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.permissions import can
from portal.accounts.roles import Role, roles_of
from portal.core import audit, page_cache
from portal.mail import absolute_url, templated_email, user_language

from ..contract.choices import MutualStatus, ReturnState
from ..models import Campaign, CampaignMessage, Mutual, SupportingOrganization, YearlyReturn

logger = logging.getLogger(__name__)

Kind = CampaignMessage.Kind
FIRST_YEAR = 1998
# A return in these states needs nothing more from its mutual: no invitation, no reminder.
DONE_STATES = (ReturnState.SUBMITTED, ReturnState.VALIDATED)
# Reminders, latest first, with how many days before (−) or after (+) the deadline each is due.
REMINDERS = ((Kind.OVERDUE, 1), (Kind.REMINDER_3, -3), (Kind.REMINDER_14, -14))
# How long a message that could not be sent is tried again (each run of the command).
RETRY_FOR = datetime.timedelta(hours=24)


# --- Who is expected -------------------------------------------------------------------------

def expected_mutuals(year: int, countries=None) -> QuerySet:
    """The mutuals expected to report for `year` (the contract's `mutuals_known` rule).

    Approved mutuals whose `year_created` is empty or not after `year`, and that have no validated
    return with status `closed` for an earlier year. `countries`: country codes or Country objects
    (or a queryset of them) to keep; None for all.
    """
    # One subquery for every mutual, not one per mutual (a correlated NOT EXISTS): PostgreSQL, its
    # statistics out of date after a bulk import, ran the correlated one as nested loops for minutes.
    closed_before = YearlyReturn.objects.validated().filter(
        year__lt=year, status=MutualStatus.CLOSED
    ).values("mutual_id")
    mutuals = (
        Mutual.objects.approved()
        .filter(Q(year_created__isnull=True) | Q(year_created__lte=year))
        .exclude(pk__in=closed_before)
    )
    if countries is not None:
        mutuals = mutuals.filter(country__in=countries)
    return mutuals


def _reporting_users():
    return get_user_model().objects.filter(is_active=True).exclude(email="")


def reporters(mutual: Mutual) -> QuerySet:
    """Active users with an e-mail address who report for `mutual`: its managers and the staff of
    its supporting organizations."""
    return _reporting_users().filter(
        Q(managed_mutuals=mutual) | Q(supporting_organizations__mutuals=mutual)
    ).distinct().order_by("pk")


def reporters_by_mutual(mutuals) -> dict[int, list]:
    """`reporters` for many mutuals at once (three queries): mutual pk -> users, by pk.

    `mutuals`: a queryset of mutuals or a list of their primary keys.
    """
    pks = mutuals.values("pk") if isinstance(mutuals, QuerySet) else list(mutuals)
    users = {}
    found = defaultdict(set)
    managed = Mutual.managers.through.objects.filter(mutual_id__in=pks, user__in=_reporting_users())
    for link in managed.select_related("user"):
        users[link.user_id] = link.user
        found[link.mutual_id].add(link.user_id)
    supported = defaultdict(set)
    for mutual_id, org_id in Mutual.supporting_organizations.through.objects.filter(
        mutual_id__in=pks
    ).values_list("mutual_id", "supportingorganization_id"):
        supported[org_id].add(mutual_id)
    if supported:
        staff = SupportingOrganization.staff.through.objects.filter(
            supportingorganization_id__in=list(supported), user__in=_reporting_users()
        ).select_related("user")
        for link in staff:
            users[link.user_id] = link.user
            for mutual_id in supported[link.supportingorganization_id]:
                found[mutual_id].add(link.user_id)
    return {mutual_id: [users[pk] for pk in sorted(ids)] for mutual_id, ids in found.items()}


# --- Opening and closing -----------------------------------------------------------------------

@transaction.atomic
def campaign_open(*, year: int, deadline: datetime.date, message: str = "", user,
                  provisional_days: int | None = None) -> Campaign:
    """Open the campaign of `year` (the secretariat's). One campaign per year, one open at a time.

    Raises PermissionDenied, or ValidationError naming the field (`year`, `deadline`).
    """
    if not can(user, "manage_campaign"):
        raise PermissionDenied
    today = timezone.localdate()
    if not FIRST_YEAR <= year <= today.year:
        raise ValidationError(
            {"year": _("The reporting year must be between %(first)s and %(last)s.")
             % {"first": FIRST_YEAR, "last": today.year}}
        )
    if deadline < today:
        raise ValidationError({"deadline": _("The deadline cannot be in the past.")})
    if Campaign.objects.filter(year=year).exists():
        raise ValidationError({"year": _("There is already a campaign for %(year)s.") % {"year": year}})
    still_open = Campaign.objects.open().first()
    if still_open:
        raise ValidationError(
            {"year": _("The %(year)s campaign is still open: close it before opening another one.")
             % {"year": still_open.year}}
        )
    try:
        with transaction.atomic():
            campaign = Campaign.objects.create(
                year=year, deadline=deadline, message=message.strip(), opened_by=user,
                **({} if provisional_days is None else {"provisional_days": provisional_days}),
            )
    except IntegrityError:  # the same year opened at the same moment by someone else
        raise ValidationError(
            {"year": _("There is already a campaign for %(year)s.") % {"year": year}}
        ) from None
    audit.log(campaign, "portal.campaign.opened", user=user,
              data={"year": year, "deadline": deadline.isoformat()})
    return campaign


def campaign_close(*, campaign: Campaign, user) -> Campaign:
    """Close an open campaign (the secretariat's): no campaign e-mail goes after this."""
    if not can(user, "manage_campaign"):
        raise PermissionDenied
    now = timezone.now()
    closed = Campaign.objects.filter(pk=campaign.pk, closed_at__isnull=True).update(
        closed_at=now, closed_by=user
    )
    if not closed:
        raise ValidationError(_("The %(year)s campaign is already closed.") % {"year": campaign.year})
    campaign.closed_at, campaign.closed_by = now, user
    page_cache.invalidate()  # an update sends no signal; the year's figures start turning final
    audit.log(campaign, "portal.campaign.closed", user=user, data={"year": campaign.year})
    return campaign


def campaign_set_provisional_days(*, campaign: Campaign, days: int, user) -> Campaign:
    """How many days after closing the campaign's figures stay provisional (the secretariat's; 0: final
    as soon as it closes). Open or closed, the public pages follow at once (`provisional.py`)."""
    if not can(user, "manage_campaign"):
        raise PermissionDenied
    if not 0 <= days <= 366:
        raise ValidationError(_("Give a number of days between 0 and 366."))
    before = campaign.provisional_days
    campaign.provisional_days = days
    campaign.save(update_fields=["provisional_days"])
    audit.log(campaign, "portal.campaign.provisional_days", user=user,
              data={"year": campaign.year, "before": before, "after": days})
    return campaign


def current_campaign_year() -> int:
    """The year the dashboards show by default: the open campaign's, else the latest campaign's,
    else last year."""
    campaign = Campaign.objects.open().order_by("-year").first() or Campaign.objects.order_by("-year").first()
    if campaign:
        return campaign.year
    return timezone.localdate().year - 1


# --- The e-mails -------------------------------------------------------------------------------

@dataclass
class SendReport:
    """What one run sent (or, in a dry run, would send)."""

    campaign: Campaign
    today: datetime.date
    dry_run: bool = False
    closed: bool = False
    sent: Counter = field(default_factory=Counter)  # kind -> mutuals e-mailed
    # (mutual_id, kind, error) of messages that could not go (to some or all of their recipients)
    failures: list = field(default_factory=list)
    without_reporters: list = field(default_factory=list)  # mutual_ids
    planned: list = field(default_factory=list)  # (mutual_id, kind, [addresses]); dry run only

    @property
    def total_sent(self) -> int:
        return sum(self.sent.values())

    def lines(self) -> list[str]:
        """The report in plain text, one fact per line (the command prints these)."""
        head = f"Campaign {self.campaign.year}, {self.today.isoformat()}"
        if self.closed:
            return [f"{head}: closed, nothing sent."]
        lines = [head + (" (dry run: nothing sent)" if self.dry_run else "")]
        for mutual_id, kind, addresses in self.planned:
            lines.append(f"  would send {kind} to {mutual_id}: {', '.join(addresses)}")
        for kind in Kind.values:
            lines.append(f"  {kind}: {self.sent.get(kind, 0)}")
        for mutual_id, kind, error in self.failures:
            lines.append(f"  FAILED {kind} to {mutual_id}: {error}")
        if self.without_reporters:
            lines.append(
                f"  mutuals without a reporter (no e-mail): {len(self.without_reporters)}: "
                + ", ".join(self.without_reporters)
            )
        return lines


def due_reminder(campaign: Campaign, today: datetime.date):
    """The latest reminder kind due on `today` and the date it became due, or (None, None)."""
    for kind, offset in REMINDERS:
        due = campaign.deadline + datetime.timedelta(days=offset)
        if today >= due:
            return kind, due
    return None, None


def return_form_url(mutual: Mutual, year: int, language: str) -> str:
    """The absolute address of the mutual's (pre-filled) return form, in `language`."""
    return absolute_url("inventory:return_edit", mutual.mutual_id, year, language=language)


def build_email(campaign: Campaign, mutual: Mutual, kind: str, user) -> EmailMessage:
    """One campaign e-mail to one reporter, in the reporter's language."""
    language = user_language(user)
    return templated_email("inventory/email/campaign", to=[user.email], language=language, context=lambda: {
        "campaign": campaign, "year": campaign.year, "deadline": campaign.deadline,
        "message": campaign.message, "mutual": mutual, "kind": kind, "user": user,
        "link": return_form_url(mutual, campaign.year, language),
    })


def _claim(campaign, mutual, kind, recipients, retry_of=None) -> CampaignMessage | None:
    """Take the right to send one message: write its log row, committed before anything is sent.

    None if another run has it already (sent, being sent, or failed for good). `retry_of`, a failed
    row, is taken back by clearing its error in one conditional update, so two runs never both
    retry it.
    """
    if retry_of is not None:
        taken = CampaignMessage.objects.filter(
            pk=retry_of.pk, sent_at__isnull=True, error=retry_of.error
        ).exclude(error="").update(error="", recipients=recipients)
        if not taken:
            return None
        retry_of.error, retry_of.recipients = "", recipients
        return retry_of
    try:
        with transaction.atomic():
            return CampaignMessage.objects.create(
                campaign=campaign, mutual=mutual, kind=kind, recipients=recipients
            )
    except IntegrityError:
        return None


def _retryable(row, now) -> bool:
    """A failed message (no recipient reached) is tried again while it is less than RETRY_FOR old."""
    return row.sent_at is None and bool(row.error) and row.created_at >= now - RETRY_FOR


def send_due_messages(campaign: Campaign, *, today: datetime.date, connection=None,
                      dry_run: bool = False) -> SendReport:
    """Send every campaign e-mail that is due on `today` and not sent yet; return a report.

    - Nothing goes once the campaign is closed.
    - Only mutuals expected for the year whose return is missing, a draft or returned hear from the
      campaign; a submitted or validated return stops the e-mails.
    - Each such mutual gets the invitation first; later, the latest reminder that is due
      (`reminder_14`, `reminder_3`, `overdue`), never an older one once a later one is due, and only
      if that reminder fell due after the day of the mutual's invitation (a mutual invited late, or
      a campaign opened close to its deadline, does not get an invitation and a reminder together).
    - A mutual without a reporter (no active user with an e-mail address) gets nothing, is listed
      in the report, and gets its invitation on a later run once someone reports for it.
    - Each reporter gets their own e-mail, in their language, with the link to the return form.

    Never twice: the `CampaignMessage` row (unique per campaign, mutual and kind) is committed in
    its own transaction *before* sending, and a run that cannot write it skips the message. So call
    this outside any transaction (the command does, the worker's hourly task `inventory.tasks.
    send_campaign_emails` does, the web view is not atomic) — inside one the row would only be
    committed with it.

    Failures: if the mail server cannot be reached at all, the run stops before writing anything
    and reports it. A message whose sending raised for every recipient keeps its row with the error
    and no `sent_at`; later runs try it again (if it is still the one due) for RETRY_FOR after its
    first attempt — run hourly by the worker (or cron), about 24 tries — and then give up: it stays in
    the report of the campaign page as failed, and the next reminder kind still goes when it falls due. A
    message that reached some of its recipients is not retried (the others would get it twice);
    its row has `sent_at` and the error. If the process dies between writing the row and sending,
    the row stays with neither `sent_at` nor an error: that e-mail is lost rather than risked twice.
    """
    report = SendReport(campaign=campaign, today=today, dry_run=dry_run)
    campaign.refresh_from_db(fields=["closed_at", "deadline", "message"])
    if not campaign.is_open:
        report.closed = True
        return report

    # One subquery, not a correlated NOT EXISTS per mutual (see `expected_mutuals`).
    done = YearlyReturn.objects.filter(year=campaign.year, state__in=DONE_STATES).values("mutual_id")
    waiting = (
        expected_mutuals(campaign.year).exclude(pk__in=done)
        .select_related("country").order_by("country_id", "mutual_id")
    )
    rows = {(m.mutual_id, m.kind): m for m in campaign.messages.all()}
    reminder, reminder_due = due_reminder(campaign, today)
    now = timezone.now()

    to_send = []  # (mutual, kind, failed row to retry or None)
    for mutual in waiting:
        invitation = rows.get((mutual.pk, Kind.INVITATION))
        if invitation is None or _retryable(invitation, now):
            to_send.append((mutual, Kind.INVITATION, invitation))
        elif reminder and timezone.localdate(invitation.created_at) < reminder_due:
            row = rows.get((mutual.pk, reminder))
            if row is None or _retryable(row, now):
                to_send.append((mutual, reminder, row))
    if not to_send:
        return report

    people = reporters_by_mutual([m.pk for m, _kind, _row in to_send])
    connection = connection or get_connection()
    if not dry_run:
        try:
            connection.open()
        except Exception as exc:  # noqa: BLE001 - any backend's failure to connect
            report.failures.append(("*", "*", f"mail server unreachable, nothing sent: {exc}"))
            return report
    try:
        for mutual, kind, failed_row in to_send:
            recipients = people.get(mutual.pk)
            if not recipients:
                report.without_reporters.append(mutual.mutual_id)
                continue
            addresses = [u.email for u in recipients]
            if dry_run:
                report.planned.append((mutual.mutual_id, kind, addresses))
                report.sent[kind] += 1
                continue
            row = _claim(campaign, mutual, kind, addresses, retry_of=failed_row)
            if row is not None:
                _send(row, campaign, mutual, kind, recipients, connection, report)
    finally:
        if not dry_run:
            connection.close()
    return report


def _send(row, campaign, mutual, kind, recipients, connection, report) -> None:
    """Send a claimed message to each recipient and record the outcome on its row."""
    errors = []
    delivered = 0
    for user in recipients:
        try:
            delivered += connection.send_messages([build_email(campaign, mutual, kind, user)]) or 0
        # Whatever the mail backend raises (SMTP, network, a refused address), the failure is
        # recorded on the row and the run goes on with the next mutual.
        except Exception as exc:  # noqa: BLE001
            logger.warning("Campaign e-mail %s to %s for %s failed: %s", kind, user.email,
                           mutual.mutual_id, exc)
            errors.append(f"{user.email}: {exc}")
    row.error = "\n".join(errors)
    row.sent_at = timezone.now() if delivered else None
    row.save(update_fields=["error", "sent_at"])
    if delivered:
        report.sent[kind] += 1
    if errors:
        report.failures.append((mutual.mutual_id, kind, "; ".join(errors)))


# --- Who sees the dashboards -------------------------------------------------------------------

def dashboard_scope(user) -> tuple[bool, QuerySet | None]:
    """Whether `user` may see the completion dashboard, and which countries: (True, None) for every
    country (the secretariat), (True, their countries) for a focal point with at least one country,
    (False, None) for anyone else."""
    if can(user, "view_country_dashboard"):  # held everywhere: the secretariat
        return True, None
    if not user.is_authenticated or not user.is_active:
        return False, None
    if Role.FOCAL_POINT not in roles_of(user):
        return False, None
    countries = user.focal_point_countries.all()
    return (True, countries) if countries.exists() else (False, None)
