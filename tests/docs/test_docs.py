"""The docs say only what the code does: every command and address they name is checked here.

Over README.md and every docs/**/*.md:
- a relative link points to a file that exists, and its #anchor to a heading of that file (GitHub's
  anchors: lower case, punctuation dropped, spaces as hyphens);
- `manage.py <command>` names a management command of the installed apps;
- `make <target>` (in code: `…` or an indented block) names a target of the Makefile;
- a site path in backticks (`/api/v1/…`, `/fr/…`, `/healthz`) resolves in the portal's URLconf (with
  the development mailbox, /dev/mail/, which `make run` mounts): placeholders such as <id>, {id} or …
  take a sample value; a path Wagtail serves (a page) answers, on the demo site, with anything but 404;
- a file of the repository named by its path (`portal/core/backup.py`) exists, and a module named in
  backticks (`inventory.opendata.refresh`, `portal.core.audit.log`) is importable, its last part
  possibly a name inside it;
- every environment variable docs/configuration.md names is read by the code (`env(…)`,
  `os.environ`), except the few names listed in NOT_VARIABLES with the reason.
"""

import ast
import importlib.util
import re
import unicodedata
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands
from django.urls import Resolver404, resolve
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
DOCS = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])
DEV_URLS = "tests.core.dev_mailbox_urls"  # portal/urls.py plus /dev/mail/, as `make run` (DEBUG) has it
# Backticked names in docs/configuration.md that are not environment variables.
NOT_VARIABLES = {
    "WARNING": "a value of LOG_LEVEL",
    "ELASTICSEARCH_CLIENT_OPTIONS": "a dict added to a settings module, not an environment variable",
}
# Paths in backticks that are on the machine, not on the site.
FILE_SYSTEM = ("/usr/", "/tmp/", "/var/", "/etc/", "/opt/", "/home/", "/srv/", "/run/", "/proc/")
ELLIPSIS_SAMPLES = ["x", "x/", "1", "1/x", "SN"]  # what `…` may stand for: a slug, a page, an id…
SAMPLES = {"id": "1", "pk": "1", "year": "2024", "code": "SN", "country": "SN", "slug": "x", "token": "x",
           "version": "1", "name": "x", "identifier": "SN-0001", "major": "15"}


def read(path):
    return path.read_text(encoding="utf-8")


def without_fences(text):
    """The text outside ``` fenced blocks, and the blocks' lines as code."""
    prose, code, fenced = [], [], False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        (code if fenced else prose).append(line)
    return "\n".join(prose), code


def code_snippets(text):
    """Inline code spans, indented code lines and fenced blocks' lines."""
    prose, fenced = without_fences(text)
    snippets = re.findall(r"`([^`\n]+)`", prose)
    snippets += [line for line in prose.splitlines() if line.startswith("    ") and line.strip()]
    return snippets + fenced


def doc_id(path):
    return str(path.relative_to(ROOT))


# -- links ------------------------------------------------------------------------------------------

def slug(heading):
    text = re.sub(r"[`*]", "", heading.strip().lower())
    text = "".join(c for c in text if unicodedata.category(c)[0] in "LN" or c in " -_")
    return text.replace(" ", "-")


def anchors(path):
    seen, result = {}, set()
    prose, _ = without_fences(read(path))
    for match in re.finditer(r"^#{1,6}\s+(.+?)\s*#*$", prose, re.MULTILINE):
        base = slug(match.group(1))
        count = seen.get(base, 0)
        seen[base] = count + 1
        result.add(base if count == 0 else f"{base}-{count}")
    return result


def links(path):
    prose, _ = without_fences(read(path))
    prose = re.sub(r"`[^`\n]*`", "", prose)
    return re.findall(r"\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)", prose)


@pytest.mark.parametrize("doc", DOCS, ids=doc_id)
def test_relative_links_reach_a_file_and_a_heading(doc):
    broken = []
    for link in links(doc):
        if re.match(r"[a-z]+:", link):  # https:, mailto:
            continue
        target, _, anchor = link.partition("#")
        path = (doc.parent / target).resolve() if target else doc
        if not path.exists():
            broken.append(f"{link}: no such file")
        elif anchor and path.suffix == ".md" and anchor not in anchors(path):
            broken.append(f"{link}: no heading #{anchor} in {path.relative_to(ROOT)}")
    assert not broken, broken


# -- commands ---------------------------------------------------------------------------------------

def makefile_targets():
    return set(re.findall(r"^([A-Za-z][\w.-]*)\s*:(?!=)", read(ROOT / "Makefile"), re.MULTILINE))


@pytest.mark.parametrize("doc", DOCS, ids=doc_id)
def test_management_commands_named_exist(doc):
    named = set(re.findall(r"manage\.py\s+([a-z][a-z0-9_]*)", read(doc)))
    assert named - set(get_commands()) == set()


@pytest.mark.parametrize("doc", DOCS, ids=doc_id)
def test_make_targets_named_exist(doc):
    named = set()
    for snippet in code_snippets(read(doc)):
        named |= set(re.findall(r"(?:^|[\s;&|(])make\s+([A-Za-z][\w.-]*)", snippet))
    assert named - makefile_targets() == set()


# -- site paths ------------------------------------------------------------------------------------

