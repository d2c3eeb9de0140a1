"""Screenshots of the portal's main pages for docs/screenshots/: the home page, the inventory overview,
Senegal's page, the library and a yearly return (logged in as the demo mutual manager), on a 360 px phone
and a 1280 px desktop, in French and English.

Run it against a portal serving the demo content (`make run` in another terminal):

    .venv/bin/python scripts/screenshots.py        # from http://127.0.0.1:8000 into docs/screenshots/
    .venv/bin/python scripts/screenshots.py --url http://127.0.0.1:8202 --out /tmp/shots

The demo manager's password is read from var/demo-admin.txt (written by `manage.py load_demo`), or
given with --manager-password. Each shot is the first screen (what a reader sees before scrolling);
the overview (desktop and phone) and the country page (desktop) also get a taller shot of their
figures, and the phone's home page a shot with its menu open. Images are reduced
to 256 colours (sharp text, a third of the size) so that the folder stays small. Needs the development
set (Playwright) and Debian's chromium (/usr/bin/chromium), as the browser tests do.
"""

import argparse
import re
import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
MANAGER = "gerant.demo@example.org"
WIDTHS = {"phone": (360, 800), "desktop": (1280, 800)}
# name -> path in each language; "return" is found from the manager's page.
PAGES = {
    "home": {"fr": "/fr/", "en": "/en/"},
    "inventory": {"fr": "/fr/inventaire/", "en": "/en/inventory/"},
    "country-senegal": {"fr": "/fr/inventaire/pays/SN/", "en": "/en/inventory/countries/SN/"},
    "library": {"fr": "/fr/bibliotheque/", "en": "/en/library/"},
}
# Shots that show more than the first screen: the figures below the fold.
TALL = {"desktop": {"inventory": 2400, "country-senegal": 2400}, "phone": {"inventory": 1800}}
MY_MUTUALS = {"fr": "/fr/inventaire/espace-declarant/", "en": "/en/inventory/reporting/"}


def manager_password(path: Path) -> str:
    """The demo manager's password from load_demo's credentials file."""
    for line in path.read_text(encoding="utf-8").splitlines():
        found = re.match(rf"{re.escape(MANAGER)} / (\S+)", line.strip())
        if found:
            return found.group(1)
    raise SystemExit(f"No password for {MANAGER} in {path}: give --manager-password.")


def save(page, path: Path, *, height: int | None = None):
    """A screenshot of the first screen (or of the top `height` px of the page), in 256 colours."""
    if height:
        full = page.evaluate("document.documentElement.scrollHeight")
        width = page.viewport_size["width"]
        page.screenshot(path=path, clip={"x": 0, "y": 0, "width": width, "height": min(height, full)},
                        full_page=True)
    else:
        page.screenshot(path=path)
    image = Image.open(path).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        path, optimize=True)


def log_in(context, url: str, password: str):
    page = context.new_page()
    page.goto(f"{url}/fr/comptes/connexion/")
    page.locator("input[name=login]").fill(MANAGER)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    if "/login/" in page.url:
        raise SystemExit(f"Could not log in as {MANAGER}: check the password.")
    return page


def return_path(page, url: str, language: str) -> str:
    """The first yearly return the manager can open, from their "my mutuals" page."""
    page.goto(f"{url}{MY_MUTUALS[language]}")
    links = page.locator("main a[href*='/declarations/'], main a[href*='/returns/']")
    hrefs = [links.nth(n).get_attribute("href") for n in range(links.count())]
    editable = [h for h in hrefs if h.rstrip("/").endswith(("/modifier", "/edit"))]
    if not (editable or hrefs):
        raise SystemExit(f"No return on {MY_MUTUALS[language]} for {MANAGER}.")
    return (editable or hrefs)[0]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="the running portal")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--credentials", type=Path, default=ROOT / "var" / "demo-admin.txt")
    parser.add_argument("--manager-password",
                        help="the demo manager's password (else read from --credentials)")
    args = parser.parse_args(argv)
    url = args.url.rstrip("/")
    password = args.manager_password or manager_password(args.credentials)
    args.out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        for size, (width, height) in WIDTHS.items():
            for language in ("fr", "en"):
                context = browser.new_context(viewport={"width": width, "height": height},
                                              locale=f"{language}-{'FR' if language == 'fr' else 'GB'}")
                page = context.new_page()
                for name, paths in PAGES.items():
                    response = page.goto(f"{url}{paths[language]}")
                    if response is None or response.status != 200:
                        raise SystemExit(f"{paths[language]}: HTTP {response and response.status}")
                    target = args.out / f"{name}-{language}-{size}.png"
                    save(page, target)
                    written.append(target)
                    if name in TALL[size]:
                        target = args.out / f"{name}-{language}-{size}-long.png"
                        save(page, target, height=TALL[size][name])
                        written.append(target)
                    if size == "phone" and name == "home":  # the header's menu, opened
                        page.locator(".menu-toggle").click()
                        target = args.out / f"{name}-{language}-{size}-menu.png"
                        save(page, target)
                        written.append(target)
                context.close()
                # The return, as its manager sees it (a fresh context: logged in).
                context = browser.new_context(viewport={"width": width, "height": height})
                page = log_in(context, url, password)
                path = return_path(page, url, language)
                page.goto(f"{url}{path}")
                target = args.out / f"return-{language}-{size}.png"
                save(page, target)
                written.append(target)
                context.close()
        browser.close()
    total = sum(p.stat().st_size for p in written)
    for target in written:
        sys.stdout.write(f"{target.relative_to(args.out)}  {target.stat().st_size // 1024} KB\n")
    sys.stdout.write(f"{len(written)} screenshots, {total / 1024 / 1024:.1f} MB in {args.out}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
