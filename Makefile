# Two commands do all set-up on a fresh machine:
#   make run    create .venv, install the viewer, open it on the bundled bulletin
#   make test   create .venv, install the viewer with test tools, run every test headless
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: run test lint bench dist bundle-smoke clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(PY)
	@packaging/system-deps.sh
	$(PY) -m pip install -q -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	@packaging/system-deps.sh --test
	$(PY) -m pip install -q -e '.[test]'
	@touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(PY) -m viewer

test: $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

lint: $(VENV)/.installed-test
	$(PY) -m ruff check viewer tests
	$(PY) -m ruff format --check viewer tests

bench: $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -s -p no:cacheprovider $(wildcard tests/bench/bench_*.py)

# dist/: the wheel (pip install dist/bulletin_viewer-*.whl) and the onedir bundle
# dist/bulletin-viewer/ (PyInstaller, in its own venv build/venv-bundle).
dist: $(VENV)/.installed-test
	rm -f dist/bulletin_viewer-*.whl
	$(PY) -m build --wheel --outdir dist .
	packaging/build_bundle.sh

# Start the built bundle headless (--version, parse, list, --screenshot) and check it.
bundle-smoke: $(VENV)/.installed-run
	QT_QPA_PLATFORM=offscreen $(PY) packaging/bundle_smoke.py dist/bulletin-viewer

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache
