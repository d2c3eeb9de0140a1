"""The library's background tasks (run by the worker, `manage.py run_worker`).

Text extraction leaves the request: reading a 900-page PDF takes seconds to minutes, and the editor who
attached it must not wait for it (nor hold the database's write lock meanwhile). The request checks
the file (`check_upload`, bounded) and saves the resource with its text pending; `ResourcePage.save`
queues `extract_resource_text`, which fills the text and brings the search index in step.
`extract_pending_texts`, on the worker's schedule, catches up on any extraction whose task was lost
(a Redis queue emptied, a worker killed mid-task).
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django_tasks import task

from portal.core.tasks import periodic

logger = logging.getLogger(__name__)


@task()
def extract_resource_text(page_id: int, document_id: int) -> str:
    """Extract the text of resource `page_id`'s file `document_id` and index it; what happened.

    Idempotent and safe to run late or twice: nothing when the resource is gone, has another file by
    now (that file's own task does the work) or already has this file's text. The fields are written
    with an UPDATE on the condition that the file is still the same, so an edit saved meanwhile is
    never overwritten."""
    from .models import ResourcePage
    from .search import index_resource

    page = ResourcePage.objects.filter(pk=page_id).first()
    if page is None or page.document_id != document_id:
        return "stale"
    if page.extracted_document_id == document_id:
        return "done already"
    page.refresh_text()  # the slow part, outside any transaction
    with transaction.atomic():
        written = ResourcePage.objects.filter(pk=page_id, document_id=document_id).update(
            **{name: getattr(page, name) for name in ResourcePage.EXTRACTION_FIELDS})
    if not written:
        return "stale"
    if page.extraction_note:
        logger.info("Resource %s: %s", page_id, page.extraction_note)
    if page.live:
        page.refresh_from_db()
        index_resource(page)  # takes it out instead when it may not be shown
    return "extracted"


@periodic(every=timedelta(hours=1))
@task()
def extract_pending_texts() -> int:
    """Extract the text of every resource still pending (see the module); how many were done."""
    from .models import ResourcePage

    pending = (ResourcePage.objects.filter(document__isnull=False)
               .exclude(extracted_document_id=F("document_id")).values_list("pk", "document_id"))
    return sum(extract_resource_text.call(pk, document_id) == "extracted"
               for pk, document_id in pending.order_by("pk"))
