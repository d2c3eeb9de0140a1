"""A frozen release's files live in the uploads' storage, which is an S3 bucket in production
(docs/deployment.md): they are written there by the worker and served back from there, byte for byte,
never through a path on the web server's disk. Here a bucket of moto's S3 server (CI starts it)."""

import hashlib
import uuid
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from inventory.contract.choices import ReturnState
from inventory.models import Release
from portal.accounts.roles import Role
from portal.reference.models import Country
from tests.deployment.conftest import S3_ENDPOINT_URL, require
from tests.factories import MutualFactory, ReturnFactory, UserFactory


def url(name, *args):
    with translation.override("en"):
        return reverse(f"inventory:{name}", args=args)


@pytest.fixture
def bucket(settings, monkeypatch):
    require(S3_ENDPOINT_URL, "an S3-compatible server (moto_server)")
    import boto3

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    s3 = boto3.client("s3", endpoint_url=S3_ENDPOINT_URL, region_name="us-east-1")
    name = f"portal-releases-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name)
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
            "bucket_name": name, "endpoint_url": S3_ENDPOINT_URL, "region_name": "us-east-1",
            "default_acl": "private", "file_overwrite": False}}}
    return s3, name


@pytest.mark.django_db
def test_a_release_is_stored_in_the_bucket_and_served_from_it(client, bucket):
    s3, name = bucket
    ReturnFactory(mutual=MutualFactory(country=Country.objects.get(code="SN")), year=2024,
                  state=ReturnState.VALIDATED, status="functional", members=1200)
    client.force_login(UserFactory(roles=[Role.SECRETARIAT]))
    form = {"name": "Inventaire 2024", "version": "1.0", "changelog": ""}
    confirmation = client.post(url("release_publish"), {**form, "step": "check"})
    shown = confirmation.context["contents"].inventory_version
    published = client.post(url("release_publish"), {**form, "step": "publish", "inventory_version": shown})
    assert published.status_code == 302

    release = Release.objects.get()
    keys = {item["Key"] for item in s3.list_objects_v2(Bucket=name).get("Contents", [])}
    assert {f"releases/{release.folder}/{stored.filename}" for stored in release.files.all()} <= keys
    from django.conf import settings

    assert not (Path(settings.MEDIA_ROOT) / "releases").exists()  # nothing on the web server's disk

    for filename in ("inventory.zip", "codebook.html"):
        stored = release.files.get(filename=filename)
        response = client.get(url("release_file", release.slug, release.version, filename))
        assert response.status_code == 200
        body = b"".join(response.streaming_content)
        assert hashlib.sha256(body).hexdigest() == stored.sha256
    codebook = client.get(url("release_file", release.slug, release.version, "codebook.html"))
    assert "sha256-" in codebook["Content-Security-Policy"]  # its own <style> allowed, read from the bucket
