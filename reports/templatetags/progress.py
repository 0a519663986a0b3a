from django import template

from reports import selectors

register = template.Library()


@register.simple_tag
def latest_progress() -> dict | None:
    """The headline of the latest snapshot (for the admin index): total, target, percent."""
    snapshot = selectors.latest_snapshot()
    if not selectors.snapshot_is_usable(snapshot):
        return None
    target = selectors.headline_target(snapshot.data, None)
    minutes_ago, stale = selectors.snapshot_age(snapshot)
    return {"snapshot": snapshot, "target": target, "stale": stale, "minutes_ago": minutes_ago}
