"""`/healthz` (portal/core/health.py): 200 when the database, the cache and the queue answer, 503 naming
the one that does not. The unreachable services are real addresses where nothing listens (no mock)."""

import pytest
from django.core.cache import caches
from django.test import override_settings

from .conftest import unreachable_url
from .probe import record_probe

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
RQ_QUEUE = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}


def redis_cache(url):
    return {"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url,
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }}


def rq_settings(url):
    return {"TASKS": RQ_QUEUE, "RQ_QUEUES": {"default": {"URL": url, "DEFAULT_TIMEOUT": 60}}}


def test_healthy_site_answers_200_with_each_check_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert (body["database"], body["cache"], body["queue"]) == ("ok", "ok", "ok")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_healthz_answers_itself_in_any_language_without_login_or_redirect(client):
    response = client.get("/healthz", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_the_database_queue_reports_how_long_its_oldest_task_has_waited(client):
    with override_settings(TASKS=DATABASE_QUEUE):
        assert client.get("/healthz").json()["queue_oldest_ready_seconds"] is None
        record_probe.enqueue("waiting")  # no worker runs in this test: the task stays queued
        body = client.get("/healthz").json()
    assert body["queue"] == "ok"
    assert 0 <= body["queue_oldest_ready_seconds"] < 60  # queued just now


def test_an_unreachable_cache_is_a_503_that_names_it_and_nothing_else(client):
    url = unreachable_url("redis")
    with override_settings(CACHES=redis_cache(url)):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["cache"].startswith("error")
    assert (body["database"], body["queue"]) == ("ok", "ok")
    assert url.split("//")[1] not in response.content.decode()  # no address in the answer


def test_an_unreachable_redis_queue_is_a_503_that_names_it(client):
    url = unreachable_url("redis")
    with override_settings(**rq_settings(url)):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["queue"].startswith("error")
    assert (body["database"], body["cache"]) == ("ok", "ok")
    assert "127.0.0.1" not in response.content.decode()


def test_redis_as_cache_and_queue_is_healthy(client, redis_url):
    with override_settings(CACHES=redis_cache(f"{redis_url}/3"), **rq_settings(f"{redis_url}/4")):
        response = client.get("/healthz")
        caches["default"].close()
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["database"], body["cache"], body["queue"]) == ("ok", "ok", "ok")
