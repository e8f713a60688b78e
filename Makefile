# cadreflow — `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
KAFKA := deploy/kafka
export KAFKA_BOOTSTRAP_SERVERS ?= 127.0.0.1:9092
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
include deploy/ops.mk
include bench/bench.mk
include services/web/web.mk
.PHONY: help install audit-deps kafka-jars kafka-up kafka-down kafka-clean run test test-unit test-integration test-e2e fuzz lint fmt clean

help: ## list the targets
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed ## create .venv and install the pinned dependencies

AUDIT_VENV := .venv-audit
$(AUDIT_VENV)/.installed: requirements-audit.txt
	$(PYTHON) -m venv $(AUDIT_VENV)
	$(AUDIT_VENV)/bin/python -m pip install -q -r requirements-audit.txt
	touch $@

# pip-audit over the pinned closure of .venv; fails on a known vulnerability. PIP_AUDIT_ARGS="--require-all"
# also fails when the advisory service did not answer for a package (this machine's PyPI serves no
# per-version JSON, so there every package is unaudited: see tools/audit_deps.py).
audit-deps: install $(AUDIT_VENV)/.installed ## pip-audit the pinned dependencies (fails on a known vulnerability)
	$(PY) -m tools.audit_deps --python $(PY) --pip-audit $(AUDIT_VENV)/bin/pip-audit $(PIP_AUDIT_ARGS)

$(KAFKA)/lib/.fetched: $(KAFKA)/pom.xml
	mvn -B -q -f $(KAFKA)/pom.xml dependency:copy-dependencies
	touch $@

kafka-jars: $(KAFKA)/lib/.fetched ## fetch the Kafka broker jars from Maven Central (cached in ~/.m2)

kafka-up: kafka-jars ## start the single-node KRaft broker on 127.0.0.1:9092
	$(KAFKA)/start.sh

kafka-down: ## stop the broker
	$(KAFKA)/stop.sh

kafka-clean: kafka-down ## stop the broker and delete its data
	rm -rf var/kafka

run: install web-i18n ## run the four services and the web front (:8000) under gunicorn on the embedded SQLite log
	deploy/run-local.sh

test: install lint audit-deps kafka-jars promtool compose web-i18n browser axe ## install, lint, audit the dependencies, start Kafka, run every test, stop Kafka
	$(KAFKA)/start.sh
	status=0; $(PY) -m pytest $(PYTEST_ARGS) || status=$$?; $(KAFKA)/stop.sh; exit $$status

test-unit: install web-i18n ## unit tests only (no I/O)
	$(PY) -m pytest tests/unit $(PYTEST_ARGS)

test-integration: install kafka-up ## adapters and services against SQLite and the real broker
	$(PY) -m pytest tests/integration $(PYTEST_ARGS)

test-e2e: install kafka-up ## the four services under gunicorn on Kafka
	$(PY) -m pytest tests/e2e $(PYTEST_ARGS)

fuzz: install ## schemathesis against every endpoint with many more cases (FUZZ_EXAMPLES=500)
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-500} $(PY) -m pytest tests/security/test_fuzz.py $(PYTEST_ARGS)

lint: install ## ruff, the import contracts (lint-imports) and the type checker (mypy) over shared/
	$(VENV)/bin/ruff check shared services tests tools
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

fmt: install ## ruff format
	$(VENV)/bin/ruff format shared services tests tools

clean: ## remove the venvs and local data
	rm -rf $(VENV) $(AUDIT_VENV) var
