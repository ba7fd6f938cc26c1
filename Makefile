# Every target sets up .venv by itself, so a fresh clone needs nothing but python3.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Bytecode for textkit's own modules, as a regular pip install writes it: an editable
# install under PYTHONDONTWRITEBYTECODE would otherwise compile them on every run (~60 ms).
BYTECODE := $(BIN)/python -m compileall -q textkit

.PHONY: demo test lint bench fuzz install dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	$(BYTECODE)
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	$(BYTECODE)
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
dev: $(VENV)/.installed-dev

demo: $(VENV)/.installed
	$(BIN)/textkit keywords samples/texts -k 5 --format tsv

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check textkit tests benchmarks
	$(BIN)/ruff format --check textkit tests benchmarks

bench: $(VENV)/.installed-dev
	-$(BIN)/pip install -q fasttext-wheel 2>/dev/null  # optional anchor for classify_bench
	$(BIN)/python -m benchmarks

# A long fuzzing pass (not in CI): many more hypothesis examples per fuzz test.
fuzz: $(VENV)/.installed-dev
	TEXTKIT_FUZZ_EXAMPLES=$${TEXTKIT_FUZZ_EXAMPLES:-5000} $(BIN)/python -m pytest tests/test_fuzz.py -q

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
