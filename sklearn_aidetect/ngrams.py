"""TF-IDF over n-grams counted in numpy: token ids, and the characters of text.

scikit-learn's :class:`~sklearn.feature_extraction.text.TfidfVectorizer` builds
every n-gram as a Python string and looks it up in a dict: for the BPE 3-5-grams of
2,000 essays that is 2.4 million strings kept, most of a detector's size and of its
fitting time, and for character 1-5-grams most of its predicting time
(``benchmarks/results/performance.md``). Here an n-gram is packed into one 64-bit
key, a polynomial in its ids (or code points) that wraps at 2**64 (two distinct
n-grams share a key with a chance of about 1 in 2**64 per pair: none in the corpora
here), so that counting is one ``np.unique`` and lookup one ``np.searchsorted``, as
in the n-gram language models of ``_language_model.py``. The counts are weighted by
scikit-learn's own :class:`~sklearn.feature_extraction.text.TfidfTransformer`.

- :class:`TokenNGramVectorizer` reads token ids: the features and weights of
  ``TfidfVectorizer(token_pattern=r"\\S+", lowercase=False)`` over the same tokens;
  only the column order differs (by key, not alphabetical), and the n-grams
  themselves are not kept, so the columns have no readable names.
- :class:`CharNGramVectorizer` is a ``TfidfVectorizer(analyzer="char")`` whose
  counting step is done this way: the same vocabulary of strings, the same
  matrix, and the explanations of the detectors still find each n-gram in the
  text.
"""

import functools
import numbers

import numpy as np
import scipy.sparse as sp
from sklearn.base import (
    BaseEstimator,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
)
from sklearn.feature_extraction.text import (
    CountVectorizer,
    TfidfTransformer,
    TfidfVectorizer,
)
from sklearn.utils import TransformerTags
from sklearn.utils.validation import check_is_fitted

from ._base import (
    Interval,
    RealNotInt,
    StrOptions,
    TextTransformerMixin,
    _fit_context,
)
from ._validation import check_documents, check_token_ids

__all__ = ["CharNGramVectorizer", "TokenNGramVectorizer"]

# An odd 64-bit multiplier (the golden ratio's), so that each id moves every bit.
_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
# Documents (characters) per batch: bounds the memory of the key arrays.
_BATCH = 2048
_BATCH_CHARACTERS = 1 << 18


@functools.cache
def _sparse_type():
    """The sparse type this scikit-learn's CountVectorizer returns (matrix or array)."""
    return type(CountVectorizer(analyzer="char").fit_transform(["a"]))


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
        return sp.vstack(
            [
                _lookup_counts(
                    self.keys_,
                    keys,
                    documents,
                    min(_BATCH, len(sequences) - start),
                    self.dtype,
                )
                for start, keys, documents in self._batches(sequences)
            ],
            format="csr",
        )


