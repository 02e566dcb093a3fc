# Coproduce: the two commands are `make demo` and `make test`; the rest serve them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMPS := .stamps
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help setup demo test serve lint format bench bench-ledger messages assets clean

help:
	@echo "make demo   - set up and run Coproduce on SQLite with the demo world (http://$(HOST):$(PORT))"
	@echo "make test   - set up and run the whole test suite (DATABASE_URL picks the database)"
	@echo "make serve  - production shape: gunicorn + db_worker against DATABASE_URL (PostgreSQL)"
	@echo "make lint   - ruff lint + format check, mypy, bandit, migrations check"
	@echo "make bench  - the index benchmark against samplics (see benchmarks/README.md)"
	@echo "make bench-ledger - the engagement dashboards over 1,000,000 records (PostgreSQL)"
	@echo "make bench-public - public form submission and consultation page under wrk (PostgreSQL)"

# --- set-up steps, each re-run only when its inputs change ------------------
$(STAMPS):
	@mkdir -p $(STAMPS)

# Debian packages: gettext compiles translations; chromium runs the browser tests;
# pango draws WeasyPrint's PDF reports, in DejaVu (it has the Vietnamese glyphs).
$(STAMPS)/debian-%: | $(STAMPS)
	@dpkg -s $* >/dev/null 2>&1 || { \
	  echo "Installing Debian package $*"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $*; }
	@touch $@

# pg_dump and pg_restore, for the backups (docs/backups.md) and their test on PostgreSQL.
$(STAMPS)/pg-tools: | $(STAMPS)
	@command -v pg_dump >/dev/null || { \
	  echo "Installing Debian package postgresql-client"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends postgresql-client; }
	@touch $@

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMPS)/python: pyproject.toml | $(BIN)/python $(STAMPS)
	$(BIN)/pip install -q -e .
	@touch $@

$(STAMPS)/python-dev: pyproject.toml $(STAMPS)/python | $(STAMPS)
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@

$(STAMPS)/npm: package.json package-lock.json | $(STAMPS)
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# GOV.UK Frontend compiled with Arial (no GDS Transport font) and copied without the
# crown, crest or logotype images, which are reserved for GOV.UK.
DIST := src/coproduce/static/dist
$(STAMPS)/assets: $(STAMPS)/npm $(STAMPS)/python $(wildcard assets/*.scss) | $(STAMPS)
	@mkdir -p $(DIST)
	$(BIN)/python -c "from coproduce.core.charts import javascript_bundle as b; open('$(DIST)/vega.js', 'w').write(b())"
	npx sass --quiet-deps --silence-deprecation=import --no-source-map --style=compressed --load-path=. assets/coproduce.scss $(DIST)/coproduce.css
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js $(DIST)/govuk-frontend.min.js
	@# Vega's expression interpreter, so charts draw under a CSP without 'unsafe-eval'
	@# (docs/security-hardening.md): ES modules, its one import pointed at vega-util's,
	@# without source-map comments (collectstatic would look for the maps).
	@mkdir -p $(DIST)/vega-util
	for f in node_modules/vega-util/build/*.js; do sed '/sourceMappingURL/d' $$f > $(DIST)/vega-util/$${f##*/}; done
	sed -e "s#from 'vega-util'#from './vega-util/index.js'#" -e '/sourceMappingURL/d' node_modules/vega-interpreter/build/vega-interpreter.js > $(DIST)/vega-interpreter.js
	@touch $@

assets: $(STAMPS)/assets

$(STAMPS)/messages: $(STAMPS)/python $(STAMPS)/debian-gettext $(shell find src/coproduce -name '*.po') | $(STAMPS)
	cd src/coproduce && ../../$(BIN)/django-admin compilemessages --settings=coproduce.settings -v 0
	@touch $@

messages: $(STAMPS)/python $(STAMPS)/debian-gettext
	cd src/coproduce && ../../$(BIN)/django-admin makemessages --settings=coproduce.settings -l vi -l cy --no-obsolete --no-location -v 0
	$(MAKE) $(STAMPS)/messages

WEASYPRINT_DEBS := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
setup: $(STAMPS)/python $(STAMPS)/assets $(STAMPS)/messages $(WEASYPRINT_DEBS:%=$(STAMPS)/debian-%)

# --- the two commands --------------------------------------------------------
demo: setup
	$(BIN)/coproduce demo --addrport $(HOST):$(PORT)

test: setup $(STAMPS)/python-dev $(STAMPS)/debian-chromium $(STAMPS)/pg-tools
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/coproduce makemigrations --check --dry-run -v 1
	$(BIN)/mypy
	$(BIN)/bandit -q -r src -c .bandit
	$(BIN)/pytest $(PYTEST_ARGS)

# --- the production shape ------------------------------------------------------
serve: setup
	@test -n "$$DATABASE_URL" || { echo "make serve needs DATABASE_URL (postgres://...)"; exit 2; }
	COPRODUCE_ENV=production $(BIN)/coproduce check --deploy --fail-level ERROR
	COPRODUCE_ENV=production $(BIN)/coproduce migrate --no-input
	COPRODUCE_ENV=production $(BIN)/coproduce createcachetable
	COPRODUCE_ENV=production $(BIN)/coproduce collectstatic --no-input -v 0
	COPRODUCE_ENV=production $(BIN)/coproduce serve

lint: setup $(STAMPS)/python-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/bandit -q -r src -c .bandit
	$(BIN)/coproduce makemigrations --check --dry-run

format: $(STAMPS)/python-dev
	$(BIN)/ruff check --fix src tests benchmarks
	$(BIN)/ruff format src tests benchmarks

bench: setup $(STAMPS)/python-dev
	$(BIN)/python -m benchmarks.bench_index $(BENCH_ARGS)

# The engagement dashboards over 1,000,000 participation records, on PostgreSQL.
bench-ledger: setup
	$(BIN)/python -m benchmarks.bench_ledger $(BENCH_ARGS)

clean:
	rm -rf $(STAMPS) $(DIST) node_modules .pytest_cache .mypy_cache .ruff_cache

# The public survey submission and consultation page on gunicorn + PostgreSQL, under wrk,
# against a bare Django app (benchmarks/README.md); bounded: 20 s a row, 30 min in all.
.PHONY: bench-public
bench-public: setup $(STAMPS)/debian-wrk
	timeout 1800 $(BIN)/python -m benchmarks.bench_public $(BENCH_ARGS)
