"""Saving and loading fitted detectors.

A model file is a plain pickle of the detector followed by a short trailer: a JSON
manifest (library and dependency versions, creation time, the SHA-256 and length of
the pickle) and a fixed marker. ``pickle.load`` and ``joblib.load`` read the pickle and
ignore the trailer, so the file is still an ordinary pickle; :func:`load_model` checks
the trailer first and refuses a file whose pickle no longer matches its checksum. It
unpickles with the C unpickler, several times faster than ``joblib.load`` on the large
vocabularies of TF-IDF detectors. Files written by ``joblib.dump`` load too.

Saving goes through a temporary file beside the target, renamed into place, so an
interrupted save never leaves a half-written model or damages the file that was there
before.

.. warning::

   Loading a pickle (or joblib) file runs code stored in it. Load only model files
   you made yourself or got from someone you trust.
"""

import hashlib
import io
import json
import os
import pickle
import platform
import struct
import sys
import warnings
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from ._base import validate_params
from ._io import atomic_output
from ._version import __version__
from .thresholds import decision_threshold

__all__ = ["ModelVersionWarning", "load_model", "read_manifest", "save_model"]

# The file ends with: manifest (JSON, UTF-8), its length (8 bytes), this marker.
_MARKER = b"\x00sklearn_aidetect-model-v1\x00"
_LENGTH = struct.Struct("<Q")
# Versions recorded in the manifest; TensorFlow, Keras and gensim only when loaded.
_ALWAYS = ("scikit-learn", "numpy", "scipy", "joblib", "tokenizers")
_IF_LOADED = {"tensorflow": "tensorflow", "keras": "keras", "gensim": "gensim"}


class ModelVersionWarning(UserWarning):
    """A model file was saved with other versions of the library or its dependencies.

    Pickled estimators are only guaranteed to behave the same under the versions
    that saved them; :func:`load_model` warns, naming both versions of each package
    that differs, and loads the model anyway. To refuse such models instead, turn the
    warning into an error: ``warnings.simplefilter("error", ModelVersionWarning)``.

    Examples
    --------
    >>> from sklearn_aidetect import ModelVersionWarning
    >>> issubclass(ModelVersionWarning, UserWarning)
    True
    """


@validate_params(
    {"model": "no_validation", "path": [str, os.PathLike], "overwrite": ["boolean"]},
    prefer_skip_nested_validation=True,
)
def save_model(model, path, *, overwrite=False):
    """Save a fitted detector to ``path``: a pickle with a checksummed manifest.

    The file is written atomically, and ``pickle.load`` or ``joblib.load`` can read
    it as well as :func:`load_model`.

    Parameters
    ----------
    model : estimator
        A fitted detector, usually a :class:`~sklearn.pipeline.Pipeline`.
    path : str or os.PathLike
        The file to write (``.joblib`` by convention). Its folder must exist.
    overwrite : bool, default=False
        Replace an existing file at ``path``. By default an existing file is an
        error, so that a trained model is never lost by accident.

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
    payload = pickle.dumps(model, protocol=5)
    manifest = json.dumps(_manifest(model, payload), sort_keys=True).encode()
    with atomic_output(path, overwrite=overwrite, binary=True) as handle:
        handle.write(payload)
        handle.write(manifest)
        handle.write(_LENGTH.pack(len(manifest)))
        handle.write(_MARKER)
    return Path(path)


@validate_params({"path": [str, os.PathLike]}, prefer_skip_nested_validation=True)
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
        If the file is not a saved model, is damaged or truncated, no longer matches
        the checksum recorded when it was saved, or holds something that cannot score
        text.

    Warns
    -----
    ModelVersionWarning
        If the file was saved with other versions of sklearn_aidetect or of its
        dependencies than those installed.

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
        model = _load(path)
    except ModuleNotFoundError as exc:
        raise ValueError(
            f"cannot load model {path}: it needs the Python module {exc.name!r}, "
            "which is not installed. Install it, or retrain the model here."
        ) from exc
    except _ChecksumError:
        raise
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


@validate_params({"path": [str, os.PathLike]}, prefer_skip_nested_validation=True)
def read_manifest(path):
    """What a model file records about itself, without loading the model.

    Parameters
    ----------
    path : str or os.PathLike
        A file written by :func:`save_model` or ``aidetect train``.

    Returns
    -------
    manifest : dict or None
        ``sklearn_aidetect`` and ``python`` versions, ``dependencies`` (package
        versions), ``created`` (UTC, ISO 8601), ``model`` (class name),
        ``payload_bytes`` and ``sha256`` of the pickle; for a model with a chosen
        decision threshold (``aidetect train --target-fpr``), ``decision``:
        ``{"threshold": ..., "target_fpr": ...}``. None for a file without a
        manifest, such as one written by ``joblib.dump``.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from sklearn_aidetect import make_detector, read_manifest, save_model
    >>> detector = make_detector("tfidf-logistic", vectorizer__min_df=1)
    >>> detector = detector.fit(["my dog ate it", "Moreover, it is vital."], [0, 1])
    >>> path = save_model(detector, Path(tempfile.mkdtemp()) / "detector.joblib")
    >>> manifest = read_manifest(path)
    >>> manifest["model"], "scikit-learn" in manifest["dependencies"]
    ('Pipeline', True)
    """
    return _split(Path(path).read_bytes())[1]


class _ChecksumError(ValueError):
    pass


def _split(data):
    """The pickle and the manifest of a model file's bytes; no manifest: None."""
    if not data.endswith(_MARKER):  # written by joblib.dump or pickle
        return data, None
    end = len(data) - len(_MARKER)
    (length,) = _LENGTH.unpack(data[end - _LENGTH.size : end])
    manifest = json.loads(data[end - _LENGTH.size - length : end - _LENGTH.size])
    if manifest["payload_bytes"] + length + _LENGTH.size + len(_MARKER) != len(data):
        raise ValueError("the manifest's payload length does not match the file")
    return memoryview(data)[: manifest["payload_bytes"]], manifest


