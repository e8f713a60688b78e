# Benchmarks (include from the Makefile: `include bench/bench.mk`). See bench/README.md.
BENCH_VENV := bench/.venv
BENCH_PY := $(BENCH_VENV)/bin/python
BENCH_ARGS ?=

.PHONY: bench bench-install bench-quick

$(BENCH_VENV)/.installed: requirements.txt bench/requirements.txt
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_PY) -m pip install -q --upgrade pip
	$(BENCH_PY) -m pip install -q -r bench/requirements.txt
	touch $@

bench-install: install $(BENCH_VENV)/.installed ## bench-only venv (eventsourcing, pyinstrument) and wrk
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }

bench: bench-install kafka-jars ## run every benchmark several times; writes bench/results/<date>.json and latest.md
	$(KAFKA)/start.sh
	PYTHONPATH=. $(BENCH_PY) -m bench.run $(BENCH_ARGS)

bench-quick: bench-install kafka-jars ## every benchmark once on small logs (a smoke test of the suite)
	$(KAFKA)/start.sh
	PYTHONPATH=. $(BENCH_PY) -m bench.run --quick $(BENCH_ARGS)
