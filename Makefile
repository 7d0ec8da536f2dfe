# OpenCSE. Quick start: `make demo` (serve the demo) and `make test` (run every test).
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3
DEMO_CASES ?= 2000
DEMO_SEED ?= 1
PYTEST_WORKERS ?= auto

.PHONY: setup system-deps demo test test-fast lint format contract bench clean

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

demo: setup
	$(BIN)/opencse migrate --noinput
	$(BIN)/opencse demo --cases $(DEMO_CASES) --seed $(DEMO_SEED)
	$(BIN)/opencse serve

system-deps:
	tools/system-deps

test: setup system-deps
	$(BIN)/opencse collectstatic --noinput --verbosity 0
	$(BIN)/pytest -n $(PYTEST_WORKERS) -q

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
