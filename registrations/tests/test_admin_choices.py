"""Issue 13.1: centre staff could act on anyone through the choices of an admin form.

As alice (Gambir), posting the attendance add form with a Gambir activity and the id of an
entrepreneur of Menteng or Pasar Minggu saved the row; "mark attended" and "complete the
facility for attendees" then completed her P2 in alice's name. Every foreign-key and
many-to-many choice of every admin form is now the user's scope of the related model
(jakpreneur.scoping), so such an id is a form error and nothing is written."""

import pytest
from django.contrib import admin
from django.forms import ModelChoiceField
from django.test import RequestFactory

from facilities.models import Center, Kelurahan
from facilities.tests.factories import GAMBIR_KELURAHAN, MENTENG_KELURAHAN, ActivityFactory, center
from jakpreneur import scoping
from registrations.models import Attendance, Entrepreneur
from registrations.tests.admin_fixtures import admin_url
from registrations.tests.factories import EntrepreneurFactory

pytestmark = pytest.mark.django_db

PASAR_MINGGU_KELURAHAN = "31.74.04.1001"


@pytest.fixture
def gambir_class():
    return ActivityFactory(center=center("31.71.01"))


@pytest.mark.parametrize("kelurahan_code", [MENTENG_KELURAHAN, PASAR_MINGGU_KELURAHAN])
def test_alice_cannot_sign_up_someone_outside_gambir_for_her_class(english, alice, gambir_class, kelurahan_code):
    outsider = EntrepreneurFactory(user=None, kelurahan_code=kelurahan_code, full_name="Siti Di Luar")
    english.force_login(alice)
    response = english.post(
        admin_url("registrations_attendance_add"), {"activity": gambir_class.pk, "entrepreneur": outsider.pk}
    )
    assert response.status_code == 200
    assert "entrepreneur" in response.context["adminform"].form.errors
    assert not Attendance.objects.exists()
    # The form shown again does not say whose id it was.
    assert "Siti Di Luar" not in response.content.decode()


def test_alice_still_signs_up_a_gambir_entrepreneur(english, alice, gambir_class):
    person = EntrepreneurFactory(user=None, kelurahan_code=GAMBIR_KELURAHAN)
    english.force_login(alice)
    response = english.post(
        admin_url("registrations_attendance_add"), {"activity": gambir_class.pk, "entrepreneur": person.pk}
    )
    assert response.status_code == 302
    assert Attendance.objects.get().entrepreneur == person


def test_dina_signs_up_anyone_for_any_class(english, dina, gambir_class):
    outsider = EntrepreneurFactory(user=None, kelurahan_code=PASAR_MINGGU_KELURAHAN)
    english.force_login(dina)
    response = english.post(
        admin_url("registrations_attendance_add"), {"activity": gambir_class.pk, "entrepreneur": outsider.pk}
    )
    assert response.status_code == 302
    assert Attendance.objects.get().entrepreneur == outsider


def test_alice_cannot_use_another_centres_class(english, alice):
    menteng_class = ActivityFactory(center=center("31.71.06"))
    person = EntrepreneurFactory(user=None, kelurahan_code=GAMBIR_KELURAHAN)
    english.force_login(alice)
    response = english.post(
        admin_url("registrations_attendance_add"), {"activity": menteng_class.pk, "entrepreneur": person.pk}
    )
    assert response.status_code == 200
    assert "activity" in response.context["adminform"].form.errors
    assert not Attendance.objects.exists()


def test_alice_cannot_move_her_class_to_another_centre(english, alice, gambir_class):
    english.force_login(alice)
    url = admin_url("facilities_activity_change", gambir_class.pk)
    form = english.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    for name in ("starts_at", "ends_at", "registration_deadline"):
        value = form[name].value()
        data[f"{name}_0"], data[f"{name}_1"] = f"{value:%Y-%m-%d}", f"{value:%H:%M:%S}"
    data.update({"center": center("31.71.06").pk, "attendances-TOTAL_FORMS": "0", "attendances-INITIAL_FORMS": "0"})
    response = english.post(url, data)
    assert response.status_code == 200
    assert "center" in response.context["adminform"].form.errors
    gambir_class.refresh_from_db()
    assert gambir_class.center == center("31.71.01")


def test_a_raw_id_box_names_only_rows_in_the_users_scope(alice):
    from jakpreneur.admin import ScopedRawIdWidget

    mine = EntrepreneurFactory(user=None, kelurahan_code=GAMBIR_KELURAHAN, full_name="Ani Gambir")
    other = EntrepreneurFactory(user=None, kelurahan_code=MENTENG_KELURAHAN, full_name="Budi Menteng")
    rel = Attendance._meta.get_field("entrepreneur").remote_field
    widget = ScopedRawIdWidget(rel, admin.site, queryset=scoping.choices_for(Entrepreneur, alice))
    assert "Ani Gambir" in widget.label_and_url_for_value(mine.pk)[0]
    assert widget.label_and_url_for_value(other.pk) == ("", "")
    assert widget.label_and_url_for_value("x\x00") == ("", "")


def test_alice_cannot_register_a_walk_in_in_menteng(english, alice):
    english.force_login(alice)
    response = english.post(
        admin_url("registrations_entrepreneur_add"), {"kelurahan": MENTENG_KELURAHAN, "full_name": "Budi"}
    )
    assert response.status_code == 200
    assert "kelurahan" in response.context["adminform"].form.errors
    assert not Entrepreneur.objects.exists()


# --- every choice field of every admin form, built for each staff role ---------------------


def admin_forms(user):
    """(where, form class) for every registered admin's add and change form and its inlines,
    built for `user`."""
    request = RequestFactory().get("/admin/")
    request.user = user
    for model, model_admin in admin.site._registry.items():
        obj = model._default_manager.order_by("pk").first()
        for label, instance in (("add", None), ("change", obj)):
            if label == "change" and instance is None:
                continue
            yield f"{model._meta.label} {label}", model_admin.get_form(request, instance, change=instance is not None)
            for inline_class in model_admin.get_inlines(request, instance):
                inline = inline_class(model, admin.site)
                yield (
                    f"{model._meta.label} {label} inline {inline_class.__name__}",
                    inline.get_formset(request, instance).form,
                )


@pytest.mark.parametrize("role", ["alice", "dina"])
def test_every_choice_in_every_admin_form_is_the_users_scope(request, role, gambir_class):
    user = request.getfixturevalue(role)
    EntrepreneurFactory(kelurahan_code=MENTENG_KELURAHAN)
    ActivityFactory(center=center("31.71.06"))
    checked, wrong = 0, []
    for where, form_class in admin_forms(user):
        for name, field in form_class.base_fields.items():
            if not isinstance(field, ModelChoiceField):
                continue
            model = field.queryset.model
            allowed = set(scoping.choices_for(model, user).values_list("pk", flat=True))
            offered = set(field.queryset.values_list("pk", flat=True))
            checked += 1
            if not offered <= allowed:
                wrong.append(f"{where}.{name}: {len(offered - allowed)} {model._meta.label} rows outside the scope")
    assert checked >= 5
    assert wrong == []


def test_alices_choices_are_her_kecamatan_only(alice):
    assert set(scoping.choices_for(Kelurahan, alice).values_list("kecamatan_id", flat=True)) == {"31.71.01"}
    assert list(scoping.choices_for(Center, alice)) == [center("31.71.01")]
    assert not scoping.choices_for(Entrepreneur, alice).filter(kecamatan_id="31.71.06").exists()
