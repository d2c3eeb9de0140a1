"""Load: readers, reporters, an import and a newsletter send at the same time, on a real installation.

Builds a throw-away installation (`migrate`, `load_demo`, five reporter accounts, a few thousand
newsletter subscribers), starts it as it runs for real, on loopback only: gunicorn (`--web-workers`
sync workers), the task worker (`manage.py run_worker`) and a local SMTP sink (aiosmtpd) that the
portal's e-mail goes to. Then, for `--duration` seconds, all at once:

- `--readers` anonymous readers (50) over the main pages: home in French and English, the inventory's
  overview, country pages, mutuals' pages, the library's search, news, calendar, the open data page
  and the data API; each waits `--think` seconds between two pages (a reader reads);
- `--reporters` mutual managers (5), logged in through the login form, each opening its mutual's
  return for this year and saving it through the web form (a new revision each time);
- the secretariat's import: `manage.py import_inventory` of a valid generated file (thousands of
  returns, committed: the worker then recomputes the synthesis and rebuilds the dataset files), run
  again with other figures as soon as it ends;
- a newsletter issue sent to every subscriber (the delivery created as the admin's button does; the
  worker sends it to the SMTP sink).

It prints, per kind of request, the number of requests, the errors (a status other than the expected
ones, or no answer in 30 s) and the 50th, 95th and 99th percentiles of the answer times in
milliseconds, then the slowest reader pages, the imports' times and the e-mails the sink received.
Target: no error, readers' p95 under 1 s.

    .venv/bin/python bench/load.py --quick                  # 30 s on a SQLite file
    .venv/bin/python bench/load.py                          # 120 s
    .venv/bin/python bench/load.py --database-url postgres://postgres@127.0.0.1:5434/bench

On PostgreSQL the benchmark creates a database of its own on that server (the URL's name with a
suffix) and drops it at the end. The settings are production's (`portal.settings.production`: static
files collected and served by WhiteNoise, persistent database connections), reached over plain HTTP
on loopback as its TLS proxy would (no HTTPS redirect; the client sends the HTTPS-only cookies back);
`--settings dev` runs `portal.settings.dev` with DEBUG off instead. The cache is a file cache in the
installation's directory by default (shared by the web workers and the task worker, as the synthesis
needs); `--cache-url redis://…` to use Redis.
"""

import argparse
import html.parser
import json
import random
import shutil
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.worker.installation import Installation, free_port, stop  # noqa: E402

REQUEST_TIMEOUT = 30
REPORTER_PASSWORD = "load-reporter-password-1"

# Run inside the installation (`manage.py shell -c`): the reporters, the subscribers, and the URLs the
# load uses, printed as JSON on the last line.
SETUP = """
import json
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone, translation
from inventory.models import Mutual
from portal.reference.models import Country
from portal.accounts.roles import GROUP_NAMES, Role
from portal.newsletter.models import NewsletterIssuePage, Subscriber

User = get_user_model()
year = timezone.localdate().year
mutuals = list(Mutual.objects.filter(registration_state="approved").exclude(returns__year=year)
               .order_by("mutual_id")[:{reporters}])
reporters = []
for number, mutual in enumerate(mutuals):
    email = f"reporter{{number}}@example.org"
    user = User.objects.filter(email=email).first() or User.objects.create_user(
        username=f"reporter{{number}}", email=email, password="{password}")
    user.groups.add(Group.objects.get(name=GROUP_NAMES[Role.MUTUAL_MANAGER]))
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={{"verified": True, "primary": True}})
    mutual.managers.add(user)
    with translation.override("fr"):
        edit = reverse("inventory:return_edit", kwargs={{"mutual_id": mutual.mutual_id, "year": year}})
    reporters.append({{"email": email, "edit": edit}})
Subscriber.objects.bulk_create(
    [Subscriber(email=f"reader{{n}}@example.org", language="fr" if n % 3 else "en")
     for n in range({subscribers})], ignore_conflicts=True)
issue = NewsletterIssuePage.objects.live().filter(locale__language_code="fr").order_by("-number").first()
pages = []
for language in ("fr", "en"):
    with translation.override(language):
        pages += [f"/{{language}}/", reverse("inventory:overview"), reverse("inventory:mutual_list"),
                  reverse("inventory:datasets"), reverse("search") + "?q=mutuelle",
                  reverse("inventory:dataset_file", kwargs={{"filename": "synthesis.csv"}})]
with translation.override("fr"):
    codes = Country.objects.filter(mutual__isnull=False).distinct().values_list("code", flat=True)
    countries = [reverse("inventory:country", kwargs={{"code": c}}) for c in codes]
    some = Mutual.objects.filter(registration_state="approved").order_by("?")[:20]
    mutual_pages = [reverse("inventory:mutual_detail", kwargs={{"mutual_id": m.mutual_id}}) for m in some]
    login = reverse("account_login")
pages += ["/fr/bibliotheque/", "/fr/bibliotheque/?q=sante", "/fr/actualites/", "/en/news/", "/fr/agenda/",
          "/api/v1/inventory/synthesis", "/api/v1/inventory/mutuals", "/api/v1/library/search?q=sante"]
print(json.dumps({{"reporters": reporters, "issue": issue.pk if issue else None, "pages": pages,
                  "countries": countries, "mutuals": mutual_pages, "login": login}}))
"""