def _load(path):
    payload, manifest = _split(path.read_bytes())
    if manifest is None:
        import joblib

        return joblib.load(path)
    if hashlib.sha256(payload).hexdigest() != manifest["sha256"]:
        raise _ChecksumError(
            f"refusing to load {path}: its content does not match the checksum "
            "recorded when it was saved, so it was changed or damaged since. Train "
            "and save the model again."
        )
    _warn_about_versions(path, manifest)
    return _Unpickler(io.BytesIO(payload)).load()


# Where the classes and functions that older versions pickled live now: (module,
# name) as the pickle names them -> (module, name) today. Version 0.1 built its
# neural classifiers over scikeras, which pickled Keras models with its own function.
_MOVED = {
    ("scikeras._saving_utils", "unpack_keras_model"): (
        "sklearn_aidetect.neural._base",
        "unpack_legacy_keras_model",
    ),
    ("sklearn_aidetect._keras_wrapper", "_BinaryTargetEncoder"): (
        "sklearn_aidetect.neural._base",
        "LegacyBinaryTargetEncoder",
    ),
    ("sklearn_aidetect.neural", "_TokenIdEncoder"): (
        "sklearn_aidetect.neural._sequence",
        "_TokenIdEncoder",
    ),
    ("sklearn_aidetect.neural", "PositionalEmbedding"): (
        "sklearn_aidetect.neural._sequence",
        "PositionalEmbedding",
    ),
    ("sklearn_aidetect.neural", "TokenMask"): (
        "sklearn_aidetect.neural._sequence",
        "TokenMask",
    ),
}


class _Unpickler(pickle.Unpickler):
    """The C unpickler, reading names that moved since the file was saved."""

    def find_class(self, module, name):
        return super().find_class(*_MOVED.get((module, name), (module, name)))


def _warn_about_versions(path, manifest):
    saved = {"sklearn_aidetect": manifest["sklearn_aidetect"]}
    saved.update(manifest["dependencies"])
    installed = {"sklearn_aidetect": __version__}
    for name in manifest["dependencies"]:
        try:
            installed[name] = version(name)
        except PackageNotFoundError:
            installed[name] = "not installed"
    differ = [name for name in saved if saved[name] != installed[name]]
    if differ:
        then = ", ".join(f"{name} {saved[name]}" for name in differ)
        now = ", ".join(f"{name} {installed[name]}" for name in differ)
        warnings.warn(
            f"{path} was saved with {then}; this environment has {now}. The model "
            "may load or predict differently: check its scores, or retrain it here.",
            ModelVersionWarning,
            stacklevel=3,
        )


def _manifest(model, payload):
    packages = list(_ALWAYS)
    packages += [name for name, module in _IF_LOADED.items() if module in sys.modules]
    versions = {}
    for name in packages:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:  # pragma: no cover - a dependency always is
            continue
    threshold, target_fpr = decision_threshold(model)
    decision = {"decision": {"threshold": threshold, "target_fpr": target_fpr}}
    return {
        **(decision if threshold is not None else {}),
        "sklearn_aidetect": __version__,
        "python": platform.python_version(),
        "dependencies": versions,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "model": type(model).__name__,
        "payload_bytes": len(payload),
        "sha256": hashlib.sha256(payload).hexdigest(),
    }
