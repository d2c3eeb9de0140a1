"""The citation exports read as reference managers read them: BibTeX through bibtexparser (names
split as BibTeX splits them), RIS through rispy, CSL-JSON against the shape of CSL-JSON's schema
(https://resource.citationstyles.org/schema/v1.0/input/json/csl-data.json, checked below)."""

import datetime
import json
import re

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import SeparateCoAuthors, SplitNameParts

from portal.core.citations import (
    DATASET,
    TYPES,
    Citation,
    is_organization,
    parse_name,
    to_bibtex,
    to_csl_json,
    to_ris,
)


def citation(**changes):
    return Citation(**{
        "key": "demo-1", "title": "Santé & mutuelles: 100% {solidaires}_",
        "authors": ("Awa Diop", "International Labour Office", "Secrétariat technique", "Traoré, Moussa"),
        "year": 2012, "publisher": "ILO", "resource_type": "report", "language": "fr",
        "abstract": "Ligne 1\nLigne 2", "url": "https://portal.example.org/r/",
        "keywords": ("Financement", "Gouvernance"), **changes,
    })


def parse_bibtex(text):
    library = bibtexparser.parse_string(text, append_middleware=[SeparateCoAuthors(), SplitNameParts()])
    assert not library.failed_blocks
    (entry,) = library.entries
    return entry


def bibtex_names(entry, field):
    """(first, last) of each name as BibTeX reads it: an organization is one braced `last`."""
    return [(" ".join(name.first), " ".join(name.von + name.last)) for name in entry[field]]


def parse_ris(text):
    (entry,) = rispy.loads(text)
    return entry


# --- Names -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", [
    "International Labour Office", "Secrétariat technique", "La Concertation", "ILO/STEP", "BIT",
    "Ministère de la Santé", "Union technique de la Mutualité malienne", "{Diop Frères}",
])
def test_organizations(name):
    assert is_organization(name)
    assert parse_name(name).literal == name.strip("{}")


@pytest.mark.parametrize(("name", "family", "given"), [
    ("Awa Diop", "Diop", "Awa"), ("Traoré, Moussa", "Traoré", "Moussa"),
    ("Aïssatou Ndiaye", "Ndiaye", "Aïssatou"), ("Ousmane de Souza", "de Souza", "Ousmane"),
    ("Jean-Marie Kaboré", "Kaboré", "Jean-Marie"), ("Diallo", "Diallo", ""),
    # The family name in capitals, as often written in West Africa.
    ("Awa DIOP", "DIOP", "Awa"), ("TRAORÉ Moussa", "TRAORÉ", "Moussa"),
    ("Marie-Claire DE SOUZA", "DE SOUZA", "Marie-Claire"),
])
def test_people(name, family, given):
    assert not is_organization(name)
    parsed = parse_name(name)
    assert (parsed.family, parsed.given, parsed.literal) == (family, given, "")


# --- BibTeX ----------------------------------------------------------------------------------------

def test_bibtex_report_parses_with_braced_corporate_authors():
    text = to_bibtex(citation())
    entry = parse_bibtex(text)
    assert entry.entry_type == "techreport" and entry.key == "demo-1"
    # A corporate author is one name (BibTeX would otherwise read "Office, International Labour").
    assert bibtex_names(entry, "author") == [
        ("Awa", "Diop"), ("", "{International Labour Office}"), ("", "{Secrétariat technique}"),
        ("Moussa", "Traoré"),
    ]
    assert entry["institution"] == "ILO" and "publisher" not in entry.fields_dict
    assert entry["year"] == "2012" and entry["type"] == "Report"
    assert entry["title"] == r"{Santé \& mutuelles: 100\% \{solidaires\}\_}"
    assert entry["abstract"] == "Ligne 1 Ligne 2"  # no line break inside a value
    assert entry["url"] == "https://portal.example.org/r/"


def test_bibtex_proceedings_have_editors_not_authors():
    entry = parse_bibtex(to_bibtex(citation(resource_type="proceedings", authors=("La Concertation",))))
    assert entry.entry_type == "proceedings"
    assert "author" not in entry.fields_dict
    assert bibtex_names(entry, "editor") == [("", "{La Concertation}")]
    assert entry["publisher"] == "ILO"


