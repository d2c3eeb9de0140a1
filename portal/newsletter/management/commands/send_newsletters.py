"""Send the newsletter e-mails that are due, in batches.

The worker (`manage.py run_worker`, started by `make run`) sends them without it: the admin's "send"
queues the sending, and its schedule retries what is due every minute (portal/newsletter/tasks.py).
This command is for a deployment without a worker, or by hand (`--requeue-uncertain`); cron it then:

    * * * * * cd /srv/portal && .venv/bin/python manage.py send_newsletters >> var/send_newsletters.log 2>&1

Safe to kill, to restart and to run twice at once: see portal/newsletter/delivery.py.
"""

from django.core.management.base import BaseCommand, CommandError

from portal.newsletter import delivery
from portal.newsletter.services import KIND


class Command(BaseCommand):
    help = "Send the pending newsletter e-mails in batches (resumable; never twice to an address)."

    def add_arguments(self, parser):
        parser.add_argument("--issue", type=int, help="Only this issue's number.")
        parser.add_argument("--batch-size", type=int, default=delivery.BATCH_SIZE,
                            help="Messages per SMTP connection (default %(default)s).")
        parser.add_argument("--max-batches", type=int, default=None,
                            help="Stop after this many batches (default: until nothing is due).")
        parser.add_argument("--requeue-uncertain", action="store_true",
                            help="With --issue: send again the messages whose sending was interrupted "
                                 "(accepting that some of them may arrive twice).")

    def handle(self, *args, issue=None, batch_size, max_batches, requeue_uncertain, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        deliveries = delivery.Delivery.objects.filter(kind=KIND)
        if issue is not None:
            deliveries = deliveries.filter(reference=f"newsletter-issue-{issue}")
            if not deliveries.exists():
                raise CommandError(f"Issue No {issue} has not been sent to the subscribers.")
        elif requeue_uncertain:
            raise CommandError("--requeue-uncertain needs --issue.")
        if requeue_uncertain:
            count = delivery.requeue_uncertain(deliveries.get())
            self.stdout.write(f"{count} uncertain messages put back in the queue.")
        ids = list(deliveries.values_list("pk", flat=True))
        stats = delivery.send_pending(kinds=[KIND], delivery_ids=ids, batch_size=batch_size,
                                      max_batches=max_batches)
        summary = (f"{stats.sent} sent, {stats.failed} failed, {stats.retried} to retry later, "
                   f"{stats.skipped} skipped (unsubscribed), {stats.uncertain} uncertain, "
                   f"{stats.released} stale claims released.")
        if stats.errors:
            self.stderr.write(summary)
            raise CommandError("; ".join(stats.errors))
        if stats.sent or stats.failed or stats.skipped or stats.uncertain or stats.released:
            self.stdout.write(self.style.SUCCESS(summary))
