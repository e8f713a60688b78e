# The web front (services/web): its message catalogues, and the browser and accessibility tools
# its browser tests use. Included by the Makefile; expects SHELL=bash and PY/VENV from it.
#
#   make web-i18n         compile the catalogues (.po -> .mo); run, test and the Dockerfile need them
#   make web-i18n-update  extract the messages of the code and templates and merge them into the .po files
#   make browser          Debian's chromium and chromium-driver (and a CJK font), unless chromedriver is there
#   make axe              axe-core from npm into tests/browser/node_modules (pinned by package-lock.json)
#   make test-browser     the browser tests alone (real services on SQLite, Chromium, axe-core)

WEB := services/web
WEB_PO := $(wildcard $(WEB)/translations/*/LC_MESSAGES/messages.po)
WEB_MO := $(WEB_PO:.po=.mo)
AXE := tests/browser/node_modules/axe-core/axe.min.js

.PHONY: web-i18n web-i18n-update browser axe test-browser

$(WEB)/translations/%/LC_MESSAGES/messages.mo: $(WEB)/translations/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(VENV)/bin/pybabel compile -l $* -d $(WEB)/translations -i $< -o $@

web-i18n: $(WEB_MO) ## compile the web front's message catalogues

web-i18n-update: install ## extract the web front's messages and merge them into its .po files
	$(VENV)/bin/pybabel extract -F $(WEB)/babel.cfg -k _l --no-location --sort-output --project cadreflow \
	  -o $(WEB)/translations/messages.pot .
	$(VENV)/bin/pybabel update --no-fuzzy-matching --ignore-obsolete -w 120 -i $(WEB)/translations/messages.pot -d $(WEB)/translations

browser: ## install Debian's chromium and chromium-driver (and a CJK font) if chromedriver is missing
	@if [ -x /usr/bin/chromedriver ] && [ -x /usr/bin/chromium ]; then \
	  /usr/bin/chromedriver --version; \
	else \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends \
	    chromium chromium-driver fonts-noto-cjk && \
	  /usr/bin/chromedriver --version; \
	fi

$(AXE): tests/browser/package.json tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund --loglevel=error
	touch $@

axe: $(AXE) ## install axe-core (npm) for the accessibility checks of the browser tests

test-browser: install web-i18n browser axe ## the browser tests alone (no Kafka needed)
	$(PY) -m pytest tests/browser $(PYTEST_ARGS)
