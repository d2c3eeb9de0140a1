"""Page weight on first view: bytes transferred (compressed) per public page, in headless Chromium.

Serves the portal as production would (gunicorn, WhiteNoise's compressed static files, gzip'd HTML)
from a throw-away SQLite database with the demo content, then loads each page in a fresh browser
context (empty cache) and adds up every response: headers plus body as sent over the wire.

    .venv/bin/python bench/page_weight.py          # or: make bench

Budget: 100 KB (102,400 bytes) per page. Exits non-zero when a page is over budget.

Also the first round trip (issue 16): the HTML and the stylesheet a page needs for its first screen,
compressed, headers included, against 14 KB (14,336 bytes: what a server sends before the first
acknowledgement on a slow 3G link, TCP's initial window of ten segments). Printed for every page, judged
for the home, the overview, a country page, the library and the return form (`FIRST_VIEW`). Counted: the
page's own document and stylesheets; not what the page asks for once its HTML has arrived (images, the
overview's map in its frame with the frame's stylesheet), which the transferred total counts.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET = 100 * 1024
FIRST_ROUND_TRIP = 14 * 1024
FIRST_VIEW = {"home (fr)", "inventory overview: map and trends (fr)", "country page: Senegal (fr)",
              "library: latest resources (fr)", "return form, first section (fr)"}
PAGES = [
    ("home (fr)", "/fr/"),
    ("home (en)", "/en/"),
    ("content page: the network (fr)", "/fr/le-reseau/"),
    ("content page: history (en)", "/en/the-network/history/"),
    ("contact form (fr)", "/fr/contact/"),
    ("search results (fr)", "/fr/recherche/?q=mutuelle"),
    ("registration (fr)", "/fr/comptes/inscription/"),
    ("directory of mutuals (fr)", "/fr/inventaire/mutuelles/"),
    ("mutual profile (fr)", "/fr/inventaire/mutuelles/SN-0001/"),
    ("inventory overview: map and trends (fr)", "/fr/inventaire/"),
    ("country page: Senegal (fr)", "/fr/inventaire/pays/SN/"),
    ("glossary of the indicators (fr)", "/fr/inventaire/glossaire/"),
    ("open data: downloads (fr)", "/fr/inventaire/donnees/"),
    ("codebook (en)", "/en/inventory/data/codebook/"),
    ("library: latest resources (fr)", "/fr/bibliotheque/"),
    ("library search: words and filters (fr)",
     "/fr/bibliotheque/?q=mutuelles+Mali&type=case_study&type=guide&year_min=2005&year_max=2020"),
    ("library: a resource (fr)", "/fr/bibliotheque/concertation-10-ans/"),
    ("news (fr)", "/fr/actualites/"),
    ("news: an article (fr)", "/fr/actualites/mutuelles-et-microfinance-au-senegal/"),
    ("calendar: upcoming events (fr)", "/fr/agenda/"),
    ("calendar: the training seminar (fr)", "/fr/agenda/seminaire-micro-assurance-sante-participative/"),
    ("Forum: Dakar 2007 (fr)", "/fr/agenda/forum-dakar-2007/"),
    ("newsletter: issue 41 (fr)", "/fr/lettre-d-information/lettre-41/"),
    ("newsletter: subscription (fr)", "/fr/lettre-d-information/abonnement/"),
    ("directory of organizations (fr)", "/fr/annuaire/"),
    ("themes overview: themes × countries (fr)", "/fr/themes/"),
    ("theme page: financing (fr)", "/fr/themes/financing/"),
    ("not found (fr)", "/fr/nothing-here/"),
]
# Pages behind a login (demo accounts of `load_demo`, password "bench-only"): (name, path, e-mail).
# A path of None is the reporting home's first "fill in" link: the new year's pre-filled form.
LOGGED_IN_PAGES = [
    ("reporting home (fr, manager)", "/fr/inventaire/espace-declarant/", "gerant.demo@example.org"),
    ("return form, first section (fr)", None, "gerant.demo@example.org"),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="page-weight-"))
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
        "EMAIL_URL": "dummymail://",
        "SECURE_SSL_REDIRECT": "false",
        "SITE_URL": f"http://127.0.0.1:{port}",  # required in production since issue 15
        "CACHE_URL": f"filecache://{tmp / 'cache'}",  # shared by the workers, as in production
        "MEDIA_ROOT": str(tmp / "media"),
        "STATIC_ROOT": str(tmp / "static"),
    }
    python = sys.executable
    run = {"cwd": ROOT, "env": env, "check": True, "stdout": subprocess.DEVNULL}
    subprocess.run([python, "manage.py", "migrate", "--noinput"], **run)
    subprocess.run([python, "manage.py", "load_demo", "--admin-password", "bench-only"], **run)
    subprocess.run([python, "manage.py", "collectstatic", "--noinput"], **run)
    # The synthesis and dataset files, as the worker computes them (no worker runs here): the overview,
    # the country pages and the home show the demo inventory's figures, map and charts.
    subprocess.run([python, "manage.py", "shell", "-c",
                    "from inventory.opendata.refresh import refresh; refresh()"], **run)
    server = subprocess.Popen(
        [str(Path(python).parent / "gunicorn"), "portal.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2"],
        cwd=ROOT, env=env, stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/fr/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        over = measure(sync_playwright, port)
    finally:
        server.terminate()
        server.wait()
    sys.exit(1 if over else 0)


def log_in(context, port, email, path):
    """Log in through the login form with the context's own request API (nothing enters the
    browser's cache); returns `path`, or the reporting home's first link to a new year's form."""
    import re

    base = f"http://127.0.0.1:{port}"
    form = context.request.get(f"{base}/fr/comptes/connexion/").text()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    context.request.post(f"{base}/fr/comptes/connexion/", form={
        "csrfmiddlewaretoken": token, "login": email, "password": "bench-only",
    }, headers={"Referer": f"{base}/fr/comptes/connexion/"})
    if path is None:
        home = context.request.get(f"{base}/fr/inventaire/espace-declarant/").text()
        path = re.search(r'href="(/fr/inventaire/declarations/[^"]+/modifier/)"', home).group(1)
    return path


def measure(sync_playwright, port):
    over = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        print(f"{'page':40} {'requests':>8} {'transferred':>12} {'html':>8} {'html+css':>9}  budget  14 KB")
        pages = [(name, path, None) for name, path in PAGES] + LOGGED_IN_PAGES
        for name, path, email in pages:
            context = browser.new_context(viewport={"width": 375, "height": 800})
            if email:
                path = log_in(context, port, email, path)
            page = context.new_page()
            responses = []
            page.on("requestfinished", lambda request, bag=responses: bag.append(request))
            page.goto(f"http://127.0.0.1:{port}{path}", wait_until="networkidle")
            total = html = css = 0
            for request in responses:
                sizes = request.sizes()
                size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
                total += size
                if request.frame != page.main_frame:
                    continue  # a frame's document and its stylesheet (the overview's map) come after the page
                if request.resource_type == "document":
                    html += size
                elif request.resource_type == "stylesheet":
                    css += size
            ok = total <= BUDGET
            if not ok:
                over.append(name)
            first = html + css
            judged = ("ok" if first <= FIRST_ROUND_TRIP else "over") if name in FIRST_VIEW else ""
            print(f"{name:40} {len(responses):>8} {total:>12,} {html:>8,} {first:>9,}  "
                  f"{'ok' if ok else 'OVER':6}  {judged}")
            context.close()
        browser.close()
    print(f"budget: {BUDGET:,} bytes per page on first view (empty cache)")
    return over


if __name__ == "__main__":
    main()
