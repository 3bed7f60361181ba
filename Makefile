# Two entry points for a fresh clone: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint format bench clean protos

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files record which extras are installed, so pyproject edits re-trigger the install.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,ray,net,preview,pyrender]'
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	mkdir -p outputs
	$(BIN)/rerender run -o outputs/dna_abacus.rrd examples/dna_example.py
	$(BIN)/rerender info outputs/dna_abacus.rrd
	$(BIN)/rerender render outputs/dna_abacus.rrd -o outputs/dna_abacus.mp4

test: $(VENV)/.installed-test
	$(BIN)/rerun analytics disable >/dev/null 2>&1 || true
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,ray,net,preview,pyrender,bench]'
	touch $@ $(VENV)/.installed-test $(VENV)/.installed

# `make bench BENCH=render` runs benchmarks/bench_render.py; rrd, sdk, query, render and pipeline exist.
BENCH ?= rrd
bench: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/bench_$(BENCH).py

# The gRPC message classes of `rerender serve` / rr.connect_grpc, regenerated from their .proto files
# (the generated modules are committed, so users need grpcio and protobuf, not grpcio-tools).
PROTOS := src/rerender/net/protos
protos: | $(BIN)/python
	$(BIN)/python -m pip install --quiet 'grpcio-tools>=1.85.1'
	$(BIN)/python -m grpc_tools.protoc -I src --python_out=src --pyi_out=src $(PROTOS)/common.proto $(PROTOS)/log_msg.proto
	$(BIN)/python -m grpc_tools.protoc -I src --python_out=src --pyi_out=src --grpc_python_out=src $(PROTOS)/sdk_comms.proto

clean:
	rm -rf $(VENV) outputs/* .pytest_cache
