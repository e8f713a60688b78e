# Benchmarks (include from the Makefile: `include bench/bench.mk`). See bench/README.md.
BENCH_VENV := bench/.venv
BENCH_PY := $(BENCH_VENV)/bin/python
BENCH_ARGS ?=
# The Kafka figures run on a broker of their own: the submissions they make would otherwise stay
# in the test broker's topics, and every later test run would fold (and scan) them.
BENCH_KAFKA := KAFKA_PORT=9192 KAFKA_CONTROLLER_PORT=9193 KAFKA_VAR_DIR=$(CURDIR)/bench/var/kafka
BENCH_ENV := PYTHONPATH=. KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9192 CADREFLOW_DEV_MODE=1 MAX_OPEN_NOMINATIONS=0
# $(call bench_run,<bench.run options>): start the bench broker on empty storage, run, stop it,
# keep the run's status. Empty: the topics of earlier runs held every submission they made, and
# each service of a later run folded all of them before it was ready.
bench_run = $(BENCH_KAFKA) $(KAFKA)/stop.sh && rm -rf $(CURDIR)/bench/var/kafka && $(BENCH_KAFKA) $(KAFKA)/start.sh && \
	{ $(BENCH_ENV) $(BENCH_PY) -m bench.run $(1) $(BENCH_ARGS); status=$$?; $(BENCH_KAFKA) $(KAFKA)/stop.sh; exit $$status; }

.PHONY: bench bench-install bench-quick

$(BENCH_VENV)/.installed: requirements.txt bench/requirements.txt
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_PY) -m pip install -q --upgrade pip
	$(BENCH_PY) -m pip install -q -r bench/requirements.txt
	touch $@

bench-install: install $(BENCH_VENV)/.installed ## bench-only venv (eventsourcing, pyinstrument) and wrk
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }

bench: bench-install kafka-jars ## run every benchmark several times; writes bench/results/<date>.json and latest.md
	$(call bench_run,)

bench-quick: bench-install kafka-jars ## every benchmark once on small logs (a smoke test of the suite)
	$(call bench_run,--quick)
