"""Tasks for the outbox tests: each run is appended to RUNS, as an email would be sent."""

from celery import shared_task

RUNS: list[tuple] = []


@shared_task(name="outbox.tests.record")
def record(value, *, tag: str = "") -> str:
    """Stands in for an email: every run is appended to RUNS."""
    RUNS.append((value, tag))
    return f"{value}{tag}"


@shared_task(name="outbox.tests.broken")
def broken(value) -> None:
    RUNS.append((value, "broken"))
    raise ValueError("template missing")


FLAKY: dict[str, int] = {"failures_left": 0}


@shared_task(name="outbox.tests.flaky", autoretry_for=(ConnectionError,), max_retries=3, retry_backoff=False)
def flaky(value) -> None:
    RUNS.append((value, "flaky"))
    if FLAKY["failures_left"]:
        FLAKY["failures_left"] -= 1
        raise ConnectionError("SMTP server went away")
