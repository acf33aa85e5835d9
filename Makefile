# Bastion: `make run` to start the shop, `make test` to check everything.
SHELL := /bin/bash
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' && echo $$p && break; done)
VENV ?= .venv
BIN := $(VENV)/bin
export PATH := $(CURDIR)/$(BIN):$(PATH)

# The PostgreSQL + Redis run of the suite; CI sets BASTION_REQUIRE_SERVICES=1 so it cannot skip.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/bastion
TEST_REDIS_URL ?= redis://127.0.0.1:6379/14
PYTEST_WORKERS ?= 2

.PHONY: run install test test-install lint test-sqlite test-postgres debian clean

$(BIN)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "make: Python 3.11 or newer is required" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	@touch $@

$(BIN)/.test-installed: $(BIN)/.installed
	$(BIN)/pip install --quiet -e ".[test]"
	@touch $@

install: $(BIN)/.installed

run: install
	@$(MAKE) --no-print-directory debian DEBIAN_PACKAGES=modsecurity-crs
	BASTION_ENV=development $(BIN)/bastion migrate
	BASTION_ENV=development $(BIN)/bastion seed-demo
	BASTION_ENV=development exec $(BIN)/bastion run

test-install: $(BIN)/.test-installed debian

# Debian packages the product and its tests use: the OWASP Core Rule Set for the WAF, and
# Chromium for the browser tests. Installed when we can (root with apt); otherwise the WAF runs
# degraded in development and the tests that need them skip with the reason.
DEBIAN_PACKAGES := modsecurity-crs chromium
debian:
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "installing Debian packages:$$missing"; \
			(apt-get install -y -qq $$missing >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq $$missing >/dev/null)); \
		else echo "not installed and cannot install here:$$missing (the WAF runs degraded; their tests skip)"; fi; fi

lint: $(BIN)/.test-installed
	$(BIN)/ruff check bastion tests tools conftest.py
	BASTION_ENV=test DJANGO_SETTINGS_MODULE=bastion.settings_test $(BIN)/python manage.py makemigrations --check --dry-run >/dev/null

test-sqlite: test-install
	$(BIN)/pytest -n $(PYTEST_WORKERS)

test-postgres: test-install
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(BIN)/pytest -n $(PYTEST_WORKERS)

test: test-install lint test-sqlite test-postgres

clean:
	rm -rf $(VENV) var/test .pytest_cache .ruff_cache
