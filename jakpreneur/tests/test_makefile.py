"""The Makefile's Python probe on a machine with pyenv: its shims exist for every installed
version but complain on stderr when that version is not active. The probe must skip them
quietly and find a Python that runs."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
PYENV_COMPLAINT = """#!/bin/sh
echo "pyenv: $(basename "$0"): command not found" >&2
echo "The \\`$(basename "$0")' command exists in these Python versions:" >&2
exit 127
"""

MAKE = shutil.which("make")
pytestmark = pytest.mark.skipif(MAKE is None, reason="needs GNU make")


def test_the_python_probe_skips_inactive_pyenv_shims_quietly(tmp_path):
    shims = tmp_path / "shims"
    shims.mkdir()
    for name in ("python3.13", "python3.12", "python3.11"):
        (shims / name).write_text(PYENV_COMPLAINT)
        (shims / name).chmod(0o755)
    (shims / "python3").symlink_to(sys.executable)
    result = subprocess.run(
        [MAKE, "-n", f"VENV={tmp_path / 'venv'}", "run"],
        cwd=BASE_DIR,
        env={"PATH": f"{shims}:/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert f"python3 -m venv {tmp_path / 'venv'}" in result.stdout
