"""Optional dependencies: which extra installs each one, and the import that says so.

The core install (scikit-learn, tokenizers, NumPy, SciPy, joblib) covers the
tokenizers, the TF-IDF and naive Bayes detectors, the document features, evaluation,
saving and the CLI. Each heavy backend is an extra of its own (``pyproject.toml``);
:func:`import_optional` imports a module of one and, when it is missing, raises an
error that names the feature that wanted it and the command that installs it.
"""

import importlib

__all__ = ["EXTRAS", "import_optional", "install_hint"]

# Top-level module -> the extra of sklearn_aidetect that installs it.
EXTRAS = {
    "tensorflow": "neural",
    "keras": "neural",
    "gensim": "embeddings",
    "dask": "dask",
    "distributed": "dask",
    "pyarrow": "dask",
    "matplotlib": "plot",
    "wordfreq": "wordfreq",
    "openai": "generate",
    "keras_hub": "hub",
}


def install_hint(module):
    """The pip command that installs ``module`` (a module name, dotted or not).

    Examples
    --------
    >>> from sklearn_aidetect._optional import install_hint
    >>> install_hint("gensim.models")
    'pip install "sklearn_aidetect[embeddings]"'
    """
    top = module.partition(".")[0]
    extra = EXTRAS.get(top)
    if extra is None:
        return f"pip install {top}"
    return f'pip install "sklearn_aidetect[{extra}]"'


def import_optional(module, feature):
    """Import ``module``, or say which extra to install for ``feature``.

    Parameters
    ----------
    module : str
        The module to import, such as ``"gensim.models"``.
    feature : str
        What needs it, as the error message should name it
        (``"Word2VecVectorizer"``).

    Returns
    -------
    module : module

    Raises
    ------
    ModuleNotFoundError
        If ``module``'s package is not installed; the message names the feature,
        the package and the ``pip install "sklearn_aidetect[...]"`` that adds it.

    Examples
    --------
    >>> from sklearn_aidetect._optional import import_optional
    >>> import_optional("json", "this example").__name__
    'json'
    >>> import_optional("no_such_backend", "the example feature")
    Traceback (most recent call last):
    ...
    ModuleNotFoundError: the example feature needs no_such_backend, ...
    """
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        missing = exc.name or module
        if missing.partition(".")[0] != module.partition(".")[0]:
            raise  # a dependency of the backend is missing: its own message is right
        raise ModuleNotFoundError(
            f"{feature} needs {missing.partition('.')[0]}, an optional dependency "
            f"of sklearn_aidetect that is not installed; install it with: "
            f"{install_hint(missing)}",
            name=missing,
        ) from exc