class CharNGramVectorizer(TfidfVectorizer):
    """scikit-learn's ``TfidfVectorizer(analyzer="char")``, counted in numpy.

    The same vocabulary, the same ``idf_`` and ``transform`` matrix, bit for bit
    (``fit_transform``'s to rounding: each row's norm is summed in another order),
    readable ``get_feature_names_out``: it *is* a
    :class:`~sklearn.feature_extraction.text.TfidfVectorizer` whose analyzer is
    fixed to ``"char"``. Only the counting differs: scikit-learn makes a Python
    string of every character n-gram of every document and looks each up in a dict;
    here the n-grams of a document's code points are 64-bit keys (as in
    :class:`TokenNGramVectorizer`), found in the sorted keys of the vocabulary with
    one ``np.searchsorted``. Decoding, the preprocessor (``strip_accents``,
    ``lowercase``) and the folding of whitespace runs are scikit-learn's own, and
    ``min_df``, ``max_df`` and ``max_features`` are applied by scikit-learn's code.
    The documents must be ``str`` (with ``input="content"``), as everywhere in
    this library.

    Two distinct n-grams share a key with a chance of about 1 in 2**64 per pair;
    two vocabulary entries never do (``fit`` checks, and counts with scikit-learn
    where they would).

    The parameters are ``TfidfVectorizer``'s, less those of the word analyzer
    (``analyzer``, ``tokenizer``, ``token_pattern``, ``stop_words``); see its
    documentation.

    Parameters
    ----------
    input : {"content", "filename", "file"}, default="content"
        What the documents are.
    encoding : str, default="utf-8"
        The encoding of bytes or files.
    decode_error : {"strict", "ignore", "replace"}, default="strict"
        What to do with bytes that are not ``encoding``.
    strip_accents : {"ascii", "unicode"} or callable, default=None
        Remove accents first.
    lowercase : bool, default=True
        Lowercase first.
    preprocessor : callable, default=None
        Replaces the stripping and lowercasing.
    ngram_range : tuple (min_n, max_n), default=(1, 1)
        The lengths of the character n-grams, both ends included.
    max_df : float or int, default=1.0
        Drop n-grams in more documents than this (a share, or a count).
    min_df : float or int, default=1
        Drop n-grams in fewer documents than this (a share, or a count).
    max_features : int, default=None
        Keep only the most frequent n-grams.
    vocabulary : Mapping or iterable, default=None
        A fixed vocabulary.
    binary : bool, default=False
        Count presence only.
    dtype : dtype, default=np.float64
        The type of the matrix.
    norm : {"l1", "l2"} or None, default="l2"
        Normalise each row.
    use_idf : bool, default=True
        Weight by inverse document frequency.
    smooth_idf : bool, default=True
        Add one to the document frequencies.
    sublinear_tf : bool, default=False
        Use ``1 + log(tf)``.

    Attributes
    ----------
    vocabulary_ : dict
        The n-grams and their columns, as ``TfidfVectorizer`` has them.
    fixed_vocabulary_ : bool
        Whether ``vocabulary`` was given.
    idf_ : ndarray of shape (n_features,)
        The inverse document frequencies.

    See Also
    --------
    sklearn.feature_extraction.text.TfidfVectorizer : The same, counted in Python.
    TokenNGramVectorizer : N-grams of token ids, counted the same way.

    Examples
    --------
    >>> from sklearn.feature_extraction.text import TfidfVectorizer
    >>> from sklearn_aidetect import CharNGramVectorizer
    >>> corpus = ["The cat sat.", "The  dog sat!", "A cat, a dog."]
    >>> fast = CharNGramVectorizer(ngram_range=(1, 3), lowercase=False)
    >>> slow = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), lowercase=False)
    >>> fast.fit(corpus).vocabulary_ == slow.fit(corpus).vocabulary_
    True
    >>> A, B = fast.transform(["The cat!"]), slow.transform(["The cat!"])
    >>> (A != B).nnz
    0
    """

    # Fixed: class attributes that TfidfVectorizer's code reads, not parameters.
    analyzer = "char"
    tokenizer = None
    token_pattern = None
    stop_words = None
    _parameter_constraints: dict = {
        name: constraint
        for name, constraint in TfidfVectorizer._parameter_constraints.items()
        if name not in {"analyzer", "tokenizer", "token_pattern", "stop_words"}
    }

    def __init__(
        self,
        *,
        input="content",
        encoding="utf-8",
        decode_error="strict",
        strip_accents=None,
        lowercase=True,
        preprocessor=None,
        ngram_range=(1, 1),
        max_df=1.0,
        min_df=1,
        max_features=None,
        vocabulary=None,
        binary=False,
        dtype=np.float64,
        norm="l2",
        use_idf=True,
        smooth_idf=True,
        sublinear_tf=False,
    ):
        self.input = input
        self.encoding = encoding
        self.decode_error = decode_error
        self.strip_accents = strip_accents
        self.lowercase = lowercase
        self.preprocessor = preprocessor
        self.ngram_range = ngram_range
        self.max_df = max_df
        self.min_df = min_df
        self.max_features = max_features
        self.vocabulary = vocabulary
        self.binary = binary
        self.dtype = dtype
        self.norm = norm
        self.use_idf = use_idf
        self.smooth_idf = smooth_idf
        self.sublinear_tf = sublinear_tf

    def _count_vocab(self, raw_documents, fixed_vocab):
        # The one step of CountVectorizer that counts (fit, fit_transform and
        # transform all call it; its contract has held since scikit-learn 0.14):
        # the vocabulary, and the count matrix over it with sorted indices.
        documents = list(raw_documents)
        preprocess = self.build_preprocessor()
        texts = [
            self._white_spaces.sub(" ", preprocess(self.decode(doc)))
            for doc in documents
        ]
        if fixed_vocab:
            index = self._vocabulary_index()
            if index is None:  # two entries share a key: count them one by one
                return super()._count_vocab(documents, fixed_vocab)
            vocabulary, (keys, columns) = self.vocabulary_, index
            counts = self._lookup(texts, keys, columns)
        else:
            vocabulary, counts = self._learn(texts)
        matrix = _sparse_type()(counts)
        matrix.sort_indices()
        return vocabulary, matrix

    def _vocabulary_index(self):
        """``(sorted keys, their columns)`` of ``vocabulary_``; None on a clash."""
        cached = self.__dict__.get("_index")
        if cached is not None and cached[0] is self.vocabulary_:
            return cached[1]  # made at fit and on loading
        keys = string_keys(self.vocabulary_)
        columns = np.fromiter(self.vocabulary_.values(), dtype=np.int32)
        order = np.argsort(keys)
        keys, columns = keys[order], columns[order]
        return None if np.any(keys[1:] == keys[:-1]) else (keys, columns)

    def _batches(self, texts):
        """``texts`` in batches of about 260,000 characters."""
        start, size = 0, 0
        for end, text in enumerate(texts, 1):
            size += len(text)
            if size >= _BATCH_CHARACTERS or end == len(texts):
                yield texts[start:end]
                start, size = end, 0

    def _lookup(self, texts, keys, columns):
        low, high = self.ngram_range
        matrices = [sp.csr_matrix((0, len(self.vocabulary_)), dtype=self.dtype)]
        for batch in self._batches(texts):
            occurrences, documents = ngram_keys(
                [_code_points(text) for text in batch], low, high
            )
            # Summed batch by batch: a matrix holds each (row, column) once.
            matrices.append(
                _lookup_counts(
                    keys, occurrences, documents, len(batch), self.dtype, columns
                )
            )
        return sp.vstack(matrices, format="csr")

    def _learn(self, texts):
        """The vocabulary of ``texts`` and their counts over it.

        The n-grams in fewer than ``min_df`` documents are dropped here, before
        scikit-learn's pruning sees them: they are most of the n-grams, each would
        be a string to make and sort, and scikit-learn would drop them all the same
        (its ranking for ``max_features`` looks only at those kept).
        """
        low, high = self.ngram_range
        parts = []
        for batch in self._batches(texts):
            codes = [_code_points(text) for text in batch]
            keys, documents, starts, sizes = ngram_keys(
                codes, low, high, return_starts=True
            )
            distinct, local = np.unique(keys, return_inverse=True)
            first = _an_occurrence(local, len(distinct))
            counts = _count_matrix(
                documents, local, (len(batch), len(distinct)), self.dtype
            )
            parts.append(
                (distinct, starts[first], sizes[first], "".join(batch), counts)
            )
        every, position = np.unique(
            np.concatenate([p[0] for p in parts]), return_inverse=True
        )
        first = _an_occurrence(position, len(every))
        if not len(every):
            raise ValueError(
                "empty vocabulary; perhaps the documents only contain stop words"
            )
        columns = [np.searchsorted(every, p[0]) for p in parts]
        df = np.zeros(len(every), dtype=np.int64)
        for (*_, counts), column in zip(parts, columns):
            df += np.bincount(column[counts.indices], minlength=len(every))
        low_df = (
            self.min_df
            if isinstance(self.min_df, numbers.Integral)
            else self.min_df * len(texts)
        )
        kept = df >= low_df
        if not kept.any():
            kept[:] = True  # scikit-learn's pruning says what went wrong
        renumbered = np.cumsum(kept) - 1
        # One string per kept n-gram, cut from the first batch that holds it.
        batch = np.repeat(
            np.arange(len(parts), dtype=np.int32), [len(p[0]) for p in parts]
        )
        offset = np.concatenate([np.arange(len(p[0]), dtype=np.int32) for p in parts])
        chosen = first[kept]
        strings = [
            parts[b][3][parts[b][1][o] : parts[b][1][o] + parts[b][2][o]]
            for b, o in zip(batch[chosen].tolist(), offset[chosen].tolist())
        ]
        vocabulary = dict(zip(strings, range(len(strings))))
        matrices = []
        for (*_, counts), column in zip(parts, columns):
            counts = counts.tocoo()
            known = kept[column[counts.col]]
            matrices.append(
                sp.coo_matrix(
                    (
                        counts.data[known],
                        (counts.row[known], renumbered[column[counts.col[known]]]),
                    ),
                    shape=(counts.shape[0], len(strings)),
                )
            )
        return vocabulary, sp.vstack(matrices, format="csr")

    def transform(self, raw_documents):
        """The TF-IDF matrix of the documents over the n-grams learnt at fit.

        Parameters
        ----------
        raw_documents : iterable of str
            The documents (an empty corpus gives a matrix of no rows).

        Returns
        -------
        X : sparse matrix of shape (n_documents, n_features)
        """
        documents = self._documents(raw_documents)
        if not len(documents):  # TfidfTransformer refuses a matrix of no rows
            check_is_fitted(self, "vocabulary_")
            return _sparse_type()((0, len(self.vocabulary_)), dtype=self.dtype)
        return super().transform(documents)

    def _documents(self, raw_documents, fitting=False):
        # Text as every estimator here reads it (a list of str, clear errors on
        # missing values or bytes); file names and files go to scikit-learn as is.
        if self.input != "content":
            return raw_documents
        return check_documents(raw_documents, estimator=self, fitting=fitting)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags = TransformerTags()  # TfidfVectorizer declares none
        return tags

    def __getstate__(self):
        state = super().__getstate__()
        state.pop("_index", None)  # rebuilt on loading (~30 ms for 500,000 entries)
        return state

    def __setstate__(self, state):
        super().__setstate__(state)
        if hasattr(self, "vocabulary_"):
            self._index = (self.vocabulary_, self._vocabulary_index())

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, raw_documents, y=None):
        """Learn the vocabulary and the inverse document frequencies.

        Parameters
        ----------
        raw_documents : iterable of str
            The documents.
        y : None
            Ignored.

        Returns
        -------
        self : CharNGramVectorizer
        """
        self.__dict__.pop("_index", None)
        super().fit(self._documents(raw_documents, fitting=True), y)
        self._index = (self.vocabulary_, self._vocabulary_index())
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, raw_documents, y=None):
        """Learn the vocabulary and the inverse document frequencies; the matrix.

        Parameters
        ----------
        raw_documents : iterable of str
            The documents.
        y : None
            Ignored.

        Returns
        -------
        X : sparse matrix of shape (n_documents, n_features)
        """
        self.__dict__.pop("_index", None)
        X = super().fit_transform(self._documents(raw_documents, fitting=True), y)
        self._index = (self.vocabulary_, self._vocabulary_index())
        return X


