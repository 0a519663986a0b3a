"""Every directory that holds tests is collected by a bare `pytest` (and so by `make test` and
CI): an app left out of pytest.ini's testpaths has tests that never run."""

import configparser
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
SKIP = {".venv", "node_modules", ".git", "benchmarks"}


def test_every_test_directory_is_in_testpaths():
    config = configparser.ConfigParser()
    config.read(BASE_DIR / "pytest.ini")
    testpaths = set(config["pytest"]["testpaths"].split())
    holding_tests = {
        path.relative_to(BASE_DIR).parts[0]
        for path in BASE_DIR.rglob("test_*.py")
        if not SKIP & set(path.relative_to(BASE_DIR).parts)
    }
    assert holding_tests - testpaths == set()
