# booknetic-zoom: `make demo` runs the seed page end to end on the Zoom emulator; `make test` runs every test.
# Both install the Debian packages they need (as root; otherwise they print the apt-get line) and, when no
# MariaDB answers on DB_HOST:DB_PORT, run against a throwaway one (scripts/with-mariadb).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB_HOST ?= $(or $(BKZ_TEST_DB_HOST),127.0.0.1)
DB_PORT ?= $(or $(BKZ_TEST_DB_PORT),3306)

.PHONY: install test test-booknetic demo bench clean

$(BIN)/booknetic-zoom: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/booknetic-zoom

test:
	scripts/system-packages test $(DB_HOST) $(DB_PORT)
	$(MAKE) --no-print-directory install
	BKZ_TEST_DB_HOST=$(DB_HOST) BKZ_TEST_DB_PORT=$(DB_PORT) scripts/with-mariadb $(DB_HOST) $(DB_PORT) $(BIN)/pytest -q

# The screen tests against the real Booknetic: BOOKNETIC_SRC holds its booknetic/, booknetic-saas/ and
# booknetic-customer-panel/ plugin folders, and booknetic-workflow-email/ for the workflow editor's tests
# (tests/wordpress/real-booknetic/README.md).
test-booknetic:
	@test -n "$(BOOKNETIC_SRC)" || { echo "test-booknetic: set BOOKNETIC_SRC to the folder holding booknetic/, booknetic-saas/ and booknetic-customer-panel/"; exit 2; }
	scripts/system-packages test $(DB_HOST) $(DB_PORT)
	$(MAKE) --no-print-directory install
	BKZ_BOOKNETIC_SRC=$(abspath $(BOOKNETIC_SRC)) BKZ_TEST_DB_HOST=$(DB_HOST) BKZ_TEST_DB_PORT=$(DB_PORT) \
		scripts/with-mariadb $(DB_HOST) $(DB_PORT) $(BIN)/pytest -q tests/test_booknetic_screens.py

demo:
	scripts/system-packages demo $(DB_HOST) $(DB_PORT)
	$(MAKE) --no-print-directory install
	scripts/with-mariadb $(DB_HOST) $(DB_PORT) $(BIN)/booknetic-zoom demo --db-host $(DB_HOST) --db-port $(DB_PORT)

bench: install
	$(BIN)/python bench/zoom_client.py
	$(BIN)/python bench/sync.py
	$(BIN)/python bench/shortcodes.py
	$(BIN)/python bench/booking.py
	$(BIN)/python bench/memory.py
	$(BIN)/python bench/slow_zoom.py
	$(BIN)/python bench/faults.py

clean:
	rm -rf $(VENV) *.egg-info
