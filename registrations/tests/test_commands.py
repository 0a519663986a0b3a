import io
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import CommandError, call_command

from jakpreneur.access import granted, role_grants
from registrations.models import Entrepreneur, User

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample_import.csv"


def create_staff(*args) -> str:
    out = io.StringIO()
    call_command("create_staff", *args, stdout=out)
    return out.getvalue()


def test_create_staff_creates_a_centre_staff_member_with_a_one_time_password():
    output = create_staff("--email", "Eka@Jakpreneur.test", "--role", "center_staff", "--kecamatan", "31.71.01")
    user = User.objects.get(email="eka@jakpreneur.test")
    assert user.is_staff and list(user.groups.values_list("name", flat=True)) == ["center_staff"]
    assert list(user.kecamatan_scope.values_list("code", flat=True)) == ["31.71.01"]
    password = output.split("One-time password")[1].split(":", 1)[1].strip()
    assert user.check_password(password)


def test_create_staff_is_idempotent_and_changes_the_role():
    create_staff("--email", "eka@jakpreneur.test", "--role", "center_staff", "--kecamatan", "31.71.01")
    output = create_staff("--email", "eka@jakpreneur.test", "--role", "dinas_admin")
    user = User.objects.get(email="eka@jakpreneur.test")
    assert User.objects.count() == 1 and "Updated" in output and "One-time password" not in output
    assert list(user.groups.values_list("name", flat=True)) == ["dinas_admin"]
    assert not user.kecamatan_scope.exists()


def test_an_official_is_not_staff():
    create_staff("--email", "olga2@jakpreneur.test", "--role", "official")
    assert not User.objects.get(email="olga2@jakpreneur.test").is_staff


@pytest.mark.parametrize(
    "args",
    [
        ("--email", "x@jakpreneur.test", "--role", "boss"),
        ("--email", "x@jakpreneur.test", "--role", "center_staff"),
        ("--email", "x@jakpreneur.test", "--role", "center_staff", "--kecamatan", "31.99.99"),
        ("--email", "not-an-email", "--role", "dinas_admin"),
    ],
)
def test_create_staff_refuses_bad_input(args):
    with pytest.raises(CommandError):
        create_staff(*args)
    assert not User.objects.exists()


def test_create_staff_restores_the_whole_access_table():
    Group.objects.all().delete()
    create_staff("--email", "dina2@jakpreneur.test", "--role", "dinas_admin")
    assert granted() == role_grants()  # every role, every app (reports, axes too)


def test_send_reset_emails_a_link_or_explains_why_not():
    try:
        create_staff("--email", "eka@jakpreneur.test", "--role", "dinas_admin", "--send-reset")
    except CommandError as error:
        assert "reset" in str(error)
    else:
        assert len(mail.outbox) == 1 and "eka@jakpreneur.test" in mail.outbox[0].to


def test_import_command_imports_and_is_idempotent():
    out = io.StringIO()
    call_command("import_entrepreneurs", str(SAMPLE), stdout=out)
    assert "4 new" in out.getvalue()
    out = io.StringIO()
    call_command("import_entrepreneurs", str(SAMPLE), stdout=out)
    assert "4 unchanged" in out.getvalue()
    assert Entrepreneur.objects.count() == 4


def test_import_command_dry_run_and_report(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(SAMPLE.read_text() + "X1,123,Nobody,1990-01-01,L,0812,,31.71.01.1001,Jl. A,,,,,,,,,\n")
    report = tmp_path / "errors.csv"
    out = io.StringIO()
    call_command("import_entrepreneurs", str(bad), "--dry-run", "--report", str(report), stdout=out)
    assert "Dry run" in out.getvalue() and "line 6" in out.getvalue()
    assert report.read_text().startswith("line,nik,field,error")
    assert not Entrepreneur.objects.exists()


def test_import_command_refuses_a_missing_file():
    with pytest.raises(CommandError):
        call_command("import_entrepreneurs", "/nonexistent/file.csv")
