"""Sphinx configuration: user guide, API reference, CLI reference, examples gallery.

Build with ``make docs`` (``sphinx-build -W --keep-going -b html docs
docs/_build/html``): warnings are errors, and nothing is fetched from the network
(no intersphinx, no remote images, no Binder or JupyterLite links).
"""

import os
import shutil
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(ROOT))  # the package as checked out, installed or not

# The examples run during the build: no window may open, and TensorFlow's C++ log
# would only clutter the captured output. Set before anything imports either.
os.environ["MPLBACKEND"] = "Agg"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from sphinx_gallery.sorting import ExplicitOrder  # noqa: E402

import sklearn_aidetect  # noqa: E402

project = "sklearn_aidetect"
author = "sklearn_aidetect developers"
copyright = "sklearn_aidetect developers, BSD-3-Clause"
version = release = sklearn_aidetect.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "sphinxarg.ext",
    "myst_parser",
]

templates_path = ["_templates"]
exclude_patterns = ["_build"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
default_role = "literal"  # `x` reads as code, as in numpydoc's own docstrings

# --- API reference ----------------------------------------------------------------

autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": True}
autodoc_typehints = "none"
# autodoc documents each class's methods (the members option, filtered below);
# numpydoc's own member tables would list them a second time.
numpydoc_show_class_members = False
numpydoc_show_inherited_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = False
numpydoc_xref_param_type = False


def _skip_foreign_members(app, what, name, obj, skip, options):
    """Document the methods this library defines (in public or private base
    classes), not those inherited as they are from scikit-learn or Keras:
    their docstrings belong to those projects and refer to pages that are not here.
    """
    if skip or what != "class":
        return skip
    function = getattr(obj, "fget", obj)  # a property's getter
    function = getattr(function, "__func__", function)  # a classmethod's function
    module = getattr(function, "__module__", None) or ""
    if not module.startswith("sklearn_aidetect"):
        return True
    # A hook without a docstring of its own (feature_encoder, a partial_fit
    # that raises) would show the docstring of what it overrides.
    return True if getattr(function, "__doc__", None) is None else None


# --- examples gallery -------------------------------------------------------------

sphinx_gallery_conf = {
    "examples_dirs": str(ROOT / "examples"),
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",  # run every plot_*.py
    # From the first detector to the finer points; a new example goes last.
    "within_subsection_order": ExplicitOrder(
        [
            "plot_quickstart.py",
            "plot_kaggle_recipe.py",
            "plot_doc2vec_vs_fasttext.py",
            "plot_neural_roc.py",
            "plot_class_weight.py",
            "plot_grid_search.py",
            "*",
        ]
    ),
    "abort_on_example_error": True,
    "only_warn_on_example_error": False,
    "doc_module": ("sklearn_aidetect",),
    "backreferences_dir": "generated/backreferences",
    "inspect_global_variables": False,
    "remove_config_comments": True,
    "image_scrapers": ("matplotlib",),
    "matplotlib_animations": False,
    "min_reported_time": 1,
    # Its timing pages load jQuery and DataTables from CDNs; the times are in each
    # example's page and in the build log.
    "write_computation_times": False,
    "show_memory": False,
    "download_all_examples": False,
}

# --- benchmark results ------------------------------------------------------------

# Every table in benchmarks/results/*.md becomes a page of "Benchmark results": the
# files are copied here at each build and docs/benchmarks.rst includes a toctree of
# them, so a new results file is picked up by the next build with no edit. Pages named
# in BENCHMARK_ORDER come first, in that order; any other file follows by name.
BENCHMARK_RESULTS = ROOT / "benchmarks" / "results"
BENCHMARK_PAGES = DOCS / "benchmark_results"
BENCHMARK_ORDER = [
    "detection",
    "tuning",
    "cli",
    "attacks",
    "attacks_hc3",
    "reproducibility",
    "neural",
    "embeddings",
]


def _copy_benchmark_results(app):
    shutil.rmtree(BENCHMARK_PAGES, ignore_errors=True)
    BENCHMARK_PAGES.mkdir()
    names = sorted(path.stem for path in BENCHMARK_RESULTS.glob("*.md"))
    names.sort(key=lambda n: BENCHMARK_ORDER.index(n) if n in BENCHMARK_ORDER else 99)
    for name in names:
        shutil.copyfile(
            BENCHMARK_RESULTS / f"{name}.md", BENCHMARK_PAGES / f"{name}.md"
        )
    toctree = [".. toctree::", "   :maxdepth: 1", ""]
    toctree += [f"   benchmark_results/{name}" for name in names]
    (BENCHMARK_PAGES / "toctree.inc").write_text("\n".join(toctree) + "\n")


# --- HTML -------------------------------------------------------------------------

html_theme = "pydata_sphinx_theme"
html_title = f"sklearn_aidetect {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_prev_next": True,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_show_sourcelink = False


# --- generated tables -------------------------------------------------------------


def _write_detector_table(app):
    """docs/generated/detectors.inc: the ready-made detectors, from the code."""
    from sklearn_aidetect import list_detectors

    lines = [".. list-table::", "   :header-rows: 1", "   :widths: 20 80", ""]
    lines += ["   * - name", "     - pipeline"]
    for info in list_detectors():
        lines += [f"   * - ``{info.name}``", f"     - {info.description}"]
    folder = DOCS / "generated"
    folder.mkdir(exist_ok=True)
    (folder / "detectors.inc").write_text("\n".join(lines) + "\n")


def _remove_api_stubs(app):
    """Start the API pages afresh: a stub left by a name since removed would fail
    the build (autosummary writes stubs but never deletes one)."""
    for stub in (DOCS / "generated").glob("*.rst"):
        stub.unlink()


def setup(app):
    app.connect("builder-inited", _remove_api_stubs, priority=100)  # before autosummary
    app.connect("builder-inited", _copy_benchmark_results)
    app.connect("builder-inited", _write_detector_table)
    app.connect("autodoc-skip-member", _skip_foreign_members)
