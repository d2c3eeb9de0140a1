"""Send the campaign e-mails that are due: invitations and reminders (see `inventory/campaign/schedule.py`).

The worker runs the same every hour on its schedule (`inventory.tasks.send_campaign_emails`), so no
cron is needed; this command stays for a cron without a worker, or to act as of another day. Safe to
run beside the worker or twice at once: an e-mail already sent (or being sent by another run) is never
sent again.

    python manage.py send_reminders                     # today
    python manage.py send_reminders --dry-run           # list what would go, send nothing
    python manage.py send_reminders --date 2026-03-01   # as if on that day (tests, catching up)
"""

import argparse
import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from inventory.campaign.schedule import send_due_messages
from inventory.models import Campaign


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date in the form YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = "Send the due invitations and reminders of every open campaign."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=_date, default=None,
                            help="Act as if today were this date (YYYY-MM-DD).")
        parser.add_argument("--dry-run", action="store_true",
                            help="List the e-mails that are due without sending or recording them.")

    def handle(self, *args, date=None, dry_run=False, **options):
        today = date or timezone.localdate()
        campaigns = list(Campaign.objects.open().order_by("year"))
        if not campaigns:
            self.stdout.write("No open campaign: nothing to send.")
            return
        for campaign in campaigns:
            report = send_due_messages(campaign, today=today, dry_run=dry_run)
            for line in report.lines():
                self.stdout.write(line)
            if report.failures:
                self.stdout.write(self.style.WARNING(f"{len(report.failures)} message(s) failed."))
            else:
                verb = "would be sent" if dry_run else "sent"
                self.stdout.write(self.style.SUCCESS(f"{report.total_sent} message(s) {verb}."))
