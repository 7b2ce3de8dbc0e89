# Far East KG. The README's two commands: `make serve` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: install install-test build serve test bench soak fuzz lint ui clean

# pipefail: a failed pip must fail the target even though its output goes through a filter.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
PIP := $(BIN)/python -m pip install --disable-pip-version-check --progress-bar off
# pip's output, cut to the names of the packages it fetches, on one line, then the count; errors pass unchanged.
PROGRESS := awk '/^(Collecting|Processing) /{n=$$2; sub(/.*\//,"",n); sub(/(-[0-9]|[<>=!~;[ ]).*/,"",n); \
  printf "%s%s", (c++ ? " " : "  "), n; fflush()} \
  /^Successfully installed/{print (c ? "\n" : "") "  installed " NF-2 " packages"} /^(ERROR|error)/ || f {f=1; print}'

$(BIN)/python:
	@echo "creating .venv"
	@$(PYTHON) -m venv $(VENV)

# One stamp per set of extras, remade when the package's requirements change. Serving needs only
# the base dependencies; the test and benchmark tools come with `make test` and `make bench`.
$(VENV)/.installed-serve: pyproject.toml setup.py | $(BIN)/python
	@echo "installing what serving needs into .venv"
	@$(PIP) -e . 2>&1 | $(PROGRESS)
	@touch $@

$(VENV)/.installed-test: pyproject.toml setup.py | $(BIN)/python
	@echo "installing the test tools into .venv"
	@$(PIP) -e '.[test]' 2>&1 | $(PROGRESS)
	@touch $@ $(VENV)/.installed-serve

$(VENV)/.installed-bench: pyproject.toml setup.py | $(BIN)/python
	@echo "installing the benchmark tools into .venv"
	@$(PIP) -e '.[test,bench]' 2>&1 | $(PROGRESS)
	@touch $@ $(VENV)/.installed-test $(VENV)/.installed-serve

# npm and pip run side by side: a first run waits for the slower one only.
install:
	@$(MAKE) -s -j2 $(VENV)/.installed-serve ui

install-test:
	@$(MAKE) -s -j2 $(VENV)/.installed-test ui

# The query UI is served from node_modules when npm is available; otherwise the page uses the CDN.
ui:
	@if command -v npm >/dev/null 2>&1; then \
	  { [ -f node_modules/@triply/yasgui/build/yasgui.min.js ] && [ -f node_modules/axe-core/axe.min.js ]; } \
	    || { echo "installing the query UI (npm)"; npm install --no-audit --no-fund --silent \
	    || echo "npm install failed: the query UI will load YASGUI from its CDN"; }; \
	else echo "npm not found: the query UI will load YASGUI from its CDN"; fi

# Rebuilds only when ontology/, data/ or the build code changed (the build hash says so).
build: install
	@$(BIN)/fareast-kg build

serve: build
	@echo "starting the server"
	@$(BIN)/fareast-kg serve

# ALLOW_NO_TESTS=1 turns pytest's "no tests collected" (exit 5) into success.
test: install-test
	@$(BIN)/python -m pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ] && [ -n "$(ALLOW_NO_TESTS)" ]; then echo "pytest collected no tests"; exit 0; fi; \
	exit $$rc

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks server.py setup.py

# wrk is Debian's load generator; the benchmark compares this endpoint with oxigraph and rdflib-endpoint.
bench: build $(VENV)/.installed-bench
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python benchmarks/run.py

# Long runs, kept out of `make test`: sustained load with faults, and many generated SERVICE disguises.
soak: build $(VENV)/.installed-test
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python benchmarks/soak.py

fuzz: $(VENV)/.installed-test
	FAREAST_FUZZ_EXAMPLES=$${FAREAST_FUZZ_EXAMPLES:-20000} $(BIN)/python -m pytest -m fuzz -q \
	  --hypothesis-show-statistics tests/sparql/test_service_fuzz.py

clean:
	rm -rf store .pytest_cache build dist src/*.egg-info
