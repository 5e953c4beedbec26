# Quick start: `make run` (the platform on embedded defaults, with demo data) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: install run test lint bench browsers pspp clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || \
		{ echo "Python 3.11 is needed (found $$($(PYTHON) --version)); set PYTHON=/path/to/python3.11"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# `make run WEB_PORT=8001` serves on another port; the printed and emailed links follow it
# unless SITE_URL is set too.
WEB_PORT ?= 8000
SITE_URL ?= http://127.0.0.1:$(WEB_PORT)

run: install
	$(BIN)/python manage.py migrate --no-input
	SITE_URL="$(SITE_URL)" $(BIN)/python manage.py load_demo
	@echo "Open $(SITE_URL)/ (admin at $(SITE_URL)/admin/). Ctrl-C stops the web server and the worker."
	PATH="$(CURDIR)/$(BIN):$$PATH" WEB_PORT="$(WEB_PORT)" SITE_URL="$(SITE_URL)" $(BIN)/honcho -f Procfile.dev start

# Chromium for the browser tests: installed where this can (Debian or Ubuntu, as root);
# elsewhere the run skips those tests and names them in its last lines.
browsers:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Chromium for the browser tests (apt-get install chromium)"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get install -y -q chromium >/dev/null 2>&1 || \
		{ apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; } || \
		echo "Chromium could not be installed: the browser tests will be skipped."; \
	else \
		echo "No Chromium at /usr/bin/chromium and no root to install it: browser tests will be skipped."; \
	fi

# GNU PSPP reads the exported .sav files back in the export tests (an independent reader).
pspp:
	@if command -v pspp >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing GNU PSPP for the export tests (apt-get install pspp)"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get install -y -q pspp >/dev/null 2>&1 || \
		{ apt-get update -q >/dev/null && apt-get install -y -q pspp >/dev/null; } || \
		echo "GNU PSPP could not be installed: the .sav read-back test will fail."; \
	else \
		echo "No GNU PSPP and no root to install it: the .sav read-back test will fail."; \
	fi

test: install browsers pspp
	$(BIN)/python -m pytest -n $${TEST_WORKERS:-2} $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: install
	$(BIN)/python bench/import_bench.py
	$(BIN)/python bench/engine_bench.py

clean:
	rm -rf $(VENV) var
