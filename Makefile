# The README's two commands: `make run` and `make test`. Everything else is a step of those.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup dev-setup env migrate lint messages clean deploy serve bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installs again only when a requirements file changed.
$(VENV)/.installed: requirements.txt $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

# A local .env with DEBUG on and a random secret key, written once, never committed.
.env:
	@printf 'DEBUG=1\nSECRET_KEY=%s\n' "$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > .env
	@echo "Wrote .env for local use (DEBUG=1 and a random SECRET_KEY)."

setup: $(VENV)/.installed .env
dev-setup: $(VENV)/.installed-dev .env

migrate: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable

## First command: set up, migrate, seed from the article, create the local admin, serve on http://127.0.0.1:8000/
run: migrate
	$(BIN)/python manage.py seed
	$(BIN)/python manage.py create_local_admin
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## Second command: set up and run the whole test suite (SQLite unless DATABASE_URL says otherwise)
test: dev-setup
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: dev-setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## Production, with the project's .venv and the environment's settings (see README)
deploy: $(BIN)/python
	PYTHON=$(BIN)/python bin/deploy

serve: $(BIN)/python
	PYTHON=$(BIN)/python bin/serve

## Every benchmark in one table (bench/README.md); DATABASE_URL=postgres://… for PostgreSQL
bench: dev-setup
	$(BIN)/python -m bench

messages: dev-setup
	$(BIN)/python manage.py makemessages -l vi --no-obsolete --no-location
	$(BIN)/python manage.py compilemessages -l vi --ignore=.venv

clean:
	rm -rf $(VENV) var .env
