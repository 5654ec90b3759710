# nrlib — the two commands: `make demo` and `make test`.
# Needs only python3 (>= 3.11) and make; everything else installs into .venv.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SEED   ?= 2021
DISTRICT ?= 738
JOBS   ?= 2

.PHONY: demo test test-min lab bench bench-large clean help registry-check

help:
	@echo "make demo   - build sample workbooks, ingest them, render the reports"
	@echo "make test   - run the whole test suite"
	@echo "make test-min - run the fast tests with every dependency at its declared floor (.venv-min)"
	@echo "make lab    - open JupyterLab on notebooks/"
	@echo "make bench  - run the benchmarks and print a table of ratios"
	@echo "make bench-large - national scale: 3.000 workbooks ingested, 300 reports, Dask, the country projected"
	@echo "make clean  - remove generated outputs (never data/reference, received files or the store)"
	@echo "make registry-check - download the unit registry's source wheels and test the vendored lists against them"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install when the dependency list changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/nrlib sample --district $(DISTRICT) --seed $(SEED) --out data/sample
	$(BIN)/nrlib demo-steps --district $(DISTRICT) --sample data/sample --jobs $(JOBS)

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q

# The declared floors must be true: a separate venv with every dependency of pyproject.toml
# (and its test extra) pinned to its floor by .ci/floors.py, then the tests not marked slow.
# Built anew whenever pyproject.toml changes, so no newer version is left over.
VENV_MIN := .venv-min

$(VENV_MIN)/.installed: pyproject.toml .ci/floors.py
	rm -rf $(VENV_MIN)
	$(PYTHON) -m venv $(VENV_MIN)
	$(VENV_MIN)/bin/python -m pip install --quiet --upgrade pip
	$(PYTHON) .ci/floors.py > $(VENV_MIN)/constraints.txt
	$(VENV_MIN)/bin/python -m pip install --quiet -c $(VENV_MIN)/constraints.txt -e '.[test]'
	@touch $@

test-min: $(VENV_MIN)/.installed
	$(VENV_MIN)/bin/python -m pytest -q -m "not slow"

# The vendored unit registry against its sources (data/reference/units/README.md): the wheels are fetched by
# pip into .cache/registry-sources/ (put the conversion table's CSV there too to check the crosswalk's notes).
REGISTRY_SOURCES := .cache/registry-sources

registry-check: $(VENV)/.installed-test
	$(BIN)/python -m pip download --quiet --no-deps -d $(REGISTRY_SOURCES) vietnam-provinces==0.2.2
	$(BIN)/python -m pip download --quiet --no-deps -d $(REGISTRY_SOURCES) vietnam-provinces==0.4.3
	$(BIN)/python -m pip download --quiet --no-deps --python-version 3.12 --only-binary=:all: -d $(REGISTRY_SOURCES) vietnam-provinces==2026.9.0
	NRLIB_REGISTRY_SOURCES=$(REGISTRY_SOURCES) $(BIN)/python -m pytest -q -rs tests/test_registry.py

# --allow-root only when run as root (containers): JupyterLab refuses root otherwise
lab: $(VENV)/.installed
	cd notebooks && ../$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root)

bench: $(VENV)/.installed-test
	$(BIN)/python -m benchmarks

# national scale (3.000 workbooks, 300 reports, the Dask executor, the country projected): about 10 minutes on 2 cores
bench-large: $(VENV)/.installed-test
	$(BIN)/python -m benchmarks large

clean:
	@# Received files (data/submissions/) and the store (data/nrlib.duckdb: received dates,
	@# versions, audit trail) are kept: they are not regenerable outputs.
	rm -rf data/sample reports/*.html reports/*.json reports/units reports/district reports/failed reports/notebooks reports/documents benchmarks/results
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
