"""Citation exports: BibTeX, RIS and CSL-JSON of a reference, from plain values (no models).

Used by the library's resources (`library.models.ResourcePage.citation`) and by the open data, current
and released (`inventory.opendata.releases.dataset_citation`). What reference managers need, checked by
parsing with bibtexparser and rispy and against CSL-JSON's shape (tests/core/test_citations.py):

- **Names.** A person is written "Family, Given" in BibTeX and RIS and split into family/given in
  CSL-JSON; an organization ("International Labour Office", "Secrétariat technique") is one name:
  between braces in BibTeX (else BibTeX reads a person named "Office, International Labour"), as it
  is in RIS, `literal` in CSL-JSON. Which is which: `is_organization` (a name written "Family, Given"
  is a person, its family name in capitals too, "Awa DIOP"; one between braces, an acronym alone, a
  name with a slash or a word such as Office, Union, Ministère, Secrétariat, or of more than three
  words is an organization).
- **Types.** The nearest standard type in each format (`TYPES`): a report is a @techreport / RPRT /
  report with its institution, proceedings are edited (@proceedings with `editor`, RIS CONF with A2,
  CSL `editor`), a case study is a report of type "Case study" (never RIS CASE, a court case).
- **Addresses.** `url` is the public address (SITE_URL, portal.site_url), given by the caller.
"""

from __future__ import annotations

import datetime
import json
import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# A DOI as DataCite and Crossref mint it: "10.", a registrant code of 4 to 9 digits (with optional
# sub-parts), "/", a suffix without spaces. Stored bare (10.1234/abc), shown as https://doi.org/10.1234/abc.
DOI_RE = re.compile(r"^10\.[0-9]{4,9}(\.[0-9]+)*/\S+$")
DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:")


def normalize_doi(value: str) -> str:
    """The bare DOI of `value` (a DOI, its https://doi.org/ link or "doi:…"), stripped; "" stays ""."""
    value = (value or "").strip()
    for prefix in DOI_PREFIXES:
        if value.lower().startswith(prefix):
            return value[len(prefix):].strip()
    return value


def validate_doi(value: str) -> None:
    if value and not DOI_RE.match(value):
        raise ValidationError(
            _("A DOI starts with 10., then the registrant's number, a slash and the suffix, e.g. "
              "10.12345/inventaire-2025-v1.0."), code="invalid_doi")


DATASET = "dataset"  # the resource type of the open data (the library's types are ResourceType's)


@dataclass(frozen=True)
class Citation:
    key: str
    title: str
    authors: tuple[str, ...]
    year: int | None
    publisher: str
    resource_type: str
    language: str
    abstract: str
    url: str
    pdf_url: str = ""
    keywords: tuple[str, ...] = ()
    version: str = ""
    doi: str = ""
    accessed: datetime.date | None = None  # for data that change (the current data): when they were read
    issued: datetime.date | None = None  # the full date when known (a release's publication)

    @property
    def inverted_authors(self) -> tuple[str, ...]:
        """The names "Family, Given" (people), as they are (organizations): the page's citation_author
        tags, which Zotero and Google Scholar split at the comma."""
        return tuple(parse_name(name).inverted for name in self.authors)

    @property
    def highwire_source(self) -> tuple[str, str] | None:
        """(tag, value) of the Highwire tag that says where the reference appeared, by which Zotero
        and Google Scholar tell a report from an article: the institution of a report, the journal of
        an article."""
        if not self.publisher:
            return None
        kind = types_of(self).bibtex
        if kind == "techreport":
            return ("citation_technical_report_institution", self.publisher)
        if kind == "article":
            return ("citation_journal_title", self.publisher)
        return None


@dataclass(frozen=True)
class Types:
    bibtex: str
    ris: str
    csl: str
    genre: str = ""  # the kind in words, when the type alone does not say it (BibTeX type, RIS M3, CSL genre)


