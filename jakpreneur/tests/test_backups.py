"""Backups without PostgreSQL: what the commands refuse, and how make calls them. The
dump-and-restore round trip is tests/fault/test_backups.py (PostgreSQL)."""

import json
import subprocess

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from jakpreneur import backups
from jakpreneur.tests.test_makefile import BASE_DIR, MAKE


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor == "postgresql", reason="on PostgreSQL this would make a backup")
def test_the_embedded_sqlite_mode_is_told_what_to_copy_instead(tmp_path):
    with pytest.raises(CommandError, match="copy db.sqlite3 and the media folder"):
        call_command("backup", "--output-dir", str(tmp_path))
    assert list(tmp_path.iterdir()) == []


def _folder(tmp_path, dump: bytes = b"PGDMP dump"):
    (tmp_path / "database.dump").write_bytes(dump)
    manifest = {
        "format": backups.FORMAT_VERSION,
        "tables": {"registrations_entrepreneur": 2},
        "rows": 2,
        "media_files": None,
        "sha256": {"database.dump": backups._sha256(tmp_path / "database.dump")},
    }
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    return tmp_path


def test_a_folder_without_a_manifest_is_not_a_backup(tmp_path):
    with pytest.raises(backups.BackupError, match="is not a backup"):
        backups.backup_read(tmp_path)


def test_a_damaged_or_missing_dump_is_caught_by_its_checksum(tmp_path):
    folder = _folder(tmp_path)
    assert backups.backup_read(folder)["rows"] == 2
    (folder / "database.dump").write_bytes(b"PGDMP dum")
    with pytest.raises(backups.BackupError, match="damaged"):
        backups.backup_read(folder)
    (folder / "database.dump").unlink()
    with pytest.raises(backups.BackupError, match="missing"):
        backups.backup_read(folder)


@pytest.mark.skipif(MAKE is None, reason="needs GNU make")
def test_make_backup_and_restore_call_the_commands():
    def dry_run(*args: str) -> str:
        result = subprocess.run(
            [MAKE, "-n", "VENV=/nonexistent-venv", *args], cwd=BASE_DIR, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    assert 'manage.py backup --output-dir "/srv/backups"' in dry_run("backup", "BACKUP_DIR=/srv/backups")
    assert 'manage.py restore "backups/20250101-020000" --force' in dry_run(
        "restore", "BACKUP=backups/20250101-020000", "FORCE=1"
    )
    assert "make restore BACKUP=" in dry_run("restore")  # without a folder: how to name one
