"""`manage.py check --deploy` with production settings, in a subprocess (settings are read
once per process)."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "k3y-" + "Zq8vN2mX5pR7tW1yB4cF6hJ9kL0sD3gA" * 2,  # 68 varied characters
    "DJANGO_ALLOWED_HOSTS": "jakpreneur.jakarta.go.id",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://jakpreneur.jakarta.go.id",
    "DATABASE_URL": "postgres://jakpreneur@db.internal:5432/jakpreneur",
    "CELERY_BROKER_URL": "redis://redis.internal:6379/0",
    "CACHE_URL": "redis://redis.internal:6379/1",
}


def check_deploy(**overrides) -> subprocess.CompletedProcess:
    prefixes = ("DJANGO_", "DATABASE_", "CELERY_", "AXES_", "CACHE_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    env.update(PRODUCTION)
    env.update(overrides)
    env = {k: v for k, v in env.items() if v is not None}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_production_settings():
    result = check_deploy()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_when_rate_limits_would_be_counted_per_process():
    result = check_deploy(CACHE_URL=None, CELERY_BROKER_URL=None)
    assert result.returncode != 0
    assert "jakpreneur.W001" in result.stderr


def test_check_deploy_fails_when_the_login_lockout_is_switched_off():
    result = check_deploy(AXES_ENABLED="0")
    assert result.returncode != 0
    assert "jakpreneur.W002" in result.stderr


def test_check_deploy_fails_when_hsts_is_switched_off():
    result = check_deploy(DJANGO_SECURE_HSTS_SECONDS="0")
    assert result.returncode != 0
    assert "security.W004" in result.stderr
