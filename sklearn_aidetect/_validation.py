"""Input checks shared by every text estimator.

Each check turns what a user passes into the plain Python lists the estimators work
on, or raises an error that names the estimator, the offending document and the fix.
"""

import math

import numpy as np
import scipy.sparse as sp
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import column_or_1d

from ._words import WORDS_AND_PUNCTUATION

__all__ = [
    "check_binary_target",
    "check_documents",
    "check_feature_matrix",
    "check_token_ids",
    "check_token_lists",
]


def check_documents(X, *, estimator, fitting=False):
    """Return ``X`` as a list of ``str``, one per document.

    Parameters
    ----------
    X : iterable of str
        A list, tuple, 1-D array or pandas Series of documents.
    estimator : object or str
        The estimator that validates, named in error messages; or the name of the
        function that does.
    fitting : bool, default=False
        If True, the corpus must hold at least one non-empty document.

    Returns
    -------
    documents : list of str
    """
    name = estimator if isinstance(estimator, str) else type(estimator).__name__
    documents = _as_list(X, name, "documents (strings)")
    for index, document in enumerate(documents):
        if not isinstance(document, str):
            raise TypeError(_not_a_document(name, index, document))
    if fitting:
        _check_learnable(name, documents, lambda doc: doc and not doc.isspace())
    return documents


def check_token_lists(X, *, estimator, fitting=False):
    """Return ``X`` as a list of token lists.

    Each document is either a sequence of token strings (the ``output="tokens"`` of a
    tokenizer of this library) or a raw string, which is split with
    :class:`~sklearn_aidetect.WordTokenizer` at its defaults.

    Returns
    -------
    token_lists : list of list of str
    """
    name = type(estimator).__name__
    documents = _as_list(X, name, "token lists (or strings)")
    token_lists = []
    for index, document in enumerate(documents):
        if isinstance(document, str):  # as WordTokenizer() splits it
            token_lists.append(WORDS_AND_PUNCTUATION.findall(document))
            continue
        if _is_missing(document) or isinstance(document, (bytes, dict)):
            raise TypeError(_not_a_document(name, index, document, tokens=True))
        try:
            tokens = list(document)
        except TypeError:
            raise TypeError(
                _not_a_document(name, index, document, tokens=True)
            ) from None
        for position, token in enumerate(tokens):
            if not isinstance(token, str):
                raise TypeError(
                    f"{name}: token {position} of document {index} is "
                    f"{_describe(token)}; every token must be a str. Tokenize the "
                    "documents with a tokenizer of this library (output='tokens')."
                )
        token_lists.append(tokens)
    if fitting:
        _check_learnable(name, token_lists, bool)
    return token_lists


def check_token_ids(X, *, estimator, allow_empty=False):
    """Return ``X`` as a 1-D object array of int64 token-id arrays, one per document.

    Each document is a sequence of non-negative integers (the ``output="ids"`` of a
    tokenizer of this library), non-empty unless ``allow_empty`` (which also lets
    the corpus be empty); documents may differ in length. A 2-D integer array is
    read as one document per row.

    Returns
    -------
    sequences : ndarray of shape (n_documents,), dtype=object
    """
    name = type(estimator).__name__
    if getattr(X, "ndim", 1) == 2 and getattr(X, "dtype", None) is not None:
        X = list(X)
    documents = _as_list(X, name, "token-id sequences")
    sequences = np.empty(len(documents), dtype=object)
    for index, document in enumerate(documents):
        if _is_missing(document):
            raise TypeError(
                f"{name}: document {index} is {_describe(document)}, a missing value; "
                f"{name} reads token ids, not text or missing values. Fill or drop "
                "missing texts before tokenizing them, e.g. df['text'].fillna('') or "
                "df.dropna(subset=['text'])."
            )
        if isinstance(document, (str, bytes)):
            raise TypeError(
                f"{name}: document {index} is {_describe(document)}; {name} reads "
                "token ids, not text. Put a tokenizer with output='ids' before it, "
                f"e.g. make_pipeline(BPETokenizer(output='ids'), {name}())."
            )
        try:
            ids = np.asarray(document)
        except ValueError:
            ids = np.asarray(document, dtype=object)
        if ids.ndim != 1 or (ids.size and ids.dtype.kind not in "iu"):
            raise TypeError(
                f"{name}: document {index} is {_describe(document)}; every document "
                "must be a flat sequence of integer token ids (a tokenizer of this "
                "library with output='ids' makes them)."
            )
        if ids.size == 0 and not allow_empty:
            raise ValueError(
                f"{name}: document {index} has no tokens. Drop empty texts before "
                "the classifier, e.g. df[df['text'].str.strip() != ''], or check the "
                "tokenizer's vocabulary."
            )
        if ids.size and ids.min() < 0:
            raise ValueError(
                f"{name}: document {index} holds the negative token id "
                f"{int(ids.min())}; token ids are positions in a vocabulary (>= 0)."
            )
        sequences[index] = ids.astype(np.int64, copy=False)
    if not len(sequences) and not allow_empty:
        raise ValueError(f"{name} needs at least one document; got an empty corpus.")
    return sequences


