"""The news' background tasks (portal/core/tasks.py): the weekly flash-news digest, built by the
worker's schedule instead of a cron.

A published flash news needs no task of its own here: `flash_publish_deliver` (after the publishing
commits) creates its delivery and queues `portal.newsletter.tasks.send_delivery`.
"""

import datetime

from django_tasks import task

from portal.core.tasks import periodic


@periodic(every=datetime.timedelta(days=1))
@task()
def build_flash_digest() -> dict:
    """This week's digest, if it does not exist yet (its sending is queued with it). Runs daily: the
    first run of an ISO week creates that week's digest, the other six add nobody; a worker that was
    down on Monday still builds it on the day it comes back."""
    from .flash import flash_digest_deliver

    delivery, created = flash_digest_deliver()
    return {"reference": delivery.reference, "created": created, "recipients": delivery.recipients.count()}
