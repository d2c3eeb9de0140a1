"""Frozen releases: what the secretariat publishes is what the confirmation listed, the files never
change (the zip is byte-identical after more validations), "latest" follows the newest version,
only the secretariat publishes, and downloads and the guestbook are counted for its reports."""

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from inventory.models import GuestbookEntry, Release, ReleaseFile
from inventory.opendata.package import FILES
from inventory.returns.services import return_validate
from portal.accounts.roles import Role
from tests.factories import LOGIN_PAGES, ReturnFactory, UserFactory
from tests.inventory.open_data import build_inventory, parse_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def inventory():
    return build_inventory()


@pytest.fixture
def secretariat(client):
    user = UserFactory(roles=[Role.SECRETARIAT])
    client.force_login(user)
    return user


def url(name, *args):
    with translation.override("en"):
        return reverse(f"inventory:{name}", args=args)


def check(client, name="Inventaire 2025", version="1.0", changelog=""):
    return client.post(url("release_publish"), {"name": name, "version": version, "changelog": changelog,
                                                 "step": "check"})


def publish(client, name="Inventaire 2025", version="1.0", changelog="", inventory_version=None):
    if inventory_version is None:
        confirmation = check(client, name, version, changelog)
        assert confirmation.status_code == 200, confirmation.content.decode()[:2000]
        inventory_version = confirmation.context["contents"].inventory_version
    return client.post(url("release_publish"), {
        "name": name, "version": version, "changelog": changelog, "step": "publish",
        "inventory_version": inventory_version,
    })


def download(client, path) -> bytes:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    # Reading a streamed body to its end closes it (the test client does so without closing the
    # database connection; an explicit close() would, which PostgreSQL tests notice).
    return b"".join(response.streaming_content) if response.streaming else response.content


def validate(ret, capture):
    """Validate `ret` and run what follows the commit (the inventory version's bump)."""
    with capture(execute=True):
        return_validate(ret=ret, user=UserFactory(roles=[Role.SECRETARIAT]))


# --- Publishing --------------------------------------------------------------------------------------

def test_confirmation_lists_what_the_release_holds_and_the_submitted_returns_left_out(client, secretariat,
                                                                                      inventory):
    form = client.get(url("release_publish"))
    assert form.status_code == 200
    assert form.context["form"].initial == {"name": "Inventaire 2025", "version": "1.0"}

    response = check(client)
    assert response.status_code == 200
    contents = response.context["contents"]
    # Independent count from the factories' returns: validated returns of public mutuals.
    expected = {}
    for ret in inventory["returns"]:
        expected[(ret.mutual.country_id, ret.year)] = expected.get((ret.mutual.country_id, ret.year), 0) + 1
    got = {(code, year): n for code, _name, counts, _total in contents.countries
           for year, n in zip(contents.years, counts, strict=True) if n}
    assert got == expected
    assert contents.total == len(inventory["returns"])
    assert contents.submitted == 1 and contents.submitted_by_country == [("SN", 1)]
    assert contents.not_public == 1
    html = response.content.decode()
    assert "1 submitted return awaiting validation is NOT included." in html
    assert "Publish Inventaire 2025 v1.0 now" in html
    assert not Release.objects.exists()  # nothing published by the check


def test_publishing_stores_every_file_once_with_its_checksum(client, secretariat, inventory):
    response = publish(client)
    release = Release.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("release_detail", "inventaire-2025", "1.0")
    assert (release.name, release.version, release.published_by) == ("Inventaire 2025", "1.0", secretariat)
    assert release.returns_count == len(inventory["returns"])
    stored = {f.filename: f for f in release.files.all()}
    assert list(stored) == FILES
    for name, item in stored.items():
        path = Path(item.file.path)
        assert path.parent.name == "inventaire-2025-v1.0" and path.parent.parent.name == "releases"
        data = path.read_bytes()
        assert (item.sha256, item.size) == (hashlib.sha256(data).hexdigest(), len(data)), name
    with pytest.raises(ValidationError):
        stored["returns.csv"].save()  # write once
    # The release's table is the public returns table of that moment.
    rows = parse_csv(download(client, url("release_file", "inventaire-2025", "1.0", "returns.csv")))
    assert {(r["mutual_id"], r["year"]) for r in rows} == {
        (r.mutual.mutual_id, r.year) for r in inventory["returns"]}


