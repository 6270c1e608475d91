# Håndbogen: `make run` serves the portal, `make test` runs every test (unit, AppTest, browser).
# Both create the virtualenv and install the pinned requirements first when needed.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-requirements
PORT ?= 8501
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test lint validate chromium nginx hunspell-da clean

run: $(STAMP) hunspell-da
	$(BIN)/python -m streamlit run serve.py --server.port $(PORT)

test: $(STAMP) chromium nginx hunspell-da lint
	$(BIN)/python -m pytest

# Ruff (lint and import order) over the tree and mypy over the core; both part of `make test`.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

validate: $(STAMP)
	$(BIN)/python -m handbook validate

# requirements.txt is the lock: every dependency of pyproject.toml (runtime and the `test` extra),
# pinned exactly. The project itself runs from the checkout and is not installed.
$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Håndbogen kræver Python 3.11 eller nyere"'
	@if [ ! -x $(BIN)/python ]; then \
		rm -rf $(VENV); \
		$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); $(SUDO) apt-get update && $(SUDO) apt-get install -y python3-venv && $(PYTHON) -m venv $(VENV); }; \
	fi
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

# Browser tests use Debian's Chromium through Playwright (never `playwright install`).
chromium:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; }

# The proxy tests run Debian's nginx in front of the portal (started by the test itself).
nginx:
	@command -v nginx >/dev/null || { $(SUDO) apt-get update && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y nginx; }

# Search splits Danish compound words with Debian's Danish word list (hunspell-da).
hunspell-da:
	@test -f /usr/share/hunspell/da_DK.dic || { $(SUDO) apt-get update && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y hunspell-da; }

clean:
	rm -rf $(VENV) data search_index test-artifacts .pytest_cache
