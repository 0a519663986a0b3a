"""Structured logs: one JSON object per line, for requests, Celery tasks and everything else.

Only the fields listed in FIELDS are taken from a record's extras, so an object passed in
`extra` (Django passes the request) never ends up in the log; messages must not carry
personal data (NIK, phone, names) in the first place.
"""

import json
import logging
import time
from contextvars import ContextVar
from datetime import UTC, datetime

# The id of the request being served, added to every line logged while serving it.
request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)

FIELDS = (
    "request_id",
    "method",
    "path",
    "status",
    "duration_ms",
    "user_id",
    "task",
    "task_id",
    "state",
    "runtime_ms",
    "retries",
)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        request_id = request_id_var.get()
        if request_id:
            entry["request_id"] = request_id
        for field in FIELDS:
            value = record.__dict__.get(field)
            if value is not None:
                entry[field] = value if isinstance(value, int | float | bool) else str(value)
        if record.exc_info:
            entry["exc_type"] = record.exc_info[0].__name__ if record.exc_info[0] else None
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


task_logger = logging.getLogger("jakpreneur.task")
_started: dict[str, float] = {}


def _task_prerun(task_id=None, task=None, **kwargs) -> None:
    _started[task_id] = time.monotonic()
    task_logger.info("task started", extra={"task": task.name, "task_id": task_id, "state": "STARTED"})


def _task_postrun(task_id=None, task=None, state=None, **kwargs) -> None:
    started = _started.pop(task_id, None)
    runtime = round((time.monotonic() - started) * 1000, 1) if started is not None else None
    # Celery's own logger (celery.app.trace) records a failure's traceback, in JSON too.
    level = {"SUCCESS": logging.INFO, "FAILURE": logging.ERROR}.get(state, logging.WARNING)
    task_logger.log(
        level,
        "task finished",
        extra={"task": task.name, "task_id": task_id, "state": state, "runtime_ms": runtime},
    )


def _task_retry(request=None, reason=None, sender=None, **kwargs) -> None:
    task_logger.warning(
        "task retry: %s",
        reason.__class__.__name__ if isinstance(reason, BaseException) else reason,
        extra={
            "task": getattr(sender, "name", None),
            "task_id": getattr(request, "id", None),
            "state": "RETRY",
            "retries": getattr(request, "retries", None),
        },
    )


def connect_task_logging() -> None:
    from celery import signals

    signals.task_prerun.connect(_task_prerun, weak=False, dispatch_uid="jp_task_prerun")
    signals.task_postrun.connect(_task_postrun, weak=False, dispatch_uid="jp_task_postrun")
    signals.task_retry.connect(_task_retry, weak=False, dispatch_uid="jp_task_retry")
