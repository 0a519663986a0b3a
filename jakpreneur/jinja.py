"""The Jinja2 environment of the pages rendered by Jinja2 rather than Django's template language.

One page is: /me/ (`jinja_templates/registrations/me.html`), the page every entrepreneur opens, often
every day, on a phone. Rendered by Django's template language it took more than half of the
request's CPU (docs/PERFORMANCE.md, "Fifth pass"); Jinja2 compiles a template to Python once
and renders the same HTML in a fraction of that. Every other page stays in Django's language.

The two engines share what a page says and how:

- translations: `{% trans %}` blocks and `_()` give the same msgids as `{% blocktranslate %}`
  and `{% translate %}` (the `makemessages` command of this project reads templates under a
  `jinja_templates/` with Jinja2's own extractor), through Django's gettext, so the page speaks
  the request's language from the same catalogues. Translations are trusted HTML and the
  values put into them are escaped, as in Django's templates (`newstyle` gettext);
- `url()`, `static()`, `date`, `intcomma` and `display(obj, field)` (`get_FOO_display()`) are
  Django's own functions, their answers kept per process where they cannot change (`date` in the
  current time zone, as Django's filter);
- the site's frame (`jinja_templates/base.html` and its `includes/`) gives the same HTML as
  `templates/base.html` and its includes: jakpreneur/tests/test_jinja.py renders both and
  compares them, so a change to one without the other fails.
"""

from __future__ import annotations

import datetime as dt
import functools

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.template.backends.utils import csrf_input
from django.template.defaultfilters import date as django_date
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.text import slugify
from jinja2 import Environment, Undefined, pass_context
from markupsafe import Markup


def _kept(store: dict, key, make, *, limit: int = 20_000):
    """`store[key]`, made by `make()` the first time it is asked for. The stores below keep
    answers that cannot change while the process runs; their keys come from templates and
    reference data, and `limit` bounds them all the same (the store starts again when full)."""
    try:
        return store[key]
    except KeyError:
        if len(store) >= limit:
            store.clear()
        store[key] = value = make()
        return value


def _language(context) -> str | None:
    """The language of the page being rendered (the context processor's LANGUAGE_CODE), else
    the active one (a template rendered without a request)."""
    return context.get("LANGUAGE_CODE") or translation.get_language()


# A page shows the same few instants to many people (the next activities at a centre), and
# Django's `date` costs ~40 µs a call (it reads the format and the month names, translated,
# letter by letter). The answers are kept per process, by everything the text depends on.
@pass_context
def _date(context, value, fmt=None) -> str:
    """Django's `date` filter, in the current time zone as Django's templates show a datetime."""
    if not isinstance(value, dt.date):
        return django_date(value, fmt)  # "" for None and what is not a date, as Django's
    zone = timezone.get_current_timezone() if isinstance(value, dt.datetime) else None
    return _formatted_date(value, fmt, _language(context), zone)


@functools.lru_cache(maxsize=4096)
def _formatted_date(value, fmt, language, zone) -> str:
    with translation.override(language), timezone.override(zone or timezone.get_current_timezone()):
        return django_date(timezone.template_localtime(value), fmt)


# reverse()'s and static()'s answers for the same arguments do not change while the process
# runs (static() reads the manifest of the collected files, which a deployment replaces with
# the processes), but each costs ~20 µs, and every page names the same few: kept per process.
_static_urls: dict[str, str] = {}


def _static(path: str) -> str:
    """`{% static %}`: `static('css/site.css')`."""
    return _kept(_static_urls, path, lambda: static(path))


# A choice's label, by model, field, value and language (get_FOO_display() builds the field's
# choices as a dict on every call, ~25 µs).
_labels: dict[tuple, str] = {}


@pass_context
def display(context, obj, field_name: str) -> str:
    """`get_FOO_display()`: `display(entrepreneur, "status")`, the label of the field's value."""
    key = (type(obj), field_name, getattr(obj, field_name), _language(context))
    return _kept(_labels, key, lambda: str(getattr(obj, f"get_{field_name}_display")()), limit=10_000)


# The navbar alone names five argument-less URLs: kept by everything reverse() reads besides
# the name, the request's URLconf and the script prefix, which the context processor below
# reads once per page (`_urls`).
_reversed: dict[tuple[str, tuple], str] = {}


def _url_base() -> tuple:
    return get_urlconf(), get_script_prefix()


@pass_context
def url(context, viewname: str, *args, **kwargs) -> str:
    """`{% url %}`: `url('registrations:me')`, `url('financing:application', pk)`."""
    if args or kwargs:
        return reverse(viewname, args=args or None, kwargs=kwargs or None)
    return _kept(_reversed, (viewname, context.get("_urls") or _url_base()), lambda: reverse(viewname))


@receiver(setting_changed)
def _forget_addresses(*, setting, **kwargs) -> None:
    # Tests that swap the URLconf or the static files' storage and address.
    if setting == "ROOT_URLCONF":
        _reversed.clear()
    if setting in {"STATIC_URL", "STORAGES", "STATIC_ROOT", "DEBUG"}:
        _static_urls.clear()


def context(request: HttpRequest) -> dict:
    """Context processor of the Jinja2 engine (settings.TEMPLATES). `csrf_input` replaces the
    backend's, which masks the token again each time a form prints it (~0.1 ms each, and /me/
    has up to eight forms): masked once per page, as Django's own templates do."""
    return {
        "csrf_input": SimpleLazyObject(functools.partial(csrf_input, request)),
        "LANGUAGE_CODE": translation.get_language(),
        "_urls": _url_base(),
    }


# Django's gettext looks the active language up in a context-local on each call (~5 µs) and
# /me/ translates some fifty strings. A template translates in the language of the page it
# renders (LANGUAGE_CODE, above), and a msgid's translation does not change while the process
# runs, so the answers are kept per process, by language and msgid.
_translated: dict[tuple[str | None, str], str] = {}


@pass_context
def _gettext(context, message: str) -> str:
    return _kept(_translated, (_language(context), message), lambda: translation.gettext(message))


@pass_context
def _translate(context, message: str) -> Markup:
    """`_('…')`: a translated literal as `{% translate %}` gives it, trusted and printed as it
    is. Values go into a translation through a `{% trans name=value %}` block, which escapes
    them."""
    return Markup(_gettext(context, message))  # noqa: S704 - a translation is ours, as {% translate %}'s


@receiver(setting_changed)
def _forget_translated(*, setting, **kwargs) -> None:
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"}:  # as Django's own caches
        _translated.clear()
        _labels.clear()
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "TIME_ZONE", "DATE_FORMAT", "USE_TZ"}:
        _formatted_date.cache_clear()


def environment(**options) -> Environment:
    # A name missing from the context renders as nothing, as in Django's templates, in
    # development too (Django's Jinja2 backend would print it there).
    options["undefined"] = Undefined
    env = Environment(extensions=["jinja2.ext.i18n"], **options)  # noqa: S701 - options has autoescape=True
    env.install_gettext_callables(_gettext, translation.ngettext, newstyle=True, pgettext=translation.pgettext)
    env.globals.update(
        _=_translate,
        url=url,
        static=_static,
        display=display,
        languages=lambda: settings.LANGUAGES,
    )
    env.filters.update(date=_date, intcomma=intcomma, slugify=slugify)
    return env
