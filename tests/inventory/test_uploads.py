"""Files on the site: the secretariat's upload of an inventory file (the import command's code,
all or nothing, check-only) and a mutual's offline XLSX form (download, fill, upload as a draft)."""

import csv
import html
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from inventory.contract import reading, schema
from inventory.contract.choices import RegistrationState, ReturnState
from inventory.contract.reading import parse_cell
from inventory.models import Mutual, MutualIdSequence, ReturnRevision, YearlyReturn
from inventory.returns import offline_form
from inventory.returns.services import return_save_draft
from portal.accounts.roles import Role
from tests.factories import MutualFactory, ReturnFactory, UserFactory

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def url(name, *args, language="en"):
    with translation.override(language):
        return reverse(f"inventory:{name}", args=args)


# The secretariat's upload ------------------------------------------------------------------------

COLUMNS = ["mutual_id", "mutual_name", "country", "mutual_type", "year", "status", "members",
           "beneficiaries", "target_population", "contributions_due", "contributions_collected",
           "currency", "covers_drugs", "validation_status"]


def inventory_csv(rows, columns=COLUMNS, name="inventory.csv"):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode(), content_type="text/csv")


def good_rows():
    base = {"mutual_name": "Mutuelle de Thiès", "country": "SN", "mutual_type": "community",
            "status": "functional", "currency": "XOF", "covers_drugs": "true",
            "validation_status": "validated"}
    return [
        {**base, "mutual_id": "SN-0100", "year": "2023", "members": "1000", "beneficiaries": "4000",
         "target_population": "20000", "contributions_due": "5000000", "contributions_collected": "4000000"},
        # More collected than due: a plausibility warning, not an error.
        {**base, "mutual_id": "SN-0100", "year": "2024", "members": "1100", "beneficiaries": "4400",
         "target_population": "20000", "contributions_due": "5000000", "contributions_collected": "5500000"},
        {**base, "mutual_id": "SN-0101", "mutual_name": "Mutuelle de Mbour", "year": "2024", "members": "300",
         "beneficiaries": "900", "target_population": "", "contributions_due": "",
         "contributions_collected": "", "validation_status": ""},
    ]


@pytest.fixture
def secretariat(client):
    user = UserFactory(roles=[Role.SECRETARIAT])
    client.force_login(user)
    return user


def imported(client, upload, **fields):
    """The job page an upload leads to: the import ran in the task the upload queued (at once with the
    tests' ImmediateBackend), and the page shows its report or its problems."""
    response = client.post(url("import_upload"), {"file": upload, **fields})
    assert response.status_code == 302 and "/import/" in response["Location"], response.status_code
    return client.get(response["Location"])


def counts():
    return (Mutual.objects.count(), YearlyReturn.objects.count(), ReturnRevision.objects.count(),
            MutualIdSequence.objects.count())


def test_the_secretariat_imports_a_file_and_reads_the_report(client, secretariat):
    response = imported(client, inventory_csv(good_rows()))
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.mutuals_created, report.returns_created, report.dry_run) == (2, 3, False)
    assert YearlyReturn.objects.get(mutual__mutual_id="SN-0100", year=2024).state == ReturnState.VALIDATED
    assert YearlyReturn.objects.get(mutual__mutual_id="SN-0101").state == ReturnState.SUBMITTED
    page = html.unescape(response.content.decode())
    assert "Imported" in page and "More contributions were collected than were due." in page
    # The same file again changes nothing (rows matched on mutual_id + year).
    again = imported(client, inventory_csv(good_rows())).context["report"]
    assert (again.returns_created, again.returns_updated, again.returns_unchanged) == (0, 0, 3)


def test_an_xlsx_file_is_imported_like_a_csv(client, secretariat):
    book = Workbook()
    book.active.append(COLUMNS)
    for row in good_rows():
        book.active.append([int(row[c]) if c in ("year", "members") else row[c] for c in COLUMNS])
    data = io.BytesIO()
    book.save(data)
    response = imported(client, SimpleUploadedFile("inv.xlsx", data.getvalue()))
    assert response.status_code == 200 and response.context["report"].returns_created == 3


