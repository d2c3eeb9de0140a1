"""The open datasets of the current data: every format holds the public returns table, with the
EUR columns added at the end; the data package describes every file with the published schemas."""

import base64
import hashlib
import io
import json
import math
import os
import re
import time
import zipfile
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pyarrow.parquet as pq
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from inventory.contract import schema
from inventory.models import DatasetDownloadCount, ExchangeRate, InventoryState
from inventory.opendata import live
from inventory.opendata.exchange_rates import FIXED_PARITY, RateSource, eur_columns, rate_for, to_eur
from inventory.opendata.synthesis import synthesis_rows
from portal.accounts.roles import Role
from tests.factories import UserFactory
from tests.inventory.open_data import build_inventory, expected_rows, normalized, parse_csv

pytestmark = pytest.mark.django_db
SHARED = Path(__file__).resolve().parents[3] / "shared" / "inventory"


@pytest.fixture
def inventory():
    return build_inventory()


def download(client, url, **extra) -> bytes:
    response = client.get(url, **extra)
    assert response.status_code == 200, (url, response.status_code)
    # Reading a streamed body to its end closes it (the test client does so without closing the
    # database connection; an explicit close() would, which PostgreSQL tests notice).
    return b"".join(response.streaming_content) if response.streaming else response.content


def file_url(name):
    return reverse("inventory:dataset_file", args=[name])


def assert_same_table(got: list[dict], want: list[dict]):
    """Cell by cell, across formats: numbers compared as floats, datetimes to the second."""
    assert len(got) == len(want)
    for a_row, b_row in zip(got, want, strict=True):
        assert list(a_row) == list(b_row)
        for column in a_row:
            a, b = normalized(a_row[column]), normalized(b_row[column])
            where = (a_row.get("mutual_id"), a_row.get("year"), column, a, b)
            if isinstance(a, float) and isinstance(b, float):
                assert math.isclose(a, b, rel_tol=1e-12), where
            elif isinstance(a, datetime) and isinstance(b, datetime):
                assert abs((a - b).total_seconds()) < 1, where
            else:
                assert a == b, where


def assert_matches_factories(rows: list[dict], inventory):
    """The rows are exactly the public validated returns, with the figures the factories were given
    and the EUR columns computed independently (never a guessed rate)."""
    want = expected_rows(inventory)
    assert {(r["mutual_id"], r["year"]) for r in rows} == set(want)
    for row in rows:
        for column, value in want[(row["mutual_id"], row["year"])].items():
            got = normalized(row[column])
            if isinstance(value, float) and got is not None:
                assert math.isclose(got, value, rel_tol=1e-12), (row["mutual_id"], row["year"], column)
            else:
                assert got == normalized(value), (row["mutual_id"], row["year"], column, got, value)


# --- The published schema: the contract, then the portal's columns ----------------------------------

@pytest.mark.parametrize("table", ["returns", "synthesis"])
def test_contract_files_stay_the_shared_ones_and_the_portal_only_appends(table):
    ours = (schema.SCHEMA_DIR / f"{table}.schema.json").read_bytes()
    contract = SHARED / f"{table}.schema.json"
    if contract.exists():
        assert ours == contract.read_bytes()
    published = schema.published_fields(table)
    assert published[: len(schema.fields(table))] == json.loads(ours)["fields"]
    for field in published[len(schema.fields(table)):]:
        assert field["title"] and field["title_fr"] and field["description"].startswith("Added by the portal")


def test_returns_table_ends_with_the_eur_columns():
    added = schema.extension_names("returns")
    assert schema.published_column_names()[-len(added):] == added
    assert added[:2] == ["eur_rate", "eur_rate_source"]
    money = [f["name"] for f in schema.fields() if f["name"] in {
        "contribution_amount", "contributions_due", "contributions_collected", "benefits_paid",
        "operating_expenses", "subsidies", "other_income", "reserves", "average_episode_cost"}]
    assert added[2:] == [f"{name}_eur" for name in money]
    # The synthesis sums no money: no EUR column, and its description says why; its one addition
    # is the year's status (provisional or final).
    assert schema.extension_names("synthesis") == ["year_status"]
    assert schema.enum("year_status", "synthesis") == ["provisional", "final"]
    assert "never summed across currencies" in schema.published("synthesis")["description"]


