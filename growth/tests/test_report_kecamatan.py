"""A report carries its entrepreneur's kecamatan (denormalised for centre staff's list): every
write sets it, every change of a person's kecamatan takes their reports along in the same
transaction, and centre staff's scope on reports reads it."""

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from facilities.tests.factories import GAMBIR, MENTENG, MENTENG_KELURAHAN, kelurahan
from growth import selectors, services
from growth.models import MonthlyReport
from growth.selectors import add_months, current_period
from growth.tests.factories import MentorAssignmentFactory, MonthlyReportFactory
from registrations import imports, moves
from registrations import services as registrations_services
from registrations.tests.admin_fixtures import admin_url, changelist_results
from registrations.tests.factories import EntrepreneurFactory

pytestmark = pytest.mark.django_db

REPORTS = "/admin/growth/monthlyreport/"
# Another kelurahan of Gambir: a move inside the kecamatan.
GAMBIR_OTHER_KELURAHAN = "31.71.01.1002"


def last_month(back: int = 1) -> dt.date:
    return add_months(current_period(), -back)


@pytest.fixture
def dewi():
    """A Gambir entrepreneur (with an account) and three months of reports."""
    person = EntrepreneurFactory(full_name="Dewi Pindah")
    for back in (1, 2, 3):
        MonthlyReportFactory(entrepreneur=person, period=last_month(back))
    return person


@pytest.fixture
def stays():
    """Someone else in Gambir, whose report must not move with dewi's."""
    person = EntrepreneurFactory(full_name="Tetap Gambir")
    MonthlyReportFactory(entrepreneur=person, period=last_month())
    return person


def kecamatan_of_reports(person) -> set[str]:
    return set(MonthlyReport.objects.filter(entrepreneur=person).values_list("kecamatan_id", flat=True))


def listed(client) -> set[int]:
    """The entrepreneurs whose reports the signed-in user's admin list shows."""
    response = client.get(REPORTS)
    assert response.status_code == 200
    return {report.entrepreneur_id for report in changelist_results(response)}


def assert_moved_to_menteng(person, stays, alice, bob) -> None:
    """The reports carry Menteng; Gambir's staff no longer see them, Menteng's do."""
    person.refresh_from_db()
    assert person.kecamatan_id == MENTENG
    assert kecamatan_of_reports(person) == {MENTENG}
    assert kecamatan_of_reports(stays) == {GAMBIR}
    assert not selectors.reports_visible_to(alice).filter(entrepreneur=person).exists()
    assert selectors.reports_visible_to(bob).filter(entrepreneur=person).count() == 3
    assert list(selectors.reports_visible_to(alice).values_list("entrepreneur", flat=True)) == [stays.pk]


# --- every write sets it ----------------------------------------------------------------------


def test_the_entrepreneur_files_on_me_reports_with_their_kecamatan(client, dewi):
    client.force_login(dewi.user)
    response = client.post(
        "/me/reports/", {"period": f"{last_month(4):%Y-%m}", "turnover": "1.000.000", "assets": "0", "workers": "0"}
    )
    assert response.status_code == 302
    assert MonthlyReport.objects.get(entrepreneur=dewi, period=last_month(4)).kecamatan_id == GAMBIR


def test_a_mentor_files_in_the_admin_with_the_persons_kecamatan(client, mark):
    person = EntrepreneurFactory(kelurahan_code=MENTENG_KELURAHAN)
    MentorAssignmentFactory(entrepreneur=person, mentor=mark)
    client.force_login(mark)
    response = client.post(
        REPORTS + "add/",
        {"entrepreneur": person.pk, "period": f"{last_month():%Y-%m}", "turnover": "1", "assets": "1", "workers": "0"},
    )
    assert response.status_code == 302
    assert MonthlyReport.objects.get().kecamatan_id == MENTENG


