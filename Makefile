# OpenCSE. Quick start: `make demo` (serve the demo) and `make test` (run every test).
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3
DEMO_CASES ?= 2000
DEMO_SEED ?= 1
PYTEST_WORKERS ?= auto

.PHONY: setup system-deps demo test test-fast test-clock lint format contract bench clean

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

demo: setup system-deps
	$(BIN)/opencse demo --cases $(DEMO_CASES) --seed $(DEMO_SEED)  # migrates first
	$(BIN)/opencse serve

system-deps:
	tools/system-deps

test: setup system-deps
	$(BIN)/opencse collectstatic --noinput --verbosity 0
	$(BIN)/pytest -n $(PYTEST_WORKERS) -q

# The suite (browser tests aside: Chromium keeps its own clock) with the wall clock moved: years ahead on a
# leap day, and just after a month end. A test that passes only on the day it was written fails here.
TEST_CLOCKS ?= 2032-02-29T15:30:00-06:00 2027-01-01T00:05:00-06:00
test-clock: setup
	$(BIN)/opencse collectstatic --noinput --verbosity 0
	for clock in $(TEST_CLOCKS); do echo "== wall clock at $$clock"; \
	  OPENCSE_TEST_CLOCK=$$clock $(BIN)/pytest -n $(PYTEST_WORKERS) -q -m "not browser" || exit 1; done

test-fast: setup
	$(BIN)/pytest -n $(PYTEST_WORKERS) -q -m "not browser"

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy src/opencse/rules
	$(BIN)/mypy src/opencse
	$(BIN)/lint-imports

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

contract: setup
	../shared/tools/rules-contract-check $(BIN)/opencse

bench: setup
	for script in bench/rules_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) node_modules var
