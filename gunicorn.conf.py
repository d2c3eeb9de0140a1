"""gunicorn's configuration for the portal in production (docs/deployment.md "Sizing").

`gunicorn portal.wsgi` reads this file from the working directory (the repository's root). Every value
can be changed from the environment without editing it: GUNICORN_WORKERS, GUNICORN_TIMEOUT, PORT...

Requests no longer do heavy work (imports, dataset builds, synthesis recomputes and e-mails run in the
worker, `manage.py run_worker`), so a request that lasts 30 s is a fault to cut short, not a job to wait
for.
"""

import multiprocessing
import os


def _int(name, default):
    return int(os.environ.get(name, default))


# Where to listen: the reverse proxy (nginx, Caddy, a load balancer) forwards to this address.
bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")

# Synchronous workers, 2 × cores + 1 (5 on 2 cores), at most 12: each holds one database connection
# (CONN_MAX_AGE keeps it), and past a dozen the database and memory (~150 MB a worker) give out first.
workers = _int("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 12))
worker_class = "sync"

# A worker silent for this long is killed and replaced (its request answers 502 at the proxy).
timeout = _int("GUNICORN_TIMEOUT", 30)
# On a restart (deploy, HUP), a request under way has this long to finish.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Behind a proxy that keeps connections open to gunicorn.
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# Load Django once in the master, then fork: workers start in milliseconds and share the loaded code.
# (Database and Redis connections are opened per worker, after the fork, by Django itself.)
preload_app = True

# A worker is replaced after about a thousand requests (jitter: not all at once), which bounds any
# slow growth of its memory.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)

# Logs on stdout/stderr, for the process manager (systemd's journal, the container's log).
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The client's address as the proxy gives it (X-Forwarded-For), the time taken in microseconds.
access_log_format = '%(h)s %({x-forwarded-for}i)s %(t)s "%(r)s" %(s)s %(b)s %(D)sus'

# gunicorn's control socket (`gunicornc`) is off: its default path is one per user, which two sets on a
# machine (staging beside production, a test) would fight over. GUNICORN_CONTROL_SOCKET=/run/x.ctl sets one.
control_socket_disable = not os.environ.get("GUNICORN_CONTROL_SOCKET")
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]

# The proxy on this machine or the private network sets X-Forwarded-Proto / X-Forwarded-For.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")


def pre_fork(server, worker):
    """No connection opened while loading the app (a start-up check, say) may be shared by the forked
    workers: two processes on one socket mix their answers. Each worker opens its own."""
    from django.core.cache import caches
    from django.db import connections

    connections.close_all()
    caches.close_all()
