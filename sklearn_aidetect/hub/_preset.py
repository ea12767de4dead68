"""Local keras-hub presets: the path check, the loaders, and the text encoder.

A keras-hub preset is a directory that ``save_to_preset`` writes: ``config.json``
(the backbone's architecture), ``model.weights.h5``, ``tokenizer.json`` and the
tokenizer's ``assets/``. keras-hub's ``from_preset`` also takes names it downloads
(``"bert_base_en"``, ``kaggle://...``, ``hf://...``); this library hands it a
directory only, checked first, so that nothing is downloaded at run time.
"""

import os
import re
import shutil
import tempfile
from numbers import Integral
from pathlib import Path

import keras_hub
import numpy as np
import tensorflow as tf
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from .._base import Interval, _fit_context

# Documents tokenized per call of the preprocessor: bounds the memory of a call.
_TOKENIZE_BATCH = 1024
# A long document's head, in characters per kept token, that is tokenized first.
_HEAD_CHARACTERS_PER_TOKEN = 32
_WHITESPACE = re.compile(r"\s")

HOW_TO_GET_A_PRESET = (
    "To get one onto this machine: on a machine with internet access run "
    "`keras_hub.models.Backbone.from_preset(NAME).save_to_preset(DIR)` and "
    "`keras_hub.tokenizers.Tokenizer.from_preset(NAME).save_to_preset(DIR)` "
    "(NAME such as 'bert_tiny_en_uncased'), or download a preset folder from "
    "Kaggle Models or Hugging Face, and copy DIR here."
)

# The files of a preset that describe its architecture and tokenizer (not its
# weights): what a fitted encoder keeps, so that it unpickles without the preset.
_TEXT_FILES = ("config.json", "tokenizer.json", "preprocessor.json", "metadata.json")


def check_preset(preset, owner):
    """The path of the local preset directory ``preset``, or a clear error.

    Parameters
    ----------
    preset : str or path-like
        What the user passed as ``preset``.
    owner : str
        The estimator's name, for the messages.

    Returns
    -------
    path : str
    """
    if preset is None:
        raise ValueError(
            f"{owner} needs preset=, the path of a local keras-hub preset directory "
            "(nothing is downloaded); in the bert-finetune detector set "
            "classifier__preset=DIR (aidetect train --set classifier__preset=DIR). "
            f"{HOW_TO_GET_A_PRESET}"
        )
    if not isinstance(preset, str | os.PathLike):
        raise TypeError(
            f"{owner}: preset must be the path of a keras-hub preset directory (str "
            f"or pathlib.Path), not {type(preset).__name__}."
        )
    path = Path(preset).expanduser()
    if not path.exists():
        raise FileNotFoundError(
            f"{owner}: the preset {str(path)!r} does not exist. preset= takes a local "
            "keras-hub preset directory (config.json, model.weights.h5, "
            "tokenizer.json, assets/); names such as 'bert_base_en' are not "
            f"downloaded. {HOW_TO_GET_A_PRESET}"
        )
    if not path.is_dir():
        raise ValueError(
            f"{owner}: the preset {str(path)!r} is a file, not a preset directory. A "
            ".keras or .weights.h5 file holds no tokenizer; save the backbone and its "
            "tokenizer with save_to_preset(DIR) and pass DIR."
        )
    missing = [
        name
        for name in ("config.json", "tokenizer.json")
        if not (path / name).is_file()
    ]
    if missing:
        raise ValueError(
            f"{owner}: {str(path)!r} is not a complete keras-hub preset: it has no "
            f"{' and no '.join(missing)}. A preset directory is what "
            "save_to_preset writes (the backbone's and the tokenizer's)."
        )
    return str(path)


def _loading(owner, path, what, load):
    """``load()``, with any failure reported as a damaged preset."""
    try:
        return load()
    except Exception as error:  # keras-hub raises many kinds for a bad file
        raise ValueError(
            f"{owner}: cannot load the {what} of the keras-hub preset {path!r} "
            f"({type(error).__name__}: {error}). The preset may be damaged or "
            "incomplete; write it again with save_to_preset."
        ) from error


def load_backbone(preset, owner, dtype=None):
    """The backbone of the preset directory, with its weights."""
    path = check_preset(preset, owner)
    if not (Path(path) / "model.weights.h5").is_file():
        raise ValueError(
            f"{owner}: the preset {path!r} has no model.weights.h5; write it with "
            "backbone.save_to_preset(DIR)."
        )
    kwargs = {} if dtype is None else {"dtype": dtype}
    return _loading(
        owner,
        path,
        "backbone",
        lambda: keras_hub.models.Backbone.from_preset(path, **kwargs),
    )


