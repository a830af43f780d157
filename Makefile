# Two commands: `make run` (the workbench with every scenario, on SQLite under var/) and `make test`.
PYTHON ?= python3
VENV ?= .venv
HOST ?= 127.0.0.1
PORT ?= 8000
SETTINGS = lp_xblocks.workbench.settings
BIN = $(VENV)/bin

.PHONY: run test migrate benchmark wheel clean

$(BIN)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[workbench]' 'tox>=4.11,<5'
	touch $@

migrate: $(BIN)/.installed
	$(BIN)/django-admin migrate --run-syncdb --settings=$(SETTINGS) --verbosity 0

run: migrate
	@echo "Workbench on http://$(HOST):$(PORT)/  (add ?student=tutor for the tutor's side)"
	$(BIN)/django-admin runserver $(HOST):$(PORT) --settings=$(SETTINGS)

test: $(BIN)/.installed
	$(BIN)/tox

benchmark: $(BIN)/.installed
	$(BIN)/python benchmarks/cohort_report.py
	$(BIN)/python benchmarks/marking_queue.py
	$(BIN)/python benchmarks/accreditation_export.py

wheel: $(BIN)/.installed
	$(BIN)/pip wheel --no-deps --wheel-dir dist .

clean:
	rm -rf $(VENV) .tox var dist build *.egg-info
