"""TF-IDF over n-grams of token ids, counted in numpy: no n-gram string is ever made.

scikit-learn's :class:`~sklearn.feature_extraction.text.TfidfVectorizer` over the
space-joined tokens of a BPE tokenizer (``output="text"``) builds every n-gram as a
Python string and keeps a dict of them: for the 3-5-grams of 2,000 essays that is
2.4 million strings, most of a detector's size and of its fitting time
(``benchmarks/results/performance.md``). Here an n-gram of ids is packed into one
64-bit key, a polynomial in the ids that wraps at 2**64 (two distinct n-grams share
a key with a chance of about 1 in 2**64 per pair: none in the corpora here), so that
counting is one ``np.unique`` and lookup one ``np.searchsorted``, as in the n-gram
language models of ``_language_model.py``. The counts are weighted by scikit-learn's
own :class:`~sklearn.feature_extraction.text.TfidfTransformer`.

The features and their weights are those of ``TfidfVectorizer(token_pattern=r"\\S+",
lowercase=False)`` over the same tokens; only the column order differs (by key, not
alphabetical), and the n-grams themselves are not kept, so the columns have no
readable names.
"""

import numbers

import numpy as np
import scipy.sparse as sp
from sklearn.base import (
    BaseEstimator,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
)
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.utils.validation import check_is_fitted

from ._base import (
    Interval,
    RealNotInt,
    StrOptions,
    TextTransformerMixin,
    _fit_context,
)
from ._validation import check_token_ids

__all__ = ["TokenNGramVectorizer"]

# An odd 64-bit multiplier (the golden ratio's), so that each id moves every bit.
_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
# Documents per batch: bounds the memory of the key arrays on a large corpus.
_BATCH = 2048