SEND = """
from django.contrib.auth import get_user_model
from portal.newsletter.models import NewsletterIssuePage
from portal.newsletter.services import issue_send_to_subscribers
from portal.newsletter.delivery import Delivery
issue = NewsletterIssuePage.objects.get(pk={issue})
Delivery.objects.filter(reference=issue.delivery_reference).delete()  # sent by an earlier run (--reuse)
admin = get_user_model().objects.get(username="admin")
delivery, created = issue_send_to_subscribers(issue=issue, user=admin)
print(delivery.pk, created)
"""


class Recorder:
    """Answer times and errors per kind of request (thread-safe)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.times = defaultdict(list)
        self.errors = defaultdict(list)
        self.per_page = defaultdict(list)

    def add(self, kind, url, seconds, error=None):
        with self.lock:
            self.times[kind].append(seconds)
            if kind == "reader":
                self.per_page[urllib.parse.urlsplit(url).path].append(seconds)
            if error:
                self.errors[kind].append(f"{url}: {error}")


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else 0.0


def timed_request(session, recorder, kind, method, url, expected=(200,), **kwargs):
    start = time.monotonic()
    try:
        response = session.request(method, url, timeout=REQUEST_TIMEOUT, allow_redirects=False, **kwargs)
        response.content  # noqa: B018 (the whole body, as a browser reads it)
        for cookie in session.cookies:
            # Production's cookies are HTTPS-only and its TLS proxy is not run here: sent back over
            # loopback HTTP, as the proxy would have.
            cookie.secure = False
        error = None if response.status_code in expected else f"HTTP {response.status_code}"
    except Exception as failure:  # noqa: BLE001 (a timeout or a refused connection is an error counted)
        response, error = None, f"{type(failure).__name__}: {failure}"
    recorder.add(kind, url, time.monotonic() - start, error)
    return response


class Forms(html.parser.HTMLParser):
    """The POST forms of a page: their fields' names and current values, as a browser would send them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self._select, self._textarea = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"method": attrs.get("method", "get").lower(), "fields": {}})
        elif not self.forms:
            return
        fields = self.forms[-1]["fields"]
        if tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    fields[attrs["name"]] = attrs.get("value", "on")
            elif kind not in ("submit", "button", "file"):
                fields[attrs["name"]] = attrs.get("value", "")
        elif tag == "select" and attrs.get("name"):
            self._select = attrs["name"]
        elif tag == "option" and self._select:
            if "selected" in attrs or self._select not in fields:
                fields[self._select] = attrs.get("value", "")
        elif tag == "textarea" and attrs.get("name"):
            self._textarea = attrs["name"]
            fields[self._textarea] = ""

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def post_form(text, having):
    parser = Forms()
    parser.feed(text)
    return next(f for f in parser.forms if f["method"] == "post" and having in f["fields"])


def new_session():
    """A browser-like HTTP session (its cookies kept between requests)."""
    import requests

    return requests.Session()


def reader(base, urls, recorder, stop_at, think, seed):
    rng = random.Random(seed)
    session = new_session()
    time.sleep(rng.uniform(0, think))  # the readers arrive spread over the first pause
    while time.monotonic() < stop_at:
        timed_request(session, recorder, "reader", "GET", base + rng.choice(urls))
        time.sleep(rng.uniform(0.5 * think, 1.5 * think))


def reporter(base, login_url, account, recorder, stop_at, think, seed):
    """Log in through the form, then open the return's first section and save it, again and again."""
    rng = random.Random(seed)
    session = new_session()
    page = timed_request(session, recorder, "reporter login", "GET", base + login_url)
    if page is None:
        return
    form = post_form(page.text, "password")
    form["fields"].update({"login": account["email"], "password": REPORTER_PASSWORD})
    answer = timed_request(session, recorder, "reporter login", "POST", base + login_url, expected=(302,),
                           data=form["fields"], headers={"Referer": base + login_url})
    if answer is None or answer.status_code != 302:
        return
    edit = base + account["edit"]
    while time.monotonic() < stop_at:
        page = timed_request(session, recorder, "reporter form", "GET", edit)
        if page is not None and page.status_code == 200:
            fields = post_form(page.text, "base_version")["fields"]
            fields["members"] = str(rng.randint(100, 5000))
            timed_request(session, recorder, "reporter save", "POST", edit, expected=(302,), data=fields,
                          headers={"Referer": edit})
        time.sleep(rng.uniform(0.5 * think, 1.5 * think))