def check_feature_matrix(X, *, estimator, vectorizer=None):
    """Refuse what scikit-learn's ``validate_data`` would report only vaguely.

    A feature matrix (one row of numbers per document) is checked by
    ``validate_data``; this check comes first and names, with the fix, the mistakes
    it would report as a failed float conversion or a shape: None or NaN instead of
    a matrix, text (a str, or documents as strings, bytes or token lists) and an
    empty matrix.

    Parameters
    ----------
    X : array-like or sparse matrix
        What the estimator was given.
    estimator : object
        The estimator that validates, named in error messages.
    vectorizer : tuple of str, default=None
        ``(steps, detector)``: what the error suggests putting before the
        estimator, such as ``("TfidfVectorizer()", "bpe-naive-bayes")``; by default
        word vectors and ``"doc2vec-dense"``.
    """
    name = type(estimator).__name__
    steps, detector = vectorizer or (
        "WordTokenizer(), Word2VecVectorizer()",
        "doc2vec-dense",
    )
    fix = (
        f"Put a vectorizer before it, e.g. make_pipeline({steps}, {name}()), or "
        f"use make_detector({detector!r})."
    )
    if _is_missing(X):
        raise TypeError(
            f"{name} expects a 2-D feature matrix (one row of numbers per document), "
            f"got {'None' if X is None else 'NaN'}, a missing value. {fix}"
        )
    first = X
    for _ in range(2):  # the first row, then its first value
        if isinstance(first, (list, tuple)) and first:
            first = first[0]
    is_text_array = isinstance(X, np.ndarray) and (
        X.dtype.kind in "SU"
        or (X.dtype.kind == "O" and X.size and isinstance(X.flat[0], (str, bytes)))
    )
    if isinstance(first, (str, bytes)) or is_text_array:
        raise TypeError(
            f"{name} reads a 2-D feature matrix (numbers), not text or tokens. {fix}"
        )
    n_rows = X.shape[0] if sp.issparse(X) else len(X) if hasattr(X, "__len__") else 1
    if n_rows == 0:
        raise ValueError(
            f"{name} needs at least one document (one row of features); got an "
            "empty matrix."
        )


