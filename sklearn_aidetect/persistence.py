"""Saving and loading fitted detectors.

A detector is saved with :mod:`joblib`, written to a temporary file beside the target
and renamed into place, so an interrupted save never leaves a half-written model or
damages the file that was there before.

.. warning::

   Loading a joblib (or pickle) file runs code stored in it. Load only model files
   you made yourself or got from someone you trust.
"""

from pathlib import Path

import joblib

from ._io import atomic_output

__all__ = ["load_model", "save_model"]


def save_model(model, path, *, overwrite=False, compress=0):
    """Save a fitted detector to ``path`` with joblib, atomically.

    Parameters
    ----------
    model : estimator
        A fitted detector, usually a :class:`~sklearn.pipeline.Pipeline`.
    path : str or os.PathLike
        The file to write (``.joblib`` by convention). Its folder must exist.
    overwrite : bool, default=False
        Replace an existing file at ``path``. By default an existing file is an
        error, so that a trained model is never lost by accident.
    compress : int from 0 to 9, default=0
        joblib's zlib compression level: smaller files, slower saving and loading.

    Returns
    -------
    path : pathlib.Path
        The file written.

    Raises
    ------
    FileExistsError
        If ``path`` exists and ``overwrite`` is False.
    FileNotFoundError
        If the folder of ``path`` does not exist.

    See Also
    --------
    load_model : Load it back.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from sklearn_aidetect import make_detector, save_model, load_model
    >>> texts = ["my dog ate it lol", "Furthermore, it is essential."] * 4
    >>> detector = make_detector("tfidf-logistic", vectorizer__min_df=1)
    >>> detector = detector.fit(texts, [0, 1] * 4)
    >>> path = save_model(detector, Path(tempfile.mkdtemp()) / "detector.joblib")
    >>> load_model(path).predict(["Moreover, it is essential."])
    array([1])
    """
    with atomic_output(path, overwrite=overwrite, binary=True) as handle:
        joblib.dump(model, handle, compress=compress)
    return Path(path)


def load_model(path):
    """Load a detector saved by :func:`save_model` (or by ``joblib.dump``).

    Loading runs code stored in the file: load only files you trust.

    Parameters
    ----------
    path : str or os.PathLike
        A file written by :func:`save_model`, ``aidetect train`` or ``joblib.dump``.

    Returns
    -------
    model : estimator
        The fitted detector; it has ``predict_proba``.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        If the file is not a saved model, is damaged, or holds something that cannot
        score text.

    See Also
    --------
    save_model : Save a detector.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from sklearn_aidetect import load_model
    >>> path = Path(tempfile.mkdtemp()) / "notes.joblib"
    >>> _ = path.write_text("not a model")
    >>> load_model(path)
    Traceback (most recent call last):
    ...
    ValueError: cannot load model ...notes.joblib: it is not a model saved by ...
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"model file {path} does not exist.")
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a folder; give the model file's path.")
    try:
        model = joblib.load(path)
    except ModuleNotFoundError as exc:
        raise ValueError(
            f"cannot load model {path}: it needs the Python module {exc.name!r}, "
            "which is not installed. Install it, or retrain the model here."
        ) from exc
    except Exception as exc:
        raise ValueError(
            f"cannot load model {path}: it is not a model saved by sklearn_aidetect "
            f"or joblib, or it is damaged or truncated ({type(exc).__name__}: "
            f"{_first_line(exc)}). Train and save the model again."
        ) from exc
    if not hasattr(model, "predict_proba"):
        raise ValueError(
            f"{path} holds a {type(model).__name__}, not a fitted detector with "
            "predict_proba; give a model saved by `aidetect train` or save_model."
        )
    return model


def _first_line(exc):
    text = str(exc).strip()
    return text.splitlines()[0] if text else "no details"
