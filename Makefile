# `make run` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test lint format bench clean chromium postgres

$(PY):
	$(PYTHON) -m venv $(VENV)

# pip's own lines are the progress: a quiet first install looked hung for 2-3 minutes.
$(VENV)/.installed: $(PY) requirements.txt pyproject.toml
	@echo "Installing Stakemap's dependencies into $(VENV) (first run: 2-3 minutes)..."
	$(PY) -m pip install --disable-pip-version-check --progress-bar on -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@echo "Installed. Starting Stakemap..."
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-test.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

run: $(VENV)/.installed
	$(PY) -m streamlit run app.py --server.address 127.0.0.1 --server.port $(PORT)

chromium:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = "0" ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

# The suite runs the store and page tests on PostgreSQL too, in a throwaway cluster of its own.
postgres:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && [ "$$(id -u)" = "0" ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	fi

lint: $(VENV)/.installed-test
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(VENV)/.installed-test
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

test: $(VENV)/.installed-test chromium postgres lint
	$(PY) -m pytest -q

bench: $(VENV)/.installed-test chromium
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache
