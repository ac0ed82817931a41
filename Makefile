# make run: install what the program needs into .venv and start it
# make test: install what the tests need (and Xvfb) and run the whole suite on a virtual screen
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python

.PHONY: run test bench

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.testing: $(VENV)/.runtime requirements-test.txt
	$(PY) -m pip install -q -r requirements-test.txt
	touch $@

# bytecode compiled once, as pip would for an installed program (quicker starts)
run: $(VENV)/.runtime
	$(PY) -m compileall -q simulator
	$(PY) main.py $(ARGS)

test: $(VENV)/.testing
	bash scripts/ensure-test-tools.sh
	$(PY) -m pytest -q

bench: $(VENV)/.testing
	bash scripts/ensure-test-tools.sh
	$(PY) benchmarks/bench.py $(ARGS)
