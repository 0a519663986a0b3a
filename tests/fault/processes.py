"""Starting portal processes (manage.py commands, gunicorn) from a test, on the test database,
and whether the real broker is there for tests that need a worker."""

import os
from pathlib import Path

from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]


def child_database_url() -> str:
    """The PostgreSQL test database as a DATABASE_URL (a subprocess cannot share SQLite's
    in-memory one)."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def django_env(**extra: str) -> dict:
    """This process's environment (the suite's settings) without its database and broker:
    the child uses the test database and runs tasks eagerly, unless `extra` says otherwise."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "CELERY_"))}
    env["DJANGO_SETTINGS_MODULE"] = "jakpreneur.settings"
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = child_database_url()
    env.update(extra)
    return env


def broker_problem() -> str | None:
    """Why a real Celery worker cannot run here, or None: CI points CELERY_BROKER_URL at a
    Redis and runs on PostgreSQL (a worker thread cannot share SQLite's in-memory database)."""
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis"):
        return "CELERY_BROKER_URL does not point at Redis (embedded mode runs tasks eagerly)"
    if connection.vendor == "sqlite":
        return "a worker thread cannot share SQLite's in-memory test database; CI runs this on PostgreSQL"
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception as error:  # noqa: BLE001 - any failure means "no broker here"
        return f"the broker at {url} does not answer ({error.__class__.__name__})"
    return None
