import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from registrations import imports
from registrations.models import Business, Enrollment, Entrepreneur, ImportJob, StatusChange
from registrations.tests.admin_fixtures import admin_url
from registrations.tests.factories import EntrepreneurFactory, make_nik

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parent.parent / "data"


def row(**overrides) -> dict:
    birth = overrides.pop("birth", dt.date(1988, 6, 15))
    gender = overrides.get("gender", "P")
    values = {
        "legacy_id": "",
        "nik": make_nik(birth, gender, overrides.pop("serial", 1)),
        "full_name": "Dewi Lestari",
        "birth_date": birth.isoformat(),
        "gender": gender,
        "phone": "081211112222",
        "email": "",
        "kelurahan_code": "31.71.01.1001",
        "address": "Jl. Tanah Abang II",
        "track": "pemula",
        "business_name": "",
        "sector": "",
        "nib": "",
        "workers": "",
        "turnover_band": "",
        "started_year": "",
        "facilities_completed": "",
        "registered_date": "2019-05-01",
    }
    values.update(overrides)
    return values


def csv_file(rows: list[dict]) -> io.BytesIO:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(imports.COLUMNS))
    writer.writeheader()
    writer.writerows(rows)
    return io.BytesIO(buffer.getvalue().encode("utf-8"))


def run(rows, **kwargs):
    return imports.import_entrepreneurs(file=csv_file(rows), filename="legacy.csv", **kwargs)


def test_it_imports_good_rows_with_p1_history_and_status_log(dina):
    result = run([row(facilities_completed="P1;P2;P4", business_name="Toko Dewi", sector="kuliner")], actor=dina)
    assert (result.created, result.errors) == (1, [])
    person = Entrepreneur.objects.get()
    assert person.source == "import" and person.status == "verified"
    assert person.phone == "+6281211112222"
    assert person.kecamatan_id == "31.71.01" and person.home_center.kecamatan_id == "31.71.01"
    assert person.registered_at.date() == dt.date(2019, 5, 1)
    assert person.business.name == "Toko Dewi"
    assert set(person.enrollments.values_list("facility_id", "state")) == {
        ("P1", "completed"),
        ("P2", "completed"),
        ("P4", "completed"),
    }
    assert person.history.get().history_user == dina
    assert person.history.get().history_change_reason == "import"
    assert Business.history.count() == 1 and Enrollment.history.count() == 3
    assert StatusChange.objects.filter(entrepreneur=person).count() == 4


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"nik": "123"}, "nik"),
        ({"gender": "L", "nik": make_nik(dt.date(1988, 6, 15), "P", 9)}, "nik"),
        ({"phone": "021 555 1234"}, "phone"),
        ({"kelurahan_code": "31.99.99.9999"}, "kelurahan_code"),
        ({"birth_date": "15-13-1988"}, "birth_date"),
        ({"email": "not-an-email"}, "email"),
        ({"track": "expert"}, "track"),
        ({"facilities_completed": "P1;P9"}, "facilities_completed"),
        ({"nib": "12345"}, "nib"),
        ({"sector": "mining"}, "sector"),
        ({"full_name": ""}, "full_name"),
        ({"registered_date": "2999-01-01"}, "registered_date"),
    ],
)
def test_it_reports_bad_rows_with_line_and_reason(overrides, field):
    result = run([row(serial=1), row(serial=2, **overrides)])
    assert result.created == 1  # would have been: one refused row and the import writes nothing
    assert [(e.line, e.field) for e in result.errors][:1] == [(3, field)]
    assert not result.written and Entrepreneur.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"full_name": "D"}, "full_name", "name_short"),  # no minimum before the rules were shared
        ({"full_name": "\u200b\u200b"}, "full_name", "hidden_characters"),
        ({"full_name": "Dewi \u202eiratseL"}, "full_name", "hidden_characters"),
        ({"full_name": "Dewi\x00"}, "full_name", "null_characters_not_allowed"),
        ({"address": "Jl 1"}, "address", "address_short"),  # no minimum before either
        ({"address": "Jl. Tanah\x07 Abang"}, "address", "hidden_characters"),
        ({"business_name": "Toko\u2060Dewi"}, "business_name", "hidden_characters"),
        ({"started_year": "1920"}, "started_year", "year_too_early"),  # 1900 was accepted before
        ({"workers": "100001"}, "workers", "max_value"),
        ({"birth": dt.date(1899, 6, 15)}, "birth_date", "birth_date_range"),
        ({"birth": dt.date(2003, 6, 15)}, "birth_date", "too_young"),  # 15 on the registration date
        ({"legacy_id": "OKOCE\x00"}, "legacy_id", "null_characters_not_allowed"),
        ({"legacy_id": "X" * 41}, "legacy_id", "max_length"),
        ({"full_name": ""}, "full_name", "required"),
        ({"gender": "X"}, "gender", "invalid_choice"),
    ],
)
def test_rows_are_checked_with_the_registration_rules_and_their_codes(overrides, field, code):
    result = run([row(serial=1), row(serial=2, **overrides)])
    assert [(e.line, e.field, e.code) for e in result.errors] == [(3, field, code)]
    assert result.created == 1 and Entrepreneur.objects.count() == 0


