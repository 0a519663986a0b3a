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
- `url()`, `static()`, `date` and `intcomma` are Django's own functions (`date` in the current
  time zone, as Django's filter);
- the site's frame (`jinja_templates/base.html` and its `includes/`) gives the same HTML as
  `templates/base.html` and its includes: jakpreneur/tests/test_jinja.py renders both and
  compares them, so a change to one without the other fails.
"""

from __future__ import annotations

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


def _date(value, fmt=None) -> str:
    """Django's `date` filter, in the current time zone as Django's templates show a datetime."""
    return django_date(timezone.template_localtime(value), fmt)


# reverse() costs ~20 µs, and a page names the same few argument-less URLs on every request
# (the navbar alone has five). Their answers are kept per process, keyed by everything
# reverse() reads besides the name: the request's URLconf and the script prefix, which the
# context processor below reads once per page (`_urls`).
_reversed: dict[tuple[str, tuple], str] = {}


def _url_base() -> tuple:
    return get_urlconf(), get_script_prefix()


@pass_context
def url(context, viewname: str, *args, **kwargs) -> str:
    """`{% url %}`: `url('registrations:me')`, `url('financing:application', pk)`."""
    if args or kwargs:
        return reverse(viewname, args=args or None, kwargs=kwargs or None)
    key = (viewname, context.get("_urls") or _url_base())
    try:
        return _reversed[key]
    except KeyError:
        _reversed[key] = address = reverse(viewname)
        return address


@receiver(setting_changed)
def _forget_reversed(*, setting, **kwargs) -> None:
    if setting == "ROOT_URLCONF":  # tests that swap the URLconf
        _reversed.clear()


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
_TRANSLATED_MAX = 20_000  # msgids come from templates; a bound all the same


@pass_context
def _gettext(context, message: str) -> str:
    key = (context.get("LANGUAGE_CODE") or translation.get_language(), message)
    try:
        return _translated[key]
    except KeyError:
        if len(_translated) >= _TRANSLATED_MAX:
            _translated.clear()
        _translated[key] = translated = translation.gettext(message)
        return translated


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


def environment(**options) -> Environment:
    # A name missing from the context renders as nothing, as in Django's templates, in
    # development too (Django's Jinja2 backend would print it there).
    options["undefined"] = Undefined
    env = Environment(extensions=["jinja2.ext.i18n"], **options)  # noqa: S701 - options has autoescape=True
    env.install_gettext_callables(_gettext, translation.ngettext, newstyle=True, pgettext=translation.pgettext)
    env.globals.update(
        _=_translate,
        url=url,
        static=static,
        languages=lambda: settings.LANGUAGES,
    )
    env.filters.update(date=_date, intcomma=intcomma, slugify=slugify)
    return env
