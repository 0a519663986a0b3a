"""The reference data cache (facilities/cache.py): served without queries, rebuilt when the
data changes, in this process at once and in the others at their next check, and correct
with the shared cache down."""

import pytest
from django.core.management import call_command

from facilities import cache as reference
from facilities.models import Facility, Kelurahan
from facilities.tests.factories import GAMBIR, GAMBIR_KELURAHAN, center

pytestmark = pytest.mark.django_db


def test_every_kelurahan_is_served_from_one_read(django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = reference.kelurahan_rows()
    assert len(rows) == 267 == Kelurahan.objects.count()
    with django_assert_num_queries(0):
        groups, kota = reference.kelurahan_choice_groups()
        gambir = reference.kelurahan_get(GAMBIR_KELURAHAN)
        assert gambir.kecamatan.name == "Gambir" and gambir.kecamatan.kota.short_name == "Jakarta Pusat"
        assert reference.kecamatan_get(GAMBIR).kota_id == "31.71"
    assert sum(len(members) for _, members in groups) == 267
    assert [code for code, _ in kota] == ["31.01", "31.71", "31.72", "31.73", "31.74", "31.75"]
    assert (
        "Gambir (Jakarta Pusat)",
        tuple(sorted(Kelurahan.objects.filter(kecamatan=GAMBIR).values_list("code", "name"), key=lambda r: r[1])),
    ) in groups


def test_unknown_codes_are_none():
    assert reference.kelurahan_get("31.71.01.9999") is None
    assert reference.kelurahan_get(None) is None
    assert reference.kecamatan_get("31.99.99") is None
    assert reference.center_get(10**9) is None


def test_instances_behave_like_rows_read_from_the_database():
    kelurahan = reference.kelurahan_get(GAMBIR_KELURAHAN)
    assert kelurahan == Kelurahan.objects.get(code=GAMBIR_KELURAHAN)
    assert not kelurahan._state.adding
    home = reference.center_get(center().pk)
    assert home == center() and home.name == center().name
    facilities = reference.facilities()
    assert [f.code for f in facilities] == ["P1", "P2", "P3", "P4", "P5", "P6", "P7"]
    assert facilities[1].summary_en == Facility.objects.get(code="P2").summary_en


def test_the_centre_of_a_kecamatan_is_served_from_the_copy(django_assert_num_queries):
    gambir = center()
    reference.center_of_kecamatan(GAMBIR)
    with django_assert_num_queries(0):
        found = reference.center_of_kecamatan(GAMBIR)
        assert reference.center_of_kecamatan("31.99.99") is None
    assert found == gambir and found.name == gambir.name


def test_each_reader_gets_its_own_copy():
    first = reference.facilities()
    first[1].name_en = "Changed by a caller"
    assert reference.facilities()[1].name_en != "Changed by a caller"


def test_a_change_saved_here_is_served_at_once(django_assert_num_queries):
    reference.kelurahan_rows()
    kelurahan = Kelurahan.objects.get(code=GAMBIR_KELURAHAN)
    kelurahan.name = "Gambir Baru"
    kelurahan.save(update_fields=["name"])
    assert reference.kelurahan_get(GAMBIR_KELURAHAN).name == "Gambir Baru"
    facility = Facility.objects.get(code="P4")
    facility.active = False
    facility.save(update_fields=["active"])
    assert not next(f for f in reference.facilities() if f.code == "P4").active
    gambir = center()
    gambir.name = "Pusat JakPreneur Gambir (baru)"
    gambir.save(update_fields=["name"])
    assert reference.center_get(gambir.pk).name == "Pusat JakPreneur Gambir (baru)"


def test_an_added_or_deleted_row_shows_at_once():
    assert reference.kelurahan_get("31.71.01.9998") is None
    added = Kelurahan.objects.create(code="31.71.01.9998", name="Kelurahan Uji", kecamatan_id=GAMBIR)
    assert reference.kelurahan_get("31.71.01.9998").name == "Kelurahan Uji"
    added.delete()
    assert reference.kelurahan_get("31.71.01.9998") is None


def test_another_process_sees_a_change_at_its_next_check(monkeypatch):
    assert reference.kelurahan_get(GAMBIR_KELURAHAN).name != "Gambir Lain"
    # Another process changes the row: the database and the shared generation change, this
    # process's copy does not (QuerySet.update sends no signal, like a write elsewhere).
    Kelurahan.objects.filter(code=GAMBIR_KELURAHAN).update(name="Gambir Lain")
    # Within CHECK_SECONDS this process still serves its copy ...
    assert reference.kelurahan_get(GAMBIR_KELURAHAN).name != "Gambir Lain"
    monkeypatch.setattr(reference, "CHECK_SECONDS", 0)
    # ... and at its next check, with the generation unchanged, it keeps it ...
    assert reference.kelurahan_get(GAMBIR_KELURAHAN).name != "Gambir Lain"
    # ... until the other process's invalidation reaches the shared cache.
    reference.cache.set(reference._generation_key(), "set-by-another-process", None)
    assert reference.kelurahan_get(GAMBIR_KELURAHAN).name == "Gambir Lain"


def test_migrate_starts_a_new_generation(monkeypatch):
    monkeypatch.setattr(reference, "CHECK_SECONDS", 0)
    reference.kelurahan_rows()
    before = reference.cache.get(reference._generation_key())
    call_command("migrate", "facilities", verbosity=0)
    assert reference.cache.get(reference._generation_key()) not in (None, before)


class _DownCache:
    """The shared cache with Redis unreachable, as FailSoftRedisCache behaves: reads miss,
    writes are dropped."""

    def get(self, key, default=None):
        return default

    def add(self, *args, **kwargs):
        return False

    def set(self, *args, **kwargs):
        return None


def test_with_the_shared_cache_down_every_check_reads_the_database(monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(reference, "cache", _DownCache())
    monkeypatch.setattr(reference, "CHECK_SECONDS", 0)
    with django_assert_num_queries(1):
        assert reference.kelurahan_get(GAMBIR_KELURAHAN).kecamatan_id == GAMBIR
    Kelurahan.objects.filter(code=GAMBIR_KELURAHAN).update(name="Gambir Tanpa Redis")
    with django_assert_num_queries(1):
        assert reference.kelurahan_get(GAMBIR_KELURAHAN).name == "Gambir Tanpa Redis"
    reference.invalidate()  # a save with Redis down must not fail either
