import datetime

from django.core.management.base import BaseCommand, CommandError

from portal.news.flash import flash_digest_deliver, send_flash_deliveries


class Command(BaseCommand):
    help = ("Sends the pending flash news e-mails; with --digest, first builds this week's digest for those "
            "who asked for one. The worker does both on its own (portal/news/tasks.py); this command is for "
            "a cron without a worker. Safe to run again or twice at once: nobody gets a flash news twice.")

    def add_arguments(self, parser):
        parser.add_argument("--digest", action="store_true", help="Build this week's digest first.")
        parser.add_argument("--date", help="With --digest: the digest of the week of this day (YYYY-MM-DD).")

    def handle(self, *args, digest=False, date=None, **options):
        if digest:
            try:
                today = datetime.date.fromisoformat(date) if date else None
            except ValueError:
                raise CommandError(f"--date: “{date}” is not a date (YYYY-MM-DD).") from None
            delivery, created = flash_digest_deliver(today=today)
            count = delivery.recipients.count()
            if created:
                self.stdout.write(self.style.SUCCESS(f"Digest {delivery.reference}: {count} recipients."))
            else:
                self.stdout.write(f"Digest {delivery.reference} exists already ({count} recipients): "
                                  "nobody added.")
        stats = send_flash_deliveries()
        for error in stats.errors:
            self.stderr.write(error)
        self.stdout.write(self.style.SUCCESS(
            f"Flash news e-mails: {stats.sent} sent, {stats.failed} failed, {stats.skipped} skipped, "
            f"{stats.retried} to retry, {stats.uncertain} uncertain."))