# The nearest standard kind of each resource type, in each format.
TYPES = {
    "article": Types("article", "JOUR", "article-journal"),
    "brochure": Types("booklet", "PAMP", "pamphlet"),
    "monograph": Types("book", "BOOK", "book"),
    "case_study": Types("techreport", "RPRT", "report", "Case study"),
    "legal_text": Types("misc", "STAT", "legislation", "Legal text"),
    "guide": Types("manual", "BOOK", "book", "Guide"),
    "training_manual": Types("manual", "BOOK", "book", "Training manual"),
    "report": Types("techreport", "RPRT", "report", "Report"),
    "proceedings": Types("proceedings", "CONF", "book", "Proceedings"),
    "newsletter": Types("misc", "GEN", "article", "Newsletter"),
    "software": Types("misc", "COMP", "software", "Software"),
    "inventory_study": Types("misc", "GEN", "document", "Study using the inventory"),
    "other": Types("misc", "GEN", "document"),
    DATASET: Types("misc", "DATA", "dataset", "Data set"),
}
EDITED = {"proceedings"}  # types whose names are editors, not authors
LANGUAGE_NAMES = {"fr": "French", "en": "English", "pt": "Portuguese"}

CONTENT_TYPES = {
    "bibtex": "application/x-bibtex",
    "ris": "application/x-research-info-systems",
    "csl": "application/vnd.citationstyles.csl+json",
}
EXTENSIONS = {"bibtex": "bib", "ris": "ris", "csl": "json"}


def types_of(citation: Citation) -> Types:
    return TYPES.get(citation.resource_type, TYPES["other"])


# --- Names -----------------------------------------------------------------------------------------

# Words that make a name an organization's (compared without accents, lower case).
ORGANIZATION_WORDS = {
    "academy", "academie", "agence", "agency", "alliance", "association", "authority", "autorite",
    "bank", "banque", "board", "bureau", "caisse", "cellule", "center", "centre", "coalition",
    "collectif", "comite", "commission", "committee", "company", "concertation", "conseil", "consortium",
    "cooperation", "cooperative", "council", "department", "departement", "direction", "division",
    "federation", "fondation", "fonds", "forum", "foundation", "fund", "gouvernement", "government",
    "group", "groupe", "groupement", "initiative", "institut", "institute", "international",
    "internationale", "ministere", "ministry", "mutualite", "mutuelle", "mutuelles", "national",
    "nationale", "network", "observatoire", "observatory", "office", "ong", "organisation",
    "organization", "partenariat", "partnership", "plateforme", "platform", "programme", "program",
    "project", "projet", "republic", "republique", "reseau", "secretariat", "service", "services",
    "society", "societe", "team", "union", "unit", "unite", "universite", "university", "world",
}
ARTICLES = {"la", "le", "les", "l", "the"}
# Lower-case particles that belong to the family name ("Ousmane de Souza" → "de Souza").
PARTICLES = {"al", "ben", "bin", "da", "das", "de", "del", "della", "des", "di", "do", "dos", "du",
             "el", "ibn", "la", "le", "ould", "van", "von", "der", "den", "ter"}


def _plain(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).lower()


def is_organization(name: str) -> bool:
    name = name.strip()
    if name.startswith("{") and name.endswith("}"):
        return True
    if "," in name:
        return False  # "Family, Given"
    if "/" in name or "&" in name:
        return True  # ILO/STEP
    words = re.findall(r"[\w'’-]+", name)
    if len([word for word in words if word not in PARTICLES]) > 3:
        return True
    if len(words) == 1 and len(name) >= 2 and name.isupper():
        return True  # an acronym alone: BIT, UTM (a capitalized word beside others is a family name)
    plain = [_plain(part) for word in words for part in re.split(r"['’-]", word) if part]
    return bool(plain) and (plain[0] in ARTICLES or any(word in ORGANIZATION_WORDS for word in plain))


@dataclass(frozen=True)
class Name:
    family: str = ""
    given: str = ""
    literal: str = ""  # an organization: one name

    @property
    def inverted(self) -> str:
        """"Family, Given" (a person), the name itself (an organization)."""
        if self.literal:
            return self.literal
        return f"{self.family}, {self.given}" if self.given else self.family


