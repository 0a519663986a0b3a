"""Issue 13, item 7, through the real web server: a 5,000-character query string reached
gunicorn's own request-line limit (4094) and got its bare "414 Request-URI Too Long". Now
gunicorn lets lines up to 8190 bytes through and Django answers with its own page."""

import http.client
import socket
import subprocess
import sys
import time

import pytest
from django.db import connection

from tests.fault.processes import BASE_DIR, django_env

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory):
    """gunicorn with the project's gunicorn.conf.py, one worker, on a free port. The pages
    asked for here need no database (an unmigrated SQLite file on SQLite runs)."""
    port = _free_port()
    extra = {"WEB_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1", "WEB_THREADS": "2"}
    if connection.vendor != "postgresql":
        extra["DATABASE_URL"] = f"sqlite:///{tmp_path_factory.mktemp('gunicorn') / 'db.sqlite3'}"
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "jakpreneur.wsgi:application", "--config", "gunicorn.conf.py"],
        cwd=BASE_DIR,
        env=django_env(**extra),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert process.poll() is None, process.stderr.read()
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)  # waiting for the server to listen
    yield port
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _get(port: int, path: str, **headers: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Host": "localhost", **headers})
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def test_a_5000_character_query_string_gets_the_portals_own_page(gunicorn):
    status, body = _get(gunicorn, "/?q=" + "x" * 5000)
    assert status == 414
    assert '<html lang="id">' in body and "Alamat terlalu panjang" in body
    status, body = _get(gunicorn, "/?q=" + "x" * 5000, **{"Accept-Language": "en"})
    assert status == 414 and "Address too long" in body


def test_beyond_gunicorns_maximum_the_line_is_still_refused_cleanly(gunicorn):
    status, body = _get(gunicorn, "/?q=" + "x" * 9000)
    assert status in (400, 414)  # gunicorn's own answer past 8190 bytes
    assert "Traceback" not in body
