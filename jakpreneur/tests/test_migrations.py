"""Migrations apply from scratch, unapply to zero and apply again (reversible), on SQLite
and, when the suite runs on PostgreSQL, on a throw-away PostgreSQL database too; afterwards
the regions are loaded and the roles hold exactly the access table's permissions."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]
APPS = ("reports", "registrations", "facilities")


def manage(*args: str, database_url: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "CELERY_"))}
    env.update({"DJANGO_DEBUG": "1", "DATABASE_URL": database_url})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=300
    )


def round_trip(database_url: str) -> None:
    for step in (["migrate", "--noinput"], *[["migrate", app, "zero", "--noinput"] for app in APPS]):
        result = manage(*step, database_url=database_url)
        assert result.returncode == 0, f"{' '.join(step)} failed:\n{result.stderr[-3000:]}"
    result = manage("migrate", "--noinput", database_url=database_url)
    assert result.returncode == 0, result.stderr[-3000:]
    check = manage(
        "shell",
        "-c",
        "from facilities.models import Kelurahan, Center; from jakpreneur.access import granted, role_grants; "
        "print(Kelurahan.objects.count(), Center.objects.count(), granted() == role_grants())",
        database_url=database_url,
    )
    assert check.stdout.split()[-3:] == ["267", "44", "True"], check.stderr[-2000:]


@pytest.mark.slow
def test_migrations_are_reversible_on_sqlite(tmp_path):
    round_trip(f"sqlite:///{tmp_path / 'roundtrip.sqlite3'}")


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="runs when the suite runs on PostgreSQL")
def test_migrations_are_reversible_on_postgresql():
    import psycopg2

    settings_dict = connection.settings_dict
    name = f"jp_migrations_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(
        dbname="postgres",
        user=settings_dict["USER"],
        host=settings_dict["HOST"],
        port=settings_dict["PORT"] or 5432,
        password=settings_dict["PASSWORD"] or None,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        user = settings_dict["USER"]
        host = settings_dict["HOST"] or "127.0.0.1"
        round_trip(f"postgres://{user}@{host}:{settings_dict['PORT'] or 5432}/{name}")
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
