"""The inventory's data contract: the published Frictionless Table Schemas, read once.

`schemas/*.schema.json` are the contract of `../shared/inventory/` (a test keeps them identical);
the portal may only add fields at the end. Those it adds live apart, in `schemas/*.extension.json`
(`fields` appended after the contract's, a `description`), so the contract files stay byte for byte
the shared ones: `published(table)` is what the portal publishes (datasets, datapackage, codebook),
`fields(table)` / `column_names(table)` the contract alone (forms, import checks). Everything else —
form fields, choices, import checks, export column order — is derived from here rather than written
a second time.
"""

import json
from functools import cache
from pathlib import Path

from portal.i18n import is_english, is_portuguese

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"


@cache
def load(name: str) -> dict:
    """The Table Schema `name` ("returns" or "synthesis") as published."""
    return json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))


@cache
def extension(name: str) -> dict:
    """The portal's additions to table `name`: `fields` to append at the end, and a `description`."""
    path = SCHEMA_DIR / f"{name}.extension.json"
    if not path.exists():
        return {"fields": []}
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def published(name: str) -> dict:
    """The Table Schema the portal publishes for `name`: the contract's, its extension's fields
    appended at the end (never renamed, dropped or reordered)."""
    contract, added = load(name), extension(name)
    clash = {f["name"] for f in contract["fields"]} & {f["name"] for f in added["fields"]}
    if clash:
        raise ValueError(f"{name}.extension.json redefines contract columns: {sorted(clash)}")
    result = {**contract, "fields": [*contract["fields"], *added["fields"]]}
    if added.get("description"):
        result["description"] = added["description"]
    return result


def fields(name: str = "returns") -> list[dict]:
    """The contract's fields (what is imported and checked)."""
    return load(name)["fields"]


def published_fields(name: str = "returns") -> list[dict]:
    """The contract's fields followed by the portal's added ones (what is exported)."""
    return published(name)["fields"]


def field(name: str, table: str = "returns") -> dict:
    return next(f for f in published_fields(table) if f["name"] == name)


def column_names(table: str = "returns") -> list[str]:
    """Column order of the published table: exports write exactly this order."""
    return [f["name"] for f in fields(table)]


def published_column_names(table: str = "returns") -> list[str]:
    """Column order of the portal's downloads: the contract's columns, then the added ones."""
    return [f["name"] for f in published_fields(table)]


def extension_names(table: str = "returns") -> list[str]:
    """The columns the portal adds after the contract's (computed on export, ignored on import)."""
    return [f["name"] for f in extension(table)["fields"]]


def enum(name: str, table: str = "returns") -> list[str]:
    return field(name, table).get("constraints", {}).get("enum", [])


def title(name: str, table: str = "returns") -> str:
    """The field's title in the active language (contract and added columns alike)."""
    f = field(name, table)
    if is_portuguese():
        from .portuguese import portuguese_title

        return portuguese_title(name, table) or f.get("title_fr", f["title"])
    return f["title"] if is_english() else f.get("title_fr", f["title"])


def indicator_names() -> list[str]:
    """The computed columns at the end of the returns table (ignored on import)."""
    return [f["name"] for f in fields("returns") if "Computed by the portal" in f.get("description", "")]