# --- Exchange rates ------------------------------------------------------------------------------------

def test_cfa_francs_convert_at_the_fixed_parity_whatever_the_table():
    assert rate_for("XOF", 1998, {}) == (FIXED_PARITY, RateSource.FIXED_PARITY)
    assert rate_for("xaf", 2031, {("XAF", 2031): Decimal("600")}) == (FIXED_PARITY, RateSource.FIXED_PARITY)
    assert to_eur(Decimal("655957"), "XOF", 2024, {}) == Decimal("1000.00")
    assert to_eur(1000, "XAF", 2024, {}) == Decimal("1.52")  # 1.52449… rounded to the cent


def test_floating_currency_converts_only_with_its_own_year_rate():
    rates = {("GHS", 2024): Decimal("12.5")}
    assert to_eur(1000, "GHS", 2024, rates) == Decimal("80.00")
    # No rate for 2025: nothing converted, and the reason is given; 2024's rate is not borrowed.
    assert to_eur(1000, "GHS", 2025, rates) is None
    assert rate_for("GHS", 2025, rates) == (None, RateSource.NO_RATE)
    assert rate_for("", 2025, rates) == (None, RateSource.NO_CURRENCY)
    assert to_eur(None, "GHS", 2024, rates) is None
    assert to_eur(12.34, "EUR", 2020, {}) == Decimal("12.34")


def test_eur_columns_of_a_row_without_a_rate_are_empty_and_say_so():
    row = {"currency": "NGN", "year": 2025, "contributions_collected": 5000, "benefits_paid": None}
    added = eur_columns(row, {})
    assert added["eur_rate"] is None and added["eur_rate_source"] == "no_rate"
    assert all(added[name] is None for name in added if name.endswith("_eur"))
    assert list(added) == schema.extension_names("returns")


def test_cfa_rates_are_seeded_from_1998_and_cannot_change():
    years = set(ExchangeRate.objects.filter(currency="XOF").values_list("year", flat=True))
    assert set(range(1998, datetime.now(UTC).year + 1)) <= years
    assert set(ExchangeRate.objects.filter(currency="XAF").values_list("rate", flat=True)) == {FIXED_PARITY}
    rate = ExchangeRate.objects.get(currency="XOF", year=2024)
    rate.rate = Decimal("650")
    with pytest.raises(ValidationError) as error:
        rate.full_clean()
    assert "655.957" in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        ExchangeRate.objects.filter(pk=rate.pk).update(rate=Decimal("650"))
    with pytest.raises(ValidationError):  # one rate per currency and year
        ExchangeRate(currency="XOF", year=2024, rate=FIXED_PARITY).full_clean()


def test_secretariat_keeps_the_rates_in_the_admin_and_a_focal_point_cannot(client):
    client.force_login(UserFactory(roles=[Role.SECRETARIAT]))
    add = reverse("wagtailsnippets_inventory_exchangerate:add")
    assert client.get(add).status_code == 200
    listing = client.get(reverse("wagtailsnippets_inventory_exchangerate:list"), {"currency": "XOF"})
    assert listing.status_code == 200 and "655.957" in listing.content.decode()
    response = client.post(add, {"currency": "GHS", "year": "2024", "rate": "12.5", "source": "BoG"})
    assert response.status_code == 302
    assert ExchangeRate.objects.get(currency="GHS", year=2024).rate == Decimal("12.5")
    refused = client.post(add, {"currency": "XOF", "year": "2040", "rate": "600", "source": ""})
    assert refused.status_code == 200 and "655.957" in refused.content.decode()
    assert not ExchangeRate.objects.filter(currency="XOF", year=2040).exists()

    client.force_login(UserFactory(roles=[Role.FOCAL_POINT]))
    response = client.get(add)
    assert response.status_code == 403 or response["Location"] == "/admin/"


