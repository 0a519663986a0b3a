"""gunicorn settings for the production stack (`make stack`, Procfile `web`).

Everything tunable comes from the environment:
  WEB_BIND           address:port to listen on (default 127.0.0.1:8000; a proxy in front)
  WEB_CONCURRENCY    worker processes (default 2 x CPU cores + 1)
  WEB_THREADS        threads per worker (default 2); each thread may hold one persistent
                     PostgreSQL connection, so connections = instances x workers x threads
  WEB_TIMEOUT        seconds before a stuck worker is killed and replaced (default 30)
  FORWARDED_ALLOW_IPS  proxies whose X-Forwarded-Proto is trusted (default 127.0.0.1)
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = os.environ.get("WEB_BIND", "127.0.0.1:8000")
workers = _int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)
threads = _int("WEB_THREADS", 2)
worker_class = "gthread"
# A request that takes longer than this is a bug or a stuck database: kill and replace the
# worker rather than pile up requests behind it. Slow reports run in Celery, not here.
timeout = _int("WEB_TIMEOUT", 30)
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow forever; jitter avoids all
# workers restarting at once.
max_requests = _int("WEB_MAX_REQUESTS", 2000)
max_requests_jitter = 200
# The heartbeat file in memory: a slow disk must not make the arbiter kill healthy workers.
SHM = "/dev/shm"  # noqa: S108 - gunicorn creates its own files in there, mode 0600
worker_tmp_dir = SHM if os.path.isdir(SHM) else None
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# The longest request line gunicorn accepts (its maximum; the default is 4094). Django answers
# URLs over MAX_URL_LENGTH (4096) with its own 414 page, in the visitor's language; only lines
# over this limit get gunicorn's bare 414.
limit_request_line = 8190
# Requests are logged by jakpreneur.middleware.RequestLogMiddleware (JSON, with user id and
# duration); gunicorn's access log would duplicate them.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "jakpreneur.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"}},
    "loggers": {
        "gunicorn.error": {"level": loglevel.upper(), "handlers": ["console"], "propagate": False},
        "gunicorn.access": {"level": "WARNING", "handlers": ["console"], "propagate": False},
    },
}
proc_name = "jakpreneur-web"
# gunicorn's runtime control socket sits at one fixed path per user, which several instances
# on one machine would fight over; supervise with signals unless a path is given.
control_socket_disable = not os.environ.get("GUNICORN_CONTROL_SOCKET")
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]


def post_worker_init(worker) -> None:
    """Once the worker has loaded Django: what is loaded by now (modules, settings, models)
    lives as long as the worker, so the garbage collector's full passes stop walking it again
    and again (gc.freeze). Measured on /me/: ~0.15 ms of CPU per request (docs/PERFORMANCE.md)."""
    import gc

    gc.freeze()