def test_filing_reads_the_kecamatan_from_the_database_not_the_callers_copy(dina):
    """The service reads the person's kecamatan under a lock when it writes: a stale instance
    (moved since it was loaded) does not put the report in the old kecamatan."""
    person = EntrepreneurFactory()
    stale = type(person).objects.get(pk=person.pk)
    registrations_services.entrepreneur_update(
        entrepreneur=person, actor=dina, changes={"kelurahan": kelurahan(MENTENG_KELURAHAN)}
    )
    assert stale.kecamatan_id == GAMBIR
    report = services.report_file(
        entrepreneur=stale,
        actor=dina,
        period=f"{last_month():%Y-%m}",
        figures=services.ReportFigures("1", "1", "0"),
        filed_by=MonthlyReport.FiledBy.MENTOR,
    )
    report.refresh_from_db()
    assert report.kecamatan_id == MENTENG


def test_the_sheet_upload_writes_each_rows_kecamatan(client, dina):
    gambir, menteng = EntrepreneurFactory(), EntrepreneurFactory(kelurahan_code=MENTENG_KELURAHAN)
    body = "nik,period,turnover,assets,workers\n" + "".join(
        f"{p.nik},{last_month():%Y-%m},1000000,1000000,1\n" for p in (gambir, menteng)
    )
    upload = io.BytesIO(body.encode())
    upload.name = "sheet.csv"
    client.force_login(dina)
    result = client.post(REPORTS + "upload/", {"file": upload}).context["result"]
    assert (result.created, result.errors) == (2, [])
    assert dict(MonthlyReport.objects.values_list("entrepreneur_id", "kecamatan_id")) == {
        gambir.pk: GAMBIR,
        menteng.pk: MENTENG,
    }


# --- every move takes the reports along ------------------------------------------------------------


def test_dina_moving_someone_in_the_admin_moves_their_reports(client, dina, alice, bob, dewi, stays):
    from registrations.tests.test_admin_people import change_data

    client.force_login(dina)
    response = client.post(
        admin_url("registrations_entrepreneur_change", dewi.pk), change_data(dewi, kelurahan=MENTENG_KELURAHAN)
    )
    assert response.status_code == 302
    assert_moved_to_menteng(dewi, stays, alice, bob)
    report = MonthlyReport.objects.filter(entrepreneur=dewi).first()
    client.force_login(alice)
    assert listed(client) == {stays.pk}
    assert client.get(f"{REPORTS}{report.pk}/change/").status_code == 404
    client.force_login(bob)
    assert listed(client) == {dewi.pk}
    assert client.get(f"{REPORTS}{report.pk}/change/").status_code == 200


def test_the_entrepreneur_moving_on_me_contact_moves_their_reports(client, alice, bob, dewi, stays):
    client.force_login(dewi.user)
    response = client.post(
        "/me/contact/",
        {"phone": "081311112222", "email": dewi.user.email, "kelurahan": MENTENG_KELURAHAN, "address": "Jl. Cikini 1"},
    )
    assert response.status_code == 302
    assert_moved_to_menteng(dewi, stays, alice, bob)


def test_the_move_service_moves_the_reports(dina, alice, bob, dewi, stays):
    registrations_services.entrepreneur_update(
        entrepreneur=dewi, actor=dina, changes={"kelurahan": kelurahan(MENTENG_KELURAHAN)}
    )
    assert_moved_to_menteng(dewi, stays, alice, bob)


def test_a_move_inside_the_kecamatan_leaves_the_reports_alone(dina, dewi):
    registrations_services.entrepreneur_update(
        entrepreneur=dewi, actor=dina, changes={"kelurahan": kelurahan(GAMBIR_OTHER_KELURAHAN)}
    )
    dewi.refresh_from_db()
    assert dewi.kelurahan_id == GAMBIR_OTHER_KELURAHAN and kecamatan_of_reports(dewi) == {GAMBIR}


