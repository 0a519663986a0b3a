"""Starting portal processes (manage.py commands, gunicorn) from a test, on the test database."""

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
