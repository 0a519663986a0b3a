"""Reads of targets and snapshots."""

from reports.models import ProgressSnapshot, Target


def latest_snapshot() -> ProgressSnapshot | None:
    return ProgressSnapshot.objects.latest_first().first()


def rpjmd_target() -> Target | None:
    """The province-wide registration target (the RPJMD indicator)."""
    return (
        Target.objects.active()
        .filter(metric=Target.Metric.REGISTERED, kota__isnull=True, kecamatan__isnull=True)
        .order_by("-period_end")
        .first()
    )
