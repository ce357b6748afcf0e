PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CLASSROOM_STAMP := $(VENV)/.classroom
CHROMIUM := /usr/bin/chromium
HOST ?= 127.0.0.1
PORT ?= 8765

.PHONY: run test install classroom golden calibrate validate docs results clean bad-inputs vignette

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# The classroom page's extra (Mesa's visualisation, Solara) and Playwright for its browser test.
$(CLASSROOM_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test,classroom]'
	touch $(CLASSROOM_STAMP)

# Debian's Chromium for the browser test (Playwright cannot download its own browser here); runs once.
$(CHROMIUM):
	apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium

classroom: $(CLASSROOM_STAMP)
	$(BIN)/solara run bargainsim.apps.classroom.app --host $(HOST) --port $(PORT) --production --no-open

golden: $(STAMP)
	$(BIN)/python tests/test_transcript.py --write-golden

run: $(STAMP)
	$(BIN)/bargainsim $(ARGS)

calibrate: $(STAMP)
	$(BIN)/bargainsim-calibrate hydra.run.dir=results/calibration overwrite=true $(ARGS)

# The validation suite (docs/validation.md): the registered facts against every arm at the registered protocol.
validate: $(STAMP)
	$(BIN)/bargainsim-validate hydra.run.dir=results/validation overwrite=true $(ARGS)

# The Plea-Justice vignette grid (docs/vignette.md): acceptance per cell with CIs, heatmap and provenance.
vignette: $(STAMP)
	$(BIN)/bargainsim-vignette conf/vignette/plea_justice.yaml --out results/vignette $(ARGS)

# The test suite's corpus of bad inputs, tried as a user would: counts of clear, unclear, traceback, accepted.
bad-inputs: $(STAMP)
	cd tests && PYTHONPATH=. ../$(BIN)/python -m corpus

docs: $(STAMP)
	$(BIN)/python -m bargainsim.reporting.docs

test: $(STAMP) $(CLASSROOM_STAMP) $(CHROMIUM)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The canonical output of every study under results/<study>/ (tables, figures, report.md; no per-case data).
# Sizes are in each experiments/<study>.yaml; `make results SIZE="n_cases=500 replications=3"` runs them smaller.
# Each sweep runs into multirun/<study>, so an interrupted `make results` resumes where it stopped. The report
# replaces results/<study> whole (a failed report leaves the previous one) and refuses a directory holding other files.
STUDIES := reform_comparison information_asymmetry prosecutorial_pressure tracks sensitivity sentencing_guideline robustness jurisdictions
SIZE ?=

results: $(STAMP) vignette
	@for study in $(STUDIES); do \
		$(BIN)/bargainsim --config-dir experiments --config-name $$study -m $(SIZE) > /dev/null || exit 1; \
		$(BIN)/bargainsim-report multirun/$$study --out results/$$study || exit 1; \
	done

clean:
	rm -rf $(VENV) outputs multirun .pytest_cache .hypothesis
