"""Every third-party package the code imports is declared in pyproject.toml, in the right set.

The production set (`[project] dependencies`, pinned in requirements.lock) must cover everything the
portal's own packages import, at any depth of a function, and every app in INSTALLED_APPS: a production
install has nothing else. The benchmarks and the tests may also use the development set
(`[project.optional-dependencies] dev`, requirements-dev.lock). A declared package that nothing imports
is named in `USED_WITHOUT_IMPORT` with the reason it is there, so an unused one cannot linger.
Import names map to distributions through `importlib.metadata.packages_distributions()` (`yaml` is
PyYAML, `factory` is factory_boy); the standard library is `sys.stdlib_module_names`.
"""

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_CODE = ["portal", "inventory", "library", "api", "scripts/run_production.py", "manage.py",
                   "gunicorn.conf.py"]
# scripts/screenshots.py drives the browser for docs/screenshots/: a developer's tool, like the benchmarks.
DEVELOPMENT_CODE = ["bench", "tests", "scripts/screenshots.py"]
FIRST_PARTY = {"portal", "inventory", "library", "api", "bench", "scripts", "tests", "manage"}

# Declared, and needed, although no module imports them by name.
USED_WITHOUT_IMPORT = {
    "gunicorn": "the production web server (Procfile, gunicorn.conf.py)",
    "django-storages": "the S3-compatible storage (settings.STORAGES in production)",
    "soupsieve": "an upper bound only: Debian 12's Python 3.11.2 cannot run newer ones",
    "pytest-django": "the tests' Django plugin (pyproject's [tool.pytest.ini_options])",
    "ruff": "`make lint`",
    "import-linter": "`make lint`: the layers contract in pyproject's [tool.importlinter]",
    "moto": "the tests' S3-compatible server (moto_server, started by .ci/run)",
}


def normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def declared():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]

    def names(requirements):
        return {normalise(re.match(r"[A-Za-z0-9._-]+", r).group()) for r in requirements}

    return names(project["dependencies"]), names(project["optional-dependencies"]["dev"])


def python_files(paths):
    for name in paths:
        path = ROOT / name
        if path.is_file():
            yield path
        elif path.is_dir():
            yield from sorted(path.rglob("*.py"))


def third_party_imports(paths):
    """{top-level name: first file importing it}, for every absolute import at any depth."""
    found = {}
    for path in python_files(paths):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.partition(".")[0]
                if top not in sys.stdlib_module_names and top not in FIRST_PARTY:
                    found.setdefault(top, path.relative_to(ROOT))
    return found


def undeclared(imports, allowed):
    distributions = importlib.metadata.packages_distributions()
    missing = []
    for top, path in sorted(imports.items()):
        candidates = {normalise(d) for d in distributions.get(top, [])}
        if not candidates & allowed:
            missing.append(f"{top} ({path}; distribution {sorted(candidates) or 'not installed'})")
    return missing


def test_the_portals_code_imports_only_the_production_set():
    production, _ = declared()
    imports = third_party_imports(PRODUCTION_CODE)
    for app in settings.INSTALLED_APPS:
        top = app.partition(".")[0]
        if top not in FIRST_PARTY and top not in sys.stdlib_module_names:
            imports.setdefault(top, Path("portal/settings (INSTALLED_APPS)"))
    missing = undeclared(imports, production)
    assert not missing, "imported, not in pyproject's dependencies:\n" + "\n".join(missing)


def test_benchmarks_and_tests_import_only_declared_packages():
    production, development = declared()
    missing = undeclared(third_party_imports(DEVELOPMENT_CODE), production | development)
    assert not missing, "imported, not in pyproject's dependencies or dev:\n" + "\n".join(missing)


def test_every_declared_package_is_imported_or_has_a_reason():
    production, development = declared()
    distributions = importlib.metadata.packages_distributions()
    used = set()
    imports = third_party_imports(PRODUCTION_CODE + DEVELOPMENT_CODE)
    imports.update({app.partition(".")[0]: None for app in settings.INSTALLED_APPS})
    for top in imports:
        used |= {normalise(d) for d in distributions.get(top, [])}
    reasons = {normalise(name) for name in USED_WITHOUT_IMPORT}
    unused = sorted((production | development) - used - reasons)
    assert not unused, f"declared, imported nowhere: {unused}"
    assert sorted(reasons & used) == [], "a reason is left for a package now imported: remove it"


def test_no_package_is_declared_in_both_sets():
    production, development = declared()
    assert production & development == set()
