# Two commands on a fresh machine (python3 and make only): `make demo`, then `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test test-fast lint lab hub author bench constraints clean data strip chromium bubblewrap postgresql hub-packages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstalls only when pyproject.toml or constraints.txt change, so every target is quick to rerun.
$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The tour prints the case-study KPI table; then the whole tutor cycle runs on the sample cohort.
demo: install bubblewrap chromium
	$(BIN)/python -m retailkit.tour
	$(BIN)/python -m grading demo

test: install lint chromium bubblewrap postgresql hub-packages
	$(BIN)/python -m pytest

# The edit loop: everything but the slow (whole grading cycles) and browser tests, in about half a minute.
test-fast: install lint
	$(BIN)/python -m pytest -m "not slow and not browser"

# A Debian package the tests need, installed when missing and possible (root with apt-get), else a loud
# message. $(1): the command, $(2): the package, $(3): what happens without it.
define debian_package
	@command -v $(1) >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing $(2) (apt-get)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) >/dev/null; \
	  else \
	    echo "*** $(2) is missing and cannot be installed here: $(3) ***"; \
	  fi; }
endef

# The browser tests drive Debian's Chromium with Playwright (no browser download); it also prints the
# learners' portfolios as PDF.
chromium:
	$(call debian_package,chromium,chromium,the BROWSER TESTS WILL BE SKIPPED and portfolios stay HTML only)

# The test of grading on a cluster starts its own PostgreSQL server (on a loopback port) for the gradebook.
postgresql:
	$(call debian_package,pg_ctlcluster,postgresql,the POSTGRESQL TEST WILL BE SKIPPED)

# The hub (`make hub` and its browser test) needs npm, for JupyterHub's proxy, and patchelf, to give every
# user a copy of this Python when it sits in a folder only root may open (pyenv's, under /root).
hub-packages:
	$(call debian_package,npm,npm,the HUB TEST WILL BE SKIPPED)
	$(call debian_package,patchelf,patchelf,the HUB TEST WILL BE SKIPPED)

# The grading sandbox needs bubblewrap (`bwrap`); without it `validate` and `autograde` stop with the reason.
bubblewrap:
	$(call debian_package,bwrap,bubblewrap,install it (apt-get install bubblewrap) to grade)

lint: install
	$(BIN)/ruff check retailkit grading tests benchmarks hub

# The learner's own copies (no solutions) in course/workbook/, made once and never replaced, in JupyterLab.
lab: install
	$(BIN)/python -m grading lab

# A JupyterHub for a class on this machine (as root): a tutor, learners amira and ben, nbgrader's exchange.
hub: install bubblewrap hub-packages
	$(BIN)/python -m grading hub

# Course authors: the source notebooks, solutions included. Never give these to learners.
author: install
	$(BIN)/jupyter lab --notebook-dir=notebooks

bench: install
	$(BIN)/python benchmarks/bench_kpi_table.py
	$(BIN)/python benchmarks/bench_generate.py
	$(BIN)/python benchmarks/bench_keys.py --learners 30
	$(BIN)/python benchmarks/bench_grading.py --learners 30

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
