# booknetic-zoom: `make demo` runs the seed page end to end on the Zoom emulator; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install test demo bench clean

$(BIN)/booknetic-zoom: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/booknetic-zoom

test: install
	$(BIN)/pytest -q

demo: install
	$(BIN)/booknetic-zoom demo

bench: install
	$(BIN)/python bench/zoom_client.py
	$(BIN)/python bench/sync.py
	$(BIN)/python bench/shortcodes.py

clean:
	rm -rf $(VENV) *.egg-info
