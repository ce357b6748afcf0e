PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install clean results

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/bargainsim $(ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The canonical output of every study under results/<study>/ (tables, figures, report.md; no per-case data).
# Sizes are in each experiments/<study>.yaml; `make results SIZE="n_cases=500 replications=3"` runs them smaller.
# Each sweep runs into multirun/<study>, so an interrupted `make results` resumes where it stopped.
STUDIES := reform_comparison information_asymmetry prosecutorial_pressure tracks sensitivity
SIZE ?=

results: $(STAMP)
	@for study in $(STUDIES); do \
		$(BIN)/bargainsim --config-dir experiments --config-name $$study -m $(SIZE) > /dev/null || exit 1; \
		rm -rf results/$$study; \
		$(BIN)/bargainsim-report multirun/$$study --out results/$$study || exit 1; \
	done

clean:
	rm -rf $(VENV) outputs multirun .pytest_cache .hypothesis