def parse_name(name: str) -> Name:
    name = " ".join(str(name or "").split())
    if is_organization(name):
        return Name(literal=name.strip("{}").strip())
    if "," in name:
        family, _comma, given = name.partition(",")
        return Name(family=family.strip(), given=given.strip())
    words = name.split(" ")
    if len(words) == 1:
        return Name(family=name)
    capitals = [word for word in words if len(word) >= 2 and word.isupper()]
    if capitals and len(capitals) < len(words):
        # The family name in capitals, as often written in West Africa: "Awa DIOP", "DIOP Awa".
        return Name(family=" ".join(capitals), given=" ".join(w for w in words if w not in capitals))
    start = len(words) - 1
    for index in range(1, len(words) - 1):
        if words[index] in PARTICLES:
            start = index
            break
    return Name(family=" ".join(words[start:]), given=" ".join(words[:start]))


# --- BibTeX ----------------------------------------------------------------------------------------

# Characters with a meaning in BibTeX/LaTeX. Accented letters stay as they are: the file is UTF-8,
# which biber and reference managers read.
_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$",
    "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}
_BIBTEX_RE = re.compile("|".join(re.escape(char) for char in _BIBTEX_SPECIAL))


def _one_line(text) -> str:
    return " ".join(str(text or "").split())


def bibtex_escape(text: str) -> str:
    return _BIBTEX_RE.sub(lambda match: _BIBTEX_SPECIAL[match.group()], _one_line(text))


def bibtex_key(citation: Citation) -> str:
    key = re.sub(r"[^A-Za-z0-9_.:-]", "", citation.key.replace(" ", "_"))
    return key or "resource"


def bibtex_name(name: Name) -> str:
    if name.literal:
        return "{" + bibtex_escape(name.literal) + "}"  # braced: one name, not a person's
    return bibtex_escape(name.inverted)


def _verbatim(url: str) -> str:
    # url fields are verbatim in biblatex: only braces would break the entry.
    return url.replace("{", "%7B").replace("}", "%7D")


def to_bibtex(citation: Citation) -> str:
    types = types_of(citation)
    kind = types.bibtex
    names = [parse_name(name) for name in citation.authors]
    fields = [("title", "{" + bibtex_escape(citation.title) + "}")]  # double braces keep its capitals
    if names:
        role = "editor" if citation.resource_type in EDITED else "author"
        fields.append((role, " and ".join(bibtex_name(name) for name in names)))
    if citation.year:
        fields.append(("year", str(citation.year)))
    if citation.issued:
        fields.append(("date", citation.issued.isoformat()))
    if citation.publisher:
        publisher = bibtex_escape(citation.publisher)
        field = {"techreport": "institution", "article": "journal", "manual": "organization",
                 "booklet": "howpublished", "misc": "howpublished"}.get(kind, "publisher")
        fields.append((field, publisher))
    if types.genre and kind in ("techreport", "misc"):
        fields.append(("type", bibtex_escape(types.genre)))
    if citation.version:
        fields.append(("version", bibtex_escape(citation.version)))
    if citation.doi:
        fields.append(("doi", _verbatim(citation.doi)))
    if citation.abstract:
        fields.append(("abstract", bibtex_escape(citation.abstract)))
    if citation.keywords:
        fields.append(("keywords", bibtex_escape(", ".join(citation.keywords))))
    if citation.language:
        fields.append(("language", LANGUAGE_NAMES.get(citation.language, citation.language)))
    if citation.url:
        fields.append(("url", _verbatim(citation.url)))
    if citation.accessed:
        fields.append(("urldate", citation.accessed.isoformat()))
    lines = [f"@{kind}{{{bibtex_key(citation)},"]
    lines += [f"  {name} = {{{value}}}," for name, value in fields]
    lines.append("}")
    return "\n".join(lines) + "\n"


# --- RIS -------------------------------------------------------------------------------------------