class Sink:
    """A local SMTP server that counts what it receives (aiosmtpd, loopback)."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.port = free_port()
        self.received, self.newsletters, self.first, self.last = 0, 0, None, None
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):
        now = time.monotonic()
        self.received += len(envelope.rcpt_tos)
        if b"List-Unsubscribe" in envelope.content:
            self.newsletters += len(envelope.rcpt_tos)
            self.first = self.first or now
            self.last = now
        return "250 OK"


def importer(site, files, stop_at, runs):
    """The secretariat's import, committed, again with the other file as soon as one ends; one still
    running at the end of the load is stopped (rolled back: the import is all or nothing)."""
    number = 0
    while time.monotonic() < stop_at:
        path = files[number % len(files)]
        start = time.monotonic()
        process = site.spawn(sys.executable, "manage.py", "import_inventory", str(path),
                             log_name="import.log")
        while process.poll() is None and time.monotonic() < stop_at:
            time.sleep(0.2)
        if process.poll() is None:
            stop(process)
            runs.append((path.name, time.monotonic() - start, "stopped at the end of the load"))
        else:
            runs.append((path.name, time.monotonic() - start, process.returncode))
        number += 1


def send_newsletter(site, issue, outcome):
    """The admin's "send to the subscribers": the delivery created in one write transaction, its
    sending queued for the worker. A failure (on SQLite, the write lock held by an import past the
    busy timeout) is recorded, as the admin would see it."""
    start = time.monotonic()
    done = site.manage("shell", "-c", SEND.format(issue=issue), check=False)
    error = done.stderr.strip().splitlines()[-1] if done.returncode else ""
    outcome.update(seconds=time.monotonic() - start, error=error)


def inventory_files(directory, mutuals_per_country):
    from portal.demo.inventory import demo_csv, demo_rows

    files = []
    for seed in (1, 2):
        path = directory / f"inventory-{seed}.csv"
        path.write_bytes(demo_csv(demo_rows(generated_per_country=mutuals_per_country, seed=seed)).getvalue())
        files.append(path)
    return files


def create_postgres_database(url) -> tuple[str, callable]:
    """A fresh database on the server of `url`; (its URL, a function dropping it)."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'portal'}_load_{int(time.time())}"
    admin = parts._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return parts._replace(path=f"/{name}").geturl(), drop