def test_a_bad_file_lists_every_problem_and_imports_nothing(client, secretariat):
    rows = good_rows()
    rows[0]["members"] = "beaucoup"
    rows[1]["status"] = "fonctionnelle"
    rows[2]["mutual_id"] = "SN-12"
    rows[2]["covers_drugs"] = "peut-être"
    before = counts()
    response = imported(client, inventory_csv(rows))
    assert response.status_code == 200 and response.context["job"].state == "failed"
    problems = {(p.row, p.column, p.value) for p in response.context["failure"].problems}
    assert problems == {(2, "members", "beaucoup"), (3, "status", "fonctionnelle"), (4, "mutual_id", "SN-12"),
                        (4, "covers_drugs", "peut-être")}
    page = html.unescape(response.content.decode())
    for row, column, value in problems:
        assert f'<td class="num">{row}</td><td>{column}</td><td>{value}</td>' in page
    assert "nothing was imported" in page
    assert counts() == before


def test_check_only_runs_everything_and_leaves_the_database_unchanged(client, secretariat):
    existing = MutualFactory(name="Déjà là")
    before = counts()
    response = imported(client, inventory_csv(good_rows()), check_only="on")
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.mutuals_created, report.returns_created, report.dry_run) == (2, 3, True)
    assert len(report.warnings) == 1
    assert "nothing was saved" in response.content.decode()
    assert counts() == before
    assert MutualFactory().mutual_id == f"SN-{int(existing.mutual_id[3:]) + 1:04d}"  # counter untouched


def test_the_command_checks_through_the_same_code(tmp_path):
    path = tmp_path / "inventory.csv"
    path.write_bytes(inventory_csv(good_rows()).read())
    out = io.StringIO()
    call_command("import_inventory", str(path), "--check", stdout=out)
    assert "Returns: 3 created" in out.getvalue() and "nothing was saved" in out.getvalue()
    assert not YearlyReturn.objects.exists()


@pytest.mark.parametrize("role", [Role.AUTHENTICATED, Role.MEMBER, Role.MUTUAL_MANAGER,
                                  Role.SUPPORTING_ORGANIZATION, Role.FOCAL_POINT])
def test_only_the_secretariat_may_upload_an_inventory(client, role):
    roles = [] if role == Role.AUTHENTICATED else [role]
    client.force_login(UserFactory(roles=roles, focal_countries=["SN"]))
    assert client.get(url("import_upload")).status_code == 403
    assert client.post(url("import_upload"), {"file": inventory_csv(good_rows())}).status_code == 403
    assert not YearlyReturn.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in_before_uploading(client):
    response = client.post(url("import_upload"), {"file": inventory_csv(good_rows())})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not YearlyReturn.objects.exists()


@pytest.mark.parametrize("name,content,reason", [
    ("notes.txt", b"mutual_id,year\n", "Only .csv / .xlsx files are accepted."),
    ("inventory.pdf", b"%PDF-1.4", "Only .csv / .xlsx files are accepted."),
    ("inventory.xlsx", b"mutual_id,year\nSN-0001,2024\n", "not an XLSX workbook"),
    ("inventory.csv", b"PK\x03\x04 a zipped workbook", "named .csv"),
    ("inventory.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not CSV text"),
    ("inventory.csv", "mutual_id,année\n".encode("latin-1"), "not UTF-8"),
    ("inventory.csv", b"", "empty"),
])
def test_files_that_are_not_inventories_are_refused_with_the_reason(client, secretariat, name, content,
                                                                    reason):
    with translation.override("en"):
        response = client.post(url("import_upload"), {"file": SimpleUploadedFile(name, content)})
        assert response.status_code == 400
        assert reason in " ".join(response.context["form"].errors["file"])
    assert not YearlyReturn.objects.exists()


