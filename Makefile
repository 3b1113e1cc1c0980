PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB := demo/psr-demo.json

.PHONY: run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

$(DEMO_DB): | $(VENV)/.installed
	mkdir -p $(dir $(DEMO_DB))
	$(BIN)/psr demo --db $(DEMO_DB)

run: $(VENV)/.installed $(DEMO_DB)
	$(BIN)/psr --db $(DEMO_DB)

test: lint
	$(BIN)/pytest -q -n auto

# Style, formatting, the architecture's import contracts and strict types.
lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

clean:
	rm -rf $(VENV) demo
