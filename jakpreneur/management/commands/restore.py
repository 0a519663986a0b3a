"""Restore a backup into the DATABASE_URL database and MEDIA_ROOT (what `make restore` runs):

    manage.py restore BACKUP_FOLDER [--force]

Refuses a database that has tables, or a media folder with files, unless --force (then the
database's public schema is dropped first and the media folder is moved aside). Afterwards it
compares every table's row count with the backup's manifest: that is also how a backup is
checked (restore it into a scratch database). Stop the web, worker, beat and relay processes
before restoring over a live database.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from jakpreneur import backups


class Command(BaseCommand):
    help = "Restore a backup folder into the DATABASE_URL database and MEDIA_ROOT, then check every table's rows."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="A folder written by `manage.py backup`, e.g. backups/20250101-020000.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database that has tables (dropping its public schema) and move existing media aside.",
        )

    def handle(self, *args, folder: str, force: bool, **options):
        name = connection.settings_dict["NAME"]
        try:
            mismatches = backups.backup_restore(folder=folder, force=force)
            manifest = backups.backup_read(folder)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        if mismatches:
            for table, (expected, found) in sorted(mismatches.items()):
                self.stderr.write(f"  {table}: {expected} rows in the backup, {found} restored")
            raise CommandError(f"{len(mismatches)} table(s) of {name} do not have the backup's row counts.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {folder} into {name}: all {len(manifest['tables'])} tables have the backup's row counts "
                f"({manifest['rows']:,} rows)."
            )
        )
