# Prezent: `make run` starts the Iași demo on SQLite; `make test` runs every check; `make serve` runs production
# (gunicorn, a Celery worker and beat; README, Deployment).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed-$(shell cksum requirements.lock | cut -d' ' -f1)

.PHONY: run serve test test-redis lint check pytest e2e bench messages clean

$(STAMP): requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "Installing dependencies from requirements.lock …"
	@$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@rm -f $(VENV)/.installed-*
	@touch $@

run: $(STAMP)
	@$(PY) manage.py migrate --noinput -v 0
	@$(PY) manage.py seed_demo --if-empty
	@$(PY) manage.py demo_logins
	@echo "Prezent: http://127.0.0.1:$(PORT)/"
	@$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Production: DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL, CELERY_BROKER_URL and PREZENT_PSEUDONYM_KEY from
# the environment.
serve: $(STAMP)
	@VENV=$(VENV) PORT=$(PORT) scripts/serve

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run

pytest: $(STAMP)
	$(VENV)/bin/pytest

# One task through a real worker and Redis (needs a Redis server on 127.0.0.1:6379).
test-redis: $(STAMP)
	CELERY_BROKER_URL=redis://127.0.0.1:6379/15 $(VENV)/bin/pytest prezent/risk/tests/test_celery_redis.py

test: lint pytest

bench: $(STAMP)
	$(PY) bench/run_all.py

messages: $(STAMP)
	cd prezent && ../$(PY) ../manage.py makemessages -l en --no-obsolete && ../$(PY) ../manage.py compilemessages -l en

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