def test_semicolon_separated_files_get_a_clear_error(client, secretariat):
    upload = SimpleUploadedFile("excel.csv", b"mutual_id;year;status\nSN-0001;2024;functional\n")
    with translation.override("en"):
        response = imported(client, upload)
        assert "semicolons" in response.context["failure"].problems[0].reason


def test_files_over_the_limit_are_refused(client, secretariat, monkeypatch):
    from inventory.views import uploads

    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 100)
    response = client.post(url("import_upload"), {"file": inventory_csv(good_rows())})
    assert response.status_code in (400, 413)
    assert "too large" in " ".join(response.context["form"].errors["file"])
    assert not YearlyReturn.objects.exists()


def test_a_large_upload_is_streamed_not_read_whole(tmp_path):
    """The rows of an uploaded file come from the file as it is read, not from a copy in memory."""
    class Stream(io.BytesIO):
        whole_reads = 0

        def read(self, size=-1):
            if size is None or size < 0:
                Stream.whole_reads += 1
            return super().read(size)

    data = inventory_csv(good_rows() * 1).read()
    header, body = reading.read_table(Stream(data), "big.csv", problems=[])
    assert header == COLUMNS and len(list(body)) == 3
    assert Stream.whole_reads == 0


@pytest.mark.parametrize("raw,kind,expected", [
    ("1 234,5", "number", Decimal("1234.5")),
    ("1\u202f234\u202f567,25", "number", Decimal("1234567.25")),
    ("1234.5", "number", Decimal("1234.5")),
    ("12,5", "number", Decimal("12.5")),
    ("1 234", "integer", 1234),
    ("vrai", "boolean", True),
    ("Non", "boolean", False),
])
def test_numbers_accept_french_formatting(raw, kind, expected):
    assert parse_cell({"type": kind}, raw) == expected


@pytest.mark.parametrize("raw,kind", [
    ("1,234.5", "number"), ("12 34", "number"), ("1,2,3", "number"), ("1 234,5", "integer"),
    ("beaucoup", "number"), ("12,0", "integer"),
])
def test_garbage_numbers_are_rejected(raw, kind):
    with pytest.raises(ValueError):
        parse_cell({"type": kind}, raw)


# A mutual's offline form -------------------------------------------------------------------------

LAST_YEAR = {"status": "functional", "members": 1500, "beneficiaries": 6000, "target_population": 20000,
             "contributions_due": Decimal("9000000"), "contributions_collected": Decimal("7200000"),
             "currency": "XOF", "covers_drugs": True, "membership_unit": "family"}


@pytest.fixture
def manager():
    return UserFactory(roles=[Role.MUTUAL_MANAGER])


@pytest.fixture
def mutual(manager):
    mutual = MutualFactory(managers=[manager], name="Mutuelle de Ndiamaguène", region="Thiès")
    ReturnFactory(mutual=mutual, year=2024, state=ReturnState.VALIDATED, **LAST_YEAR)
    return mutual


def download(client, user, mutual, year=2025):
    client.force_login(user)
    response = client.get(url("return_xlsx", mutual.mutual_id, year))
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == XLSX
    assert f'filename="{mutual.mutual_id}-{year}.xlsx"' in response["Content-Disposition"]
    return load_workbook(io.BytesIO(response.content))


def cells(book):
    sheet = book[offline_form.DATA_SHEET]
    header = [c.value for c in sheet[1]]
    return header, dict(zip(header, [c.value for c in sheet[2]], strict=True))


def fill(book, **values):
    sheet = book[offline_form.DATA_SHEET]
    header = [c.value for c in sheet[1]]
    for name, value in values.items():
        sheet.cell(row=2, column=header.index(name) + 1, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, mutual, data, year=2025, name="form.xlsx"):
    return client.post(url("return_upload", mutual.mutual_id, year),
                       {"file": SimpleUploadedFile(name, data, content_type=XLSX)})


