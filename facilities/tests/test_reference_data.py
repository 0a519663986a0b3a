import csv

import pytest
from django.db import IntegrityError, transaction

from facilities.models import Center, Facility, Kecamatan, Kelurahan, Kota
from facilities.reference import KELURAHAN_CSV

pytestmark = pytest.mark.django_db


def test_reference_counts_match_kemendagri():
    assert Kota.objects.count() == 6
    assert Kecamatan.objects.count() == 44
    assert Kelurahan.objects.count() == 267
    assert Center.objects.count() == 44
    assert Facility.objects.count() == 7


def test_kota_codes_are_kemendagri_not_bps():
    assert list(Kota.objects.values_list("code", flat=True)) == ["31.01", "31.71", "31.72", "31.73", "31.74", "31.75"]
    assert Kota.objects.get(code="31.71").name == "Kota Administrasi Jakarta Pusat"


def test_every_kelurahan_sits_in_the_kecamatan_its_code_names():
    for code, kecamatan_id, kota_id in Kelurahan.objects.values_list("code", "kecamatan_id", "kecamatan__kota_id"):
        assert code.startswith(kecamatan_id + ".")
        assert kecamatan_id.startswith(kota_id + ".")


def test_kelurahan_per_kecamatan_match_the_shipped_csv():
    with KELURAHAN_CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["kode_kelurahan"]: r["nama_kelurahan"] for r in rows} == dict(
        Kelurahan.objects.values_list("code", "name")
    )


def test_every_kecamatan_has_exactly_one_centre():
    assert set(Center.objects.values_list("kecamatan_id", flat=True)) == set(
        Kecamatan.objects.values_list("code", flat=True)
    )


def test_facilities_are_p1_to_p7_in_order_with_both_languages():
    facilities = list(Facility.objects.order_by("order"))
    assert [f.code for f in facilities] == [f"P{i}" for i in range(1, 8)]
    assert [f.name_id for f in facilities] == [
        "Pendaftaran",
        "Pelatihan",
        "Pendampingan",
        "Perizinan",
        "Pemasaran",
        "Pelaporan keuangan",
        "Permodalan",
    ]
    assert all(f.name_en and f.description_en and f.description_id and f.summary_en for f in facilities)
    assert "NIB" in facilities[3].description_id and "halal" in facilities[3].description_en


def test_the_database_refuses_a_second_centre_for_one_kecamatan():
    with pytest.raises(IntegrityError), transaction.atomic():
        Center.objects.create(kecamatan_id="31.71.01", name="Second Gambir centre")


def test_the_database_refuses_malformed_region_codes():
    with pytest.raises(IntegrityError), transaction.atomic():
        Kota.objects.create(code="3171", name="No dot")