def check_binary_target(y, *, estimator, n_samples=None):
    """Return ``y`` as a 1-D array of labels of exactly two classes.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        The labels, of any type (``0``/``1``, ``"human"``/``"ai"``...).
    estimator : object
        The estimator that validates, named in error messages.
    n_samples : int, default=None
        The number of documents in ``X``; ``y`` must hold one label per document.

    Returns
    -------
    y : ndarray of shape (n_samples,)
    """
    name = type(estimator).__name__
    if y is None:
        raise ValueError(
            f"{name} requires y to be passed, but the target y is None. Pass the "
            "labels: fit(X, y)."
        )
    if isinstance(y, (str, bytes)):
        raise ValueError(
            f"{name}: y is a single {type(y).__name__}; pass one label per document, "
            "e.g. [0, 1, 1, 0] or df['label']."
        )
    y = column_or_1d(y, warn=True)
    missing = _missing_labels(y)
    if missing.any():
        raise ValueError(
            f"{name}: y contains NaN or infinite labels ({int(missing.sum())} of "
            f"{len(y)}, the first at position {int(np.argmax(missing))}). Drop or "
            "fill the unlabelled rows before fitting."
        )
    if n_samples is not None and len(y) != n_samples:
        raise ValueError(
            f"{name}: X and y have inconsistent numbers of samples: {n_samples} "
            f"document(s) but {len(y)} label(s). Pass one label per document."
        )
    check_classification_targets(y)
    try:
        classes = np.unique(y).tolist()
    except TypeError:  # labels of types that do not compare, such as 0 and "ai"
        kinds = sorted({type(label).__name__ for label in y})
        raise ValueError(
            f"{name}: y mixes labels of types {', '.join(kinds)}. Use one type for "
            "all labels, e.g. all int (0 = human, 1 = machine) or all str."
        ) from None
    if len(classes) != 2:
        what = (
            f"only one class ({classes[0]!r})"
            if len(classes) == 1
            else f"{len(classes)} classes ({', '.join(map(repr, classes[:5]))}...)"
        )
        raise ValueError(
            f"{name}: y has {what}. Only binary classification is supported. "
            "Pass labels of exactly two classes (e.g. 0 = human, 1 = machine)."
        )
    return y


def _missing_labels(y):
    """A boolean mask of the labels that are NaN, infinite or None."""
    if y.dtype.kind in "fc":
        return ~np.isfinite(y)
    if y.dtype.kind == "O":
        return np.array(
            [
                label is None
                or (isinstance(label, (float, np.floating)) and not np.isfinite(label))
                for label in y
            ],
            dtype=bool,
        )
    return np.zeros(len(y), dtype=bool)


def _as_list(X, name, what):
    if isinstance(X, (str, bytes)):
        raise ValueError(
            f"{name} expects an iterable of {what}, got a single "
            f"{type(X).__name__}. Wrap one document in a list: [text]."
        )
    if _is_missing(X):
        raise TypeError(
            f"{name} expects an iterable of {what}, got "
            f"{'None' if X is None else 'NaN'}, a missing value instead of the "
            "documents. Pass the documents themselves, e.g. a list of them or the "
            "text column df['text']."
        )
    if hasattr(X, "columns"):
        raise ValueError(
            f"{name} expects one column of documents, got a DataFrame with columns "
            f"{list(X.columns)}. Pass the text column, e.g. df['text']."
        )
    if getattr(X, "ndim", 1) != 1:
        raise ValueError(
            f"{name} expects a 1-D sequence of {what}, got an array of shape "
            f"{X.shape}. Pass one column, e.g. X[:, 0] or X.ravel()."
        )
    try:
        return list(X)
    except TypeError:
        raise TypeError(
            f"{name} expects an iterable of {what}, got {_describe(X)}. Pass a list "
            "of them, e.g. [document] for a single one."
        ) from None


def _check_learnable(name, documents, has_content):
    if not documents:
        raise ValueError(
            f"{name}.fit needs at least one document; got an empty corpus."
        )
    if not any(has_content(doc) for doc in documents):
        raise ValueError(
            f"{name}.fit got {len(documents)} document(s), all empty: there is nothing "
            "to learn a vocabulary from. Check that the text column is the right one."
        )


def _is_missing(value):
    return value is None or (isinstance(value, float) and math.isnan(value))


def _describe(value):
    text = repr(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{type(value).__name__} ({text})"


def _not_a_document(name, index, value, tokens=False):
    expected = "a list of token strings or a str" if tokens else "a str"
    if _is_missing(value):
        fix = (
            "It is a missing value: fill or drop missing texts first, "
            "e.g. df['text'].fillna('') or df.dropna(subset=['text'])."
        )
    elif isinstance(value, bytes):
        fix = "Decode bytes first, e.g. value.decode('utf-8')."
    else:
        fix = "Convert or remove it before calling the estimator."
    return (
        f"{name}: document {index} is {_describe(value)}; every document must be "
        f"{expected}. {fix}"
    )