def test_the_form_is_the_returns_header_and_one_row_pre_filled_from_last_year(client, manager, mutual):
    book = download(client, manager, mutual)
    header, row = cells(book)
    assert header == offline_form.FORM_COLUMNS
    assert not set(header) & (set(schema.indicator_names()) | {"validation_status", "last_updated"})
    assert header == [c for c in schema.column_names() if c in header]  # the contract's order
    assert (row["mutual_id"], row["mutual_name"], row["country"], row["year"]) == (
        mutual.mutual_id, "Mutuelle de Ndiamaguène", "SN", 2025)
    assert (row["members"], row["contributions_collected"], row["covers_drugs"]) == (1500, 7200000, "true")
    assert book[offline_form.DATA_SHEET].freeze_panes == "C2"
    codebook = list(book[offline_form.CODEBOOK_SHEET].iter_rows(values_only=True))
    by_column = {r[0]: r for r in codebook[1:]}
    assert set(by_column) == set(header)
    assert by_column["members"][1:3] == ("Adhérents", "Members (paying)")
    assert "functional = " in by_column["status"][4] and "required" in by_column["status"][5]
    assert "at most 100" in by_column["copayment_percent"][5]
    meta = book[offline_form.META_SHEET]
    assert meta.sheet_state == "veryHidden"
    assert {r[0]: r[1] for r in meta.iter_rows(values_only=True)}["base_version"] == 0


def test_the_form_of_an_existing_return_holds_its_figures_and_version(client, manager, mutual):
    ret = ReturnFactory(mutual=mutual, year=2025, members=1700, status="functional")
    ret = return_save_draft(ret=ret, data={"members": 1750}, user=manager, base_version=1)
    book = download(client, manager, mutual)
    assert cells(book)[1]["members"] == 1750
    meta = {r[0]: r[1] for r in book[offline_form.META_SHEET].iter_rows(values_only=True)}
    assert meta["base_version"] == 2


def test_round_trip_download_fill_upload_gives_a_draft_with_exactly_those_figures(client, manager, mutual):
    book = download(client, manager, mutual)
    data = fill(book, members=1620, beneficiaries="6 480", contributions_collected="7 500 000,50",
                covers_hospitalization="true", paid_staff=3, software="MAS Gestion", reserves=None)
    response = upload(client, mutual, data)
    assert response.status_code == 302
    assert response["Location"] == url("return_upload", mutual.mutual_id, 2025)
    ret = YearlyReturn.objects.get(mutual=mutual, year=2025)
    assert ret.state == ReturnState.DRAFT  # never submitted by an upload
    assert (ret.members, ret.beneficiaries) == (1620, 6480)
    assert ret.contributions_collected == Decimal("7500000.50")
    assert (ret.covers_hospitalization, ret.covers_drugs, ret.paid_staff, ret.software) == (
        True, True, 3, "MAS Gestion")
    assert (ret.target_population, ret.currency, ret.membership_unit) == (20000, "XOF", "family")
    latest = ret.revisions.order_by("-number").first()
    assert latest.user == manager
    assert set(latest.changed_fields) == {"members", "beneficiaries", "contributions_collected",
                                          "covers_hospitalization", "paid_staff", "software"}
    assert ret.transitions.count() == 0
    page = html.unescape(client.get(response["Location"]).content.decode())
    assert "saved as a draft" in page
    # Downloading again gives the draft's figures and its version; uploading it unchanged changes nothing.
    book = download(client, manager, mutual)
    assert cells(book)[1]["members"] == 1620
    response = upload(client, mutual, fill(book))
    assert response.status_code == 302
    assert ret.revisions.count() == latest.number  # an unchanged file writes no revision
    ret.refresh_from_db()
    assert ret.members == 1620 and latest.note