def to_ris(citation: Citation) -> str:
    """RIS: one `TAG  - value` per line, CRLF line ends as the format's specification asks; a value
    never spans lines. Names "Family, Given"; an organization's as it is (one name)."""
    types = types_of(citation)
    lines = [("TY", types.ris), ("TI", citation.title)]
    tag = "A2" if citation.resource_type in EDITED else "AU"  # A2: the editors of proceedings
    lines += [(tag, parse_name(name).inverted) for name in citation.authors]
    if citation.year:
        lines.append(("PY", str(citation.year)))
        issued = citation.issued
        lines.append(("DA", f"{issued:%Y/%m/%d}/" if issued else f"{citation.year}///"))
    if citation.publisher:
        # An article's publisher is its journal (T2, the secondary title of JOUR).
        lines.append(("T2" if types.ris == "JOUR" else "PB", citation.publisher))
    if types.genre and types.ris in ("RPRT", "GEN", "DATA"):
        lines.append(("M3", types.genre))  # the type of work
    if citation.version:
        lines.append(("ET", citation.version))  # the edition: a data set's or a program's version
    if citation.doi:
        lines.append(("DO", citation.doi))
    if citation.abstract:
        lines.append(("AB", citation.abstract))
    lines += [("KW", keyword) for keyword in citation.keywords]
    if citation.language:
        lines.append(("LA", LANGUAGE_NAMES.get(citation.language, citation.language)))
    if citation.url:
        lines.append(("UR", citation.url))
    if citation.accessed:
        lines.append(("Y2", f"{citation.accessed:%Y/%m/%d}"))  # the access date
    if citation.pdf_url:
        lines.append(("L1", citation.pdf_url))
    lines.append(("ID", citation.key))
    out = [f"{tag}  - {_one_line(value)}" for tag, value in lines if _one_line(value)]
    out.append("ER  - ")
    return "\r\n".join(out) + "\r\n"


# --- CSL-JSON --------------------------------------------------------------------------------------

def csl_name(name: Name) -> dict:
    if name.literal:
        return {"literal": name.literal}
    return {"family": name.family, "given": name.given} if name.given else {"family": name.family}


def _date_parts(date: datetime.date) -> dict:
    return {"date-parts": [[date.year, date.month, date.day]]}


def to_csl(citation: Citation) -> dict:
    """The reference as one CSL-JSON item (what Zotero, Mendeley and Pandoc's citeproc read)."""
    types = types_of(citation)
    item = {"id": citation.key or "resource", "type": types.csl, "title": _one_line(citation.title)}
    if citation.authors:
        role = "editor" if citation.resource_type in EDITED else "author"
        item[role] = [csl_name(parse_name(name)) for name in citation.authors]
    if citation.issued:
        item["issued"] = _date_parts(citation.issued)
    elif citation.year:
        item["issued"] = {"date-parts": [[citation.year]]}
    if citation.publisher:
        key = "container-title" if types.csl == "article-journal" else "publisher"
        item[key] = _one_line(citation.publisher)
    if types.genre:
        item["genre"] = types.genre
    if citation.version:
        item["version"] = citation.version
    if citation.doi:
        item["DOI"] = citation.doi
    if citation.abstract:
        item["abstract"] = _one_line(citation.abstract)
    if citation.keywords:
        item["keyword"] = ", ".join(citation.keywords)
    if citation.language:
        item["language"] = citation.language
    if citation.url:
        item["URL"] = citation.url
    if citation.accessed:
        item["accessed"] = _date_parts(citation.accessed)
    return item


def to_csl_json(citation: Citation) -> str:
    """A CSL-JSON file: a list of items, here one."""
    return json.dumps([to_csl(citation)], ensure_ascii=False, indent=2) + "\n"


WRITERS = {"bibtex": to_bibtex, "ris": to_ris, "csl": to_csl_json}


def export(citation: Citation, fmt: str) -> str:
    return WRITERS[fmt](citation)


def citation_file(citation: Citation, fmt: str, filename: str):
    """The response of a citation export: `fmt` is bibtex, ris or csl; downloaded as `filename`.ext."""
    from django.http import HttpResponse

    response = HttpResponse(export(citation, fmt), content_type=f"{CONTENT_TYPES[fmt]}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{EXTENSIONS[fmt]}"'
    return response
