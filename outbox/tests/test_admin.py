"""The back office shows background jobs read-only: what waits for the broker, what failed."""

import pytest
from django.utils import timezone

from outbox.models import Job

pytestmark = pytest.mark.django_db

LIST = "/admin/outbox/job/"


@pytest.fixture
def jobs(db):
    now = timezone.now()
    return {
        "pending": Job.objects.create(task_name="registrations.tasks.send_registration_confirmation", args=[1]),
        "done": Job.objects.create(task_name="reports.tasks.compute_progress", published_at=now, done_at=now),
        "failed": Job.objects.create(task_name="registrations.tasks.send_registration_confirmation", failed_at=now),
    }


def test_the_list_shows_each_job_with_its_state(admin_client, jobs, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = admin_client.get(LIST)
    assert response.status_code == 200
    assert [job.pk for job in response.context["cl"].result_list] == [jobs[k].pk for k in ("failed", "done", "pending")]
    waiting = admin_client.get(LIST, {"state": "pending"})
    assert [job.pk for job in waiting.context["cl"].result_list] == [jobs["pending"].pk]
    failed = admin_client.get(LIST, {"state": "failed"})
    assert [job.pk for job in failed.context["cl"].result_list] == [jobs["failed"].pk]


def test_jobs_cannot_be_added_changed_or_deleted(admin_client, jobs):
    job = jobs["pending"]
    assert admin_client.get(f"{LIST}add/").status_code == 403
    page = admin_client.get(f"{LIST}{job.pk}/change/")
    assert page.status_code == 200 and b'type="submit"' not in page.content.split(b'id="content-main"')[1]
    response = admin_client.post(f"{LIST}{job.pk}/change/", {"task_name": "os.system", "args": "[]", "kwargs": "{}"})
    assert response.status_code == 403
    assert admin_client.post(f"{LIST}{job.pk}/delete/", {"post": "yes"}).status_code == 403
    response = admin_client.post(LIST, {"action": "delete_selected", "_selected_action": [job.pk], "post": "yes"})
    job.refresh_from_db()
    assert job.task_name == "registrations.tasks.send_registration_confirmation"
    assert Job.objects.count() == 3


def test_centre_staff_do_not_see_background_jobs(client, alice, jobs):
    client.force_login(alice)
    assert client.get(LIST).status_code == 403


def test_the_back_office_names_them_in_indonesian(admin_client, jobs):
    response = admin_client.get(LIST, {"state": "pending"})
    assert "Pekerjaan latar belakang" in response.content.decode()
    assert "menunggu broker" in response.content.decode()
