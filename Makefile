# Two commands on a fresh machine (python3 and make only): `make demo`, then `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test lint lab author bench constraints clean data strip chromium bubblewrap

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstalls only when pyproject.toml or constraints.txt change, so every target is quick to rerun.
$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The tour prints the case-study KPI table; then the whole tutor cycle runs on the sample cohort.
demo: install bubblewrap
	$(BIN)/python -m retailkit.tour
	$(BIN)/python -m grading demo

test: install lint chromium bubblewrap
	$(BIN)/python -m pytest

# The browser tests drive Debian's Chromium with Playwright (no browser download). Installed when missing
# and possible (root with apt-get); otherwise the browser tests are skipped with a loud message.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Chromium for the browser tests (apt-get)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "*** Chromium is missing and cannot be installed here: the BROWSER TESTS WILL BE SKIPPED ***"; \
	  fi; }

# The grading sandbox needs bubblewrap (`bwrap`). Installed when missing and possible (root with apt-get);
# otherwise `validate` and `autograde` stop with the reason (grading.sandbox.check).
bubblewrap:
	@command -v bwrap >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing bubblewrap for the grading sandbox (apt-get)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap >/dev/null; \
	  else \
	    echo "*** bubblewrap is missing: install it (Debian/Ubuntu: apt-get install bubblewrap) to grade ***"; \
	  fi; }

lint: install
	$(BIN)/ruff check retailkit grading tests benchmarks

# The learner's own copies (no solutions) in course/workbook/, made once and never replaced, in JupyterLab.
lab: install
	$(BIN)/python -m grading workbook
	$(BIN)/jupyter lab --notebook-dir=course/workbook

# Course authors: the source notebooks, solutions included. Never give these to learners.
author: install
	$(BIN)/jupyter lab --notebook-dir=notebooks

bench: install
	$(BIN)/python benchmarks/bench_kpi_table.py
	$(BIN)/python benchmarks/bench_generate.py

# Re-pin after changing dependencies in pyproject.toml: a clean venv, newest allowed versions, frozen.
constraints:
	rm -rf $(VENV).pin && $(PYTHON) -m venv $(VENV).pin
	$(VENV).pin/bin/python -m pip install --quiet -e '.[dev]'
	{ head -n 2 constraints.txt; $(VENV).pin/bin/pip freeze --exclude-editable | grep -v '^-e'; } > constraints.tmp
	mv constraints.tmp constraints.txt && rm -rf $(VENV).pin

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis

# Rebuild the case-study files in datasets/ from the canonical seed (a test checks they match).
data: install
	$(BIN)/python -m retailkit.datasets

# Strip outputs from the source notebooks before committing (a test checks it).
strip: install
	$(BIN)/jupyter nbconvert --clear-output --inplace notebooks/*/*.ipynb
