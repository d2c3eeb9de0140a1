"""The demo's site content, read from the data files in `data/`: the home page, the page tree, the
contact page and the countries, in French and English (`site.yaml`, `pages.yaml`, `countries.yaml`).

Plain data read by `portal.demo.loader`; the files say where their facts come from. A page's `body` is
a list of one-key mappings `{block_type: value}` matching `portal.core.blocks.BodyBlock`.
"""

from __future__ import annotations

from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent / "data"


def read(name: str):
    """The parsed content of `data/<name>.yaml` (safe YAML: plain data only)."""
    with (DATA / f"{name}.yaml").open(encoding="utf-8") as file:
        return yaml.safe_load(file)


_SITE = read("site")
SITE_NAME: dict = _SITE["site_name"]
HOME: dict = _SITE["home"]
CONTACT: dict = _SITE["contact"]
PAGES: list = read("pages")
COUNTRIES: list = read("countries")
