# Two commands: `make run` (the workbench with every scenario and the whole course, on SQLite under var/) and `make test`.
# `make validate` checks the course OLX and prints its counts; `make course` validates and builds dist/<course>.tar.gz.
PYTHON ?= python3
VENV ?= .venv
HOST ?= 127.0.0.1
PORT ?= 8000
SETTINGS = lp_xblocks.workbench.settings
BIN = $(VENV)/bin

.PHONY: run test migrate benchmark wheel clean validate course extract_translations docs

$(BIN)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[workbench,course]' 'tox>=4.11,<5'
	touch $@

migrate: $(BIN)/.installed
	$(BIN)/django-admin migrate --run-syncdb --settings=$(SETTINGS) --verbosity 0

run: migrate
	@echo "Workbench on http://$(HOST):$(PORT)/ : the whole course and every block scenario (add ?student=tutor for the tutor's side)"
	@echo "The whole course on http://$(HOST):$(PORT)/course/"
	$(BIN)/django-admin runserver $(HOST):$(PORT) --settings=$(SETTINGS)

# The four tox environments, two at a time (the whole py311 suite beside mariadb, platform and docs in turn):
# each has its own virtualenv, temporary folders, free ports and MariaDB data directory, so they do not share state.
test: $(BIN)/.installed
	bash tools/system-deps.sh
	$(BIN)/tox run-parallel --parallel 2 --parallel-live

# The documentation (docs/, Sphinx + MyST) with warnings as errors, as `make test` builds it; HTML in .tox/docs/tmp/html.
docs: $(BIN)/.installed
	$(BIN)/tox -e docs

validate: $(BIN)/.installed
	$(BIN)/python -m course_content validate

course: validate
	$(BIN)/python -m course_content build --output dist

benchmark: $(BIN)/.installed
	$(BIN)/python benchmarks/cohort_report.py
	$(BIN)/python benchmarks/marking_queue.py
	$(BIN)/python benchmarks/facilitation_choice_report.py
	$(BIN)/python benchmarks/accreditation_export.py
	$(BIN)/python benchmarks/register_duplicates.py
	$(BIN)/python benchmarks/evidence_zip.py
	$(BIN)/python benchmarks/verification_sample.py

# The source catalogues lp_xblocks/conf/locale/en/LC_MESSAGES/{django,djangojs}.po (docs/translations.md).
extract_translations: $(BIN)/.installed
	$(BIN)/pip install --quiet -e '.[i18n]'
	$(BIN)/python tools/extract_translations.py

wheel: $(BIN)/.installed
	$(BIN)/pip wheel --no-deps --wheel-dir dist .

clean:
	rm -rf $(VENV) .tox var dist build *.egg-info