# --- Every format holds the returns table ---------------------------------------------------------------

def test_export_command_ends_with_the_eur_columns(inventory):
    out = io.StringIO()
    call_command("export_inventory", "--what", "returns", stdout=out, stderr=io.StringIO())
    rows = parse_csv(out.getvalue().encode())
    assert list(rows[0]) == schema.published_column_names()
    assert_matches_factories(rows, inventory)
    by_key = {(r["mutual_id"], r["year"]): r for r in rows}
    accra = inventory["mutuals"]["accra"].mutual_id
    assert by_key[(accra, 2024)]["contributions_collected_eur"] == 80.0
    assert by_key[(accra, 2025)]["eur_rate_source"] == "no_rate"
    assert by_key[(accra, 2025)]["contributions_collected_eur"] is None  # never guessed from 2024


def test_an_exported_file_imports_back_unchanged_the_eur_columns_ignored(inventory, tmp_path):
    from inventory.contract.imports import import_returns

    path = tmp_path / "export.csv"
    call_command("export_inventory", "--what", "returns", "--output", str(path), stderr=io.StringIO())
    report = import_returns(path)
    assert report.returns_unchanged == len(inventory["returns"])
    assert (report.returns_created, report.returns_updated) == (0, 0)


def test_the_current_csv_is_streamed_and_equals_the_returns_table(client, inventory):
    response = client.get(file_url("returns.csv"))
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    out = io.StringIO()
    call_command("export_inventory", "--what", "returns", stdout=out, stderr=io.StringIO())
    assert data.decode("utf-8") == out.getvalue()
    assert_matches_factories(parse_csv(data), inventory)


def test_xlsx_has_a_sheet_per_table_and_a_bilingual_codebook(client, inventory):
    csv_rows = parse_csv(download(client, file_url("returns.csv")))
    book = openpyxl.load_workbook(io.BytesIO(download(client, file_url("inventory.xlsx"))))
    assert book.sheetnames == ["returns", "synthesis", "codebook"]
    header, *body = list(book["returns"].iter_rows(values_only=True))
    assert list(header) == schema.published_column_names()
    rows = [dict(zip(header, values, strict=True)) for values in body]
    assert_same_table(rows, csv_rows)
    assert_matches_factories(rows, inventory)
    thies = next(r for r in rows if r["mutual_name"] == "Mutuelle de Thiès" and r["year"] == 2024)
    assert isinstance(thies["members"], int) and thies["covers_drugs"] is True
    assert thies["covers_surgery"] is False and thies["covers_lab"] is None

    header, *body = list(book["synthesis"].iter_rows(values_only=True))
    assert list(header) == schema.published_column_names("synthesis")
    assert_same_table([dict(zip(header, v, strict=True)) for v in body], list(synthesis_rows()))

    header, *body = list(book["codebook"].iter_rows(values_only=True))
    assert list(header) == ["table", "column", "title_fr", "title_en", "type", "constraints", "description"]
    listed = {(r[0], r[1]): r for r in body}
    for table in ("returns", "synthesis"):
        for field in schema.published_fields(table):
            entry = listed[(table, field["name"])]
            assert entry[2] == field["title_fr"] and entry[3] == field["title"] and entry[4] == field["type"]
    assert listed[("returns", "members")][5] == "minimum: 0"
    assert "enum: project | setup" in listed[("returns", "status")][5]


