"""Backups of the portal: the PostgreSQL database and the uploaded (media) files.

A backup is one folder, `backups/<YYYYmmdd-HHMMSS>/` by default:

    database.dump   `pg_dump --format=custom` of the whole database
    media.tar.gz    every file under MEDIA_ROOT
    manifest.json   when and from which database; the row count of every table, counted in
                    the very snapshot pg_dump dumped (so a restore can be checked exactly);
                    checksums of the two files

`manage.py backup` writes one, `manage.py restore` puts one back into the DATABASE_URL
database (only an empty one, unless forced) and then compares every table's row count with
the manifest. `make backup` / `make restore` call them. The files hold personal data (NIK,
phone numbers): the folder is readable by its owner only; keep copies encrypted, off the
machine.
"""

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

DUMP = "database.dump"
MEDIA = "media.tar.gz"
MANIFEST = "manifest.json"
FORMAT_VERSION = 1
LOCAL_MEDIA_BACKEND = "django.core.files.storage.FileSystemStorage"


class BackupError(Exception):
    """A backup cannot be made or restored; the message says why and what to do."""


def require_postgresql() -> None:
    if connection.vendor != "postgresql":
        raise BackupError(
            "Backups are for PostgreSQL (set DATABASE_URL). In the embedded SQLite mode, stop the "
            "portal and copy db.sqlite3 and the media folder instead."
        )


def _pg_environment() -> dict[str, str]:
    """libpq's variables for pg_dump / pg_restore, from Django's connection settings (so the
    password never appears on a command line)."""
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": db["NAME"]}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if db.get(key):
            env[variable] = str(db[key])
    if db.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = db["OPTIONS"]["sslmode"]
    return env


def _run(command: list[str]) -> None:
    executable = shutil.which(command[0])
    if executable is None:
        raise BackupError(f"{command[0]} is not installed (Debian/Ubuntu: apt-get install postgresql-client).")
    argv = [executable, *command[1:]]
    result = subprocess.run(argv, env=_pg_environment(), capture_output=True, text=True)  # noqa: S603 - our argv, no shell
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip() or result.stdout.strip()}")


def table_counts() -> dict[str, int]:
    """Rows in every table of the database, by table name."""
    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _media_root() -> Path | None:
    """The local media folder, or None when files live in object storage (backed up there)."""
    if settings.STORAGES["default"]["BACKEND"] != LOCAL_MEDIA_BACKEND:
        return None
    return Path(settings.MEDIA_ROOT)


def backup_create(*, output_dir: Path, now: dt.datetime | None = None) -> Path:
    """Write a backup folder under `output_dir` and return it."""
    require_postgresql()
    now = timezone.localtime(now or timezone.now())
    folder = Path(output_dir) / now.strftime("%Y%m%d-%H%M%S")
    try:
        folder.mkdir(parents=True, mode=0o700)
    except FileExistsError:
        raise BackupError(f"{folder} already exists; wait a second and run the backup again.") from None
    # One snapshot for the counts and the dump: pg_dump imports the one this transaction
    # exports, so the manifest counts exactly the rows in the dump, whatever runs meanwhile.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        counts = table_counts()
        _run(["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={folder / DUMP}", "--no-password"])
    media_root = _media_root()
    media_files = _archive_media(media_root, folder / MEDIA) if media_root else None
    manifest = {
        "format": FORMAT_VERSION,
        "created_at": now.isoformat(),
        "database": connection.settings_dict["NAME"],
        "tables": counts,
        "rows": sum(counts.values()),
        "media_files": media_files,  # None: media are in object storage, not in this backup
        "sha256": {name: _sha256(folder / name) for name in (DUMP, MEDIA) if (folder / name).exists()},
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    for path in folder.iterdir():
        path.chmod(0o600)
    return folder


def _archive_media(media_root: Path, archive: Path) -> int:
    count = 0
    with tarfile.open(archive, "w:gz") as tar:
        if media_root.is_dir():
            for path in sorted(media_root.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    tar.add(path, arcname=str(path.relative_to(media_root)), recursive=False)
                    count += 1
    return count


def backup_read(folder: Path) -> dict:
    """The manifest of a backup folder, after checking its files against their checksums."""
    folder = Path(folder)
    if not (folder / MANIFEST).is_file():
        raise BackupError(f"{folder} is not a backup (no {MANIFEST}).")
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"{folder} was written by another version of the backup ({manifest.get('format')}).")
    for name, expected in manifest["sha256"].items():
        if not (folder / name).is_file() or _sha256(folder / name) != expected:
            raise BackupError(f"{folder / name} is missing or damaged (its checksum does not match the manifest).")
    return manifest


def _media_has_files(media_root: Path) -> bool:
    return media_root.is_dir() and any(path.is_file() for path in media_root.rglob("*"))


def backup_restore(*, folder: Path, force: bool = False, now: dt.datetime | None = None) -> dict[str, tuple]:
    """Restore `folder` into the current database and MEDIA_ROOT; return the tables whose row
    count differs from the manifest ({} when every table matches).

    Refuses, before changing anything, a database that has tables or a media folder that has
    files, unless `force`: then the database's public schema is dropped first and the media
    folder is moved aside (to `<MEDIA_ROOT>.before-restore-<time>`), not deleted.
    """
    folder = Path(folder)
    require_postgresql()
    manifest = backup_read(folder)
    media_root = _media_root() if manifest["media_files"] is not None else None
    with connection.cursor() as cursor:
        existing = connection.introspection.table_names(cursor)
    if existing and not force:
        raise BackupError(
            f"The database {connection.settings_dict['NAME']} is not empty ({len(existing)} tables). Restore into "
            "a new database (createdb), or pass --force (make restore FORCE=1) to replace everything in it."
        )
    if media_root and _media_has_files(media_root) and not force:
        raise BackupError(f"{media_root} holds files. Pass --force (make restore FORCE=1) to move them aside.")
    if existing:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    try:
        # One transaction: a restore that fails leaves nothing half-written.
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                "--no-password",
                f"--dbname={connection.settings_dict['NAME']}",
                str(folder / DUMP),
            ]
        )
    except BackupError as error:
        emptied = " The database was emptied first (--force); it is empty now." if existing else ""
        raise BackupError(f"{error}{emptied}") from None
    if media_root:
        _restore_media(folder / MEDIA, media_root, now=timezone.localtime(now or timezone.now()))
    counts = table_counts()
    return {
        table: (expected, counts.get(table))
        for table, expected in manifest["tables"].items()
        if counts.get(table) != expected
    }


def _restore_media(archive: Path, media_root: Path, *, now: dt.datetime) -> None:
    stamp = now.strftime("%Y%m%d-%H%M%S")
    staging = media_root.with_name(f".{media_root.name}.restoring-{stamp}")
    staging.mkdir(parents=True)
    with tarfile.open(archive, "r:gz") as tar:
        tar.extractall(staging, filter="data")  # no absolute paths, no escaping the folder
    if _media_has_files(media_root):
        media_root.rename(media_root.with_name(f"{media_root.name}.before-restore-{stamp}"))
    elif media_root.exists():
        shutil.rmtree(media_root)
    staging.rename(media_root)