def _count_matrix(rows, columns, shape, dtype):
    """The CSR matrix that counts each ``(row, column)`` pair (duplicates summed)."""
    values = np.ones(len(rows), dtype=dtype)
    return sp.coo_matrix((values, (rows, columns)), shape=shape).tocsr()


def _lookup_counts(keys, occurrences, documents, n_documents, dtype, columns=None):
    """Counts of the ``occurrences`` found in the sorted ``keys``, a row per document.

    An occurrence of ``keys[i]`` counts in column ``i``, or ``columns[i]`` when
    given; the others are ignored.
    """
    where = np.minimum(np.searchsorted(keys, occurrences), len(keys) - 1)
    known = keys[where] == occurrences
    found = where[known] if columns is None else columns[where[known]]
    return _count_matrix(documents[known], found, (n_documents, len(keys)), dtype)


def ngram_keys(sequences, low, high, *, return_starts=False):
    """The 64-bit key of every ``low``- to ``high``-gram of each id sequence.

    Returns ``(keys, documents)``: one entry per n-gram occurrence, with the index of
    the document it is in; with ``return_starts``, also where each n-gram starts in
    the concatenated sequences and its length. The key of ``(a, b, c)`` is
    ``((a + 1) * M + (b + 1)) * M + (c + 1)`` modulo 2**64, so n-grams of different
    lengths differ too.
    """
    lengths = np.fromiter((len(s) for s in sequences), dtype=np.int64)
    empty = np.zeros(0, dtype=np.int64)
    if not lengths.sum():
        keys = np.zeros(0, dtype=np.uint64)
        return (keys, empty, empty, empty) if return_starts else (keys, empty)
    ids = np.concatenate([s for s in sequences if len(s)]).astype(np.uint64) + 1
    ends = np.cumsum(lengths)
    documents = np.repeat(np.arange(len(lengths)), lengths)
    position = np.arange(len(ids)) - np.repeat(ends - lengths, lengths)
    keys, found = ids.copy(), []
    for n in range(1, high + 1):
        if n > 1:  # the n-gram ending at token j: the (n-1)-gram ending at j-1, then j
            keys[1:] = keys[:-1] * _MULTIPLIER + ids[1:]
        if n >= low:
            complete = np.flatnonzero(position >= n - 1)
            found.append((keys[complete], documents[complete], complete - (n - 1), n))
    keys = np.concatenate([k for k, *_ in found])
    documents = np.concatenate([d for _, d, *_ in found])
    if not return_starts:
        return keys, documents
    starts = np.concatenate([s for *_, s, _ in found])
    sizes = np.concatenate([np.full(len(k), n) for k, *_, n in found])
    return keys, documents, starts, sizes


def _an_occurrence(inverse, n_distinct):
    """An index of each distinct value, from ``np.unique``'s ``inverse``.

    Any occurrence of a key gives its n-gram: no stable sort is needed, as
    ``np.unique(return_index=True)`` would make for the first one.
    """
    occurrence = np.empty(n_distinct, dtype=np.int64)
    occurrence[inverse] = np.arange(len(inverse))
    return occurrence


def string_keys(strings):
    """The key :func:`ngram_keys` gives each string's code points, as one n-gram."""
    strings = list(strings)
    keys = np.zeros(len(strings), dtype=np.uint64)
    lengths = np.fromiter(map(len, strings), dtype=np.int64, count=len(strings))
    for size in np.unique(lengths):
        chosen = np.flatnonzero(lengths == size)
        codes = _code_points("".join([strings[i] for i in chosen]))
        codes = codes.astype(np.uint64).reshape(len(chosen), size) + 1
        key = np.zeros(len(chosen), dtype=np.uint64)
        for column in range(size):
            key = key * _MULTIPLIER + codes[:, column]
        keys[chosen] = key
    return keys


def _code_points(text):
    """The code points of ``text``, lone surrogates included, as Python counts them."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