def test_parquet_columns_are_typed_from_the_schema(client, inventory):
    csv_rows = parse_csv(download(client, file_url("returns.csv")))
    table = pq.read_table(io.BytesIO(download(client, file_url("returns.parquet"))))
    assert table.column_names == schema.published_column_names()
    types = {f.name: str(f.type) for f in table.schema}
    assert types["members"] == "int64" and types["contributions_collected"] == "double"
    assert types["covers_drugs"] == "bool" and types["last_updated"] == "timestamp[us, tz=UTC]"
    assert types["eur_rate_source"] == "string"
    assert table.schema.field("members").metadata[b"title_fr"].decode() == "Adhérents"
    rows = table.to_pylist()
    assert_same_table(rows, csv_rows)
    assert_matches_factories(rows, inventory)

    synthesis = pq.read_table(io.BytesIO(download(client, file_url("synthesis.parquet"))))
    assert synthesis.column_names == schema.published_column_names("synthesis")
    assert_same_table(synthesis.to_pylist(), list(synthesis_rows()))


def test_synthesis_csv_counts_the_validated_public_returns(client, inventory):
    rows = parse_csv(download(client, file_url("synthesis.csv")), "synthesis")
    by_key = {(r["country"], r["year"]): r for r in rows}
    # Independent: SN 2025 has Thiès validated; Kaolack's is only submitted, the hidden one is out.
    assert by_key[("SN", 2025)]["mutuals_reporting"] == 1
    assert by_key[("SN", 2025)]["members"] == 1250
    assert by_key[("ALL", 2025)]["mutuals_reporting"] == 4  # Thiès, Douala, Accra, Conakry
    assert by_key[("ALL", 2025)]["average_episode_cost_median"] is None


def test_datapackage_lists_every_file_with_the_published_schemas(client, inventory):
    archive = zipfile.ZipFile(io.BytesIO(download(client, file_url("inventory.zip"))))
    names = archive.namelist()
    folder = names[0].split("/")[0]
    files = {name.split("/", 1)[1]: archive.read(name) for name in names}
    package = json.loads(files["datapackage.json"])
    assert json.loads(download(client, file_url("datapackage.json"))) == package
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert package["contributors"][0]["role"] == "author"
    paths = {r["path"] for r in package["resources"]}
    assert paths == set(files) - {"datapackage.json"}  # every file of the zip, and only those
    assert all(n.startswith(folder + "/") for n in names)
    for resource in package["resources"]:
        assert resource["title"] and resource["title_fr"]
        data = files[resource["path"]]
        assert resource["bytes"] == len(data)
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        if "schema" not in resource:
            continue
        if resource["path"].endswith(".xlsx"):  # a sheet of the workbook: its own table's schema
            sheet = resource["dialect"]["excel"]["sheet"]
            assert resource["dialect"]["sheetName"] == sheet and resource["name"] == f"workbook-{sheet}"
            if sheet == "codebook":
                continue
            assert resource["schema"]["fields"] == schema.published_fields(sheet)
            continue
        table = resource["path"].split(".")[0]
        assert resource["schema"]["fields"] == schema.published_fields(table)
        assert resource["schema"]["primaryKey"] == schema.load(table)["primaryKey"]
        names_ = [f["name"] for f in resource["schema"]["fields"]]
        if resource["path"].endswith(".csv"):
            assert resource["profile"] == "tabular-data-resource"
            assert data.decode("utf-8").split("\n", 1)[0].split(",") == names_
            for row in parse_csv(data, table):  # every value fits its field's type and enum
                for field in resource["schema"]["fields"]:
                    allowed = field.get("constraints", {}).get("enum")
                    if allowed and row[field["name"]] is not None:
                        assert row[field["name"]] in allowed
        else:
            assert pq.read_table(io.BytesIO(data)).column_names == names_
    # The zip's tables are the ones downloaded one by one.
    assert files["returns.csv"] == download(client, file_url("returns.csv"))


def test_codebook_page_and_file_list_every_column_in_both_languages(client, inventory):
    html = client.get(reverse("inventory:codebook")).content.decode()
    file_html = download(client, file_url("codebook.html")).decode()
    for text in (html, file_html):
        for table in ("returns", "synthesis"):
            for field in schema.published_fields(table):
                assert f"<code>{field['name']}</code>" in text
        assert "Cotisations recouvrées (EUR)" in text and "Contributions collected (EUR)" in text


