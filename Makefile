# Partons — the two commands of the README:
#   make run    set up, load the demo region and serve it at http://$(HOST):$(PORT)
#   make test   set up and run the whole test suite (browser tests included)
# and for operators:
#   make serve  the production stack (gunicorn, db_worker) from the environment; see README "Deploying"
#   make smoke  build that stack on PostgreSQL and Redis and check it over HTTP (CI runs it)
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
REFERENCE ?= ../shared/data/reference
VENDOR := partons/web/static/vendor
VAR ?= $(or $(PARTONS_VAR_DIR),var)
GUNICORN := $(BIN)/gunicorn --config python:partons.config.gunicorn partons.config.wsgi:application

.PHONY: run serve smoke test lint setup venv assets translations system-deps python-deps static clean messages

# The embedded default, served as production serves it: gunicorn (one process, threads), DEBUG off, SQLite (WAL).
run: export DJANGO_SETTINGS_MODULE = partons.config.settings.embedded
run: setup static
	$(BIN)/partons prepare-demo --reference "$(REFERENCE)"
	@echo "Serving Partons at http://$(HOST):$(PORT)/ (Ctrl+C to stop)"
	SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)} BIND=$(HOST):$(PORT) WEB_CONCURRENCY=1 WEB_THREADS=8 $(GUNICORN)

# The production stack from the environment (DATABASE_URL, CACHE_URL, SECRET_KEY, ALLOWED_HOSTS, SITE_URL…; honcho
# also reads a .env file): checks, migrations, static files, then the web server and the background worker.
serve: export DJANGO_SETTINGS_MODULE = partons.config.settings.production
serve: setup static
	$(BIN)/partons check --deploy
	$(BIN)/partons migrate --noinput
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start -f Procfile

# The production stack on PostgreSQL and Redis, built from this checkout and checked over HTTP (tests/deploy).
smoke: setup system-deps
	DJANGO_SETTINGS_MODULE=partons.config.settings.test $(BIN)/pytest -p no:cacheprovider tests/deploy --stack $(PYTEST_ARGS)

test: setup system-deps lint
	DJANGO_SETTINGS_MODULE=partons.config.settings.test $(BIN)/pytest $(PYTEST_ARGS)

# The guards that keep the code in one shape (part of `make test`): ruff finds errors (undefined names, unused imports),
# import-linter the layers of DESIGN.md (the access engine imports no Django, no app reaches up into web or api, data
# flows one way, no circle inside an app), mypy the types of the access engine and core. All read pyproject.toml.
lint: venv
	$(BIN)/ruff check partons tests bench scripts
	$(BIN)/lint-imports
	$(BIN)/mypy

setup: venv assets translations

# Hashed and compressed static files (collected again only when a static file changed; the embedded and the
# production settings store them alike).
static: $(VAR)/static/staticfiles.json
$(VAR)/static/staticfiles.json: $(VENDOR)/.copied $(shell find partons -path '*/static/*' -type f -not -path '*/vendor/*' 2>/dev/null)
	DJANGO_SETTINGS_MODULE=partons.config.settings.embedded $(BIN)/partons collectstatic --noinput --clear -v 0
	@touch $@

venv: $(BIN)/.installed

$(BIN)/.installed: requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	@$(MAKE) --no-print-directory python-deps
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || $(call debian,nodejs npm,npm (Node.js) is needed for the map libraries and the data packages)
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Front-end libraries served by the app (no CDN), with the source maps their files point to.
assets: $(VENDOR)/.copied
$(VENDOR)/.copied: node_modules/.installed
	@mkdir -p $(VENDOR)/leaflet $(VENDOR)/leaflet.markercluster $(VENDOR)/htmx $(VENDOR)/chart.js $(VENDOR)/tom-select
	@cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images $(VENDOR)/leaflet/
	@cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js node_modules/leaflet.markercluster/dist/leaflet.markercluster.js.map node_modules/leaflet.markercluster/dist/MarkerCluster*.css $(VENDOR)/leaflet.markercluster/
	@cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	@cp node_modules/chart.js/dist/chart.umd.min.js node_modules/chart.js/dist/chart.umd.min.js.map $(VENDOR)/chart.js/
	@cp node_modules/tom-select/dist/js/tom-select.complete.min.js node_modules/tom-select/dist/js/tom-select.complete.min.js.map node_modules/tom-select/dist/css/tom-select.min.css node_modules/tom-select/dist/css/tom-select.min.css.map $(VENDOR)/tom-select/
	@touch $@

translations: venv
	@$(BIN)/partons compile-translations

# For developers: extract new UI strings into locale/*/django.po (needs GNU gettext).
messages: venv
	$(BIN)/partons makemessages -l nl -l fr -l en --ignore '.venv/*' --ignore 'node_modules/*'

# $(call debian,PACKAGES,WHY): install Debian packages where apt is usable (as root), else stop with one sentence.
define debian
{ if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
    echo "Installing Debian packages: $(1)"; \
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1) >/dev/null; \
  else echo "$(2): install the packages $(1) (e.g. sudo apt-get install $(1)) and run make again."; exit 1; fi; }
endef

# Python's venv support (Debian and Ubuntu ship it apart from python3).
python-deps:
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || $(call debian,python3-venv,Python's venv module is missing)

# What the tests need from Debian: chromium (browser tests), GNU gettext (catalogue completeness check) and the
# PostgreSQL client (backups of a PostgreSQL database).
system-deps:
	@missing=""; [ -x /usr/bin/chromium ] || missing="$$missing chromium"; command -v xgettext >/dev/null || missing="$$missing gettext"; \
	command -v pg_dump >/dev/null || missing="$$missing postgresql-client"; \
	if [ -n "$$missing" ]; then $(call debian,$$missing,The tests need more Debian packages); fi

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var