def test_a_published_zip_is_byte_identical_after_more_validations(
        client, secretariat, inventory, django_capture_on_commit_callbacks):
    publish(client)
    zip_url = url("release_file", "inventaire-2025", "1.0", "inventory.zip")
    first = download(client, zip_url)
    assert hashlib.sha256(first).hexdigest() == ReleaseFile.objects.get(filename="inventory.zip").sha256

    validate(inventory["submitted"], django_capture_on_commit_callbacks)
    more = ReturnFactory(mutual=inventory["mutuals"]["douala"], year=2024, state="submitted",
                         status="functional", members=5)
    validate(more, django_capture_on_commit_callbacks)

    again = download(client, zip_url)
    assert again == first
    archive = zipfile.ZipFile(io.BytesIO(again))
    assert archive.namelist() == [f"inventaire-2025-v1.0/{name}" for name in FILES[:-1]]
    frozen = parse_csv(archive.read("inventaire-2025-v1.0/returns.csv"))
    current = parse_csv(download(client, url("dataset_file", "returns.csv")))
    assert len(current) == len(frozen) + 2  # the current data moved on; the release did not


def test_a_correction_is_v1_1_with_a_changelog_and_latest_moves_to_it(
        client, secretariat, inventory, django_capture_on_commit_callbacks):
    publish(client)
    validate(inventory["submitted"], django_capture_on_commit_callbacks)
    assert client.get(url("release_publish")).context["form"].initial["version"] == "1.1"

    missing = check(client, version="1.1")
    assert missing.status_code == 400 and "changelog" in missing.context["form"].errors
    response = publish(client, version="1.1", changelog="Kaolack's 2025 return validated.")
    assert response.status_code == 302
    v10, v11 = Release.objects.get(version="1.0"), Release.objects.get(version="1.1")
    assert v11.returns_count == v10.returns_count + 1

    assert client.get(url("release_latest"))["Location"] == url("release_detail", "inventaire-2025", "1.1")
    assert client.get(url("release_latest_file", "inventory.zip"))["Location"] == url(
        "release_file", "inventaire-2025", "1.1", "inventory.zip")
    old = client.get(url("release_detail", "inventaire-2025", "1.0")).content.decode()
    assert "A newer release exists: Inventaire 2025 v1.1." in old
    new = client.get(url("release_detail", "inventaire-2025", "1.1")).content.decode()
    assert "Kaolack&#x27;s 2025 return validated." in new
    assert "A newer release exists" not in new


@pytest.mark.parametrize("name,version,field", [
    ("Inventaire 2025", "v1", "version"),
    ("Inventaire 2025", "1", "version"),
    ("Inventaire 2025", "1.0.0", "version"),
    ("Inventaire 2025", "", "version"),
    ("latest", "1.0", "name"),
    ("<script>", "1.0", "name"),
    ("ab", "1.0", "name"),
    ("x" * 81, "1.0", "name"),
])
def test_malformed_names_and_versions_are_refused(client, secretariat, inventory, name, version, field):
    for step in ("check", "publish"):
        response = client.post(url("release_publish"), {"name": name, "version": version, "step": step,
                                                         "inventory_version": 0})
        assert response.status_code == 400
        assert field in response.context["form"].errors
    assert not Release.objects.exists()


