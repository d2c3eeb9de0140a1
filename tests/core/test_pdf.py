"""The portal's one PDF writer (`portal.core.pdf`, for the demo and the tests) writes files that a PDF
reader opens: the text with French accents on the first page, the pages asked for, and a stream bomb
that stays small on disk."""

import io

from pypdf import PdfReader

from portal.core.pdf import pdf_bytes


def test_the_text_is_read_back_with_its_accents():
    reader = PdfReader(io.BytesIO(pdf_bytes(["Étude de cas (Sikasso)", "Fusion des mutuelles : bilan"])))
    text = reader.pages[0].extract_text()
    assert "Étude de cas (Sikasso)" in text and "Fusion des mutuelles : bilan" in text


def test_pages_beyond_the_first_are_blank():
    reader = PdfReader(io.BytesIO(pdf_bytes("Couverture", pages=3)))
    assert len(reader.pages) == 3
    assert "Couverture" in reader.pages[0].extract_text()
    assert reader.pages[2].extract_text() == ""


def test_an_inflating_stream_is_small_on_disk():
    data = pdf_bytes("x", inflate=10 * 1024 * 1024)
    assert len(data) < 50_000
    assert len(PdfReader(io.BytesIO(data)).pages[0].get_contents().get_data()) >= 10 * 1024 * 1024
