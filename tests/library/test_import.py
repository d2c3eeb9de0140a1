"""`import_library`: all or nothing, every error listed, idempotent, new themes created."""

import tracemalloc

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from library.models import ResourcePage
from portal.core.pdf import pdf_bytes
from portal.reference.models import Theme
from tests.crafted_files import MB, docx_bomb

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


HEADER = "ref,title,summary,resource_type,themes,countries,language,year,authors,publisher,url,file\n"


def write(tmp_path, rows, header=HEADER):
    path = tmp_path / "library.csv"
    path.write_text(header + "".join(rows), encoding="utf-8")
    return path


ROWS = [
    'imp-1,"Guide des cotisations","Calcul, pas à pas",guide,financing;Nouvelle thématique,ML;SN,fr,2015,'
    'Awa Diop;Moussa Traoré,La Concertation,,guide.pdf\n',
    "imp-2,Insurance for migrants,,case_study,,SN,en,2012,,,https://example.org/migrants,\n",
]


def test_import_creates_publishes_and_lists_new_themes(tmp_path, capsys):
    (tmp_path / "guide.pdf").write_bytes(pdf_bytes("cotisations des adherents"))
    call_command("import_library", str(write(tmp_path, ROWS)))
    out = capsys.readouterr().out
    assert "2 resource(s) created" in out and "nouvelle-thematique" in out
    guide = ResourcePage.objects.get(ref="imp-1")
    assert guide.live and guide.locale.language_code == "fr"
    assert guide.author_list == ["Awa Diop", "Moussa Traoré"]
    assert "cotisations des adherents" in guide.extracted_text
    assert sorted(guide.theme_slugs()) == ["financing", "nouvelle-thematique"]
    assert ResourcePage.objects.get(ref="imp-2").locale.language_code == "en"
    assert Theme.objects.get(slug="nouvelle-thematique").name_fr == "Nouvelle thématique"


def test_a_second_import_updates_instead_of_duplicating(tmp_path, capsys):
    (tmp_path / "guide.pdf").write_bytes(pdf_bytes("cotisations"))
    path = write(tmp_path, ROWS)
    call_command("import_library", str(path))
    call_command("import_library", str(path))
    assert "2 updated" in capsys.readouterr().out
    assert ResourcePage.objects.filter(ref__startswith="imp-").count() == 2
    write(tmp_path, [ROWS[1].replace("Insurance for migrants", "Migrants and insurance")])
    call_command("import_library", str(path))
    assert ResourcePage.objects.get(ref="imp-2").title == "Migrants and insurance"


def test_every_error_is_listed_and_nothing_is_imported(tmp_path, capsys):
    (tmp_path / "fake.pdf").write_bytes(b"MZ not a pdf")
    rows = [
        "bad-1,,,poem,,XX,de,1492,,,,fake.pdf\n",
        'bad-2,"Titre ""cité"" ; OR *",,guide,,,fr,,,,not a url,\n',
        "bad-2,Sans lien,,guide,,,fr,2010,,,,\n",
        ROWS[1],
    ]
    with pytest.raises(CommandError):
        call_command("import_library", str(write(tmp_path, rows)))
    err = capsys.readouterr().err
    for column in ("title", "resource_type", "countries", "language", "year", "file", "url", "ref"):
        assert f"column '{column}'" in err, column
    assert "line 2" in err and "'XX'" in err
    assert not ResourcePage.objects.filter(ref__in=["imp-2", "bad-1", "bad-2"]).exists()


def test_unknown_or_missing_columns_are_errors(tmp_path, capsys):
    with pytest.raises(CommandError):
        call_command("import_library", str(write(tmp_path, [], header="ref,title,colour\n")))
    err = capsys.readouterr().err
    assert "'colour'" in err and "unknown column" in err and "missing column" in err


def test_import_on_a_database_without_library_index(tmp_path):
    from library.models import LibraryIndexPage

    LibraryIndexPage.objects.filter(locale__language_code="en").delete()
    call_command("import_library", str(write(tmp_path, [ROWS[1]])))
    page = ResourcePage.objects.get(ref="imp-2")
    assert page.get_parent().specific.locale.language_code == "en"


def test_a_docx_bomb_is_refused_by_the_import_without_being_inflated(tmp_path, capsys):
    (tmp_path / "guide.docx").write_bytes(docx_bomb(200 * MB))
    row = "imp-1,Guide,,guide,,SN,fr,2015,,,,guide.docx\n"
    tracemalloc.start()
    try:
        with pytest.raises(CommandError):
            call_command("import_library", str(write(tmp_path, [row])))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "would take more than 200.0\xa0MB: it is refused" in capsys.readouterr().err
    assert peak < 20 * MB
    assert not ResourcePage.objects.filter(ref="imp-1").exists()


def test_a_pdf_beyond_the_bounds_is_refused(tmp_path, capsys, settings):
    settings.UPLOAD_MAX_PDF_PAGES = 2
    (tmp_path / "long.pdf").write_bytes(pdf_bytes(pages=3))
    (tmp_path / "bomb.pdf").write_bytes(pdf_bytes("x", inflate=40 * MB))
    rows = ["imp-1,Long,,guide,,SN,fr,2015,,,,long.pdf\n", "imp-3,Bomb,,guide,,SN,fr,2015,,,,bomb.pdf\n"]
    with pytest.raises(CommandError):
        call_command("import_library", str(write(tmp_path, rows)))
    err = capsys.readouterr().err
    assert "The PDF has more than 2 pages: it is refused." in err
    assert "A part of the PDF unpacks to more than 32.0\xa0MB" in err


def test_an_imported_resource_never_takes_the_path_of_a_library_view(tmp_path, client):
    """A resource titled as one of the library's own views (« Propose ») gets a page of its own, not
    the proposal form's address."""
    for ref in ("imp-7", "imp-8"):  # the second one beside the first
        row = f"{ref},Propose,,guide,,SN,en,2012,,,https://example.org/p,\n"
        call_command("import_library", str(write(tmp_path, [row])))
    pages = ResourcePage.objects.filter(ref__in=["imp-7", "imp-8"])
    assert len({page.slug for page in pages}) == 2
    for page in pages:
        assert page.slug != "propose"
        response = client.get(page.url)
        assert response.status_code == 200 and "https://example.org/p" in response.content.decode()
