# The two commands of the README: `make run` (index an archive, serve the web app) and `make test`;
# `make test-es` runs the Elasticsearch tests against a real node it starts and stops; `make lint`
# runs ruff and mypy.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
ARCHIVE ?= $(if $(wildcard ../shared/corpus),../shared/corpus,)
INDEX ?= data/index
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install lock run index serve test test-fast test-es lint system-deps fonts bench eval clean
NOTO := /usr/share/fonts/truetype/noto

# Every install is held to constraints.txt (PIP_CONSTRAINT reaches build dependencies too), so the
# same commit installs the same packages on any day. `make lock` refreshes it on purpose.
CONSTRAINTS := $(CURDIR)/constraints.txt
PINNED := PIP_CONSTRAINT=$(CONSTRAINTS)

$(VENV)/.installed: setup.cfg pyproject.toml constraints.txt
	python3 -m venv $(VENV)
	$(PINNED) $(PIP) install --quiet --upgrade pip
	# torch first: a CPU wheel when the machine has one on disk (PIP_FIND_LINKS), else PyPI's build
	$(PINNED) $(PIP) install --quiet torch==2.13.0
	$(PINNED) $(PIP) install --quiet -e '.[test,train]'
	touch $@

install: $(VENV)/.installed

# Re-resolve every dependency to the newest versions setup.cfg allows, in a throw-away venv, and
# write them to constraints.txt. Run it on purpose, then `make test`, and commit both together.
LOCK_VENV := $(CURDIR)/.lock-venv
lock:
	rm -rf $(LOCK_VENV) && python3 -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/pip install --quiet --upgrade pip setuptools wheel
	$(LOCK_VENV)/bin/pip install --quiet torch==2.13.0
	$(LOCK_VENV)/bin/pip install --quiet '.[test,train]'
	{ sed -n '/^#/p' constraints.txt; $(LOCK_VENV)/bin/pip freeze --all --exclude arshif | LC_ALL=C sort -f; } > constraints.txt.new
	mv constraints.txt.new constraints.txt && rm -rf $(LOCK_VENV) build

# Debian packages needed by the browser tests (skipped when already present or not root).
system-deps:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && apt-get install -y -qq chromium chromium-driver fonts-noto-core >/dev/null) \
	      || echo "warning: could not install chromium; browser tests will skip"; \
	  else echo "warning: chromium missing and cannot apt-get; browser tests will skip"; fi; \
	fi

# Arabic fonts served from static/fonts (no asset from the internet): copied from Debian's
# fonts-noto-core at set-up time, not committed. Without them the page falls back to system fonts.
fonts:
	@if [ ! -f $(NOTO)/NotoNaskhArabic-Regular.ttf ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  (apt-get update -qq && apt-get install -y -qq fonts-noto-core >/dev/null) || echo "warning: could not install fonts-noto-core"; fi
	@mkdir -p static/fonts
	@for f in NotoNaskhArabic-Regular NotoNaskhArabic-Bold NotoSansArabic-Regular NotoSansArabic-Bold; do \
	  [ -f $(NOTO)/$$f.ttf ] && cp -u $(NOTO)/$$f.ttf static/fonts/ || true; done

index: install
	@if [ -z "$(ARCHIVE)" ]; then echo "No archive: give one with ARCHIVE=path (../shared/corpus is absent)"; exit 2; fi
	$(VENV)/bin/arshif index --index $(INDEX) $(ARCHIVE) || [ $$? = 3 ]

serve: install
	$(VENV)/bin/arshif serve --index $(INDEX) --host $(HOST) --port $(PORT)

run: fonts index serve

test: install system-deps fonts
	$(VENV)/bin/python -m pytest -q

# The quick loop while editing: no browser, no ../shared, no slow test (under a minute).
test-fast: install
	$(VENV)/bin/python -m pytest -q -m "not slow and not browser and not corpus and not elasticsearch"

# Lint, format and types (configured in pyproject.toml; versions pinned by the `test` extra).
LINTED := search scripts tests
lint: install
	$(VENV)/bin/ruff check $(LINTED)
	$(VENV)/bin/ruff format --check $(LINTED)
	$(VENV)/bin/mypy

# A real single-node Elasticsearch (scripts/es_node.py: Maven Central jars, cached under
# ~/.cache/arshif) for the Elasticsearch half of the suite; no test may skip there.
test-es: install
	ARSHIF_ES_REQUIRED=1 $(PY) scripts/es_node.py run -- $(PY) -m pytest -q -m elasticsearch

bench: install
	$(PY) scripts/bench.py

eval: install
	$(PY) scripts/eval_retrieval.py

clean:
	rm -rf $(VENV) data