def test_every_bad_column_of_a_row_is_reported_not_only_the_first():
    result = run([row(full_name="", phone="12", address="Jl", started_year="1800", business_name="Toko")])
    assert {(e.field, e.code) for e in result.errors} == {
        ("full_name", "required"),
        ("phone", "phone_format"),
        ("address", "address_short"),
        ("started_year", "year_too_early"),
    }
    assert not Entrepreneur.objects.exists()


def test_names_are_stored_in_nfc_with_single_spaces_and_codes_in_any_case():
    nik = make_nik(dt.date(1988, 6, 15), "P", 1)
    result = run(
        [
            row(
                nik=nik,
                gender="Perempuan",
                full_name=" Dewi   Lestari\u0301 ",
                business_name="Toko  Dewi",
                sector="Kuliner",
            )
        ]
    )
    assert result.errors == []
    person = Entrepreneur.objects.get()
    assert (person.full_name, person.gender) == ("Dewi Lestar\u00ed", "P")
    assert (person.business.name, person.business.sector) == ("Toko Dewi", "kuliner")


def test_it_refuses_a_nik_twice_in_one_file():
    result = run([row(serial=1), row(serial=1, full_name="Dewi Lagi")])
    assert result.created == 1
    assert (result.errors[0].line, result.errors[0].field) == (3, "nik")
    assert "2" in result.errors[0].message


def test_an_existing_nik_is_updated_not_duplicated(dina):
    person = EntrepreneurFactory(user=None, birth_date=dt.date(1988, 6, 15), gender="P", full_name="Dewi L.")
    result = run([row(nik=person.nik, facilities_completed="P2", business_name="Toko Dewi")], actor=dina)
    assert (result.created, result.updated) == (0, 1)
    person.refresh_from_db()
    assert Entrepreneur.objects.count() == 1
    assert person.full_name == "Dewi Lestari" and person.source == "self" and person.status == "submitted"
    assert person.history.latest().history_change_reason == "import"
    assert person.enrollments.get(facility_id="P2").state == "completed"
    assert person.business.name == "Toko Dewi"


def test_an_open_enrolment_is_completed_rather_than_duplicated():
    person = EntrepreneurFactory(user=None, birth_date=dt.date(1988, 6, 15), gender="P")
    open_p2 = Enrollment.objects.create(entrepreneur=person, facility_id="P2", center=person.home_center)
    run([row(nik=person.nik, facilities_completed="P2")])
    open_p2.refresh_from_db()
    assert open_p2.state == "completed"
    assert person.enrollments.filter(facility_id="P2").count() == 1


def test_re_running_the_same_file_changes_nothing():
    rows = [row(serial=n, facilities_completed="P1;P3", business_name=f"Usaha {n}") for n in range(1, 6)]
    first = run(rows)
    counts = (
        Entrepreneur.history.count(),
        Business.history.count(),
        Enrollment.history.count(),
        StatusChange.objects.count(),
    )
    second = run(rows)
    assert (first.created, second.created, second.updated, second.unchanged) == (5, 0, 0, 5)
    assert (
        Entrepreneur.history.count(),
        Business.history.count(),
        Enrollment.history.count(),
        StatusChange.objects.count(),
    ) == counts


def test_a_dry_run_writes_nothing():
    result = run([row()], dry_run=True)
    assert result.created == 1 and result.dry_run
    assert not Entrepreneur.objects.exists()


def test_small_batches_give_the_same_result():
    result = run([row(serial=n) for n in range(1, 8)], batch_size=3)
    assert result.created == 7 and Entrepreneur.objects.count() == 7


def test_a_legacy_id_of_another_person_is_refused():
    run([row(serial=1, legacy_id="OKOCE-1")])
    result = run([row(serial=2, legacy_id="OKOCE-1")])
    assert result.errors[0].field == "legacy_id"


def test_rows_outside_the_allowed_kecamatan_are_refused():
    result = run(
        [row(serial=1), row(serial=2, kelurahan_code="31.71.06.1001")], allowed_kecamatan=frozenset({"31.71.01"})
    )
    assert result.created == 1 and result.errors[0].field == "kelurahan_code"