def site_paths(doc):
    """Every backticked site path, as written (`/` alone, the redirect to a language, left out)."""
    found = []
    for snippet in re.findall(r"`([^`\n]+)`", without_fences(read(doc))[0]):
        for written in re.findall(r"(?:^|\s)(/[^\s`]*)", snippet):
            if written != "/" and not written.startswith(FILE_SYSTEM) and written not in found:
                found.append(written)
    return found


def samples(path):
    """The path with its placeholders given sample values: one per meaning `…` may have."""
    path = re.sub(r"<(?:\w+:)?(\w+)>|\{(\w+)\}", lambda m: SAMPLES.get(m.group(1) or m.group(2), "1"), path)
    path = path.partition("?")[0]
    return [path.replace("…", value) for value in ELLIPSIS_SAMPLES] if "…" in path else [path]


def resolved(path):
    """Django's match for the path, in the language its prefix names (i18n_patterns); None if none,
    or if only the API's JSON 404 for any other path under /api/v1/ matches."""
    language = path.split("/")[1] if path.count("/") > 1 else ""
    with translation.override(language if language in dict(settings.LANGUAGES) else "fr"):
        try:
            match = resolve(path, urlconf=DEV_URLS)
        except Resolver404:
            return None
    return None if getattr(match.func, "__name__", "") == "not_found" else match


def is_page(match):
    return match.url_name == "wagtail_serve"


@pytest.mark.parametrize("doc", DOCS, ids=doc_id)
def test_site_paths_resolve(doc):
    unresolved = [written for written in site_paths(doc)
                  if not any(resolved(path) for path in samples(written))]
    assert not unresolved, unresolved


@pytest.mark.django_db
def test_pages_named_in_the_docs_are_on_the_demo_site(demo_site, client):
    """A path that only Wagtail's catch-all resolves must be a page: on the demo site it answers."""
    missing = []
    for doc in DOCS:
        for written in site_paths(doc):
            if re.search(r"[…<{]", written):
                continue  # a placeholder: the page behind it depends on the content
            match = resolved(written.partition("?")[0])
            if match and is_page(match) and client.get(written).status_code == 404:
                missing.append(f"{doc_id(doc)}: {written}")
    assert not missing, missing


# -- files and modules ----------------------------------------------------------------------------

EXTENSIONS = "py|html|md|toml|lock|ya?ml|csv|json|txt|css|js"
FILE_PATH = re.compile(rf"(?<![\w./:-])((?:[\w-]+/)+[\w.-]+\.(?:{EXTENSIONS}))\b")
# Folders whose files the portal writes at run time (not in the repository).
WRITTEN_AT_RUN_TIME = ("var/", "staticfiles/", "media/", "bench/out/", ".venv/")


@pytest.mark.parametrize("doc", DOCS, ids=doc_id)
def test_files_named_exist(doc):
    missing = [name for name in sorted(set(FILE_PATH.findall(read(doc))))
               if not name.startswith(WRITTEN_AT_RUN_TIME)
               and not (ROOT / name).exists() and not (doc.parent / name).exists()]
    assert not missing, missing


def importable(dotted):
    parts = dotted.split(".")
    for length in (len(parts), len(parts) - 1):
        try:
            if importlib.util.find_spec(".".join(parts[:length])):
                return True
        except ModuleNotFoundError:
            continue
    return False


@pytest.mark.parametrize("doc", DOCS, ids=doc_id)
def test_modules_named_exist(doc):
    named = set(re.findall(r"`((?:portal|inventory|library)(?:\.\w+)+)`", read(doc)))
    assert sorted(name for name in named if not importable(name)) == []


# -- environment variables -------------------------------------------------------------------------

def variables_read_by_the_code():
    """Names passed to env(…), env.<cast>(…), os.environ[…], os.environ.get(…), os.getenv(…)."""
    names = set()
    files = [*(ROOT / "portal").rglob("*.py"), ROOT / "gunicorn.conf.py", ROOT / "manage.py",
             *(ROOT / "scripts").rglob("*.py")]
    for path in files:
        for node in ast.walk(ast.parse(read(path))):
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
                func = ast.unparse(node.func)
                if re.fullmatch(r"env(\.\w+)?|os\.environ\.(get|setdefault)|os\.getenv|environ\.get", func):
                    names.add(node.args[0].value)
            elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
                if ast.unparse(node.value) in {"os.environ", "environ"}:
                    names.add(node.slice.value)
    return names


def variables_named_in_configuration():
    names = set()
    for line in read(ROOT / "docs" / "configuration.md").splitlines():
        tokens = re.findall(r"`([A-Z_][A-Z0-9_]*\*?)`", line)
        if line.startswith("|") and tokens and tokens[0].endswith("_*"):  # `UPLOAD_MAX_*`: `PDF_PAGES`…
            names |= {tokens[0][:-1] + suffix for suffix in tokens[1:]}
            continue
        for token in tokens:
            if token.startswith("_") and tokens[0][0] != "_":  # `INVENTORY_IMPORT_MAX_CELLS`, `_SECONDS`
                names.add(tokens[0].rsplit("_", 1)[0] + token)
            else:
                names.add(token)
    return names - set(NOT_VARIABLES)


def test_every_variable_of_the_configuration_is_read_by_the_code():
    assert sorted(variables_named_in_configuration() - variables_read_by_the_code()) == []
