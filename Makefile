# The two commands: `make run` and `make test`. Both set everything up on a fresh machine
# (Python 3.11+ and make): a virtual environment in .venv/ from the pinned requirements.lock.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run run-production test lint pytest migrate messages lock bench bench-library bench-load clean

$(STAMP): requirements.lock
	test -x $(BIN)/pip || { rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	touch $(STAMP)

migrate: $(STAMP)
	$(BIN)/python manage.py migrate --noinput

# The web server and the background worker, stopped together by Ctrl-C (portal/core/management/commands/run_portal.py).
run: migrate
	PORT=$(PORT) $(BIN)/python manage.py load_demo
	PORT=$(PORT) $(BIN)/python manage.py run_portal --port $(PORT)

# The production set on one machine: collectstatic, migrate, then gunicorn and the task worker with
# portal.settings.production, stopped together by Ctrl-C (scripts/run_production.py, docs/deployment.md).
# The environment must give SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, EMAIL_URL, SITE_URL...
run-production: $(STAMP)
	DJANGO_SETTINGS_MODULE=portal.settings.production $(BIN)/python scripts/run_production.py

lint: $(STAMP)
	$(BIN)/ruff check .

pytest: $(STAMP)
	$(BIN)/pytest

test: lint pytest

# French catalogue: extract the strings, then translate the new entries in locale/fr/LC_MESSAGES/django.po.
messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l fr --no-obsolete --ignore=.venv --ignore=var --ignore=staticfiles --ignore=tests --ignore=bench
	$(BIN)/python manage.py compilemessages -l fr --ignore=.venv

# Re-pin the dependencies after changing pyproject.toml.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --upgrade pip
	$(PYTHON) -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; \
	  print("\n".join(p["dependencies"] + p["optional-dependencies"]["dev"]))' > .lock-venv/in.txt
	.lock-venv/bin/pip install --quiet -r .lock-venv/in.txt
	.lock-venv/bin/pip freeze > requirements.lock
	rm -rf .lock-venv

bench: $(STAMP)
	$(BIN)/python bench/page_weight.py

# The library's search engines on 10,000 and 100,000 generated resources (about 15 minutes; see the
# script's docstring for PostgreSQL and ELASTICSEARCH_URL). Quicker: make bench-library SIZES=2000
SIZES ?= 10000,100000
bench-library: $(STAMP)
	$(BIN)/python bench/library_search.py --sizes $(SIZES)

# 50 readers, 5 reporters, an import and a newsletter send at once on a throw-away installation (SQLite
# file; LOAD_ARGS="--database-url postgres://…" for PostgreSQL, LOAD_ARGS=--quick for 30 s). docs/benchmarks.md
LOAD_ARGS ?=
bench-load: $(STAMP)
	$(BIN)/python bench/load.py $(LOAD_ARGS)

clean:
	rm -rf $(VENV) staticfiles
