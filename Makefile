# Partons — the two commands of the README:
#   make run    set up, load the demo region and serve it at http://$(HOST):$(PORT)
#   make test   set up and run the whole test suite (browser tests included)
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
REFERENCE ?= ../shared/data/reference
VENDOR := partons/web/static/vendor
export DJANGO_SETTINGS_MODULE ?= partons.config.settings.dev

.PHONY: run test setup venv assets translations system-deps clean messages

run: setup
	$(BIN)/partons migrate --noinput
	$(BIN)/partons load-demo
	@if [ -f "$(REFERENCE)/be-municipalities-2020.topojson" ]; then \
	  echo "Importing the Belgian municipality boundaries from $(REFERENCE)…"; \
	  $(BIN)/partons import-boundaries "$(REFERENCE)/be-municipalities-2020.topojson" --country BE --layer municipalities \
	    --code-field nis --source "Statbel / bmesuere belgium-topojson 2020 (CC0)"; \
	fi
	@if [ -f "$(REFERENCE)/be-rail-stations.csv" ]; then \
	  echo "Importing the real rail stations from $(REFERENCE)…"; \
	  $(BIN)/partons import-facilities generic "$(REFERENCE)/be-rail-stations.csv" --source "iRail stations" \
	    --licence "CC0 1.0" --category rail_station --map id=URI --map name=name --map lon=longitude --map lat=latitude; \
	fi
	$(BIN)/partons compute-access --if-stale
	$(BIN)/partons demo-coordinator
	@echo "Serving Partons at http://$(HOST):$(PORT)/ (Ctrl+C to stop)"
	SITE_URL=http://$(HOST):$(PORT) $(BIN)/partons runserver $(HOST):$(PORT)

test: setup system-deps
	DJANGO_SETTINGS_MODULE=partons.config.settings.test $(BIN)/pytest $(PYTEST_ARGS)

setup: venv assets translations

venv: $(BIN)/.installed

$(BIN)/.installed: requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js) is needed for the map libraries and data packages"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: node_modules/.installed
	@mkdir -p $(VENDOR)/leaflet $(VENDOR)/leaflet.markercluster $(VENDOR)/htmx
	@cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images $(VENDOR)/leaflet/
	@cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js node_modules/leaflet.markercluster/dist/MarkerCluster*.css $(VENDOR)/leaflet.markercluster/
	@cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	@mkdir -p $(VENDOR)/chart.js && cp node_modules/chart.js/dist/chart.umd.min.js $(VENDOR)/chart.js/

translations: venv
	@$(BIN)/partons compile-translations

# For developers: extract new UI strings into locale/*/django.po (needs GNU gettext).
messages: venv
	$(BIN)/partons makemessages -l nl -l fr -l en --ignore '.venv/*' --ignore 'node_modules/*'

# What the tests need from Debian: chromium (browser tests) and GNU gettext (catalogue completeness check).
system-deps:
	@missing=""; [ -x /usr/bin/chromium ] || missing="$$missing chromium"; command -v xgettext >/dev/null || missing="$$missing gettext"; \
	if [ -z "$$missing" ]; then :; \
	elif command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	  echo "Installing Debian packages for the tests:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else echo "The tests need Debian packages:$$missing (apt-get install$$missing)"; exit 1; fi

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var
