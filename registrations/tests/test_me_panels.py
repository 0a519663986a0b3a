"""The /me/ page shows the panels other apps register, each with its own context, in order,
in its slot; a panel whose context is None is left out."""

import pytest
from django.db import connection
from django.db.models import Count, OuterRef, Subquery, Value
from django.test.utils import CaptureQueriesContext

from registrations import me_panels
from registrations.models import Enrollment
from registrations.tests.factories import EnrollmentFactory, EntrepreneurFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def panel_templates(tmp_path, settings):
    (tmp_path / "panel_main.html").write_text('<li id="{{ panel_key }}">main for {{ panel.name }}</li>')
    (tmp_path / "panel_data.html").write_text('<li id="{{ panel_key }}">data {{ panel.n }}</li>')
    # Panels are Jinja2 templates, as /me/ is (jakpreneur/jinja.py).
    django_templates, jinja = settings.TEMPLATES
    settings.TEMPLATES = [django_templates, {**jinja, "DIRS": [*jinja["DIRS"], str(tmp_path)]}]


@pytest.fixture
def registered(panel_templates):
    keys = []

    def register(**kwargs):
        panel = me_panels.Panel(**kwargs)
        me_panels.register(panel)
        keys.append(panel.key)

    yield register
    for key in keys:
        me_panels.unregister(key)


def test_registered_panels_appear_in_their_slot_and_order(client, registered):
    siti = EntrepreneurFactory(full_name="Siti Rahmawati")
    registered(key="test-b", template="panel_main.html", context=lambda e: {"name": "second"}, order=20)
    registered(key="test-a", template="panel_main.html", context=lambda e: {"name": e.full_name}, order=10)
    registered(key="test-data", template="panel_data.html", context=lambda e: {"n": 7}, slot=me_panels.DATA)
    client.force_login(siti.user)

    html = client.get("/me/").content.decode()

    assert '<li id="test-a">main for Siti Rahmawati</li>' in html
    # The main slot is "My programme", after the facilities and the next activities.
    assert html.index('id="activities"') < html.index('id="test-a"') < html.index('id="test-b"')
    # The data slot's lines are in "My data".
    assert html.index('id="data-heading"') < html.index('<li id="test-data">data 7</li>')


def test_a_panel_with_nothing_to_show_is_left_out(client, registered):
    siti = EntrepreneurFactory()
    registered(key="test-empty", template="panel_main.html", context=lambda e: None)
    client.force_login(siti.user)

    assert b'id="test-empty"' not in client.get("/me/").content


def test_an_unknown_slot_is_refused():
    with pytest.raises(ValueError, match="slot"):
        me_panels.register(me_panels.Panel(key="x", template="x.html", context=lambda e: {}, slot="sidebar"))


def _enrolment_count():
    return Subquery(
        Enrollment.objects.filter(entrepreneur=OuterRef("pk"))
        .values("entrepreneur")
        .annotate(n=Count("id"))
        .values("n")[:1]
    )


def test_a_panels_annotations_come_with_the_entrepreneurs_own_row(client, registered, django_assert_num_queries):
    siti, budi = EntrepreneurFactory(full_name="Siti Rahmawati"), EntrepreneurFactory()
    EnrollmentFactory(entrepreneur=siti, facility_id="P2")
    EnrollmentFactory(entrepreneur=budi, facility_id="P2")
    EnrollmentFactory(entrepreneur=budi, facility_id="P3")
    registered(
        key="test-count",
        template="panel_data.html",
        context=lambda e: {"n": e.test_enrolments},
        annotations=lambda: {"test_enrolments": _enrolment_count()},
        slot=me_panels.DATA,
    )
    client.force_login(siti.user)
    client.get("/me/")
    without = me_panels._registry.pop("test-count")
    with CaptureQueriesContext(connection) as plain:
        client.get("/me/")
    me_panels.register(without)

    # Siti's own count (budi has two), read by the page's first query: no query more.
    with django_assert_num_queries(len(plain.captured_queries)):
        html = client.get("/me/").content.decode()
    assert '<li id="test-count">data 1</li>' in html


def test_two_panels_may_not_annotate_the_same_name(registered):
    registered(key="test-1", template="panel_data.html", context=lambda e: {}, annotations=lambda: {"x": Value(1)})
    registered(key="test-2", template="panel_data.html", context=lambda e: {}, annotations=lambda: {"x": Value(2)})
    with pytest.raises(ValueError, match="prefix"):
        me_panels.annotations()


def test_a_facility_note_replaces_the_request_button_of_its_row_only_when_it_has_something(
    english, panel_templates, tmp_path, monkeypatch
):
    (tmp_path / "note.html").write_text('<p data-note="{{ note.n }}">noted</p>')
    monkeypatch.setattr(me_panels, "_notes", {})
    siti = EntrepreneurFactory()
    english.force_login(siti.user)
    me_panels.register_facility_note(
        me_panels.FacilityNote(facility="P4", template="note.html", context=lambda e: {"n": e.pk})
    )
    me_panels.register_facility_note(
        me_panels.FacilityNote(facility="P5", template="note.html", context=lambda e: None)
    )
    html = english.get("/me/").content.decode()
    p4 = html[html.index('data-facility="P4"') : html.index('data-facility="P5"')]
    p5 = html[html.index('data-facility="P5"') : html.index('data-facility="P6"')]
    assert f'data-note="{siti.pk}"' in p4 and "Request P4" not in p4
    assert "data-note" not in p5 and "Request P5" in p5  # nothing to say: the row as usual
    me_panels.unregister_facility_note("P4")
    assert "data-note" not in english.get("/me/").content.decode()


def test_the_panels_annotations_are_built_once_per_set_of_panels(client, registered):
    siti = EntrepreneurFactory()
    calls = []

    def annotations():
        calls.append(1)
        return {"test_one": Value(1)}

    registered(
        key="test-once", template="panel_data.html", context=lambda e: {"n": e.test_one}, annotations=annotations
    )
    client.force_login(siti.user)
    assert '<li id="test-once">data 1</li>' in client.get("/me/").content.decode()
    assert '<li id="test-once">data 1</li>' in client.get("/me/").content.decode()
    assert calls == [1]
    registered(key="test-other", template="panel_data.html", context=lambda e: None)  # a new set of panels
    client.get("/me/")
    assert calls == [1, 1]
