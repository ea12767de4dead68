# One entry point for every developer task. Each target creates and reuses its own
# virtual environment, so a fresh machine needs only Python 3.10+ and pip.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DATA ?= ../shared/data

# Extras installed into the environment: dev tools and what builds the docs.
EXTRAS ?= dev,docs
# `make test` ends with the docs build (it runs every example); test-min skips it.
TEST_DOCS ?= yes
SPHINXOPTS ?=

.PHONY: help install browser lint test test-min demo docs bench clean

help:
	@echo "make demo      the main job: aidetect demo on built-in synthetic essays"
	@echo "make test      lint (ruff, codespell), the test suite, the demo, the docs (what CI runs)"
	@echo "make docs      the documentation site, examples run, in docs/_build/html"
	@echo "make bench     detection, tokenization, embedding, neural... benchmarks on $(DATA)"
	@echo "make test-min  the test suite against the lowest supported dependencies"
	@echo "make clean     remove virtual environments and caches"

# Reinstall whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[$(EXTRAS)]" $(PIP_EXTRA)
	touch $@

install: $(VENV)/.installed browser

# The HTML report's test renders it in headless Chromium, Debian's package. Installed
# here when missing and apt-get can run (as root); elsewhere that one test is skipped
# and says why.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] \
		&& command -v apt-get >/dev/null 2>&1 && apt-get update -qq \
		&& DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends chromium >/dev/null; } \
		|| echo "chromium is not installed: the HTML report's browser test will be skipped"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/codespell

# CI runs the main job too, through the installed console script, and builds the
# docs so that the examples and pages cannot rot.
test: lint
	$(BIN)/python -m pytest
	$(BIN)/aidetect demo --quiet
ifeq ($(TEST_DOCS),yes)
	$(MAKE) docs
endif

# The HTML site: user guide, API and CLI reference, the examples gallery (every
# examples/plot_*.py runs) and the benchmark tables. Warnings are errors; nothing is
# downloaded. Open docs/_build/html/index.html.
docs: install
	$(BIN)/sphinx-build -W --keep-going -b html $(SPHINXOPTS) docs docs/_build/html

demo: install
	$(BIN)/aidetect demo

# The lower bounds in pyproject.toml, tested: same suite, oldest allowed versions.
test-min:
	$(MAKE) test VENV=.venv-min EXTRAS=dev TEST_DOCS=no PIP_EXTRA="-c .ci/min-versions.txt"

bench: install
	$(BIN)/python benchmarks/bench_tokenization.py --data $(DATA)/outfox_essays.csv.gz \
		--output benchmarks/results/tokenization.md
	$(BIN)/python benchmarks/bench_embeddings.py --data $(DATA)/outfox_essays.csv.gz \
		--output benchmarks/results/embeddings.md
	$(BIN)/python benchmarks/bench_neural.py --data $(DATA)/outfox_essays.csv.gz \
		--output benchmarks/results/neural.md
	$(BIN)/python benchmarks/bench_hub.py --data $(DATA) --output benchmarks/results/hub.md
	$(BIN)/python benchmarks/bench_cli.py --data $(DATA) --output benchmarks/results/cli.md
	$(BIN)/python benchmarks/bench_performance.py --data $(DATA) \
		--output benchmarks/results/performance.md
	$(BIN)/python benchmarks/bench_reproducibility.py --data $(DATA)/outfox_essays.csv.gz \
		--output benchmarks/results/reproducibility.md
	$(BIN)/python benchmarks/bench_cluster.py --data $(DATA)/outfox_essays.csv.gz \
		--output benchmarks/results/cluster.md
	$(BIN)/python benchmarks/tune_detection.py --data $(DATA) \
		--output benchmarks/results/tuning.md
	$(BIN)/python benchmarks/bench_detection.py --data $(DATA) \
		--output benchmarks/results/detection.md
	$(BIN)/python benchmarks/bench_attacks.py --data $(DATA) --tasks outfox-clean \
		--output benchmarks/results/attacks.md
	$(BIN)/python benchmarks/bench_attacks.py --data $(DATA) --tasks hc3-grouped \
		--output benchmarks/results/attacks_hc3.md
	$(BIN)/python benchmarks/bench_length.py --data $(DATA) \
		--output benchmarks/results/length.md
	$(BIN)/python benchmarks/bench_augmentation.py --data $(DATA) \
		--output benchmarks/results/augmentation.md
	$(BIN)/python benchmarks/domain_shift.py --data $(DATA) \
		--output benchmarks/results/domain_shift.md
	$(BIN)/python benchmarks/select_transfer_features.py --data $(DATA) \
		--output benchmarks/results/transfer_features.md

clean:
	rm -rf .venv .venv-min .pytest_cache .hypothesis build *.egg-info
	rm -rf docs/_build docs/auto_examples docs/generated docs/benchmark_results \
		docs/sg_execution_times.rst