@pytest.mark.parametrize(("resource_type", "kind", "publisher_field"), [
    ("article", "article", "journal"), ("monograph", "book", "publisher"),
    ("case_study", "techreport", "institution"), ("guide", "manual", "organization"),
    ("brochure", "booklet", "howpublished"), ("legal_text", "misc", "howpublished"),
    ("other", "misc", "howpublished"), (DATASET, "misc", "howpublished"),
])
def test_bibtex_entry_types_and_their_fields(resource_type, kind, publisher_field):
    entry = parse_bibtex(to_bibtex(citation(resource_type=resource_type)))
    assert entry.entry_type == kind
    assert entry[publisher_field] == "ILO"


def test_bibtex_case_study_is_a_report_of_type_case_study():
    entry = parse_bibtex(to_bibtex(citation(resource_type="case_study")))
    assert entry["type"] == "Case study"


def test_bibtex_dataset_version_doi_and_access_date():
    entry = parse_bibtex(to_bibtex(citation(
        resource_type=DATASET, version="1.0", doi="10.1234/abc", accessed=datetime.date(2026, 3, 4),
        issued=datetime.date(2026, 2, 1))))
    assert entry["version"] == "1.0" and entry["doi"] == "10.1234/abc"
    assert entry["urldate"] == "2026-03-04" and entry["date"] == "2026-02-01"


# --- RIS -------------------------------------------------------------------------------------------

def test_ris_report_parses_with_names_last_first():
    text = to_ris(citation())
    assert text.endswith("ER  - \r\n") and "\r\n" in text
    entry = parse_ris(text)
    assert entry["type_of_reference"] == "RPRT"
    assert entry["authors"] == ["Diop, Awa", "International Labour Office", "Secrétariat technique",
                                "Traoré, Moussa"]
    assert entry["year"] == "2012" and entry["publisher"] == "ILO"
    assert entry["abstract"] == "Ligne 1 Ligne 2"
    assert entry["keywords"] == ["Financement", "Gouvernance"]
    assert entry["urls"] == ["https://portal.example.org/r/"]


@pytest.mark.parametrize("resource_type", sorted(TYPES))
def test_ris_types_are_standard_and_never_a_court_case(resource_type):
    entry = parse_ris(to_ris(citation(resource_type=resource_type)))
    assert entry["type_of_reference"] in rispy.TYPE_OF_REFERENCE_MAPPING
    assert entry["type_of_reference"] != "CASE"


def test_ris_case_study_and_proceedings():
    case = parse_ris(to_ris(citation(resource_type="case_study")))
    assert case["type_of_reference"] == "RPRT" and case["type_of_work"] == "Case study"
    proceedings = parse_ris(to_ris(citation(resource_type="proceedings")))
    assert proceedings["type_of_reference"] == "CONF"
    assert "authors" not in proceedings and proceedings["secondary_authors"][0] == "Diop, Awa"


def test_ris_dataset():
    entry = parse_ris(to_ris(citation(
        resource_type=DATASET, version="1.0", doi="10.1234/abc", accessed=datetime.date(2026, 3, 4))))
    assert entry["type_of_reference"] == "DATA"
    assert entry["edition"] == "1.0" and entry["doi"] == "10.1234/abc"
    assert entry["access_date"] == "2026/03/04"


# --- CSL-JSON --------------------------------------------------------------------------------------

# CSL-JSON 1.0.2's item types (csl-data.json's `type` enum).
CSL_TYPES = {
    "article", "article-journal", "article-magazine", "article-newspaper", "bill", "book", "broadcast",
    "chapter", "classic", "collection", "dataset", "document", "entry", "entry-dictionary",
    "entry-encyclopedia", "event", "figure", "graphic", "hearing", "interview", "legal_case",
    "legislation", "manuscript", "map", "motion_picture", "musical_score", "pamphlet", "paper-conference",
    "patent", "performance", "periodical", "personal_communication", "post", "post-weblog", "regulation",
    "report", "review", "review-book", "software", "song", "speech", "standard", "thesis", "treaty",
    "webpage",
}
CSL_NAME_FIELDS = {"author", "editor", "translator", "collection-editor", "container-author", "director",
                   "editorial-director", "interviewer", "recipient", "reviewed-author", "composer",
                   "original-author"}
