# The two commands of the README: `make run` (index an archive, serve the web app) and `make test`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
ARCHIVE ?= $(if $(wildcard ../shared/corpus),../shared/corpus,)
INDEX ?= data/index
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run index serve test system-deps fonts bench eval clean
NOTO := /usr/share/fonts/truetype/noto

$(VENV)/.installed: setup.cfg pyproject.toml
	python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	# torch first, from the CPU wheel on disk, so that camel-tools does not pull a CUDA build
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

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

bench: install
	$(PY) scripts/bench.py

eval: install
	$(PY) scripts/eval_retrieval.py

clean:
	rm -rf $(VENV) data
