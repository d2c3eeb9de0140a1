"""The mailings' background tasks (portal/core/tasks.py): sending leaves the web request.

- `send_delivery(id)` is queued by whoever creates a delivery (a newsletter issue sent from the admin,
  a published flash news, the weekly digest), in the transaction that creates it: the worker starts
  sending as soon as that transaction commits, and never for a delivery that was rolled back.
- `send_due_deliveries` runs every minute on the worker's schedule: the safety net. It sends what is
  due of every delivery (temporary refusals whose retry time has come, rows of a worker that died,
  deliveries created by a command or before the worker ran), after releasing the stale claims of dead
  workers (`send_pending` starts with `release_stale_claims`).

Each run sends at most `BATCHES_PER_RUN` batches, then queues its own follow-up when rows are still
due: a mailing to thousands of subscribers does not hold the worker for an hour while an import
waits. A run stopped by a mail-server problem queues nothing: the next minute's safety net tries
again. The engine (portal/newsletter/delivery.py) never sends a row twice, so a task run twice, or
beside `send_newsletters` / `send_flash_news` from cron, sends nothing twice.
"""

import dataclasses
import datetime

from django_tasks import task

from portal.core.tasks import enqueue, periodic

from . import delivery

BATCHES_PER_RUN = 4  # of delivery.BATCH_SIZE messages each


def _summary(stats: delivery.SendStats) -> dict:
    return dataclasses.asdict(stats)  # the task's result: JSON, shown by the queue's admin


@task()
def send_delivery(delivery_id: int) -> dict:
    """Send the due messages of one delivery, a few batches at a time (queued when it is created)."""
    stats = delivery.send_pending(delivery_ids=[delivery_id], batch_size=delivery.BATCH_SIZE,
                                  max_batches=BATCHES_PER_RUN)
    if not stats.errors and delivery.has_due(delivery_ids=[delivery_id]):
        enqueue(send_delivery, delivery_id)
    return _summary(stats)


@periodic(every=datetime.timedelta(minutes=1))
@task()
def send_due_deliveries() -> dict:
    """The safety net: whatever is due in any delivery, stale claims released first."""
    stats = delivery.send_pending(batch_size=delivery.BATCH_SIZE, max_batches=BATCHES_PER_RUN)
    if not stats.errors and delivery.has_due():
        enqueue(send_due_deliveries)
    return _summary(stats)
