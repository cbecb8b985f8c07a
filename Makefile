# Two commands do all the set-up on a fresh machine:
#   make serve   creates .venv, installs the site's needs, builds and serves on http://127.0.0.1:8000
#   make test    installs everything (frameworks, Chromium, npm packages) and runs every test
# Both are idempotent: stamps under .venv/ make the second run skip what is done.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
STAMPS := $(VENV)/.stamps
CHROMIUM ?= /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PYTEST_ARGS ?=
JOBS ?= 2

.PHONY: help install install-site serve build test test-fast lint check export bench snippets vendor clean

help:
	@echo "make serve   — installe, construit et sert le site sur http://127.0.0.1:8000"
	@echo "make test    — installe tout (frameworks, Chromium, npm) et lance tous les tests"
	@echo "make check   — kb check sur le coffre de notes"
	@echo "make build   — construit le site dans site/ (--strict)"
	@echo "make vendor  — recopie dans kbtools le JavaScript des paquets npm épinglés (après un changement de package.json)"
	@echo "make snippets — réexécute les extraits modifiés et enregistre leurs résultats"
	@echo "make bench   — lance les benchmarks (cœur, puis protocole complet des frameworks et pages docs/benchmarks/)"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(STAMPS)/site: pyproject.toml | $(PY)
	$(PIP) install --quiet -e '.[site]'
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/all: pyproject.toml | $(PY)
	$(PIP) install --quiet -e '.[site,frameworks,test]'
	@mkdir -p $(STAMPS) && touch $@ $(STAMPS)/site

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(CHROMIUM):
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

# The site's JavaScript ships inside kbtools (kbtools/site/vendor): building needs no npm.
install-site: $(STAMPS)/site
install: $(STAMPS)/all node_modules/.package-lock.json $(CHROMIUM)

serve: install-site
	$(VENV)/bin/mkdocs serve --dirty --dev-addr 127.0.0.1:8000  # --dirty: only the pages an edit changes are rebuilt (kbtools/site/incremental.py)

build: install-site
	$(VENV)/bin/mkdocs build --strict

lint: $(STAMPS)/all
	$(VENV)/bin/ruff check kbtools tests benchmarks snippets
	$(VENV)/bin/actionlint .github/workflows/*.yml

check: $(STAMPS)/site
	$(VENV)/bin/kb check

test: install lint
	$(VENV)/bin/pytest -n $(JOBS) $(PYTEST_ARGS)

test-fast: install lint
	$(VENV)/bin/pytest -n $(JOBS) tests -m "not browser" $(PYTEST_ARGS)

snippets: $(STAMPS)/all
	$(VENV)/bin/kb snippets run --changed --update --jobs $(JOBS)

bench: $(STAMPS)/all
	$(PY) benchmarks/core.py
	$(VENV)/bin/kb bench run
	$(VENV)/bin/kb bench report

# After changing package.json: refresh the copies kbtools ships (tests/site/test_vendor.py checks them).
vendor: node_modules/.package-lock.json $(STAMPS)/site
	$(PY) -m kbtools.site.npm_files node_modules

clean:
	rm -rf site build .pytest_cache .ruff_cache
