"""The package's layout: imports run down the layers, never in a circle.

Every module of the package sits in a layer; a module imports only from lower layers
or, inside one layer, without a cycle. Lazy imports (inside functions) count too: a
circle closed by a lazy import is still a circle. Each module also imports on its
own, in a fresh interpreter.
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "sklearn_aidetect"

# Lowest first. A subpackage is named by its folder: its modules share its layer.
LAYERS = [
    [
        "_version",
        "_io",
        "_optional",
        "_words",
        "_base",
        "_language_model",
        "_confusables",
    ],
    ["_validation"],
    [
        "metrics",
        "abstention",
        "normalization",
        "thresholds",
        "perturbation",
        "augmentation",
        "tokenization",
        "preprocessing",
        "embeddings",
        "naive_bayes",
        "ngrams",
        "style",
        "token_probability",
        "neural",
        "hub",
    ],
    [
        "datasets",
        "evaluation",
        "explanation",
        "persistence",
        "presets",
        "_predictions",
    ],
    ["cluster", "generation"],
    ["cli"],
]
LAYER = {name: depth for depth, names in enumerate(LAYERS) for name in names}


def _module_names():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts == ("__init__",):
            continue  # the package's face: it re-exports every layer
        yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts), path


MODULES = dict(_module_names())


def _imports(name, path):
    """The package modules that ``name`` imports, anywhere in its code."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.split(".") if package else []
            base = base[: len(base) - (node.level - 1)]
            target = ".".join([*base, node.module] if node.module else base)
            submodules = [f"{target}.".lstrip(".") + alias.name for alias in node.names]
            submodules = [m for m in submodules if m in MODULES]
            candidates = submodules or [target]  # `from . import neural`: a module
        elif isinstance(node, ast.ImportFrom) and node.module:
            candidates = [node.module.removeprefix("sklearn_aidetect.")]
            if not node.module.startswith("sklearn_aidetect"):
                continue
        elif isinstance(node, ast.Import):
            candidates = [
                alias.name.removeprefix("sklearn_aidetect.")
                for alias in node.names
                if alias.name.startswith("sklearn_aidetect.")
            ]
        else:
            continue
        found.update(c for c in candidates if c in MODULES or c == "")
    found.discard(name)
    return found


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def test_the_layers_name_every_module():
    assert {name.partition(".")[0] for name in MODULES} == set(LAYER)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_run_down_the_layers(name):
    assert "" not in GRAPH[name], (
        f"{name} imports the package root; import from the module that defines "
        "the name instead"
    )
    layer = LAYER[name.partition(".")[0]]
    upward = [t for t in GRAPH[name] if LAYER[t.partition(".")[0]] > layer]
    assert not upward, f"{name} (layer {layer}) imports {upward}, a higher layer"


def test_no_import_cycle():
    done, on_path = set(), []

    def visit(name):
        if name in on_path:
            cycle = [*on_path[on_path.index(name) :], name]
            pytest.fail("import cycle: " + " -> ".join(cycle))
        if name in done:
            return
        on_path.append(name)
        for target in sorted(GRAPH[name]):
            visit(target)
        on_path.pop()
        done.add(name)

    for name in sorted(GRAPH):
        visit(name)


def test_each_module_imports_on_its_own():
    # One fresh interpreter; before each module, every module of the package is
    # forgotten, so that each import runs as if it were the program's first.
    code = "\n".join(
        [
            "import importlib, sys",
            "failed = []",
            f"for name in {sorted(MODULES)!r}:",
            "    ours = [m for m in sys.modules if m.startswith('sklearn_aidetect')]",
            "    for loaded in ours:",
            "        del sys.modules[loaded]",
            "    try:",
            "        importlib.import_module('sklearn_aidetect.' + name)",
            "    except Exception as exc:",
            "        failed.append(f'{name}: {type(exc).__name__}: {exc}')",
            "print(failed)",
        ]
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]", result.stdout
