#!/usr/bin/env python3
"""`make run-production`: the portal's production set on one machine (docs/deployment.md).

Prepares the release (`collectstatic`, `migrate`), then runs gunicorn (gunicorn.conf.py) and the task
worker(s) (`manage.py run_worker`) with the production settings, the processes of the Procfile. Ctrl-C
or SIGTERM stops them all (gunicorn finishes its requests, each worker its current task); if one of
them stops on its own, the others are stopped too and the exit status is non-zero.

The environment gives everything else (SECRET_KEY, DATABASE_URL, CACHE_URL, TASK_QUEUE_URL, ...): see
docs/deployment.md. Only the standard library is used here, so that the script needs no settings.
"""

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STOP_SECONDS = 40  # gunicorn's graceful timeout (30 s) and a margin, then the rest is killed


class Stop(Exception):
    pass


def _stop(*_args):
    raise Stop


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=int(os.environ.get("TASK_WORKERS", "1")),
                        help="task worker processes (the first keeps the schedule); default 1")
    parser.add_argument("--skip-release", action="store_true",
                        help="do not run collectstatic and migrate first")
    args = parser.parse_args(argv)

    env = {**os.environ}
    env.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")
    manage = [sys.executable, str(ROOT / "manage.py")]
    if not args.skip_release:
        for step in (["collectstatic", "--noinput", "--verbosity", "0"], ["migrate", "--noinput"]):
            subprocess.run([*manage, *step], cwd=ROOT, env=env, check=True)

    gunicorn = [sys.executable, "-m", "gunicorn", "portal.wsgi", "--config", str(ROOT / "gunicorn.conf.py")]
    commands = {"web": gunicorn}
    for number in range(args.workers):
        commands[f"worker{number + 1}"] = [*manage, "run_worker", *(["--no-schedule"] if number else [])]

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    processes = {}
    status = 0
    try:
        for name, command in commands.items():
            # Each in its own process group: a Ctrl-C in the terminal reaches this script only, which
            # then stops each process in order.
            processes[name] = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
        say(f"{', '.join(f'{n} (pid {p.pid})' for n, p in processes.items())}; Ctrl-C stops them all.")
        while all(process.poll() is None for process in processes.values()):
            time.sleep(0.5)
        stopped = [name for name, process in processes.items() if process.poll() is not None]
        say(f"{' and '.join(stopped)} stopped: stopping the rest.")
        status = 1
    except Stop:
        pass
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        terminate(processes.values())
    return status


def say(message):
    sys.stderr.write(f"run_production: {message}\n")
    sys.stderr.flush()


def terminate(processes):
    """SIGTERM to each (gunicorn and both queue workers stop gracefully on it), SIGKILL after STOP_SECONDS."""
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_SECONDS
    for process in processes:
        try:
            process.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


if __name__ == "__main__":
    sys.exit(main())