def test_a_row_of_another_mutual_or_year_is_refused_naming_the_row(client, manager, mutual):
    other = MutualFactory(managers=[manager])
    book = download(client, manager, mutual)
    response = upload(client, mutual, fill(book, mutual_id=other.mutual_id, members=10))
    assert response.status_code == 400
    problems = response.context["failure"].problems
    assert [(p.row, p.column, p.value) for p in problems] == [(2, "mutual_id", other.mutual_id)]
    assert "this row is for another mutual" in html.unescape(response.content.decode())
    response = upload(client, mutual, fill(load_workbook(io.BytesIO(fill(book, mutual_id=mutual.mutual_id))),
                                           year=2023))
    assert [(p.row, p.column) for p in response.context["failure"].problems] == [(2, "year")]
    # The other mutual's own page refuses this mutual's file (the hidden sheet names it).
    response = upload(client, other, fill(book, mutual_id=other.mutual_id))
    assert response.status_code == 400 and "downloaded for" in response.context["failure"].problems[0].reason
    assert not YearlyReturn.objects.filter(year=2025).exists()


def test_extra_rows_are_refused(client, manager, mutual):
    book = download(client, manager, mutual)
    sheet = book[offline_form.DATA_SHEET]
    sheet.append([c.value for c in sheet[2]])
    response = upload(client, mutual, fill(book))
    assert response.status_code == 400
    assert {p.row for p in response.context["failure"].problems} == {3}
    assert not YearlyReturn.objects.filter(year=2025).exists()


def test_bad_cells_are_listed_with_column_value_and_reason_and_nothing_is_saved(client, manager, mutual):
    book = download(client, manager, mutual)
    response = upload(client, mutual, fill(book, members="beaucoup", status="fonctionnelle",
                                           copayment_percent=150, currency="francs"))
    assert response.status_code == 400
    found = {(p.column, p.value) for p in response.context["failure"].problems}
    assert found == {("members", "beaucoup"), ("status", "fonctionnelle"), ("copayment_percent", 150),
                     ("currency", "francs")}
    page = html.unescape(response.content.decode())
    assert "<td>members</td><td>beaucoup</td><td>A whole number is expected.</td>" in page
    assert not YearlyReturn.objects.filter(year=2025).exists()


def test_a_change_on_the_portal_after_the_download_is_not_overwritten(client, manager, mutual):
    ret = ReturnFactory(mutual=mutual, year=2025, members=1700, status="functional")
    book = download(client, manager, mutual)  # built from version 1
    colleague = UserFactory(roles=[Role.MUTUAL_MANAGER])
    mutual.managers.add(colleague)
    return_save_draft(ret=ret, data={"members": 1800}, user=colleague, base_version=1)
    response = upload(client, mutual, fill(book, members=1900))
    assert response.status_code == 400
    assert response.context["conflict"] == [(schema.title("members"), 1800, 1900)]
    assert "changed on the portal after you downloaded" in html.unescape(response.content.decode())
    ret.refresh_from_db()
    assert (ret.members, ret.version) == (1800, 2)


def test_a_return_started_on_the_portal_after_the_download_is_not_overwritten(client, manager, mutual):
    book = download(client, manager, mutual)  # no 2025 return yet: version 0
    ret = ReturnFactory(mutual=mutual, year=2025, members=1700)
    response = upload(client, mutual, fill(book, members=1900))
    assert response.status_code == 400 and response.context["conflict"] is not None
    ret.refresh_from_db()
    assert ret.members == 1700 and not ret.revisions.exists()


def test_a_submitted_return_cannot_be_changed_by_an_upload(client, manager, mutual):
    ret = ReturnFactory(mutual=mutual, year=2025, members=1700, state=ReturnState.SUBMITTED)
    book = download(client, manager, mutual)
    response = upload(client, mutual, fill(book, members=1900))
    assert response.status_code == 400
    assert "cannot be edited" in response.context["failure"].problems[0].reason
    ret.refresh_from_db()
    assert ret.members == 1700


