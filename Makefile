# `make run` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run room passcode test lint format bench clean chromium postgres poppler fonts libreoffice catalogue bytecode

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

# Stakemap's modules compiled ahead, as pip compiles a package it installs (an editable install
# does not): where PYTHONDONTWRITEBYTECODE is set (many container images, our test machines)
# every start compiled its 140 modules again, about 0.4 s of each command and of the server's
# first page. Quick when nothing changed.
COMPILE = $(PY) -m compileall -q src >/dev/null
bytecode: $(VENV)/.installed
	@$(COMPILE)

run: $(VENV)/.installed fonts bytecode
	$(PY) -m stakemap serve --server.address 127.0.0.1 --server.port $(PORT)

# Serve a workshop room on the local network. Refuses to start without a facilitator passcode
# hash (make one with `make passcode`); ROOM_ADDRESS picks the interface (all by default).
ROOM_ADDRESS ?= 0.0.0.0
room: $(VENV)/.installed fonts
	@if [ -z "$$STAKEMAP_PASSCODE_HASH" ]; then \
		echo "make room: set STAKEMAP_PASSCODE_HASH first (make passcode prints one)." >&2; \
		exit 1; \
	fi
	$(PY) -c "from stakemap.room.access import passcode_hash; passcode_hash()"
	@$(COMPILE)
	$(PY) -m stakemap serve --server.address $(ROOM_ADDRESS) --server.port $(PORT) \
		--server.headless true --browser.gatherUsageStats false

passcode: $(VENV)/.installed
	@$(PY) -m stakemap passcode

chromium:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = "0" ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

# Handout PDFs and PNGs draw names in DejaVu Sans, CJK in Droid Sans Fallback (Debian's fonts);
# without them they fall back to Helvetica (Latin-1 only).
fonts:
	@if { [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || \
		[ ! -f /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf ]; } && [ "$$(id -u)" = "0" ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			fonts-dejavu-core fonts-droid-fallback >/dev/null; \
	fi

# The handout tests render the PDF with poppler's pdftoppm and read it with pdftotext.
poppler:
	@if ! command -v pdftoppm >/dev/null && [ "$$(id -u)" = "0" ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; \
	fi

# The import tests convert workbooks with LibreOffice (soffice --headless) to .ods and .xls, as
# people's own LibreOffice and old Excel files arrive, and the slide-deck tests open the .pptx in
# Impress and convert it to PDF (Calc's package alone cannot read slides); under CI=true they
# fail without it.
libreoffice:
	@if { ! command -v soffice >/dev/null || [ ! -f /usr/lib/libreoffice/share/registry/impress.xcd ]; } \
		&& [ "$$(id -u)" = "0" ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends libreoffice-calc-nogui libreoffice-impress-nogui >/dev/null; \
	fi

# The suite runs the store and page tests on PostgreSQL too, in a throwaway cluster of its own.
postgres:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && [ "$$(id -u)" = "0" ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	fi

# The message catalogue: extract what the code marks for translation into the template, then
# bring each language's .po up to date (new messages arrive untranslated; the catalogue test
# fails until they are translated). docs/languages.md.
LOCALE := src/stakemap/locale
catalogue: $(VENV)/.installed
	$(VENV)/bin/pybabel extract -F babel.cfg --sort-by-file --no-location --width 100 \
		--project Stakemap --copyright-holder "Stakemap's authors" \
		-o $(LOCALE)/stakemap.pot src/stakemap app.py views
	$(VENV)/bin/pybabel update -i $(LOCALE)/stakemap.pot -d $(LOCALE) -D stakemap \
		--no-fuzzy-matching --ignore-obsolete --width 100

lint: $(VENV)/.installed-test
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(VENV)/.installed-test
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

test: $(VENV)/.installed-test chromium postgres poppler fonts libreoffice lint bytecode
	$(PY) -m pytest -q

bench: $(VENV)/.installed-test chromium bytecode
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache
