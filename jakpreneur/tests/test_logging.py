import json
import logging

import pytest
from celery import shared_task

from jakpreneur.logging import JsonFormatter

pytestmark = pytest.mark.django_db


@shared_task(name="jakpreneur.tests.sample_task")
def sample_task(fail: bool = False) -> str:
    if fail:
        raise ValueError("sample failure")
    return "done"


def _records(caplog, logger_name):
    return [record for record in caplog.records if record.name == logger_name]


def test_the_formatter_writes_one_json_object_with_known_fields_only():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "GET %s", ("/me/",), None)
    record.method = "GET"
    record.status = 200
    record.request = object()  # Django passes the request; it must not be serialised
    entry = json.loads(JsonFormatter().format(record))
    assert entry["msg"] == "GET /me/"
    assert entry["level"] == "INFO"
    assert entry["method"] == "GET" and entry["status"] == 200
    assert "request" not in entry
    assert entry["ts"].endswith("+00:00")


def test_every_request_is_logged_with_method_path_status_duration_and_user(client, caplog, dina):
    client.force_login(dina)
    with caplog.at_level(logging.INFO, logger="jakpreneur.request"):
        response = client.get("/admin/", {"q": "3171014501900001"})
    (record,) = _records(caplog, "jakpreneur.request")
    assert (record.method, record.path, record.status, record.user_id) == ("GET", "/admin/", 200, dina.pk)
    assert record.duration_ms >= 0
    # The query string may hold a searched NIK: it is never logged.
    assert "3171014501900001" not in JsonFormatter().format(record)
    assert response["X-Request-ID"]


def test_an_anonymous_request_is_logged_without_a_user(client, caplog):
    with caplog.at_level(logging.INFO, logger="jakpreneur.request"):
        client.get("/healthz", HTTP_X_REQUEST_ID="lb-0123456789")
    (record,) = _records(caplog, "jakpreneur.request")
    assert record.user_id is None
    assert record.status == 200


def test_the_request_id_from_the_load_balancer_is_kept_and_junk_is_replaced(client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="lb-0123456789")["X-Request-ID"] == "lb-0123456789"
    replaced = client.get("/healthz", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"]
    assert replaced != "<script>" and len(replaced) == 32


def test_tasks_are_logged_with_name_state_and_runtime(caplog):
    with caplog.at_level(logging.INFO, logger="jakpreneur.task"):
        sample_task.delay()
    states = [(r.task, r.state) for r in _records(caplog, "jakpreneur.task")]
    assert states == [("jakpreneur.tests.sample_task", "STARTED"), ("jakpreneur.tests.sample_task", "SUCCESS")]
    assert _records(caplog, "jakpreneur.task")[-1].runtime_ms >= 0


def test_a_failing_task_is_logged_with_its_error(caplog):
    # As a worker runs it: the error is caught and recorded, not raised into the caller.
    with caplog.at_level(logging.INFO):
        sample_task.apply(kwargs={"fail": True}, throw=False)
    (failure,) = [r for r in _records(caplog, "jakpreneur.task") if r.state == "FAILURE"]
    assert failure.levelno == logging.ERROR
    (trace,) = _records(caplog, "celery.app.trace")
    assert trace.exc_info[0] is ValueError
    assert '"exc_type": "ValueError"' in JsonFormatter().format(trace)
