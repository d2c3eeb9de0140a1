"""The inventory's data contract: the published Frictionless Table Schemas, read once.

`schemas/*.schema.json` are the contract of `../shared/inventory/` (a test keeps them identical);
the portal may only add fields at the end. Everything else — form fields, choices, import checks,
export column order — is derived from here rather than written a second time.
"""

import json
from functools import cache
from pathlib import Path

from portal.i18n import is_english

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"


@cache
def load(name: str) -> dict:
    """The Table Schema `name` ("returns" or "synthesis") as published."""
    return json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))


def fields(name: str = "returns") -> list[dict]:
    return load(name)["fields"]


def field(name: str, table: str = "returns") -> dict:
    return next(f for f in fields(table) if f["name"] == name)


def column_names(table: str = "returns") -> list[str]:
    """Column order of the published table: exports write exactly this order."""
    return [f["name"] for f in fields(table)]


def enum(name: str, table: str = "returns") -> list[str]:
    return field(name, table).get("constraints", {}).get("enum", [])


def title(name: str, table: str = "returns") -> str:
    """The field's title in the active language."""
    f = field(name, table)
    return f["title"] if is_english() else f.get("title_fr", f["title"])


def indicator_names() -> list[str]:
    """The computed columns at the end of the returns table (ignored on import)."""
    return [f["name"] for f in fields("returns") if "Computed by the portal" in f.get("description", "")]
