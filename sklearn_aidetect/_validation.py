"""Input checks shared by every text estimator.

Each check turns what a user passes into the plain Python lists the estimators work
on, or raises an error that names the estimator, the offending document and the fix.
"""

import math

import numpy as np

__all__ = ["check_documents", "check_token_ids", "check_token_lists"]


def check_documents(X, *, estimator, fitting=False):
    """Return ``X`` as a list of ``str``, one per document.

    Parameters
    ----------
    X : iterable of str
        A list, tuple, 1-D array or pandas Series of documents.
    estimator : object
        The estimator that validates, named in error messages.
    fitting : bool, default=False
        If True, the corpus must hold at least one non-empty document.

    Returns
    -------
    documents : list of str
    """
    name = type(estimator).__name__
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
    word_tokenizer = None
    for index, document in enumerate(documents):
        if isinstance(document, str):
            if word_tokenizer is None:
                from .tokenization import WordTokenizer  # imports this module

                word_tokenizer = WordTokenizer()
            token_lists.append(word_tokenizer.tokenize(document))
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


def check_token_ids(X, *, estimator):
    """Return ``X`` as a 1-D object array of int64 token-id arrays, one per document.

    Each document is a non-empty sequence of non-negative integers (the
    ``output="ids"`` of a tokenizer of this library); documents may differ in length.
    A 2-D integer array is read as one document per row.

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
        if isinstance(document, (str, bytes)) or _is_missing(document):
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
        if ids.size == 0:
            raise ValueError(
                f"{name}: document {index} has no tokens. Drop empty texts before "
                "the classifier, e.g. df[df['text'].str.strip() != ''], or check the "
                "tokenizer's vocabulary."
            )
        if ids.min() < 0:
            raise ValueError(
                f"{name}: document {index} holds the negative token id "
                f"{int(ids.min())}; token ids are positions in a vocabulary (>= 0)."
            )
        sequences[index] = ids.astype(np.int64, copy=False)
    if not len(sequences):
        raise ValueError(f"{name} needs at least one document; got an empty corpus.")
    return sequences


def _as_list(X, name, what):
    if isinstance(X, (str, bytes)):
        raise ValueError(
            f"{name} expects an iterable of {what}, got a single "
            f"{type(X).__name__}. Wrap one document in a list: [text]."
        )
    if X is None:
        raise TypeError(f"{name} expects an iterable of {what}, got None.")
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
            f"{name} expects an iterable of {what}, got {type(X).__name__}."
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
