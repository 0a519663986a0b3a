"""The Jinja2 pages (jakpreneur/jinja.py; /me/): the same frame as every other page, their
strings extracted and translated, values escaped, forms that post, and the per-process
shortcuts (URLs, translations, the CSRF input) answering as Django would."""

import ast
import datetime as dt
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import constants, get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.middleware import SessionMiddleware
from django.template import engines
from django.test import Client, RequestFactory
from django.urls import set_script_prefix
from django.utils import translation

from jakpreneur.management.commands.makemessages import jinja_as_python
from jakpreneur.tests.test_translations import BASE_DIR, read_po
from registrations.models import Enrollment
from registrations.tests.factories import BusinessFactory, EntrepreneurFactory

pytestmark = pytest.mark.django_db

JINJA_DIR = BASE_DIR / "jinja_templates"
PAGE = '{% extends "base.html" %}{% block title %}T{% endblock %}{% block content %}<p>body</p>{% endblock %}'
CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+"')


def _request(user, language: str, *, message: str = ""):
    request = RequestFactory().get("/somewhere/?a=1")
    SessionMiddleware(lambda r: None).process_request(request)
    request.user = user
    request._messages = FallbackStorage(request)
    request.LANGUAGE_CODE = language
    if message:
        request._messages.add(constants.ERROR, message)
    return request


def _normalised(html: str) -> str:
    html = CSRF_VALUE.sub(r'\1…"', html)
    html = re.sub(r"\s+", " ", html)
    return re.sub(r"> <", "><", html).strip()


def _both(user, language: str, **kwargs) -> tuple[str, str]:
    pages = []
    for engine in ("django", "jinja2"):
        with translation.override(language):
            request = _request(user, language, **kwargs)
            pages.append(_normalised(engines[engine].from_string(PAGE).render({}, request)))
    return pages[0], pages[1]


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("who", ["anonymous", "entrepreneur", "staff", "official"])
def test_the_jinja2_frame_is_the_django_frame(who, language, alice, olga):
    """jinja_templates/base.html and its includes give the HTML of templates/base.html and its
    includes, for every kind of visitor, in both languages, with a message shown: the two
    frames cannot drift apart without this failing."""
    user = {
        "anonymous": AnonymousUser(),
        "entrepreneur": EntrepreneurFactory().user,
        "staff": alice,
        "official": olga,  # the dashboard link
    }[who]
    django_page, jinja_page = _both(user, language, message="Saved <b>now</b> & then")
    assert django_page == jinja_page
    assert "<p>body</p>" in jinja_page and "Saved &lt;b&gt;now&lt;/b&gt; &amp; then" in jinja_page
    if who == "official":
        assert 'href="/dashboard/"' in jinja_page


def test_the_messages_shown_are_marked_used():
    """So that the message middleware drops them after this response, as after a Django page."""
    request = _request(AnonymousUser(), "en", message="Once")
    assert get_messages(request).used is False
    engines["jinja2"].from_string(PAGE).render({}, request)
    assert get_messages(request).used is True


def test_me_speaks_indonesian_by_default_and_english_when_chosen():
    entrepreneur = EntrepreneurFactory(full_name="Siti Rahmawati")
    client = Client()
    client.force_login(entrepreneur.user)
    indonesian = client.get("/me/").content.decode()
    assert "Halo, Siti Rahmawati" in indonesian and "Fasilitas saya" in indonesian
    assert "My facilities" not in indonesian
    client.cookies["django_language"] = "en"
    english = client.get("/me/").content.decode()
    assert "Hello, Siti Rahmawati" in english and "My facilities" in english
    assert "Fasilitas saya" not in english


def test_values_put_into_a_translation_are_escaped_and_the_translation_is_not():
    entrepreneur = EntrepreneurFactory(full_name='<script>alert("x")</script> & Co')
    BusinessFactory(entrepreneur=entrepreneur, name="<img src=x onerror=alert(1)>")
    client = Client()
    client.force_login(entrepreneur.user)
    client.cookies["django_language"] = "en"
    html = client.get("/me/").content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "Hello, &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    # A translation is trusted text, printed as it is (as {% translate %} does).
    assert "JakPreneur · Dinas PPKUKM Provinsi DKI Jakarta" in html


def test_a_form_on_me_posts_with_the_token_it_was_given():
    """One masked CSRF token per page, accepted by the CSRF check."""
    entrepreneur = EntrepreneurFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(entrepreneur.user)
    html = client.get("/me/").content.decode()
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    assert len(tokens) == 1
    response = client.post("/me/facilities/request/", {"facility": "P2", "csrfmiddlewaretoken": tokens.pop()})
    assert response.status_code == 302
    assert Enrollment.objects.filter(entrepreneur=entrepreneur, facility_id="P2").exists()