def test_codebook_says_the_workbook_times_are_utc_in_the_readers_language(client, inventory):
    # The XLSX cells cannot hold a time zone (issue 15): the codebook says which one, in French too.
    with translation.override("fr"):
        french = client.get(reverse("inventory:codebook")).content.decode()
    with translation.override("en"):
        english = client.get(reverse("inventory:codebook")).content.decode()
    file_html = download(client, file_url("codebook.html")).decode()
    assert "temps universel coordonné" in french and "classeur XLSX" in french
    assert "Coordinated Universal Time" in english and "XLSX workbook" in english
    assert "temps universel coordonné" in file_html and "Coordinated Universal Time" in file_html


def test_codebook_file_keeps_its_own_style_and_no_other_under_the_policy(client, inventory):
    response = client.get(file_url("codebook.html"))
    html = b"".join(response.streaming_content).decode()
    css = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    policy = response["Content-Security-Policy"]
    assert f"style-src 'self' 'sha256-{digest}'" in policy
    assert "unsafe" not in policy and "script-src" not in policy


def test_citation_file_names_the_concertation_and_the_licence(client, inventory):
    text = download(client, file_url("CITATION.cff")).decode()
    assert text.startswith("cff-version: 1.2.0\n")
    assert "type: dataset" in text and "license: CC-BY-4.0" in text
    assert "Concertation entre les acteurs" in text
    assert "url: \"http://testserver/fr/" in text


def test_download_page_shows_the_condition_and_the_citation_before_the_links(client, inventory):
    response = client.get(reverse("inventory:datasets"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("CC BY 4.0") < html.index(file_url("returns.csv"))
    assert html.count("<cite>") == 2  # French and English
    for name in ["returns.csv", "synthesis.csv", "inventory.xlsx", "returns.parquet", "inventory.zip"]:
        assert file_url(name) in html


def test_downloads_follow_a_validation_at_once(client, inventory, django_capture_on_commit_callbacks):
    from inventory.returns.services import return_validate

    before = parse_csv(download(client, file_url("returns.csv")))
    with django_capture_on_commit_callbacks(execute=True):
        download(client, file_url("returns.parquet"))  # builds the current files
    with django_capture_on_commit_callbacks(execute=True):
        return_validate(ret=inventory["submitted"], user=UserFactory(roles=[Role.SECRETARIAT]))
    after = parse_csv(download(client, file_url("returns.csv")))
    assert len(after) == len(before) + 1
    assert len(pq.read_table(io.BytesIO(download(client, file_url("returns.parquet"))))) == len(after)
    kaolack = inventory["mutuals"]["kaolack"].mutual_id
    assert (kaolack, 2025) in {(r["mutual_id"], r["year"]) for r in after}


def test_unknown_file_is_a_404_and_downloads_are_counted(client, inventory):
    assert client.get(file_url("passwords.txt")).status_code == 404
    assert client.get(file_url("..%2Fsettings.py")).status_code == 404
    download(client, file_url("returns.csv"))
    download(client, file_url("returns.csv"))
    client.head(file_url("returns.csv"))
    assert DatasetDownloadCount.objects.get(filename="returns.csv").downloads == 2


def test_one_build_at_a_time_others_wait_then_hear_503(client, inventory, monkeypatch):
    """Where the files are built in place (tasks run at once, as in these tests; the worker
    otherwise: tests/inventory/test_refresh_in_worker.py), one build per version at a time."""
    root = live.live_root()
    root.mkdir(parents=True)
    lock = root / f".lock-v{InventoryState.current_version()}"
    lock.write_text("")  # another process is building this version
    monkeypatch.setattr(live, "LIVE_WAIT", 0.5)
    response = client.get(file_url("inventory.xlsx"))
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert client.get(file_url("returns.csv")).status_code == 200  # the streamed tables do not wait
    # A lock left by a dead process is taken over.
    old = time.time() - live.LIVE_STALE - 10
    os.utime(lock, (old, old))
    assert client.get(file_url("inventory.xlsx")).status_code == 200
    assert not lock.exists()
