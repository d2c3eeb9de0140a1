"""A throw-away installation of the portal in its own processes: a database file (or a PostgreSQL
database) built by `migrate` and `load_demo`, a web server (gunicorn) and commands run on it.

What the tests in this folder and `bench/load.py` share: the portal as it runs for real, in other
processes, on a real database (the tests' own database is in memory and seen by one process only).
"""

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from tests.smtp import free_port

ROOT = Path(__file__).resolve().parent.parent.parent
ADMIN_PASSWORD = "installation-admin-password"


@dataclass
class Installation:
    """One installation's directory, database and environment (what every process of it is given)."""

    directory: Path
    database_url: str = ""
    settings: str = "portal.settings.dev"
    extra_env: dict = field(default_factory=dict)
    # portal.settings.production as deployed behind its TLS proxy, reached here over plain HTTP on
    # loopback (no HTTPS redirect; static files collected; no proxy address to read)
    production: bool = False
    port: int = field(default_factory=free_port)

    def __post_init__(self):
        self.database_url = self.database_url or f"sqlite:///{self.directory / 'portal.sqlite3'}"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite:")

    @property
    def sqlite_path(self) -> Path:
        return Path(self.database_url.removeprefix("sqlite://"))

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict:
        """The environment of every process: DEBUG off (as in production), the files, cache and mail of
        this installation only (never the developer's var/), e-mail to nowhere unless given."""
        env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST"))}
        env.update({
            "DJANGO_SETTINGS_MODULE": self.settings,
            "DATABASE_URL": self.database_url,
            "DEBUG": "false",
            "SECRET_KEY": "installation-test-key",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": self.base_url,
            "PORT": str(self.port),
            "MEDIA_ROOT": str(self.directory / "media"),
            # shared by this installation's processes (web, worker, commands), as development's default
            # is, but its own: never the developer's var/cache
            "CACHE_URL": f"filecache://{self.directory / 'cache'}",
            "EMAIL_URL": "dummymail://",
            "ACCOUNT_DEFAULT_HTTP_PROTOCOL": "http",
            "PYTHONUNBUFFERED": "1",
        })
        if self.production:
            env.update({
                "DJANGO_SETTINGS_MODULE": "portal.settings.production",
                "SECURE_SSL_REDIRECT": "false",
                "STATIC_ROOT": str(self.directory / "static"),
                "TRUSTED_PROXY_COUNT": "0",
            })
        env.update(self.extra_env)
        return env

    def manage(self, *args, timeout=900, check=True) -> subprocess.CompletedProcess:
        """Run a management command to its end (its error output in the exception if it fails)."""
        done = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env(), timeout=timeout,
            capture_output=True, text=True,
        )
        if check and done.returncode:
            raise RuntimeError(f"manage.py {args[0]} failed ({done.returncode}):\n{done.stderr[-3000:]}")
        return done

    def spawn(self, *args, log_name: str) -> subprocess.Popen:
        """Start a process of this installation (its output in a log file of the directory)."""
        log = open(self.directory / log_name, "ab")  # the child keeps it; closed when it ends
        return subprocess.Popen(
            list(args), cwd=ROOT, env=self.env(), stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def build(self):
        """Migrate and load the demo (the admin's password given, so the developer's var/demo-admin.txt
        is left alone)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        self.manage("migrate", "--noinput")
        self.manage("load_demo", "--admin-password", ADMIN_PASSWORD)
        if self.production:
            self.manage("collectstatic", "--noinput")

    def start_web(self, workers: int = 2, timeout: int = 30) -> subprocess.Popen:
        """gunicorn, as in production, on loopback; returns once it answers."""
        server = self.spawn(
            sys.executable, "-m", "gunicorn", "portal.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(workers), "--timeout", str(timeout), "--graceful-timeout", "5",
            log_name="web.log",
        )
        self.wait_until_answering(server)
        return server

    def wait_until_answering(self, server, seconds: float = 120):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise RuntimeError(f"the web server stopped: see {self.directory / 'web.log'}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/robots.txt", timeout=5):
                    return
            except urllib.error.HTTPError:
                return  # it answers (a 404 is an answer)
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"the web server did not answer in {seconds} s")


def stop(process: subprocess.Popen | None, seconds: float = 10):
    """Stop a process started by `Installation.spawn` and its children (its own session), by its id."""
    if process is None or process.poll() is not None:
        return
    import signal

    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(seconds)
    except ProcessLookupError:
        pass
