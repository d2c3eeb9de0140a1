"""The packages' layers hold, and docs/architecture.md draws the same layers as the contract.

The contract is pyproject.toml's `[tool.importlinter]` (what `make lint` runs): the site above the
domains above the kernel, domains independent of each other except the named exceptions. Here:
`lint-imports` keeps every contract; the map in docs/architecture.md (its fenced block) names exactly
the contract's packages, layer after layer in the contract's order, each layer's packages joined by
the contract's separator (`|` independent, `:` not), and its prose names each package in backticks.
"""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARCHITECTURE = ROOT / "docs" / "architecture.md"


def layer_contracts():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    return [c for c in config["contracts"] if c["type"] == "layers"]


def layers(contract):
    """[(separator, [packages])] from the highest layer down."""
    parsed = []
    for layer in contract["layers"]:
        separator = ":" if ":" in layer else "|"
        parsed.append((separator, [name.strip() for name in layer.split(separator)]))
    return parsed


def the_map():
    return re.search(r"```\n(.*?)```", ARCHITECTURE.read_text(), re.DOTALL).group(1)


def test_the_import_contracts_are_kept():
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-logo", "--no-cache"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_map_draws_the_contracts_layers_in_order():
    drawn = re.findall(r"[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*", the_map())
    for contract in layer_contracts():
        packages = [name for _, names in layers(contract) for name in names]
        assert [name for name in drawn if name in packages] == packages


def test_the_map_joins_each_layers_packages_as_the_contract_does():
    text = " ".join(the_map().split())
    for contract in layer_contracts():
        for separator, names in layers(contract):
            for first, second in zip(names, names[1:], strict=False):
                assert f"{first} {separator} {second}" in text, (first, separator, second)


def test_the_prose_names_every_package_of_the_contract():
    prose = re.sub(r"```.*?```", "", ARCHITECTURE.read_text(), flags=re.DOTALL)
    for contract in layer_contracts():
        for _, names in layers(contract):
            for name in names:
                assert f"`{name}`" in prose, name


def test_the_named_exceptions_are_the_contracts_ignored_imports():
    """docs/architecture.md's "Named exceptions between domains" names every entry of the contract's
    `ignore_imports` (`importer -> imported`, in backticks), and no other."""
    text = ARCHITECTURE.read_text()
    section = text.split("## Named exceptions between domains", 1)[1].split("\n## ", 1)[0]
    named = re.findall(r"`([^`]+ -> [^`]+)`", " ".join(section.split()))
    ignored = [entry for contract in layer_contracts() for entry in contract.get("ignore_imports", [])]
    assert ignored and sorted(named) == sorted(ignored)


def test_the_filter_decision_names_every_filterset():
    """docs/decisions/django-filter.md names every FilterSet on the portal's base: a list or an
    endpoint reading its query string another way would not be named there."""
    decision = (ROOT / "docs" / "decisions" / "django-filter.md").read_text()
    sources = [path for package in ("portal", "inventory", "library")
               for path in (ROOT / package).rglob("*.py")]
    filtersets = {name for path in sources
                  for name in re.findall(r"^class (\w+)\(QueryFilterSet\)", path.read_text(), re.MULTILINE)}
    assert "DirectoryFilter" in filtersets
    assert [name for name in sorted(filtersets) if f"`{name}`" not in decision] == []
