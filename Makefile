# Common Ground: `make run` (site with demo content on SQLite), `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app debate
LOADER := bench/loader

.PHONY: run test js-test lint bench clean translations
LANGUAGES := cy ar
PYBABEL := $(BIN)/pybabel
CATALOGUES := $(wildcard translations/*/LC_MESSAGES/*.po)

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/activate
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

# The catalogues compiled (.mo, not committed): on install, and again whenever a .po changes.
translations/.compiled: $(CATALOGUES) | $(VENV)/.installed
	$(PYBABEL) -q compile -d translations -D messages --statistics
	$(PYBABEL) -q compile -d translations -D js --statistics
	touch $@

## After marking new text: extract it from the code and templates and add it to each language's catalogue
translations: $(VENV)/.installed
	$(PYBABEL) -q extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 -k lazy_pgettext:1c,2 --add-location=file --sort-by-file \
		--project="Common Ground" --copyright-holder="Common Ground contributors" -o translations/messages.pot .
	$(PYBABEL) -q extract -F babel-js.cfg --add-location=file --sort-by-file \
		--project="Common Ground" --copyright-holder="Common Ground contributors" -o translations/js.pot .
	for code in $(LANGUAGES); do \
		for domain in messages js; do \
			if [ -f translations/$$code/LC_MESSAGES/$$domain.po ]; then \
				$(PYBABEL) -q update -D $$domain -i translations/$$domain.pot -d translations -l $$code --no-fuzzy-matching --ignore-obsolete; \
			else \
				$(PYBABEL) -q init -D $$domain -i translations/$$domain.pot -d translations -l $$code; \
			fi; \
		done; \
	done

# The live benchmark's Node loader and bare Node server (socket.io-client, socket.io, ws: pinned by its package-lock.json).
$(LOADER)/node_modules/.installed: $(LOADER)/package.json $(LOADER)/package-lock.json
	cd $(LOADER) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

## Install, migrate, load demo content once, and serve on http://127.0.0.1:5000
run: $(VENV)/.installed translations/.compiled
	$(FLASK) db upgrade
	$(FLASK) demo
	$(BIN)/python -m debate

## Install test tools (and Debian's chromium and nginx if missing), lint, type-check, run every test
test: $(VENV)/.installed-dev $(LOADER)/node_modules/.installed translations/.compiled
	scripts/ensure-chromium
	scripts/ensure-nginx
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest

## Lint, check formatting and types (the first steps of `make test`)
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## Run the production-path benchmarks (live load against a bare baseline, pages on a large dataset): bench/RESULTS.md
bench: $(VENV)/.installed-dev $(LOADER)/node_modules/.installed
	scripts/ensure-services
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache test-artifacts $(LOADER)/node_modules translations/.compiled translations/*/LC_MESSAGES/*.mo

## The JavaScript unit tests alone (pytest runs them too: tests/web/test_js_units.py)
js-test:
	node --test tests/js/
