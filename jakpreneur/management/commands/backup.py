"""Back up the database and the media files (what `make backup` runs):

    manage.py backup [--output-dir DIR]

Writes DIR/<YYYYmmdd-HHMMSS>/ (default DIR: JAKPRENEUR_BACKUP_DIR, else backups/) with
database.dump (pg_dump custom format), media.tar.gz and manifest.json. See jakpreneur/backups.py
and the README's "Backups".
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from jakpreneur import backups


class Command(BaseCommand):
    help = "Back up the PostgreSQL database (pg_dump -Fc) and the media files into a timestamped folder."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir", default=None, help="Where to create the backup folder (default JAKPRENEUR_BACKUP_DIR)."
        )

    def handle(self, *args, output_dir: str | None, **options):
        try:
            folder = backups.backup_create(output_dir=Path(output_dir or settings.JAKPRENEUR_BACKUP_DIR))
            manifest = backups.backup_read(folder)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        size = sum(path.stat().st_size for path in folder.iterdir())
        media = manifest["media_files"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {folder} ({size / 1e6:,.1f} MB): {len(manifest['tables'])} tables, "
                f"{manifest['rows']:,} rows, "
                + (f"{media:,} media files." if media is not None else "media in object storage (not included).")
            )
        )