def _load_preprocessor(path, max_length, owner):
    return _loading(
        owner,
        path,
        "tokenizer",
        lambda: keras_hub.models.TextClassifierPreprocessor.from_preset(
            path, sequence_length=max_length
        ),
    )


class PresetTextEncoder(TransformerMixin, BaseEstimator):
    """Documents -> the backbone's inputs, stacked: int32 of shape (n, k, max_length).

    The preset's own preprocessor (its tokenizer, then ``[CLS] ... [SEP]`` or its
    model's equivalent, truncated to ``max_length`` tokens and padded) gives one
    array per backbone input (``token_ids``, ``padding_mask``, and ``segment_ids``
    for BERT); they are stacked along axis 1 in ``input_names_`` order, so that the
    rows can be indexed and split like any array. A fitted encoder keeps the
    preset's tokenizer files (not its weights), so that it pickles on its own.
    """

    _parameter_constraints: dict = {
        "preset": [str, os.PathLike, None],
        "max_length": [Interval(Integral, 2, None, closed="left")],
        "owner": [str],
    }

    def __init__(self, preset=None, *, max_length=256, owner="PresetTextEncoder"):
        self.preset = preset
        self.max_length = max_length
        self.owner = owner

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X=None, y=None):
        path = check_preset(self.preset, self.owner)
        self.preprocessor_ = _load_preprocessor(path, self.max_length, self.owner)
        self.files_ = _read_text_files(path)
        return self

    def set_input_names(self, names):
        """Fix the inputs (and their order) of the backbone this encoder feeds."""
        produced = set(self.preprocessor_(["x"]))
        missing = sorted(set(names) - produced)
        if missing:
            raise ValueError(
                f"{self.owner}: the backbone of {self.preset!r} takes "
                f"{', '.join(missing)}, which its tokenizer does not produce; the "
                "preset's config.json and tokenizer.json belong to other models."
            )
        self.input_names_ = list(names)
        return self

    def transform(self, X):
        check_is_fitted(self, "input_names_")
        X = list(X)
        out = np.zeros((len(X), len(self.input_names_), self.max_length), np.int32)
        mask = self.input_names_.index("padding_mask")
        # Only the first max_length tokens are kept, so a long document is
        # tokenized from its head (cut at a whitespace): the same tokens, without
        # tokenizing megabytes that truncation drops. A head that gives fewer
        # tokens than are kept is not enough: that document is tokenized whole.
        limit = _HEAD_CHARACTERS_PER_TOKEN * self.max_length
        heads = [_head(document, limit) for document in X]
        self._tokenize_into(out, range(len(X)), heads)
        short = [
            i
            for i, (head, document) in enumerate(zip(heads, X))
            if len(head) < len(document) and out[i, mask].sum() < self.max_length
        ]
        self._tokenize_into(out, short, [X[i] for i in short])
        return out

    def _tokenize_into(self, out, rows, documents):
        rows = list(rows)
        for start in range(0, len(rows), _TOKENIZE_BATCH):
            chunk = rows[start : start + _TOKENIZE_BATCH]
            batch = self.preprocessor_(
                tf.constant(documents[start : start + _TOKENIZE_BATCH])
            )
            for column, name in enumerate(self.input_names_):
                values = np.asarray(batch[name]).astype(np.int32)
                out[chunk, column, :] = 0
                out[chunk, column, : values.shape[1]] = values

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("preprocessor_", None)  # a Keras layer: rebuilt from files_
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        if "files_" in state:
            self.preprocessor_ = _preprocessor_from_files(
                state["files_"], self.max_length, self.owner
            )


def _read_text_files(path):
    """The preset's architecture and tokenizer files, by relative path: bytes."""
    root = Path(path)
    files = {
        name: (root / name).read_bytes()
        for name in _TEXT_FILES
        if (root / name).is_file()
    }
    for file in (root / "assets").rglob("*") if (root / "assets").is_dir() else ():
        if file.is_file():
            files[file.relative_to(root).as_posix()] = file.read_bytes()
    return files


def _preprocessor_from_files(files, max_length, owner):
    folder = tempfile.mkdtemp(prefix="sklearn_aidetect-preset-")
    try:
        for name, data in files.items():
            target = Path(folder, name)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        return _load_preprocessor(folder, max_length, owner)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _head(document, limit):
    """``document`` up to the first whitespace after ``limit`` characters."""
    if len(document) <= limit:
        return document
    space = _WHITESPACE.search(document, limit)
    return document if space is None else document[: space.start()]
