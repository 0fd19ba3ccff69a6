# innolib — run `make help` for the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev
LAB_STAMP := $(VENV)/.installed-lab
DATA ?= data/shangjie
PERIODS ?= 2021..2025
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.DEFAULT_GOAL := help
.PHONY: help venv report lint format test lab notebooks dictionary sample bench clean distclean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (innolib)" > /dev/null
	@touch $@

$(LAB_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,lab]'
	@# rfc3987-syntax (pulled in by jupyterlab) adds ~2 s to every nbformat import: see README
	$(BIN)/python -m pip uninstall --quiet --yes rfc3987-syntax || true
	@touch $@

venv: $(STAMP) ## create .venv and install innolib with its test tools (done by every target)

report: $(STAMP) ## run the whole batch for the sample district (outputs/)
	$(BIN)/innolib validate $(DATA)
	$(BIN)/innolib run --data $(DATA) --period $(PERIODS)

lint: $(STAMP) ## ruff: lint and format check (make format rewrites)
	$(BIN)/ruff check innolib tests benchmarks
	$(BIN)/ruff format --check innolib tests benchmarks

format: $(STAMP) ## ruff: fix what can be fixed and reformat
	$(BIN)/ruff check --fix innolib tests benchmarks
	$(BIN)/ruff format innolib tests benchmarks

test: $(STAMP) lint ## lint, unit tests, then the notebook checks (nbval)
	$(BIN)/python -m pytest -q -n 2 tests
	@if ls notebooks/*.ipynb > /dev/null 2>&1; then \
	  $(BIN)/innolib notebooks check notebooks && \
	  $(BIN)/python -m pytest -q -p no:cacheprovider --nbval-lax --nbval-sanitize-with tests/nbval_sanitize.cfg notebooks; \
	fi

fuzz: $(STAMP) ## the loader's fuzz suite with thousands of cases (make test runs 200)
	INNOLIB_FUZZ_CASES=$${FUZZ_CASES:-3000} $(BIN)/python -m pytest -q -n 2 tests/test_fuzz_load.py

lab: $(LAB_STAMP) ## open JupyterLab on notebooks/ with the project's kernel
	cd notebooks && ../$(BIN)/jupyter lab

notebooks: $(STAMP) ## re-execute the notebooks with default parameters and clean them
	$(BIN)/innolib notebooks refresh notebooks

dictionary: $(STAMP) ## regenerate the data dictionary data/README.md from innolib/tables.py
	$(BIN)/innolib dictionary data

sample: $(STAMP) ## regenerate data/shangjie from the synthetic generator
	$(BIN)/innolib synth data/shangjie

bench: $(STAMP) ## run the benchmarks in benchmarks/ (prints the figures)
	@for script in benchmarks/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean: ## remove what runs produce (outputs/, caches)
	rm -rf outputs .pytest_cache .innolib-cache
	find . -name __pycache__ -not -path './.venv/*' -prune -exec rm -rf {} +

distclean: clean ## also remove .venv
	rm -rf $(VENV)
