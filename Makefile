# JakPreneur portal. `make run` and `make test` work on a fresh machine with Python 3.11+.
SHELL := /bin/bash
# The first python3.x on PATH that runs and is 3.11+. pyenv's shims exist for versions that are
# not active and complain on stderr when run: silence the probe, try the next name.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_ENTREPRENEURS ?= 3000
PYTEST_ARGS ?=

.PHONY: help run test venv dev-venv migrate demo lint format messages stack browser-deps superuser clean backup restore

help:
	@echo "make run    - set up and serve the portal on http://$(HOST):$(PORT) (SQLite, eager tasks)"
	@echo "make test   - set up and run ruff, makemigrations --check and the whole test suite"
	@echo "make stack  - production-style gunicorn + Celery worker + beat (needs DATABASE_URL, CELERY_BROKER_URL)"
	@echo "make messages - extract and compile translations (needs gettext)"
	@echo "make backup  - dump PostgreSQL (pg_dump -Fc) and the media files into backups/<time>/"
	@echo "make restore BACKUP=backups/<time> [FORCE=1] - restore one into the DATABASE_URL database"

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is required (python3.11, python3.12 ...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime-installed

venv: $(VENV)/.runtime-installed
dev-venv: $(VENV)/.dev-installed

# The embedded default: SQLite file, Celery tasks executed in-process, DEBUG on.
run: export DJANGO_DEBUG ?= 1
run: venv
	$(BIN)/python manage.py migrate --noinput
	@$(BIN)/python manage.py seed_demo --help >/dev/null 2>&1 && \
		{ $(BIN)/python manage.py shell -c "from registrations.models import Entrepreneur; import sys; sys.exit(Entrepreneur.objects.exists())" \
		  && $(BIN)/python manage.py seed_demo --entrepreneurs $(DEMO_ENTREPRENEURS) --seed 1 \
		  && $(BIN)/python manage.py compute_progress || true; } || true
	@echo ""
	@echo "  JakPreneur is starting on http://$(HOST):$(PORT)/"
	@echo "  Create an admin account with:  $(BIN)/python manage.py createsuperuser"
	@echo "  or a staff account with:       $(BIN)/python manage.py create_staff --email you@example.com --role dinas_admin"
	@echo ""
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: dev-venv browser-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Browser tests drive Debian's Chromium (Playwright may not download its own browser here).
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
			echo "Installing Debian's chromium for the browser tests ..."; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "WARNING: /usr/bin/chromium is missing; install it (apt-get install chromium) or the browser tests fail."; \
		fi; \
	fi

lint: dev-venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: dev-venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Translations: extract, de-duplicate (after union merges) and compile. Needs gettext.
messages: dev-venv
	@# Union merges of parallel branches can leave an entry twice: keep the first of each.
	@for po in $$(git ls-files '*.po'); do msguniq --use-first -o "$$po.tmp" "$$po" && mv "$$po.tmp" "$$po"; done
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemessages --locale id --no-location --ignore '.venv/*' --ignore 'staticfiles/*' --ignore 'test-artifacts/*'
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemessages --locale id --domain djangojs --no-location --ignore '.venv/*' --ignore 'staticfiles/*' --ignore 'static/vendor/*'
	@# msgfmt, not compilemessages: that skips a .po older than its .mo (after a merge took one side's .mo).
	@for po in $$(git ls-files '*.po'); do msgfmt --check -o "$${po%.po}.mo" "$$po" || exit 1; done

# Production-style: gunicorn + Celery worker + beat (Procfile) on PostgreSQL and Redis, debug
# off, static files collected and served by whitenoise. Variables may also come from .env.
# TLS ends at the proxy in front, so no HTTPS redirect by default on 127.0.0.1.
stack: export DJANGO_DEBUG = 0
stack: export DJANGO_SECURE_SSL_REDIRECT ?= 0
stack: export DJANGO_MANIFEST_STATIC ?= 1
stack: export WHITENOISE_USE_FINDERS ?= 0
stack: venv
	@$(BIN)/honcho run sh -c 'test -n "$$DATABASE_URL"' || { echo "Set DATABASE_URL, e.g. postgres://user@127.0.0.1:5432/jakpreneur (see .env.example)"; exit 1; }
	@$(BIN)/honcho run sh -c 'test -n "$$CELERY_BROKER_URL"' || { echo "Set CELERY_BROKER_URL, e.g. redis://127.0.0.1:6379/0"; exit 1; }
	@$(BIN)/honcho run sh -c 'test -n "$$DJANGO_SECRET_KEY"' || { echo "Set DJANGO_SECRET_KEY (50+ random characters):"; \
		echo "  export DJANGO_SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')"; exit 1; }
	$(BIN)/honcho run $(BIN)/python manage.py migrate --noinput
	$(BIN)/honcho run $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/honcho start

# Backups (PostgreSQL + media files; README "Backups"). Variables may come from .env, as for
# `make stack`. BACKUP_DIR= overrides where backups are written.
backup: venv
	$(BIN)/honcho run $(BIN)/python manage.py backup $(if $(BACKUP_DIR),--output-dir "$(BACKUP_DIR)")

restore: venv
	@test -n "$(BACKUP)" || { echo "Name the backup folder: make restore BACKUP=backups/20250101-020000 [FORCE=1]"; exit 1; }
	$(BIN)/honcho run $(BIN)/python manage.py restore "$(BACKUP)" $(if $(FORCE),--force)

clean:
	rm -rf $(VENV) staticfiles test-artifacts .pytest_cache .ruff_cache
