# Far East KG. The README's two commands: `make serve` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: install build serve test bench soak fuzz lint ui clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed ui

# The query UI is served from node_modules when npm is available; otherwise the page uses the CDN.
ui:
	@if command -v npm >/dev/null 2>&1; then \
	  [ -f node_modules/@triply/yasgui/build/yasgui.min.js ] && [ -f node_modules/axe-core/axe.min.js ] || npm install --no-audit --no-fund --silent \
	    || echo "npm install failed: the query UI will load YASGUI from its CDN"; \
	else echo "npm not found: the query UI will load YASGUI from its CDN"; fi

# Rebuilds only when ontology/, data/ or the build code changed (the build hash says so).
build: install
	$(BIN)/fareast-kg build

serve: build
	$(BIN)/fareast-kg serve

# ALLOW_NO_TESTS=1 turns pytest's "no tests collected" (exit 5) into success.
test: install
	@$(BIN)/python -m pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ] && [ -n "$(ALLOW_NO_TESTS)" ]; then echo "pytest collected no tests"; exit 0; fi; \
	exit $$rc

lint: install
	$(BIN)/ruff check src tests benchmarks server.py

# wrk is Debian's load generator; the benchmark compares this endpoint with oxigraph and rdflib-endpoint.
bench: build
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python benchmarks/run.py

# Long runs, kept out of `make test`: sustained load with faults, and many generated SERVICE disguises.
soak: build
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python benchmarks/soak.py

fuzz: install
	FAREAST_FUZZ_EXAMPLES=$${FAREAST_FUZZ_EXAMPLES:-20000} $(BIN)/python -m pytest -m fuzz -q \
	  --hypothesis-show-statistics tests/sparql/test_service_fuzz.py

clean:
	rm -rf store .pytest_cache