def test_identity_columns_are_not_read_back_and_the_reporter_is_told(client, manager, mutual):
    book = download(client, manager, mutual)
    response = upload(client, mutual, fill(book, mutual_name="Nouveau nom", region="", members=1600))
    assert response.status_code == 302
    mutual.refresh_from_db()
    assert (mutual.name, mutual.region) == ("Mutuelle de Ndiamaguène", "Thiès")
    assert YearlyReturn.objects.get(mutual=mutual, year=2025).members == 1600
    page = html.unescape(client.get(response["Location"]).content.decode())
    assert "the file says “Nouveau nom”" in page


def test_a_workbook_that_is_not_the_portals_form_is_refused(client, manager, mutual):
    client.force_login(manager)
    book = Workbook()
    book.active.title = offline_form.DATA_SHEET
    book.active.append(["mutual_id", "country", "year", "status", "members"])
    book.active.append([mutual.mutual_id, "SN", 2025, "functional", 10])
    data = io.BytesIO()
    book.save(data)
    response = upload(client, mutual, data.getvalue())
    assert response.status_code == 400
    assert "not the portal's offline form" in response.context["failure"].problems[0].reason
    assert upload(client, mutual, b"not a workbook").status_code == 400
    assert upload(client, mutual, b"mutual_id\n", name="form.csv").status_code == 400
    assert not YearlyReturn.objects.filter(year=2025).exists()


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MUTUAL_MANAGER, Role.SUPPORTING_ORGANIZATION,
                                  Role.FOCAL_POINT])
def test_who_does_not_report_for_the_mutual_gets_403(client, manager, mutual, role):
    book = download(client, manager, mutual)
    data = fill(book, members=1)
    client.force_login(UserFactory(roles=[role], focal_countries=["SN"]))
    assert client.get(url("return_xlsx", mutual.mutual_id, 2025)).status_code == 403
    assert client.get(url("return_upload", mutual.mutual_id, 2025)).status_code == 403
    assert upload(client, mutual, data).status_code == 403
    assert not YearlyReturn.objects.filter(year=2025).exists()


def test_anonymous_visitors_and_pending_mutuals(client, manager, mutual):
    response = client.get(url("return_xlsx", mutual.mutual_id, 2025))
    assert response.status_code == 302 and "/login/" in response["Location"]
    # A sign-up from before identifiers waited for approval: it has one, its pages stay closed.
    pending = MutualFactory(managers=[manager], registration_state=RegistrationState.PENDING,
                            mutual_id="SN-0099")
    client.force_login(manager)
    assert client.get(url("return_xlsx", pending.mutual_id, 2025)).status_code == 403
    assert client.get(url("return_xlsx", mutual.mutual_id, 1990)).status_code == 404


def test_the_secretariat_may_use_any_mutuals_form(client, mutual):
    secretariat = UserFactory(roles=[Role.SECRETARIAT])
    book = download(client, secretariat, mutual, year=2024)
    assert cells(book)[1]["members"] == 1500  # the validated 2024 return's own figures


def test_the_form_is_also_readable_in_english(client, manager, mutual):
    client.force_login(manager)
    with translation.override("en"):
        response = client.get(url("return_xlsx", mutual.mutual_id, 2025))
    codebook = load_workbook(io.BytesIO(response.content))[offline_form.CODEBOOK_SHEET]
    assert codebook["A1"].value == "column" and codebook["B1"].value == "title (French)"


def test_text_that_looks_like_a_formula_stays_text_in_the_form(client, manager, mutual):
    Mutual.objects.filter(pk=mutual.pk).update(locality='=HYPERLINK("http://example.org","x")')
    client.force_login(manager)
    response = client.get(url("return_xlsx", mutual.mutual_id, 2025))
    sheet = load_workbook(io.BytesIO(response.content))[offline_form.DATA_SHEET]
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("locality") + 1)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
