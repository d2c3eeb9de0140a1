"""Every page of the demo is valid HTML by the Nu HTML checker (vnu.jar, the W3C's validator, pinned in
the Makefile and installed beside the virtual environment), as a researcher's or a search engine's tools
read it (issue 15): the public pages of the sitemap in both languages, and the pages each role reaches
from its to-do page and account pages (forms included: the password rules, the calendar's month filter).
Pages of one shape (the same address but for an identifier: 296 mutuals, 27 organizations) are drawn by
one template: a few of each are checked. The checker runs once, on every page written to a directory;
its errors are printed with the page's address."""

import json
import re
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from library.services import study_declare
from portal.core.studies import citable_releases
from portal.demo import studies
from portal.demo.loader import Report, load_inventory, load_people, load_project_links, load_studies

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_site")]

VNU = Path(settings.BASE_DIR) / ".venv/node_modules/vnu-jar/build/dist/vnu.jar"
# Where each role starts; links are followed from there, two clicks deep, inside these sections.
START = [
    "/fr/comptes/a-faire/", "/en/accounts/to-do/", "/fr/comptes/connexion/", "/en/accounts/login/",
    "/fr/comptes/inscription/", "/en/accounts/signup/", "/fr/comptes/mot-de-passe/reinitialiser/",
    "/fr/comptes/mot-de-passe/modifier/", "/en/accounts/password/change/", "/fr/comptes/", "/en/accounts/",
]
SECTIONS = ("/fr/comptes/", "/en/accounts/", "/fr/inventaire/", "/en/inventory/", "/fr/bibliotheque/etudes/",
            "/en/library/studies/")
NOT_FOLLOWED = re.compile(r"deconnexion|logout|export|\.(csv|xlsx|parquet|zip|json|svg|xml|ics|pdf)$")
PER_SHAPE = 3
ROLES = [None, "gerant.demo@example.org", "appui.demo@example.org", "point-focal.demo@example.org"]


def shape(path: str) -> str:
    """The template behind an address, roughly: its path with identifiers and the last of three or
    more segments wildcarded, without the query."""
    segments = [re.sub(r"\d+", "0", s) for s in urlsplit(path).path.split("/") if s]
    if len(segments) >= 3 and not any(c.isdigit() for c in segments[-1]):
        segments[-1] = "*"
    return "/".join(segments)


def few_of_each_shape(paths):
    counts = {}
    for path in paths:
        counts[shape(path)] = counts.get(shape(path), 0) + 1
        if counts[shape(path)] <= PER_SHAPE:
            yield path


def nu_errors(files: list[Path]) -> list[tuple[str, int, str]]:
    """The checker's errors on `files`: (file name, line, message)."""
    assert VNU.exists(), f"{VNU} is missing: `make pytest` installs it (npm, Java)"
    run = subprocess.run(
        ["java", "-Xss4m", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True, text=True, timeout=600, check=False,
    )
    report = json.loads(run.stderr or run.stdout)
    return [(Path(urlsplit(m["url"]).path).name, m.get("lastLine", 0), m["message"])
            for m in report["messages"] if m["type"] == "error" or m.get("subType") == "fatal"]


def _sitemap_paths(client) -> list[str]:
    def locs(path):
        xml = client.get(path).content.decode()
        return [urlsplit(u).path for u in re.findall(r"<loc>([^<]+)</loc>", xml)]

    paths = []
    for loc in locs("/sitemap.xml"):
        paths += locs(loc) if loc.endswith(".xml") else [loc]
    return paths


def _crawl(client, starts, depth=2):
    """The HTML pages reached from `starts` by following links inside SECTIONS, `depth` clicks deep."""
    seen, queue, pages, shapes = set(starts), [(p, 0) for p in starts], {}, {}
    while queue:
        path, level = queue.pop(0)
        response = client.get(path)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        pages[path] = response.content
        if level == depth:
            continue
        for href in re.findall(r'href="([^"#]+)"', response.content.decode()):
            link = urlsplit(href.replace("&amp;", "&"))
            target = link.path + (f"?{link.query}" if link.query else "")
            if link.netloc or not link.path.startswith(SECTIONS) or NOT_FOLLOWED.search(link.path):
                continue
            if target in seen or shapes.get(shape(target), 0) == PER_SHAPE:
                continue
            seen.add(target)
            shapes[shape(target)] = shapes.get(shape(target), 0) + 1
            queue.append((target, level + 1))
    return pages


def _write(directory: Path, who: str, pages: dict) -> dict:
    names = {}
    for n, (path, content) in enumerate(pages.items()):
        name = f"{who}-{n}.html"
        (directory / name).write_bytes(content)
        names[name] = path
    return names


def test_the_checker_reports_what_it_should(tmp_path):
    # The checker itself: a list inside a paragraph (Django's password help in `as_p`) is an error.
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><html lang="fr"><head><title>t</title></head>'
                    '<body><p><span><ul><li>x</li></ul></span></p></body></html>')
    assert any("p" in message for _name, _line, message in nu_errors([page]))


def test_every_page_of_the_demo_is_valid_html(tmp_path):
    load_inventory(Report())
    load_project_links(Report())
    load_people(Report())
    # A release cited by the demo's studies using the inventory (recorded once the loader commits:
    # here, at once), and a study waiting for the secretariat's review.
    load_studies(Report())
    studies.publish_release()
    study_declare(**{**studies.STUDIES[0], "title": "Étude en attente (démo)"}, doi="10.12345/demo",
                  email="declarant@example.org", release=citable_releases()[0])
    names = {}
    anonymous = Client()
    sitemap = _sitemap_paths(anonymous)
    assert len(sitemap) > 300  # both languages of every section
    public = {path: anonymous.get(path) for path in few_of_each_shape(sitemap)}
    names |= _write(tmp_path, "public", {
        path: r.content for path, r in public.items() if r["Content-Type"].startswith("text/html")
    })
    User = get_user_model()
    admin = User.objects.filter(is_superuser=True).first()
    for email in [*ROLES, admin.email]:
        client = Client()
        if email:
            client.force_login(User.objects.get(email=email))
        names |= _write(tmp_path, (email or "anonymous").split("@")[0], _crawl(client, START))
    assert len(names) > 250

    errors = nu_errors([tmp_path / name for name in names])
    assert [f"{names[name]} line {line}: {message}" for name, line, message in errors] == []