class TokenNGramVectorizer(
    TextTransformerMixin,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
    BaseEstimator,
):
    """TF-IDF over n-grams of token ids, without n-gram strings.

    Put it after a tokenizer with ``output="ids"``:
    ``make_pipeline(BPETokenizer(output="ids"), TokenNGramVectorizer((3, 5)))`` gives
    the features of ``TfidfVectorizer(token_pattern=r"\\S+", lowercase=False,
    ngram_range=(3, 5))`` over the tokenizer's ``output="text"``, with the same
    weights, in a fraction of the time and memory: each n-gram is one 64-bit key,
    counted and looked up in numpy. The fitted vocabulary is an array of keys, 8
    bytes per n-gram, where the string dict took about 60. The column order is that
    of the keys, and the n-grams are not kept, so ``get_feature_names_out`` gives
    numbered names.

    Parameters
    ----------
    ngram_range : tuple (min_n, max_n), default=(1, 1)
        The lengths of the n-grams, both ends included.
    min_df : int or float, default=1
        Drop the n-grams found in fewer documents than this at fit: a count, or
        when a float in (0, 1], a share of the training documents.
    max_features : int, default=None
        Keep only this many n-grams, the most frequent in the training corpus
        (ties: the smaller key); None keeps all.
    norm : {"l1", "l2"} or None, default="l2"
        Normalise each row, as :class:`~sklearn.feature_extraction.text.
        TfidfTransformer` does.
    use_idf : bool, default=True
        Weight by inverse document frequency.
    smooth_idf : bool, default=True
        Add one to the document frequencies, as if one more document held every
        n-gram once.
    sublinear_tf : bool, default=False
        Use ``1 + log(tf)`` for the term frequency.
    dtype : {np.float32, np.float64}, default=np.float64
        The type of the output matrix and of ``idf_``.

    Attributes
    ----------
    keys_ : ndarray of shape (n_features,), dtype=uint64
        The kept n-grams' keys, sorted: column ``j`` counts the n-gram ``keys_[j]``.
    idf_ : ndarray of shape (n_features,)
        The inverse document frequencies (when ``use_idf``).
    tfidf_ : TfidfTransformer
        The fitted weighting.

    See Also
    --------
    sklearn.feature_extraction.text.TfidfVectorizer : The same over strings.
    BPETokenizer : Makes the token ids (``output="ids"``).

    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn_aidetect import BPETokenizer, TokenNGramVectorizer
    >>> corpus = ["the cat sat on the mat", "the dog sat on the log"] * 5
    >>> model = make_pipeline(
    ...     BPETokenizer(vocab_size=60, output="ids"),
    ...     TokenNGramVectorizer(ngram_range=(1, 2), min_df=2),
    ... ).fit(corpus)
    >>> X = model.transform(["the cat sat on the log"])
    >>> X.shape[0], X.nnz > 0, round(float((X.power(2)).sum()), 6)
    (1, True, 1.0)
    """

    _parameter_constraints: dict = {
        "ngram_range": [tuple],
        "min_df": [
            Interval(numbers.Integral, 1, None, closed="left"),
            Interval(RealNotInt, 0, 1, closed="right"),
        ],
        "max_features": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "norm": [StrOptions({"l1", "l2"}), None],
        "use_idf": ["boolean"],
        "smooth_idf": ["boolean"],
        "sublinear_tf": ["boolean"],
        "dtype": "no_validation",  # checked in fit, with a clearer message
    }

    def __init__(
        self,
        ngram_range=(1, 1),
        *,
        min_df=1,
        max_features=None,
        norm="l2",
        use_idf=True,
        smooth_idf=True,
        sublinear_tf=False,
        dtype=np.float64,
    ):
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_features = max_features
        self.norm = norm
        self.use_idf = use_idf
        self.smooth_idf = smooth_idf
        self.sublinear_tf = sublinear_tf
        self.dtype = dtype

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn the n-grams and their document frequencies.

        Parameters
        ----------
        X : iterable of sequences of int
            Token ids, one sequence per document (``output="ids"``).
        y : None
            Ignored.

        Returns
        -------
        self : TokenNGramVectorizer
        """
        self.fit_transform(X)
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, X, y=None):
        """Learn the n-grams, then return the TF-IDF matrix of ``X``.

        Parameters
        ----------
        X : iterable of sequences of int
            Token ids, one sequence per document (``output="ids"``).
        y : None
            Ignored.

        Returns
        -------
        X_tfidf : sparse matrix of shape (n_documents, n_features)
        """
        self._check_settings()
        sequences = check_token_ids(X, estimator=self, allow_empty=True)
        name = type(self).__name__
        if not len(sequences):
            raise ValueError(
                f"{name}.fit needs at least one document; got an empty corpus."
            )
        if not any(len(ids) for ids in sequences):
            raise ValueError(
                f"{name}.fit got {len(sequences)} document(s), all empty (no "
                "tokens): there are no n-grams to learn. Check that the text column "
                "is the right one."
            )
        self.keys_ = self._learn_keys(sequences)
        counts = self._counts(sequences)
        self.tfidf_ = TfidfTransformer(
            norm=self.norm,
            use_idf=self.use_idf,
            smooth_idf=self.smooth_idf,
            sublinear_tf=self.sublinear_tf,
        )
        return self.tfidf_.fit_transform(counts)

    def transform(self, X):
        """The TF-IDF matrix of ``X`` over the n-grams learnt at fit.

        Parameters
        ----------
        X : iterable of sequences of int
            Token ids, one sequence per document; n-grams not seen at fit are
            ignored, and a document without tokens gives a row of zeros (an empty
            corpus, a matrix of no rows).

        Returns
        -------
        X_tfidf : sparse matrix of shape (n_documents, n_features)
        """
        check_is_fitted(self, "keys_")
        sequences = check_token_ids(X, estimator=self, allow_empty=True)
        if not len(sequences):  # TfidfTransformer refuses a matrix of no rows
            return sp.csr_matrix((0, len(self.keys_)), dtype=self.dtype)
        return self.tfidf_.transform(self._counts(sequences))

    @property
    def idf_(self):
        """The inverse document frequency of each column (when ``use_idf``)."""
        check_is_fitted(self, "keys_")
        return self.tfidf_.idf_

    @property
    def _n_features_out(self):
        return len(self.keys_)

    # -- the keys ---------------------------------------------------------------

    def _check_settings(self):
        low, high = self.ngram_range if len(self.ngram_range) == 2 else (None, None)
        if not (
            isinstance(low, numbers.Integral)
            and isinstance(high, numbers.Integral)
            and 1 <= low <= high
        ):
            raise ValueError(
                f"{type(self).__name__}: ngram_range must be (min_n, max_n) with "
                f"1 <= min_n <= max_n, got {self.ngram_range!r}; e.g. (3, 5)."
            )
        if np.dtype(self.dtype) not in (np.float32, np.float64):
            raise ValueError(
                f"{type(self).__name__}: dtype must be np.float32 or np.float64, "
                f"got {self.dtype!r}."
            )

    def _batches(self, sequences):
        """``(first document, keys, documents)`` of each batch of documents."""
        low, high = self.ngram_range
        for start in range(0, len(sequences), _BATCH):
            keys, documents = ngram_keys(sequences[start : start + _BATCH], low, high)
            yield start, keys, documents

    def _learn_keys(self, sequences):
        """The sorted keys kept, by document frequency and corpus frequency."""
        found, term_counts, document_counts = [], [], []
        for _, keys, documents in self._batches(sequences):
            # Sorted by key, then document: each (key, document) pair's first
            # occurrence counts once towards the key's document frequency.
            order = np.lexsort((documents, keys))
            keys, documents = keys[order], documents[order]
            first = np.ones(len(keys), dtype=bool)
            first[1:] = (keys[1:] != keys[:-1]) | (documents[1:] != documents[:-1])
            distinct, starts = np.unique(keys, return_index=True)
            found.append(distinct)
            term_counts.append(np.diff(np.append(starts, len(keys))))
            document_counts.append(
                np.add.reduceat(first.astype(np.int64), starts) if len(keys) else []
            )
        keys, position = np.unique(np.concatenate(found), return_inverse=True)
        df = np.bincount(position, weights=np.concatenate(document_counts))
        tf = np.bincount(position, weights=np.concatenate(term_counts))
        min_df = (
            self.min_df
            if isinstance(self.min_df, numbers.Integral)
            else self.min_df * len(sequences)
        )
        kept = df >= min_df
        if self.max_features is not None and kept.sum() > self.max_features:
            candidates = np.flatnonzero(kept)
            # A stable sort of the counts: equal counts keep the smaller key first.
            ranked = candidates[np.argsort(-tf[candidates], kind="stable")]
            kept = np.zeros(len(keys), dtype=bool)
            kept[ranked[: self.max_features]] = True
        if not kept.any():
            low, high = self.ngram_range
            raise ValueError(
                f"{type(self).__name__}: no {low}-{high}-gram of token ids is left "
                f"(min_df={self.min_df!r} over {len(sequences)} document(s), "
                f"{len(keys)} distinct n-gram(s)); lower min_df or ngram_range, or "
                "fit on more or longer documents."
            )
        return keys[kept]

    def _counts(self, sequences):
        """The n-gram counts of ``sequences`` over ``keys_``, a CSR matrix."""
        rows, columns = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.intp)]
        for start, keys, documents in self._batches(sequences):
            index = np.minimum(np.searchsorted(self.keys_, keys), len(self.keys_) - 1)
            known = self.keys_[index] == keys
            rows.append(documents[known] + start)
            columns.append(index[known])
        rows, columns = np.concatenate(rows), np.concatenate(columns)
        counts = sp.csr_matrix(
            (np.ones(len(rows), dtype=self.dtype), (rows, columns)),
            shape=(len(sequences), len(self.keys_)),
        )
        counts.sum_duplicates()  # duplicates of (row, column) are the counts
        return counts


def ngram_keys(sequences, low, high):
    """The 64-bit key of every ``low``- to ``high``-gram of each id sequence.

    Returns ``(keys, documents)``: one entry per n-gram occurrence, with the index of
    the document it is in. The key of ``(a, b, c)`` is ``((a + 1) * M + (b + 1)) * M
    + (c + 1)`` modulo 2**64, so n-grams of different lengths differ too.
    """
    lengths = np.fromiter((len(s) for s in sequences), dtype=np.int64)
    if not lengths.sum():
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    ids = np.concatenate([s for s in sequences if len(s)]).astype(np.uint64) + 1
    ends = np.cumsum(lengths)
    documents = np.repeat(np.arange(len(lengths)), lengths)
    position = np.arange(len(ids)) - np.repeat(ends - lengths, lengths)
    keys, found = ids.copy(), []
    for n in range(1, high + 1):
        if n > 1:  # the n-gram ending at token j: the (n-1)-gram ending at j-1, then j
            keys[1:] = keys[:-1] * _MULTIPLIER + ids[1:]
        if n >= low:
            complete = position >= n - 1
            found.append((keys[complete], documents[complete]))
    return (
        np.concatenate([k for k, _ in found]),
        np.concatenate([d for _, d in found]),
    )
