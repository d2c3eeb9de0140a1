"""Citation exports of a library resource: BibTeX and RIS, from plain values (no models)."""

from __future__ import annotations

import re
from dataclasses import dataclass


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


# BibTeX entry types, RIS reference types: the nearest standard kind for each resource type.
BIBTEX_TYPES = {
    "article": "article", "monograph": "book", "report": "techreport", "case_study": "techreport",
    "proceedings": "proceedings", "training_manual": "manual", "guide": "manual", "brochure": "booklet",
}
RIS_TYPES = {
    "article": "JOUR", "brochure": "PAMP", "monograph": "BOOK", "case_study": "CASE", "legal_text": "STAT",
    "guide": "BOOK", "training_manual": "BOOK", "report": "RPRT", "proceedings": "CONF",
    "newsletter": "NEWS", "software": "COMP", "other": "GEN",
}
LANGUAGE_NAMES = {"fr": "French", "en": "English", "pt": "Portuguese"}

# Characters with a meaning in BibTeX/LaTeX. Accented letters stay as they are: the file is UTF-8,
# which biber and reference managers read.
_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$",
    "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}
_BIBTEX_RE = re.compile("|".join(re.escape(char) for char in _BIBTEX_SPECIAL))


def _one_line(text: str) -> str:
    return " ".join(str(text or "").split())


def bibtex_escape(text: str) -> str:
    return _BIBTEX_RE.sub(lambda match: _BIBTEX_SPECIAL[match.group()], _one_line(text))


def bibtex_key(citation: Citation) -> str:
    key = re.sub(r"[^A-Za-z0-9_:-]", "", citation.key.replace(" ", "_"))
    return key or "resource"


def to_bibtex(citation: Citation) -> str:
    kind = BIBTEX_TYPES.get(citation.resource_type, "misc")
    fields = [("title", "{" + bibtex_escape(citation.title) + "}")]  # double braces keep its capitals
    if citation.authors:
        # An organization as author stays one name between braces ("{Union technique…}").
        names = [
            bibtex_escape(name) if "," in name or len(name.split()) <= 3 else "{" + bibtex_escape(name) + "}"
            for name in citation.authors
        ]
        fields.append(("author", " and ".join(names)))
    if citation.year:
        fields.append(("year", str(citation.year)))
    if citation.publisher:
        name = "institution" if kind == "techreport" else "publisher"
        fields.append((name, bibtex_escape(citation.publisher)))
    if citation.abstract:
        fields.append(("abstract", bibtex_escape(citation.abstract)))
    if citation.keywords:
        fields.append(("keywords", bibtex_escape(", ".join(citation.keywords))))
    fields.append(("language", LANGUAGE_NAMES.get(citation.language, citation.language)))
    if citation.url:
        # url fields are verbatim in biblatex: only braces would break the entry.
        fields.append(("url", citation.url.replace("{", "%7B").replace("}", "%7D")))
    lines = [f"@{kind}{{{bibtex_key(citation)},"]
    lines += [f"  {name} = {{{value}}}," for name, value in fields]
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_ris(citation: Citation) -> str:
    """RIS: one `TAG  - value` per line, CRLF line ends as the format's specification asks; a value
    never spans lines."""
    lines = [("TY", RIS_TYPES.get(citation.resource_type, "GEN")), ("TI", citation.title)]
    lines += [("AU", author) for author in citation.authors]
    if citation.year:
        lines += [("PY", str(citation.year)), ("DA", f"{citation.year}///")]
    if citation.publisher:
        lines.append(("PB", citation.publisher))
    if citation.abstract:
        lines.append(("AB", citation.abstract))
    lines += [("KW", keyword) for keyword in citation.keywords]
    lines.append(("LA", LANGUAGE_NAMES.get(citation.language, citation.language)))
    if citation.url:
        lines.append(("UR", citation.url))
    if citation.pdf_url:
        lines.append(("L1", citation.pdf_url))
    lines.append(("ID", citation.key))
    out = [f"{tag}  - {_one_line(value)}" for tag, value in lines if _one_line(value)]
    out.append("ER  - ")
    return "\r\n".join(out) + "\r\n"