def test_a_published_version_cannot_be_published_again_or_go_backwards(client, secretariat, inventory):
    publish(client)
    publish(client, version="1.1", changelog="Same data, new layout.")
    again = check(client, version="1.0", changelog="again")
    assert again.status_code == 400 and "already published" in str(again.context["form"].errors)
    back = check(client, version="0.9", changelog="older")
    assert back.status_code == 400 and "must come after" in str(back.context["form"].errors)
    assert Release.objects.count() == 2


def test_nothing_is_published_if_the_inventory_changed_since_the_confirmation(
        client, secretariat, inventory, django_capture_on_commit_callbacks):
    shown = check(client).context["contents"].inventory_version
    validate(inventory["submitted"], django_capture_on_commit_callbacks)
    response = publish(client, inventory_version=shown)
    assert response.status_code == 409
    assert not Release.objects.exists()
    assert response.context["contents"].inventory_version != shown  # confirm again with the new figures
    assert response.context["contents"].submitted == 0


def test_an_inventory_without_validated_returns_is_not_published(client, secretariat):
    confirmation = check(client)
    assert confirmation.status_code == 200 and confirmation.context["contents"].total == 0
    assert "Publish Inventaire 2025 v1.0 now" not in confirmation.content.decode()
    response = publish(client, inventory_version=confirmation.context["contents"].inventory_version)
    assert response.status_code == 400
    assert "no validated return to publish" in response.content.decode()
    assert not Release.objects.exists()


# --- Who may publish ------------------------------------------------------------------------------

@pytest.mark.parametrize("role", [Role.MEMBER, Role.MUTUAL_MANAGER, Role.SUPPORTING_ORGANIZATION,
                                  Role.FOCAL_POINT])
def test_only_the_secretariat_publishes_and_reads_the_counts(client, inventory, role):
    client.force_login(UserFactory(roles=[role]))
    assert client.get(url("release_publish")).status_code == 403
    crafted = client.post(url("release_publish"), {"name": "Inventaire 2025", "version": "1.0",
                                                    "step": "publish", "inventory_version": 0})
    assert crafted.status_code == 403
    assert client.get(url("download_statistics")).status_code == 403
    assert not Release.objects.exists()
    assert "data/publish" not in client.get(url("datasets")).content.decode()


def test_visitors_are_sent_to_log_in_and_publish_nothing(client, inventory):
    crafted = client.post(url("release_publish"), {"name": "Inventaire 2025", "version": "1.0",
                                                    "step": "publish", "inventory_version": 0})
    assert crafted.status_code == 302 and crafted["Location"].startswith(LOGIN_PAGES)
    assert not Release.objects.exists()


# --- Downloading a release ------------------------------------------------------------------------

def test_bad_release_urls_are_404(client, secretariat, inventory):
    assert client.get(url("release_latest")).status_code == 404  # none published yet
    publish(client)
    base = url("release_detail", "inventaire-2025", "1.0")
    assert client.get(base).status_code == 200
    for bad in [base.replace("1.0", "1.0x"), base.replace("1.0", "v1.0"), base.replace("1.0", "9.9"),
                base.replace("inventaire-2025", "inventaire-2099"),
                base.replace("inventaire-2025", "Inv 2025"), base + "secrets.txt",
                base + "..%2F..%2Fsettings.py", url("release_latest_file", "nothing.csv")]:
        assert client.get(bad).status_code == 404, bad


def test_release_page_says_how_to_cite_it_with_checksums(client, secretariat, inventory):
    publish(client)
    release = Release.objects.get()
    client.logout()
    response = client.get(url("release_detail", "inventaire-2025", "1.0"))
    html = response.content.decode()
    citations = {code: line for code, _language, line in response.context["citations"]}
    assert set(citations) == {"fr", "en"} and html.count("<cite>") == 2
    for code, line in citations.items():
        assert line.startswith(f"Concertation ({release.published_at.year}). Inventaire 2025, version 1.0")
        with translation.override(code):
            page = reverse("inventory:release_detail", args=["inventaire-2025", "1.0"])
        assert line.endswith(f"http://testserver{page}")
        assert line in html
    zip_url = url("release_file", "inventaire-2025", "1.0", "inventory.zip")
    assert html.index("CC BY 4.0") < html.index(zip_url)
    for item in release.files.all():
        assert item.sha256 in html
    assert "Downloads" not in html  # the counts are the secretariat's
    cff = download(client, url("release_file", "inventaire-2025", "1.0", "CITATION.cff")).decode()
    assert 'version: "1.0"' in cff and 'title: "Inventaire 2025"' in cff
    assert f"date-released: {release.published_at.date().isoformat()}" in cff
    assert "license: CC-BY-4.0" in cff