def test_the_legacy_import_moving_a_known_nik_moves_their_reports(dina, alice, bob, dewi, stays):
    values = dict.fromkeys(imports.COLUMNS, "")
    values.update(
        nik=dewi.nik,
        full_name=dewi.full_name,
        birth_date=dewi.birth_date.isoformat(),
        gender=dewi.gender,
        phone="081211112222",
        kelurahan_code=MENTENG_KELURAHAN,
        address="Jl. Cikini 2",
        track=dewi.track,
        registered_date="2019-05-01",
    )
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(imports.COLUMNS))
    writer.writeheader()
    writer.writerow(values)
    result = imports.import_entrepreneurs(
        file=io.BytesIO(buffer.getvalue().encode()), filename="legacy.csv", actor=dina
    )
    assert (result.created, result.updated) == (0, 1), result
    assert_moved_to_menteng(dewi, stays, alice, bob)


def test_a_refused_move_leaves_the_reports_where_they_were(alice, dewi):
    """Alice may not move a Gambir person to Menteng: nothing moves, the reports neither."""
    with pytest.raises(ValidationError):
        registrations_services.entrepreneur_update(
            entrepreneur=dewi, actor=alice, changes={"kelurahan": kelurahan(MENTENG_KELURAHAN)}
        )
    assert kecamatan_of_reports(dewi) == {GAMBIR}


def test_every_registered_app_is_told_in_the_movers_transaction(dina, dewi):
    told = []
    moves.register("test.spy", lambda moved: told.append((dict(moved), transaction.get_connection().in_atomic_block)))
    try:
        registrations_services.entrepreneur_update(
            entrepreneur=dewi, actor=dina, changes={"kelurahan": kelurahan(MENTENG_KELURAHAN)}
        )
    finally:
        moves.unregister("test.spy")
    assert told == [({dewi.pk: MENTENG}, True)]
    assert moves.followers() == ["growth.reports"]


@pytest.mark.django_db(transaction=True)
def test_telling_the_apps_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        moves.kecamatan_changed({1: MENTENG})


# --- centre staff's scope reads the report's own kecamatan ---------------------------------------------


def test_centre_staff_scope_filters_on_the_reports_own_column(alice):
    sql = str(selectors.reports_visible_to(alice).query)
    assert '"growth_monthlyreport"."kecamatan_id" IN' in sql
    assert "registrations_entrepreneur" not in sql  # no join to the people


def test_a_report_outside_centre_staffs_kecamatan_is_not_listed_and_its_page_is_404(client, alice, dewi):
    menteng_person = EntrepreneurFactory(full_name="Budi Menteng", kelurahan_code=MENTENG_KELURAHAN)
    theirs = MonthlyReportFactory(entrepreneur=menteng_person, period=last_month())
    client.force_login(alice)
    assert listed(client) == {dewi.pk}
    assert client.get(f"{REPORTS}{theirs.pk}/change/").status_code == 404
    assert client.get(f"{REPORTS}{theirs.pk}/history/").status_code == 404


# --- the migration fills the column from the entrepreneurs ---------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_every_report_with_its_entrepreneurs_kecamatan():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("growth", "0002_reminders")], [("growth", "0003_report_kecamatan")]
    gambir, menteng = EntrepreneurFactory(), EntrepreneurFactory(kelurahan_code=MENTENG_KELURAHAN)
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = MigrationExecutor(connection).loader.project_state(before).apps.get_model("growth", "MonthlyReport")
        for person in (gambir, menteng, gambir):
            old.objects.create(
                entrepreneur_id=person.pk,
                period=last_month(old.objects.filter(entrepreneur_id=person.pk).count() + 1),
                turnover=1,
                assets=1,
                workers=0,
            )
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(after)
    assert sorted(MonthlyReport.objects.values_list("entrepreneur_id", "kecamatan_id")) == [
        (gambir.pk, GAMBIR),
        (gambir.pk, GAMBIR),
        (menteng.pk, MENTENG),
    ]