def test_a_post_without_the_token_is_refused():
    entrepreneur = EntrepreneurFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(entrepreneur.user)
    assert client.post("/me/facilities/request/", {"facility": "P2"}).status_code == 403
    assert not Enrollment.objects.filter(entrepreneur=entrepreneur).exists()


def test_kept_urls_follow_the_script_prefix():
    template = engines["jinja2"].from_string("{{ url('registrations:me') }} {{ url('financing:application', 7) }}")
    try:
        assert template.render({}) == "/me/ /me/financing/7/"
        set_script_prefix("/portal/")
        assert template.render({}) == "/portal/me/ /portal/me/financing/7/"
    finally:
        set_script_prefix("/")
    assert template.render({}) == "/me/ /me/financing/7/"


def test_kept_translations_follow_the_language_of_the_page():
    template = engines["jinja2"].from_string("{{ _('My facilities') }}")
    for _ in range(2):
        for language, text in (("id", "Fasilitas saya"), ("en", "My facilities")):
            with translation.override(language):
                assert template.render({}, _request(AnonymousUser(), language)) == text
                assert template.render({}) == text  # without a request: the active language


def test_kept_dates_follow_the_language_and_the_time_zone_as_django_s_filter():
    from django.template.defaultfilters import date as django_date
    from django.utils import timezone

    template = engines["jinja2"].from_string('{{ when|date("D j F Y H:i") }}|{{ day|date("j F") }}|{{ none|date }}')
    when = dt.datetime(2026, 3, 1, 20, 30, tzinfo=dt.UTC)  # 2 March 03:30 in Jakarta
    for _ in range(2):
        for language, expected in (
            ("id", "Sen 2 Maret 2026 03:30|17 Agustus|"),
            ("en", "Mon 2 March 2026 03:30|17 August|"),
        ):
            with translation.override(language):
                page = template.render({"when": when, "day": dt.date(2026, 8, 17), "none": None})
                assert page == expected
                assert page.split("|")[0] == django_date(timezone.localtime(when), "D j F Y H:i")
    with timezone.override("Asia/Makassar"), translation.override("en"):
        assert template.render({"when": when, "day": None}) == "Mon 2 March 2026 04:30||"


def test_kept_static_addresses_follow_the_static_url(settings):
    template = engines["jinja2"].from_string("{{ static('css/site.css') }}")
    assert template.render({}) == "/static/css/site.css"
    settings.STATIC_URL = "https://cdn.example.id/static/"
    assert template.render({}) == "https://cdn.example.id/static/css/site.css"


def test_kept_choice_labels_are_get_display_s_in_the_language_of_the_page():
    template = engines["jinja2"].from_string('{{ display(enrollment, "state") }}')
    enrollment = Enrollment(state="active")
    for _ in range(2):
        for language in ("id", "en"):
            with translation.override(language):
                assert template.render({"enrollment": enrollment}) == enrollment.get_state_display()
    with translation.override("id"):
        assert template.render({"enrollment": Enrollment(state="completed")}) == "Selesai"


# --- extraction ---------------------------------------------------------------------------------


def test_the_extractor_gives_django_s_msgids():
    source = (
        "{{ _('Plain') }}\n"
        "{% trans name=person.name %}Hello, {{ name }}{% endtrans %}\n"
        "{% trans n=count %}{{ n }} product{% pluralize %}{{ n }} products{% endtrans %}\n"
        "{{ url(view) }}{{ _(variable) }}\n"
    )
    assert jinja_as_python(source).splitlines() == [
        "gettext('Plain')",
        "gettext('Hello, %(name)s')",
        "ngettext('%(n)s product', '%(n)s products', 1)",
    ]


def _jinja_templates() -> list[Path]:
    return sorted(JINJA_DIR.rglob("*.html"))


def test_the_jinja2_templates_are_found():
    assert JINJA_DIR / "registrations" / "me.html" in _jinja_templates()


@pytest.mark.parametrize("template", _jinja_templates(), ids=lambda path: str(path.relative_to(JINJA_DIR)))
def test_every_string_of_a_jinja2_template_is_translated(template):
    """`make messages` found each string (jakpreneur/management/commands/makemessages.py) and
    the Indonesian catalogue translates it."""
    catalogue = read_po(BASE_DIR / "locale/id/LC_MESSAGES/django.po")
    calls = jinja_as_python(template.read_text(encoding="utf-8")).replace("; ", "\n")
    wanted = re.findall(r"^\w+\((.*)\)$", calls, re.M)
    assert wanted or template.name in {"messages.html"}
    missing = []
    for call in wanted:
        strings = ast.literal_eval(f"({call},)")
        key = (strings[0], 0) if len(strings) == 3 else strings[0]
        if key not in catalogue:
            missing.append(strings[0])
    assert missing == []
