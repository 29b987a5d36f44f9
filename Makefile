# metrokg: `make serve` builds the graph from corpus/ and serves the web app; `make test` runs the tests
# (`make test-fast` skips the ones marked slow: servers, browser, many subprocesses, over ~3 s).
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
PYTHON ?= python3

.PHONY: setup serve build test test-fast bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml scripts/system-deps.sh
	bash scripts/system-deps.sh
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip==25.3
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e '.[test]'
	$(BIN)/metrokg model install  # the e5 folder and its ONNX export; quick when both are there
	$(PY) -m compileall -q kg nlp ui ontology metrokg  # bytecode written once: a cold command compiles nothing (PYTHONDONTWRITEBYTECODE)
	touch $@

build: setup
	$(BIN)/metrokg build

serve: build
	$(BIN)/metrokg serve --host 127.0.0.1 --port 7860

test: setup
	$(BIN)/python -m pytest -q

test-fast: setup
	$(BIN)/python -m pytest -q -m "not slow"

bench: setup
	for f in benchmarks/*.py; do $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) build dist *.egg-info test-output
