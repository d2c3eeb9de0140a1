"""`manage.py run_portal`: the web server and the worker together, stopped together (`make run`).

Each runs in its own process (`runserver`, `run_worker`); their output is interleaved here. Ctrl-C
stops both; if one of them stops on its own, the other is stopped too.
"""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand


def _interrupt(*_args):
    raise KeyboardInterrupt


class Command(BaseCommand):
    help = "Run the web server and the background worker together (Ctrl-C stops both)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args, port, host, **options):
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        environment = {**os.environ, "PORT": str(port)}
        processes = {
            "web": subprocess.Popen([*manage, "runserver", f"{host}:{port}"], env=environment),
            "worker": subprocess.Popen([*manage, "run_worker"], env=environment),
        }
        base = f"http://{host}:{port}"
        self.stdout.write(self.style.SUCCESS(f"\nThe portal: {base}/  (admin: {base}/admin/)"))
        if getattr(settings, "DEV_MAILBOX", False):
            self.stdout.write(f"E-mails the portal sends: {base}/dev/mail/")
        self.stdout.write("The worker runs imports, dataset builds and e-mails. Ctrl-C stops both.\n")
        signal.signal(signal.SIGTERM, _interrupt)
        try:
            while all(process.poll() is None for process in processes.values()):
                time.sleep(0.5)
            stopped = [name for name, process in processes.items() if process.poll() is not None]
            self.stderr.write(f"{' and '.join(stopped)} stopped: stopping the rest.")
        except KeyboardInterrupt:
            pass
        finally:
            self._stop(processes.values())

    def _stop(self, processes):
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        deadline = time.monotonic() + 10
        for process in processes:
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                process.kill()
