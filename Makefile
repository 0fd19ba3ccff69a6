# innolib — run `make help` for the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev
LAB_STAMP := $(VENV)/.installed-lab
DATA ?= data/shangjie
PERIODS ?= 2021..2025
#: the pinned environment (`make lock` refreshes it); every install goes through it
CONSTRAINTS := constraints.txt
PIP_INSTALL := $(BIN)/python -m pip install --disable-pip-version-check --progress-bar off -c $(CONSTRAINTS)
#: the notebooks' kernel as JupyterLab shows it (innolib.notebook_files.KERNELSPEC says the same)
KERNEL_DISPLAY_NAME := Python 3 (innolib)
#: make lab PORT=8899 TOKEN=secret (Jupyter's own defaults when unset: 8888, a random token)
PORT ?=
TOKEN ?=
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.DEFAULT_GOAL := help
.PHONY: help venv lock report lint format test fuzz lab notebooks dictionary sample bench clean distclean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml $(CONSTRAINTS)
	@test -x $(BIN)/python || { echo "== creating $(VENV) with $$($(PYTHON) --version)"; $(PYTHON) -m venv $(VENV); }
	@echo "== installing innolib and its test tools into $(VENV), pinned by $(CONSTRAINTS)"
	@echo "   (about 120 packages: 1-3 minutes on a first install, seconds afterwards)"
	@start=$$(date +%s); \
	  $(PIP_INSTALL) --quiet -e '.[dev]' && \
	  echo "== installed in $$(( $$(date +%s) - start )) s"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "$(KERNEL_DISPLAY_NAME)" > /dev/null
	@touch $@

$(LAB_STAMP): $(STAMP)
	@echo "== installing JupyterLab into $(VENV) (about 1 minute on a first install)"
	$(PIP_INSTALL) --quiet -e '.[dev,lab]'
	@# rfc3987-syntax (pulled in by jupyterlab) adds ~2 s to every nbformat import: see README
	$(BIN)/python -m pip uninstall --quiet --yes rfc3987-syntax || true
	@touch $@

lock: ## refresh constraints.txt: install everything into a fresh venv and pin what it got
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	@echo "== resolving the newest versions that fit pyproject.toml (1-3 minutes)"
	.lock-venv/bin/python -m pip install --quiet --disable-pip-version-check '.[dev,lab]'
	{ echo "# pinned by \`make lock\` ($$(.lock-venv/bin/python --version)); every install uses it"; \
	  .lock-venv/bin/python -m pip freeze --disable-pip-version-check | grep -v '^innolib[ =@]'; } > $(CONSTRAINTS)
	rm -rf .lock-venv

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

test: $(STAMP) lint ## lint, unit tests, then the notebooks: clean, and every output current
	$(BIN)/python -m pytest -q -n 2 tests
	$(BIN)/innolib notebooks check --rerun notebooks
	$(BIN)/python -m pytest -q -p no:cacheprovider --nbval-lax --nbval-sanitize-with tests/nbval_sanitize.cfg notebooks

fuzz: $(STAMP) ## the loader's fuzz suite with thousands of cases (make test runs 200)
	INNOLIB_FUZZ_CASES=$${FUZZ_CASES:-3000} $(BIN)/python -m pytest -q -n 2 tests/test_fuzz_load.py

lab: $(LAB_STAMP) ## JupyterLab on notebooks/ (PORT=8899 TOKEN=… optional; works as root)
	cd notebooks && ../$(BIN)/jupyter lab $(ROOT_FLAG) $(if $(PORT),--port=$(PORT)) \
	  $(if $(TOKEN),--IdentityProvider.token=$(TOKEN))

notebooks: $(STAMP) ## re-execute the notebooks with default parameters and clean them
	$(BIN)/innolib notebooks refresh notebooks

dictionary: $(STAMP) ## regenerate the data dictionary data/README.md from innolib/tables.py
	$(BIN)/innolib dictionary data

sample: $(STAMP) ## regenerate data/shangjie from the synthetic generator
	$(BIN)/innolib synth data/shangjie

bench: $(STAMP) ## run the benchmarks in benchmarks/ (prints the figures)
	@for script in benchmarks/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean: ## remove what runs produce (outputs/, caches)
	rm -rf outputs .pytest_cache
	find . -name __pycache__ -not -path './.venv/*' -prune -exec rm -rf {} +

distclean: clean ## also remove .venv
	rm -rf $(VENV)
