# The quick start: `make demo` serves the platform with demo data; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo serve test lint bench bench-sync bench-attempts bench-marking bench-certificates bench-cohorts bench-gift bench-erlang clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

## Create .venv, install, bring the SQLite database up to date, load the demo, serve on :5000.
demo: $(VENV)/.installed
	$(BIN)/lms demo
	$(MAKE) --no-print-directory serve

## Serve on http://127.0.0.1:5000 with gunicorn (plain HTTP on loopback: cookies not Secure).
serve: $(VENV)/.installed
	@echo "Serving on http://127.0.0.1:5000/login (Ctrl+C to stop)"
	LMS_SECURE_COOKIES=false $(BIN)/gunicorn --workers 2 --bind 127.0.0.1:5000 \
		--access-logfile - --log-level warning wsgi:app

## Create .venv if needed, install the test extras, run the whole suite.
test: $(VENV)/.installed-test
	$(BIN)/pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(VENV)/.installed-test
	$(BIN)/python bench/http_load.py

bench-sync: $(VENV)/.installed
	$(BIN)/python bench/content_sync.py

## 200 learners taking a quiz at once under gunicorn on PostgreSQL (127.0.0.1:5432).
bench-attempts: $(VENV)/.installed-test
	$(BIN)/python bench/attempts.py

## The marking queue and moderation sample with 5,000 learners on PostgreSQL (127.0.0.1:5432).
bench-marking: $(VENV)/.installed
	$(BIN)/python bench/marking.py

## Certificates: one PDF render vs WeasyPrint alone, serving a stored PDF, a ZIP of 500 (SQLite).
bench-certificates: $(VENV)/.installed
	$(BIN)/python bench/certificates.py

## Cohorts: the trainer's matrix, the HR dashboard, 100,000-record CSV and XLSX exports (PostgreSQL).
bench-cohorts: $(VENV)/.installed-test
	$(BIN)/python bench/cohorts.py

bench-gift: $(VENV)/.installed
	$(BIN)/python bench/gift_parse.py

bench-erlang: $(VENV)/.installed
	$(BIN)/python bench/erlang.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