CSL_DATE_FIELDS = {"issued", "accessed", "submitted", "event-date", "original-date", "available-date"}
# Its string and string-or-number fields (the schema allows no other property).
CSL_STRING_FIELDS = {
    "abstract", "annote", "archive", "archive_location", "archive-place", "authority", "call-number",
    "citation-label", "collection-title", "container-title", "container-title-short", "dimensions",
    "division", "DOI", "event", "event-place", "genre", "ISBN", "ISSN", "jurisdiction", "keyword",
    "language", "medium", "note", "original-publisher", "original-title", "publisher", "publisher-place",
    "references", "reviewed-title", "scale", "section", "source", "status", "title", "title-short", "URL",
    "version", "shortTitle", "journalAbbreviation",
}
CSL_STRING_OR_NUMBER_FIELDS = {"edition", "issue", "number", "number-of-pages", "page", "volume"}
CSL_NAME_KEYS = {"family", "given", "dropping-particle", "non-dropping-particle", "suffix",
                 "comma-suffix", "static-ordering", "literal", "parse-names"}


def check_csl(data):
    """What csl-data.json requires: an array of objects with an `id` and a `type` of the enum and no
    other property than the schema's; names are arrays of name objects, dates objects with
    `date-parts` (1 to 3 integers, or strings of them) or `raw`/`literal`; text fields strings."""
    assert isinstance(data, list) and data
    for item in data:
        assert isinstance(item, dict)
        assert isinstance(item["id"], str | int | float) and item["id"] != ""
        assert item["type"] in CSL_TYPES
        for field, value in item.items():
            if field in CSL_NAME_FIELDS:
                assert isinstance(value, list) and value
                for name in value:
                    assert isinstance(name, dict) and set(name) <= CSL_NAME_KEYS
                    assert name.get("literal") or name.get("family")
                    assert all(isinstance(part, str) for part in name.values())
            elif field in CSL_DATE_FIELDS:
                assert isinstance(value, dict) and set(value) <= {"date-parts", "season", "circa", "literal",
                                                                   "raw"}
                for parts in value["date-parts"]:
                    assert 1 <= len(parts) <= 3 and all(re.fullmatch(r"-?\d+", str(p)) for p in parts)
            elif field in CSL_STRING_FIELDS:
                assert isinstance(value, str), field
            elif field in CSL_STRING_OR_NUMBER_FIELDS:
                assert isinstance(value, str | int | float) and not isinstance(value, bool), field
            else:
                assert field in ("id", "type"), f"{field} is not a CSL-JSON field"


def test_csl_json_report():
    data = json.loads(to_csl_json(citation()))
    check_csl(data)
    (item,) = data
    assert item["type"] == "report" and item["genre"] == "Report" and item["id"] == "demo-1"
    assert item["author"] == [{"family": "Diop", "given": "Awa"}, {"literal": "International Labour Office"},
                              {"literal": "Secrétariat technique"}, {"family": "Traoré", "given": "Moussa"}]
    assert item["issued"] == {"date-parts": [[2012]]}
    assert item["publisher"] == "ILO" and item["URL"] == "https://portal.example.org/r/"
    assert item["title"] == "Santé & mutuelles: 100% {solidaires}_"  # plain text, no BibTeX escapes
    assert item["language"] == "fr"


@pytest.mark.parametrize("resource_type", sorted(TYPES))
def test_csl_json_every_type_has_the_schemas_shape(resource_type):
    check_csl(json.loads(to_csl_json(citation(resource_type=resource_type, version="1.0",
                                              accessed=datetime.date(2026, 3, 4)))))


def test_csl_json_proceedings_and_dataset():
    (proceedings,) = json.loads(to_csl_json(citation(resource_type="proceedings")))
    assert "author" not in proceedings and proceedings["editor"][0] == {"family": "Diop", "given": "Awa"}
    (data,) = json.loads(to_csl_json(citation(
        resource_type=DATASET, version="1.0", doi="10.1234/abc", issued=datetime.date(2026, 2, 1))))
    assert data["type"] == "dataset" and data["version"] == "1.0" and data["DOI"] == "10.1234/abc"
    assert data["issued"] == {"date-parts": [[2026, 2, 1]]}
