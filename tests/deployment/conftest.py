"""The services of the production set (docs/deployment.md), each found at a loopback address that CI's
`.ci/run` starts and exports: Redis (`TEST_REDIS_URL`) and an S3-compatible server, moto's
(`TEST_S3_ENDPOINT_URL`).

A test that needs one is skipped on a machine where it is not running, and fails in CI (`CI` set), where
it must run — as the browser tests do with chromium."""

import os
import socket
import urllib.parse

import pytest

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6390")
S3_ENDPOINT_URL = os.environ.get("TEST_S3_ENDPOINT_URL", "http://127.0.0.1:5000")


def listening(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=1):
            return True
    except OSError:
        return False


def require(url: str, what: str):
    if not listening(url):
        if os.environ.get("CI"):
            pytest.fail(f"{what} is not running at {url}: CI must run the deployment tests (.ci/run)")
        pytest.skip(f"no {what} at {url} here (see .ci/run to start one)")


@pytest.fixture(scope="session")
def redis_url():
    require(REDIS_URL, "Redis")
    return REDIS_URL


@pytest.fixture(scope="session")
def s3_endpoint_url():
    require(S3_ENDPOINT_URL, "an S3-compatible server (moto_server)")
    return S3_ENDPOINT_URL


def unreachable_url(scheme: str) -> str:
    """A loopback address where nothing listens (a port just freed by the system)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"{scheme}://127.0.0.1:{port}"