def test_it_reads_xlsx_files():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(imports.COLUMNS))
    values = row()
    values["birth_date"] = dt.datetime(1988, 6, 15)  # a real date cell
    sheet.append([values[c] for c in imports.COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    result = imports.import_entrepreneurs(file=buffer, filename="legacy.xlsx")
    assert result.created == 1, result.errors


def test_the_sample_files_import_cleanly():
    for name in ("sample_import.csv", "sample_import.xlsx"):
        with (SAMPLES / name).open("rb") as handle:
            result = imports.import_entrepreneurs(file=handle, filename=name)
        assert result.errors == [] and result.valid == 4


@pytest.mark.parametrize(
    ("content", "name"),
    [(b"nik,full_name\n1,2\n", "x.csv"), (b"\xff\xfe\x00garbage", "x.csv"), (b"not a zip", "x.xlsx"), (b"", "x.txt")],
)
def test_unreadable_files_raise_a_clear_error(content, name):
    with pytest.raises(imports.ImportFileError):
        imports.import_entrepreneurs(file=io.BytesIO(content), filename=name)


# --- the admin upload page ---


def upload(client, rows, **extra):
    content = csv_file(rows).getvalue()
    return client.post(
        admin_url("registrations_entrepreneur_import"),
        {"file": SimpleUploadedFile("legacy.csv", content, content_type="text/csv"), **extra},
    )


def test_the_upload_page_queues_the_file_for_the_worker(english, dina, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    english.force_login(dina)
    response = upload(english, [row(serial=1), row(serial=2, phone="12")])
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert response["Location"] == admin_url("registrations_importjob_change", job.pk)
    assert not Entrepreneur.objects.exists()  # the worker imports it (registrations/tests/test_import_jobs.py)


def test_the_upload_page_rejects_other_file_types(client, dina):
    client.force_login(dina)
    response = client.post(
        admin_url("registrations_entrepreneur_import"), {"file": SimpleUploadedFile("x.pdf", b"%PDF")}
    )
    assert response.status_code == 200 and response.context["form"].errors["file"]
    assert not ImportJob.objects.exists()


def test_the_upload_page_refuses_a_file_that_is_not_what_its_name_says(client, dina):
    client.force_login(dina)
    response = client.post(
        admin_url("registrations_entrepreneur_import"), {"file": SimpleUploadedFile("x.xlsx", b"broken")}
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert not ImportJob.objects.exists()


def test_quotes_commas_and_backslashes_survive_the_bulk_insert():
    tricky = 'Jl. "Mawar", Gg. 5\\B; RT 01'
    run([row(address=tricky, full_name="Dewi 'Ayu' Lestari", business_name="Toko, Kue \\ Roti")])
    person = Entrepreneur.objects.get()
    assert person.address == tricky
    assert person.full_name == "Dewi 'Ayu' Lestari"
    assert person.business.name == "Toko, Kue \\ Roti"
    assert person.email == "" and person.legacy_id is None
    assert person.history.get().address == tricky


def test_the_bulk_service_takes_only_rows_the_rules_checked(dina):
    import dataclasses

    from registrations import services
    from registrations.imports import RowValidator

    good = RowValidator().clean(2, row(serial=1))
    assert good.rules_checked
    forged = dataclasses.replace(
        good, nik=make_nik(dt.date(1988, 6, 15), "P", 2), full_name="D\u200b", rules_checked=False
    )
    with pytest.raises(TypeError):
        services.entrepreneurs_import_batch(rows=[good, forged], actor=dina)
    assert not Entrepreneur.objects.exists()
    assert services.entrepreneurs_import_batch(rows=[good], actor=dina).created == 1


def test_an_import_row_is_made_only_from_values_the_rules_accept():
    from registrations import rules, services

    check = rules.Checker()
    person = {**row(), "birth_date": dt.date(1988, 6, 15), "full_name": "D\u200b", "phone": "021 555"}
    made = services.ImportRow.checked(
        check,
        person=person,
        business={"started_year": "1920"},
        on=dt.date(2019, 5, 1),
        today=dt.date(2024, 1, 1),
        line=2,
        legacy_id=None,
        kelurahan_id="31.71.01.1001",
        kecamatan_id="31.71.01",
        home_center_id=1,
        facilities=[],
        registered_at=None,
    )
    assert made is None
    assert {name: [e.code for e in errors] for name, errors in check.errors.items()} == {
        "full_name": ["hidden_characters"],
        "phone": ["phone_format"],
        "started_year": ["year_too_early"],
    }