def test_downloads_are_counted_per_release_and_file(client, secretariat, inventory):
    publish(client)
    zip_url = url("release_file", "inventaire-2025", "1.0", "inventory.zip")
    response = client.get(zip_url)
    assert response["Content-Disposition"].startswith('attachment; filename="inventaire-2025-v1.0.zip"')
    assert "immutable" in response["Cache-Control"]
    b"".join(response.streaming_content)  # read to the end, which closes the file
    download(client, zip_url)
    download(client, url("release_file", "inventaire-2025", "1.0", "returns.csv"))
    client.head(zip_url)
    counts = dict(ReleaseFile.objects.values_list("filename", "downloads"))
    assert counts["inventory.zip"] == 2 and counts["returns.csv"] == 1 and counts["synthesis.csv"] == 0
    stats = client.get(url("download_statistics"))
    assert stats.status_code == 200
    assert stats.context["releases"][0].total_downloads == 3


# --- Guestbook ----------------------------------------------------------------------------------------

def test_guestbook_is_optional_light_and_throttled(client, secretariat, inventory):
    publish(client)
    client.logout()
    target = url("dataset_guestbook")
    response = client.post(target, {"organization": "Université Cheikh Anta Diop", "purpose": "research",
                                    "release": "inventaire-2025/1.0"})
    assert response.status_code == 302
    assert response["Location"] == url("release_detail", "inventaire-2025", "1.0")
    entry = GuestbookEntry.objects.get()
    assert (entry.organization, entry.purpose, entry.release.version) == (
        "Université Cheikh Anta Diop", "research", "1.0")
    assert {f.name for f in GuestbookEntry._meta.get_fields()} == {
        "id", "release", "organization", "purpose", "created_at"}  # no personal data kept
    assert client.post(target, {"organization": "", "purpose": ""}).status_code == 400
    assert client.post(target, {"purpose": "research", "release": "nope/1.0"}).status_code == 400
    assert client.post(target, {"purpose": "bribery"}).status_code == 400
    for _ in range(4):
        assert client.post(target, {"purpose": "teaching"}).status_code == 302
    assert client.post(target, {"purpose": "teaching"}).status_code == 429
    assert GuestbookEntry.objects.count() == 5


def test_templates_can_name_the_latest_release(client, secretariat, inventory):
    from django.template import Context, Template

    tag = Template("{% load inventory_tags %}{% latest_release as r %}{{ r.label|default:'none' }}")
    assert tag.render(Context()) == "none"
    publish(client)
    publish(client, version="1.1", changelog="Layout.")
    assert tag.render(Context()) == "Inventaire 2025 v1.1"


def test_a_client_keeping_no_cookie_is_throttled_and_leaves_no_session(client, secretariat, inventory):
    """A script that drops the cookies is limited by its address; a refused answer creates no session."""
    from django.contrib.sessions.models import Session
    from django.test import Client

    publish(client)
    target = url("dataset_guestbook")
    before = Session.objects.count()
    assert Client().post(target, {"purpose": "bribery"}).status_code == 400
    assert Session.objects.count() == before
    answers = [Client().post(target, {"purpose": "teaching"}).status_code for _ in range(6)]
    assert answers == [302] * 5 + [429]
    assert GuestbookEntry.objects.count() == 5
