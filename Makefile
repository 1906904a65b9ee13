# Two commands do all the set-up: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint bench clean

$(STAMP): pyproject.toml
	@echo "setting up $(VENV) (first run only; the log is in $(VENV)/install.log)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -e '.[dev]' > $(VENV)/install.log 2>&1 \
		|| { tail -20 $(VENV)/install.log; echo "installing dependencies failed"; exit 1; }
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m bot --config examples/demo.toml --db demo.db run

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

test: lint
	$(BIN)/python -m pytest

test-fast: lint
	$(BIN)/python -m pytest -m "not slow"

bench: $(STAMP)
	$(BIN)/python bench/papers.py --papers 100000

clean:
	rm -rf $(VENV) demo.db demo.db-wal demo.db-shm demo.db.lock .pytest_cache
