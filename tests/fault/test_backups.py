"""Backups: a seeded database is dumped by the script `make backup` runs, restored by the one
`make restore` runs into a fresh database, and every row of every table is found there,
with the media files. PostgreSQL only (pg_dump / pg_restore)."""

import hashlib
import subprocess
import sys

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection

from outbox.models import Job
from registrations.models import Entrepreneur
from reports.services import progress_snapshot_create
from tests.fault.processes import BASE_DIR, django_env

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="backups are pg_dump/pg_restore of PostgreSQL"),
]


def _connect(dbname: str):
    db = connection.settings_dict
    return psycopg2.connect(
        dbname=dbname, user=db["USER"], password=db["PASSWORD"] or None, host=db["HOST"], port=db["PORT"] or None
    )


@pytest.fixture
def scratch_database():
    """A new, empty database next to the test database (as `createdb` would make)."""
    name = f"{connection.settings_dict['NAME']}_restore"
    admin = _connect("postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=django_env(**env),
        capture_output=True,
        text=True,
        timeout=300,
    )


def _counts(dbname: str, tables: list[str]) -> dict[str, int]:
    with _connect(dbname) as conn, conn.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    conn.close()
    return counts


def _fingerprint(dbname: str) -> str:
    """Every NIK and name, in order: the rows themselves, not only how many."""
    with _connect(dbname) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT string_agg(nik || ':' || full_name, ',' ORDER BY nik) FROM registrations_entrepreneur")
        value = cursor.fetchone()[0]
    conn.close()
    return hashlib.sha256(value.encode()).hexdigest()


def test_a_backup_restores_every_row_of_every_table_and_the_media(tmp_path, scratch_database):
    call_command("seed_demo", entrepreneurs=60, seed=3, stdout=_Quiet())
    progress_snapshot_create()
    Job.objects.create(task_name="registrations.tasks.send_registration_confirmation", args=[1])
    source_media = tmp_path / "media"
    (source_media / "products" / "7").mkdir(parents=True)
    (source_media / "products" / "7" / "batik.jpg").write_bytes(b"\xff\xd8 not really a jpeg \xff\xd9")
    (source_media / "catatan kurasi.txt").write_text("Grade A", encoding="utf-8")

    result = _manage("backup", "--output-dir", str(tmp_path / "backups"), DJANGO_MEDIA_ROOT=str(source_media))
    assert result.returncode == 0, result.stderr
    (folder,) = (tmp_path / "backups").iterdir()
    assert sorted(path.name for path in folder.iterdir()) == ["database.dump", "manifest.json", "media.tar.gz"]
    assert "2 media files" in result.stdout
    assert oct(folder.stat().st_mode & 0o777) == "0o700"  # personal data: the owner's only

    restored_media = tmp_path / "restored-media"
    scratch = {"DATABASE_URL": django_env()["DATABASE_URL"].rsplit("/", 1)[0] + f"/{scratch_database}"}
    result = _manage("restore", str(folder), DJANGO_MEDIA_ROOT=str(restored_media), **scratch)
    assert result.returncode == 0, result.stderr
    assert "have the backup's row counts" in result.stdout

    tables = connection.introspection.table_names()
    source = _counts(connection.settings_dict["NAME"], tables)
    assert source["registrations_entrepreneur"] == Entrepreneur.objects.count() > 0
    assert _counts(scratch_database, tables) == source
    assert _fingerprint(scratch_database) == _fingerprint(connection.settings_dict["NAME"])
    assert (restored_media / "products" / "7" / "batik.jpg").read_bytes() == b"\xff\xd8 not really a jpeg \xff\xd9"
    assert (restored_media / "catatan kurasi.txt").read_text(encoding="utf-8") == "Grade A"

    # The scratch database is no longer empty: a second restore is refused and changes nothing.
    with _connect(scratch_database) as conn, conn.cursor() as cursor:
        cursor.execute("DELETE FROM outbox_job")
    conn.close()
    result = _manage("restore", str(folder), DJANGO_MEDIA_ROOT=str(restored_media), **scratch)
    assert result.returncode != 0
    assert "is not empty" in result.stderr and "--force" in result.stderr
    assert _counts(scratch_database, ["outbox_job"]) == {"outbox_job": 0}

    # Forced: the database is replaced, the media folder kept aside.
    result = _manage("restore", str(folder), "--force", DJANGO_MEDIA_ROOT=str(restored_media), **scratch)
    assert result.returncode == 0, result.stderr
    assert _counts(scratch_database, tables) == source
    (kept,) = tmp_path.glob("restored-media.before-restore-*")
    assert (kept / "catatan kurasi.txt").exists()


def test_a_damaged_backup_is_refused_before_anything_changes(tmp_path, scratch_database):
    result = _manage("backup", "--output-dir", str(tmp_path), DJANGO_MEDIA_ROOT=str(tmp_path / "no-media"))
    assert result.returncode == 0, result.stderr
    (folder,) = tmp_path.iterdir()
    dump = folder / "database.dump"
    dump.write_bytes(dump.read_bytes()[:-100])  # half a file: a copy cut short
    scratch = {"DATABASE_URL": django_env()["DATABASE_URL"].rsplit("/", 1)[0] + f"/{scratch_database}"}
    result = _manage("restore", str(folder), **scratch)
    assert result.returncode != 0
    assert "damaged" in result.stderr
    with _connect(scratch_database) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'")
        assert cursor.fetchone()[0] == 0
    conn.close()


class _Quiet:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass
