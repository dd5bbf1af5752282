# Lantoa: `make demo` and `make test` are all a newcomer needs (see README.md).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
LANTOA := $(BIN)/lantoa
PG_URL ?= postgres://postgres@127.0.0.1:5432/lantoa
DEBIAN_PACKAGES := gettext chromium fonts-liberation2 poppler-utils tesseract-ocr tesseract-ocr-vie libpango-1.0-0 libpangoft2-1.0-0 redis-server redis-tools ffmpeg espeak-ng
export LANTOA_DEBUG ?= 1

.PHONY: demo test test-sqlite test-postgres pytest-sqlite pytest-postgres lint bench system-deps messages messages-update migrate clean postgres redis axe

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

# Debian packages the project needs; apt runs only when one is missing.
system-deps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

messages: $(VENV)/.installed system-deps
	cd src/lantoa && ../../$(LANTOA) compilemessages --verbosity 0

# After changing marked strings: refresh the catalogues, then translate the new entries.
messages-update: $(VENV)/.installed system-deps
	cd src/lantoa && ../../$(LANTOA) makemessages -l vi -l en --no-obsolete

migrate: messages
	mkdir -p var
	$(LANTOA) migrate --verbosity 0

demo: migrate
	$(LANTOA) load_demo
	@echo ""
	@echo "Lantoa: http://127.0.0.1:8000  (Ctrl+C to stop; a background worker reads scanned PDFs)"
	$(LANTOA) db_worker --verbosity 0 & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(LANTOA) runserver 127.0.0.1:8000

# PostgreSQL is started by the machine; start it here if it is not running.
postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@pg_isready -q -h 127.0.0.1 -p 5432 || { echo "PostgreSQL is not reachable on 127.0.0.1:5432: the PostgreSQL half of the suite cannot run." >&2; exit 1; }

# Redis (the shared cache of production's rate limits) is started by the machine; start it here
# if it is not running (one test checks that two processes share a limit through it).
redis: system-deps
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" >/dev/null
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || { echo "Redis is not reachable on 127.0.0.1:6379." >&2; exit 1; }

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(LANTOA) makemigrations --check --dry-run --verbosity 0

# axe-core, the accessibility checker the browser tests inject into the public pages (WCAG 2.1
# AA); installed once from npm into var/ (project-local, never global).
AXE := var/node_modules/axe-core/axe.min.js
axe: $(AXE)
$(AXE):
	@command -v npm >/dev/null || { echo "npm is missing: install Debian's nodejs (or npm)." >&2; exit 1; }
	mkdir -p var && npm install --prefix var --no-audit --no-fund --no-save --silent axe-core@4

test-sqlite: messages redis axe pytest-sqlite

test-postgres: messages postgres redis axe pytest-postgres

pytest-sqlite:
	LANTOA_TESTING=1 $(BIN)/pytest -q

pytest-postgres:
	LANTOA_TESTING=1 LANTOA_DATABASE_URL=$(PG_URL) $(BIN)/pytest -q

# The two halves run side by side, one a core (measured: 7.5 and 8.6 minutes together, against
# about 16 one after the other); each prints its report as it ends (-Otarget).
test: lint messages postgres redis axe
	$(MAKE) --no-print-directory -j2 -Otarget pytest-sqlite pytest-postgres

bench: messages postgres redis
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var .pytest_cache
