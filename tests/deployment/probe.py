"""TEST DOUBLE — never used by the portal: a task and a view that enqueues it, to see a task queued by a
web request run in a real worker process (tests/deployment/test_production_set.py).

The task writes a key in the default cache (Redis in that test), which the test reads: the proof that
the worker, a separate process, ran it, with its own process id."""

import os

from django.core.cache import cache
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django_tasks import task

from portal.core.tasks import enqueue


@task()
def record_probe(token: str) -> int:
    cache.set(f"deployment-probe:{token}", os.getpid(), 300)
    return os.getpid()


@csrf_exempt  # called by the test's HTTP client, which has no form to take a token from
@require_POST
def enqueue_probe(request, token):
    enqueue(record_probe, token)
    return JsonResponse({"queued": token, "web_pid": os.getpid()})
