"""The cast and their data for the access walk: a Menteng entrepreneur and one sample object
of every admin-registered model (Menteng's, outside alice's Gambir), a client signed in as
each role, a superuser and alice's own Gambir rows."""

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType

from facilities.models import Center, Facility, Kecamatan, Kelurahan, Kota
from facilities.tests.factories import GAMBIR_KELURAHAN, MENTENG_KELURAHAN, ActivityFactory, center
from financing.models import ApplicationStep, ExportLog, FinancingApplication, FinancingProduct, ReferralBatch
from registrations.models import Attendance, Business, Enrollment, Entrepreneur, User
from registrations.services import attendance_signup, enrollment_request
from registrations.tests.factories import BusinessFactory, EntrepreneurFactory, UserFactory

# --- the cast and their data ---------------------------------------------------------------


@pytest.fixture(autouse=True)
def _fast_hashing(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"  # the sample product's photo


@pytest.fixture
def menteng_entrepreneur():
    return EntrepreneurFactory(
        kelurahan_code=MENTENG_KELURAHAN,
        user=UserFactory(email="warga.menteng@example.id"),
    )


@pytest.fixture
def samples(menteng_entrepreneur, dina):
    from django.contrib.auth.models import Group

    from registrations.models import User
    from reports.services import progress_snapshot_create

    activity = ActivityFactory(center=center("31.71.06"))
    progress_snapshot_create()  # the dashboard and open data have figures to show
    enrollment = enrollment_request(
        entrepreneur=menteng_entrepreneur, facility=Facility.objects.get(code="P2"), actor=dina
    )
    application, batch, export_log = _financing_samples(menteng_entrepreneur, dina)
    marketing = _marketing_samples(menteng_entrepreneur, dina)
    menteng_objects = {
        **marketing["objects"],
        FinancingApplication: application,
        ReferralBatch: batch,
        ExportLog: export_log,
        Business: BusinessFactory(entrepreneur=menteng_entrepreneur),
        Enrollment: enrollment,
        Attendance: attendance_signup(activity=activity, entrepreneur=menteng_entrepreneur, actor=None),
        Center: center("31.71.06"),
        Kota: Kota.objects.get(pk="31.71"),
        Kecamatan: Kecamatan.objects.get(pk="31.71.06"),
        Kelurahan: Kelurahan.objects.get(pk=MENTENG_KELURAHAN),
        Facility: Facility.objects.get(code="P2"),
    }
    objects = {}
    for model in admin.site._registry:
        if model is Entrepreneur:
            objects[model] = menteng_entrepreneur
        elif model in menteng_objects:
            objects[model] = menteng_objects[model]
        elif model is User:
            objects[model] = menteng_entrepreneur.user
        elif model is Group:
            objects[model] = Group.objects.get(name="center_staff")
        elif model._meta.model_name == "activity":
            objects[model] = activity
        else:
            instance = model.objects.order_by("pk").first()
            if instance is None:
                instance = _make(model, menteng_entrepreneur)
            objects[model] = instance
    return {
        "objects": objects,
        "named": {
            "content_type_id": ContentType.objects.get_for_model(Entrepreneur).pk,
            "object_id": menteng_entrepreneur.pk,
            "id": menteng_entrepreneur.user_id,
            "pk": activity.pk,
            "application_id": application.pk,
            "batch_id": batch.pk,
            "table": "kota",
            "fmt": "csv",
            "uidb64": "MQ",
            "token": "set-password",
            "month": "2026-01",  # the Menteng entrepreneur's sample report
            **marketing["named"],
        },
    }


def _marketing_samples(entrepreneur, dina):
    """A curated product of the Menteng entrepreneur with a photo, a published round, a graded
    submission with its certificate; and the certificate of someone else for /verify/."""
    from django.utils import timezone

    from marketing import services
    from marketing.models import Certificate, CurationRound, Product, Submission
    from marketing.tests.factories import CurationRoundFactory, ProductFactory, image_bytes, upload

    product = ProductFactory(entrepreneur=entrepreneur, catalogue_grade="A", catalogue_since=timezone.now())
    photo = services.photo_add(product=product, entrepreneur=entrepreneur, file=upload(image_bytes()))
    curation_round = CurationRoundFactory()
    submission = Submission.objects.create(
        round=curation_round, product=product, status="graded", grade="A", graded_at=timezone.now()
    )
    certificate = services.certificate_issue(submission=submission)
    someone_else = ProductFactory()
    other = services.certificate_issue(
        submission=Submission.objects.create(
            round=curation_round, product=someone_else, status="graded", grade="B", graded_at=timezone.now()
        )
    )
    return {
        "objects": {Product: product, CurationRound: curation_round, Submission: submission, Certificate: certificate},
        "named": {
            "product_id": product.pk,
            "photo_id": photo.pk,
            "round_id": curation_round.pk,
            "certificate_id": certificate.pk,
            "code": other.code,
        },
    }


def _financing_samples(entrepreneur, dina):
    """A referred application of the Menteng entrepreneur, in a batch exported once."""
    product = FinancingProduct.objects.get(name="Kredit Monas Pemula")
    batch = ReferralBatch.objects.create(provider=product.provider, created_by=dina)
    application = FinancingApplication.objects.create(
        entrepreneur=entrepreneur,
        product=product,
        amount=5_000_000,
        tenor_months=12,
        purpose="Modal",
        batch=batch,
        status=FinancingApplication.Status.REFERRED,
    )
    ApplicationStep.objects.create(application=application, to_status="submitted")
    return application, batch, ExportLog.objects.create(batch=batch, kind=ExportLog.Kind.EXPORT, user=dina, rows=1)


def _make(model, entrepreneur):
    """An instance of an admin-registered model that no fixture made, tied to Menteng."""
    label = model._meta.label_lower
    if label == "axes.accessattempt":
        return model.objects.create(username="x@example.id", ip_address="203.0.113.1", failures_since_start=1)
    if label == "axes.accesslog":
        return model.objects.create(username="x@example.id", ip_address="203.0.113.1")
    if label == "axes.accessfailurelog":
        return model.objects.create(username="x@example.id", ip_address="203.0.113.1", locked_out=False)
    if label == "registrations.importjob":
        return model.objects.create(filename="legacy.csv", file="imports/legacy.csv", status="failed", message="x")
    if label == "registrations.reveallog":
        return model.objects.create(
            user=User.objects.get(email="dina@jakpreneur.test"),
            entrepreneur=entrepreneur,
            field="nik",
            reason="KTP check",
        )
    if label == "privacy.deletionrequest":
        return model.objects.create(entrepreneur=entrepreneur, reason="Saya pindah ke luar Jakarta.")
    if label.startswith("growth."):
        return _growth_sample(label, entrepreneur)
    if label == "outbox.job":
        return model.objects.create(task_name="registrations.tasks.send_registration_confirmation", args=[1])
    raise LookupError(f"add a sample {label} to tests/fault/access_walk/conftest.py")


def _growth_sample(label, entrepreneur):
    """Menteng's mentor, the entrepreneur in his caseload, a session and a report."""
    import datetime as dt

    from django.contrib.auth.models import Group

    from growth.models import MentorAssignment, MentoringSession, MentorProfile, MonthlyReport
    from registrations.models import User

    mentor, created = User.objects.get_or_create(email="mentor.menteng@jakpreneur.test", defaults={"is_staff": True})
    if created:
        mentor.groups.add(Group.objects.get(name="pendamping"))
        mentor.kecamatan_scope.set(["31.71.06"])
    if label == "growth.mentorprofile":
        return MentorProfile.objects.get_or_create(user=mentor)[0]
    assignment = MentorAssignment.objects.filter(entrepreneur=entrepreneur).first()
    if assignment is None:
        assignment = MentorAssignment.objects.create(entrepreneur=entrepreneur, mentor=mentor)
    if label == "growth.mentorassignment":
        return assignment
    if label == "growth.mentoringsession":
        return MentoringSession.objects.create(entrepreneur=entrepreneur, mentor=mentor, date=dt.date(2026, 1, 5))
    return MonthlyReport.objects.create(
        entrepreneur=entrepreneur,
        kecamatan_id=entrepreneur.kecamatan_id,
        period=dt.date(2026, 1, 1),
        turnover=1,
        assets=1,
        workers=0,
    )


@pytest.fixture
def as_role(client, menteng_entrepreneur, alice, olga, dina, maya):
    users = {
        "anonymous": None,
        "entrepreneur": menteng_entrepreneur.user,
        "alice": alice,
        "olga": olga,
        "dina": dina,
        "maya": maya,
    }

    def login(role: str):
        client.logout()
        if users[role] is not None:
            client.force_login(users[role])
        return client

    return login


@pytest.fixture
def root(db):
    from registrations.models import User

    return User.objects.create_superuser(email="root@jakpreneur.test", password="x")


@pytest.fixture
def gambir_rows():
    """Alice's own rows, for her to submit with choices outside her kecamatan."""
    person = EntrepreneurFactory(kelurahan_code=GAMBIR_KELURAHAN, user=None, full_name="Ani Gambir")
    BusinessFactory(entrepreneur=person)
    activity = ActivityFactory(center=center("31.71.01"))
    attendance_signup(activity=activity, entrepreneur=person, actor=None)
    enrollment_request(entrepreneur=person, facility=Facility.objects.get(code="P3"), actor=None)
    return person


@pytest.fixture
def root_client(root):
    from django.test import Client

    client = Client()
    client.force_login(root)
    return client
