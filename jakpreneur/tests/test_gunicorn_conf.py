"""gunicorn.conf.py, the production web server's settings (`make stack`, Procfile `web`)."""

import gc
import runpy
from pathlib import Path

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def test_a_worker_freezes_what_it_loaded_once_django_is_up(monkeypatch):
    monkeypatch.setenv("WEB_THREADS", "3")
    conf = runpy.run_path(str(CONF))
    assert (conf["worker_class"], conf["threads"]) == ("gthread", 3)
    gc.unfreeze()
    try:
        conf["post_worker_init"](None)
        assert gc.get_freeze_count() > 0  # the garbage collector's full passes skip them
    finally:
        gc.unfreeze()