def report(recorder, duration, runs, sink, sent_at, sending):
    print(f"\n{'kind':<16} {'requests':>9} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
          f"{'req/s':>7}")
    for kind in ("reader", "reporter login", "reporter form", "reporter save"):
        values = recorder.times.get(kind, [])
        print(f"{kind:<16} {len(values):>9} {len(recorder.errors.get(kind, [])):>7} "
              f"{percentile(values, 50) * 1000:>8.0f} {percentile(values, 95) * 1000:>8.0f} "
              f"{percentile(values, 99) * 1000:>8.0f} {len(values) / duration:>7.1f}")
    print("\nslowest reader pages (p95 ms, requests):")
    slow = sorted(recorder.per_page.items(), key=lambda item: -percentile(item[1], 95))[:6]
    for path, values in slow:
        print(f"  {percentile(values, 95) * 1000:>7.0f}  {len(values):>5}  {path}")
    for kind, errors in recorder.errors.items():
        print(f"\nerrors of {kind} ({len(errors)}), first ones:")
        for error in errors[:5]:
            print(f"  {error}")
    print("\nsecretariat imports (file, seconds, exit status: 0 = committed):")
    for name, seconds, code in runs:
        print(f"  {name}  {seconds:6.1f} s  {code}")
    spread = ""
    if sink.first:
        spread = f", from {sink.first - sent_at:.1f} s to {sink.last - sent_at:.1f} s after the send"
    print(f"\nnewsletter: the send took {sending.get('seconds', 0):.1f} s"
          + (f" and FAILED: {sending['error']}" if sending.get("error") else "")
          + f"; {sink.newsletters} e-mails received by the SMTP sink{spread}; {sink.received} e-mails in all")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="", help="postgres://… (default: a SQLite file)")
    parser.add_argument("--cache-url", default="", help="default: a file cache in the installation")
    parser.add_argument("--duration", type=int, default=120, help="seconds of load (at most 600)")
    parser.add_argument("--quick", action="store_true", help="30 seconds")
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--reporters", type=int, default=5)
    parser.add_argument("--think", type=float, default=2.0, help="seconds between two pages of a reader")
    parser.add_argument("--web-workers", type=int, default=4, help="gunicorn's sync workers")
    parser.add_argument("--subscribers", type=int, default=3000)
    parser.add_argument("--import-mutuals", type=int, default=60, help="generated mutuals per country")
    parser.add_argument("--settings", choices=("production", "dev"), default="production",
                        help="portal.settings.production (default) or portal.settings.dev with DEBUG off")
    parser.add_argument("--readers-only", action="store_true",
                        help="no reporter, import nor newsletter: what the readers alone get (the floor)")
    parser.add_argument("--keep", action="store_true", help="keep the installation's directory")
    parser.add_argument("--reuse", default="", help="an installation's directory kept by --keep (with "
                        "--database-url: the database it printed)")
    args = parser.parse_args()
    duration = 30 if args.quick else min(args.duration, 600)
    readers, reporters = min(args.readers, 200), 0 if args.readers_only else min(args.reporters, 20)

    directory = Path(args.reuse) if args.reuse else Path(tempfile.mkdtemp(prefix="bench-load-"))
    drop = None
    database_url = args.database_url
    if database_url and not args.reuse:
        database_url, drop = create_postgres_database(database_url)
    sink = Sink()
    site = Installation(directory, database_url=database_url, production=args.settings == "production",
                        extra_env={
        **({"CACHE_URL": args.cache_url} if args.cache_url else {}),
        "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
        "LOG_LEVEL": "WARNING",
    })
    processes = []
    try:
        started = time.monotonic()
        if not args.reuse:
            site.build()
        setup = site.manage("shell", "-c", SETUP.format(
            reporters=reporters, password=REPORTER_PASSWORD, subscribers=args.subscribers))
        data = json.loads(setup.stdout.strip().splitlines()[-1])
        files = inventory_files(directory, args.import_mutuals)
        print(f"installation: {'PostgreSQL' if database_url else 'SQLite file'}, built in "
              f"{time.monotonic() - started:.0f} s; {len(data['reporters'])} reporters, "
              f"{args.subscribers} subscribers; import files of "
              f"{sum(1 for _ in files[0].open()) - 1} rows; cache {site.env()['CACHE_URL'].split(':')[0]}")
        sink.controller.start()
        processes.append(site.start_web(workers=args.web_workers))
        processes.append(site.spawn(sys.executable, "manage.py", "run_worker", log_name="worker.log"))

        import requests

        urls = data["pages"] + data["countries"] + data["mutuals"]
        warm = requests.Session()
        for url in urls:  # every page answers before the load (and the caches are warm)
            answer = warm.get(site.base_url + url, timeout=120)
            if answer.status_code != 200:
                raise SystemExit(f"{url} answers {answer.status_code} before any load")
        print(f"{readers} readers over {len(urls)} pages (think {args.think} s), {len(data['reporters'])} "
              f"reporters, imports and a newsletter send, {web_summary(args)}, for {duration} s…")

        recorder, runs = Recorder(), []
        stop_at = time.monotonic() + duration
        threads = [
            threading.Thread(target=reader, args=(site.base_url, urls, recorder, stop_at, args.think, n))
            for n in range(readers)
        ]
        threads += [threading.Thread(target=reporter, args=(site.base_url, data["login"], account, recorder,
                                                             stop_at, args.think, n))
                    for n, account in enumerate(data["reporters"])]
        if not args.readers_only:
            threads.append(threading.Thread(target=importer, args=(site, files, stop_at, runs)))
        for thread in threads:
            thread.start()
        sent_at, sending = time.monotonic(), {}
        if data["issue"] and not args.readers_only:
            send_newsletter(site, data["issue"], sending)
        for thread in threads:
            thread.join()
        report(recorder, duration, runs, sink, sent_at, sending)
    finally:
        for process in reversed(processes):
            stop(process)
        sink.controller.stop(no_assert=True)
        if drop and not args.keep:
            drop()
        elif drop:
            print(f"database kept: {database_url}")
        if args.keep or args.reuse:
            print(f"installation kept in {directory}")
        else:
            shutil.rmtree(directory, ignore_errors=True)


def web_summary(args):
    return f"gunicorn {args.web_workers} workers + 1 task worker"


if __name__ == "__main__":
    main()
