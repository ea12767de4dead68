# One entry point for every developer task. Each target creates and reuses its own
# virtual environment, so a fresh machine needs only Python 3.10+ and pip.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DATA ?= ../shared/data

.PHONY: help install lint test test-min demo bench clean

help:
	@echo "make demo      the main job: aidetect demo on built-in synthetic essays"
	@echo "make test      lint (ruff, codespell), the test suite and the demo (what CI runs)"
	@echo "make bench     tokenization, embedding and neural benchmarks on $(DATA)"
	@echo "make test-min  the test suite against the lowest supported dependencies"
	@echo "make clean     remove virtual environments and caches"

# Reinstall whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]" $(PIP_EXTRA)
	touch $@

install: $(VENV)/.installed

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/codespell

# CI runs the main job too, through the installed console script.
test: lint
	$(BIN)/python -m pytest
	$(BIN)/aidetect demo --quiet

demo: install
	$(BIN)/aidetect demo

# The lower bounds in pyproject.toml, tested: same suite, oldest allowed versions.
test-min:
	$(MAKE) test VENV=.venv-min PIP_EXTRA="-c .ci/min-versions.txt"

bench: install
	$(BIN)/python benchmarks/bench_tokenization.py --data $(DATA)/outfox_essays.csv.gz \
		--output benchmarks/results/tokenization.md
	$(BIN)/python benchmarks/bench_embeddings.py --data $(DATA)/outfox_essays.csv.gz \
		--output benchmarks/results/embeddings.md
	$(BIN)/python benchmarks/bench_neural.py --data $(DATA)/outfox_essays.csv.gz \
		--output benchmarks/results/neural.md
	$(BIN)/python benchmarks/bench_cli.py --data $(DATA) --output benchmarks/results/cli.md
	$(BIN)/python benchmarks/bench_reproducibility.py --data $(DATA)/outfox_essays.csv.gz \
		--output benchmarks/results/reproducibility.md

clean:
	rm -rf .venv .venv-min .pytest_cache .hypothesis build *.egg-info
