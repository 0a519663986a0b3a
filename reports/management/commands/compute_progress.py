from django.core.management.base import BaseCommand

from reports import services


class Command(BaseCommand):
    help = "Recompute the progress snapshot now (what the Celery beat job does every few minutes)."

    def handle(self, *args, **options):
        snapshot = services.progress_snapshot_create()
        if snapshot is None:
            self.stdout.write(self.style.WARNING("Another computation is running; nothing done."))
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Snapshot {snapshot.pk}: {snapshot.registered_total:,} registered entrepreneurs "
                f"(computed in {snapshot.duration_ms} ms)."
            )
        )
