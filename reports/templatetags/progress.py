from django import template

from reports import selectors

register = template.Library()


@register.simple_tag
def latest_progress() -> selectors.Headline | None:
    """The headline of the latest usable snapshot (for the admin index): total, target, age."""
    return selectors.progress_headline()
