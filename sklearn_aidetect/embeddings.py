"""Embedding: documents as dense vectors, the second stage of a detector.

- :class:`Doc2VecVectorizer`: gensim ``Doc2Vec``; the vector of every document, in
  ``fit_transform`` as in ``transform``, is inferred by the trained model, so training
  and test features come from the same process.
- :class:`Word2VecVectorizer`: gensim ``Word2Vec`` word vectors pooled per document.
- :class:`FastTextVectorizer`: gensim ``FastText``; words never seen in training get
  vectors from their character n-grams.
- :class:`PretrainedVectorizer`: pooled pretrained vectors (word2vec, GloVe, fastText
  ``.bin``) loaded from a local file.

Every vectorizer takes token lists (the ``output="tokens"`` of any tokenizer of this
library) or raw strings, which it splits with :class:`~sklearn_aidetect.WordTokenizer`
at its defaults, and returns a float32 array of shape ``(n_documents, n_features)``.
gensim is imported when a vectorizer is fitted, not when this module is.
"""

import copy
import os
import warnings
import zlib
from collections import Counter
from itertools import chain, pairwise
from numbers import Integral, Real
from pathlib import Path

import numpy as np
from joblib import Parallel, delayed, effective_n_jobs
from sklearn.base import (
    BaseEstimator,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
)
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from ._base import Interval, StrOptions, TextTransformerMixin, _fit_context
from ._optional import import_optional
from ._validation import check_token_lists

__all__ = [
    "Doc2VecVectorizer",
    "FastTextVectorizer",
    "PretrainedVectorizer",
    "Word2VecVectorizer",
]

_POOLINGS = {"mean", "max", "mean+max", "idf"}

_GENSIM_FEATURE = "sklearn_aidetect.embeddings (the word and document vectors)"

# Parameters of gensim's shallow networks, shared by the three trained vectorizers.
_TRAINING_PARAMETERS = {
    "vector_size": [Interval(Integral, 1, None, closed="left")],
    "window": [Interval(Integral, 1, None, closed="left")],
    "min_count": [Interval(Integral, 1, None, closed="left")],
    "epochs": [Interval(Integral, 1, None, closed="left")],
    "negative": [Interval(Integral, 0, None, closed="left")],
    "hs": ["boolean"],
    "sample": [Interval(Real, 0, None, closed="left")],
    "random_state": ["random_state"],
    "n_jobs": [Integral, None],
}


class _Vectorizer(
    ClassNamePrefixFeaturesOutMixin,
    TextTransformerMixin,
    TransformerMixin,
    BaseEstimator,
):
    """What every vectorizer shares: checks, seeds, feature names."""

    def _token_lists(self, X, *, fitting=False):
        return check_token_lists(X, estimator=self, fitting=fitting)

    def _seed(self):
        """A 31-bit seed for gensim, drawn from ``random_state``."""
        return int(check_random_state(self.random_state).randint(2**31 - 1))

    def _workers(self):
        return max(1, effective_n_jobs(self.n_jobs))

    def _check_vocabulary(self, keyed_vectors, n_documents):
        if len(keyed_vectors) == 0:
            raise ValueError(
                f"{type(self).__name__} learned no word from {n_documents} "
                f"document(s): none appears min_count={self.min_count} times. Lower "
                "min_count or fit on more text."
            )


def _document_frequency_idf(token_lists, keyed_vectors):
    """Smoothed inverse document frequency per word of ``keyed_vectors``.

    ``log((1 + n) / (1 + df)) + 1``, as scikit-learn's ``TfidfTransformer``; a word
    never seen in ``token_lists`` gets the largest value.
    """
    n_documents = len(token_lists)
    counts = Counter(chain.from_iterable(map(set, token_lists)))
    frequency = np.array(
        [counts.get(word, 0) for word in keyed_vectors.index_to_key], dtype=np.float64
    )
    return (np.log((1 + n_documents) / (1 + frequency)) + 1).astype(np.float32)


def _pool(token_lists, keyed_vectors, pooling, idf, *, subwords=False):
    """One row per document: its word vectors pooled by ``pooling``.

    Words without a vector are skipped; a document with none gives a row of zeros.
    With ``subwords`` (fastText), words outside the vocabulary get the vector built
    from their character n-grams, and the largest IDF.
    """
    size = keyed_vectors.vector_size
    width = 2 * size if pooling == "mean+max" else size
    pooled = np.zeros((len(token_lists), width), dtype=np.float32)
    index = keyed_vectors.key_to_index
    vectors = keyed_vectors.vectors
    unseen_idf = idf.max() if idf is not None and len(idf) else 1.0
    for row, tokens in enumerate(token_lists):
        known = [index[token] for token in tokens if token in index]
        if subwords:
            unseen, rows = _unseen_word_vectors(tokens, keyed_vectors)
            if not known and not rows:
                continue
            matrix = np.vstack([vectors[known], unseen[rows]])
            weights = None
            if pooling == "idf":
                weights = np.concatenate([idf[known], np.full(len(rows), unseen_idf)])
        else:
            if not known:
                continue
            matrix = vectors[known]
            weights = idf[known] if pooling == "idf" else None
        if pooling == "mean":
            pooled[row] = matrix.mean(axis=0)
        elif pooling == "max":
            pooled[row] = matrix.max(axis=0)
        elif pooling == "mean+max":
            pooled[row, :size] = matrix.mean(axis=0)
            pooled[row, size:] = matrix.max(axis=0)
        else:
            pooled[row] = weights @ matrix / weights.sum()
    return pooled


def _unseen_word_vectors(tokens, keyed_vectors):
    """The n-gram vectors of the words of ``tokens`` outside the vocabulary.

    Returns ``(vectors, rows)``: one vector per distinct such word that has n-grams,
    and, for each of its occurrences in ``tokens``, in order, the row of its vector.
    Each word's vector is built once, however often it occurs: a long document
    repeats its unseen words many times.
    """
    index = keyed_vectors.key_to_index
    words = [token for token in dict.fromkeys(tokens) if token not in index]
    words = [word for word in words if _has_ngrams(keyed_vectors, word)]
    vectors = np.zeros(
        (len(words), keyed_vectors.vector_size), dtype=keyed_vectors.vectors.dtype
    )
    for row, word in enumerate(words):
        vectors[row] = keyed_vectors.get_vector(word)
    position = {word: row for row, word in enumerate(words)}
    rows = [position[token] for token in tokens if token in position]
    return vectors, rows


def _has_ngrams(keyed_vectors, word):
    import_optional("gensim", _GENSIM_FEATURE)
    from gensim.models.fasttext import ft_ngram_hashes

    return len(ft_ngram_hashes(word, keyed_vectors.min_n, keyed_vectors.max_n, 1)) > 0


_POOLING_DOC = """
    pooling : {{"mean", "max", "mean+max", "idf"}}, default="mean"
        How the word vectors of a document become one vector: their mean, their
        element-wise maximum, both side by side (twice the width), or their mean
        weighted by inverse document frequency in the training documents
        (``log((1 + n) / (1 + df)) + 1``).{unknown}"""


class Doc2VecVectorizer(_Vectorizer):
    """Paragraph vectors (gensim ``Doc2Vec``), inferred for every document.

    ``fit`` trains a Doc2Vec model on the documents. ``transform`` never trains on its
    input: it infers a vector for each document with the trained, frozen model, and
    ``fit_transform(X)`` returns what ``fit(X).transform(X)`` returns, so the features
    of training and test documents are made by the same process (the doc vectors
    learned during training are not used).

    Inference is parallel across documents (``n_jobs`` worker processes, through
    joblib) and deterministic: each document is inferred from a seed made of its own
    tokens and the model's seed, so the same fitted model gives the same vector for the
    same document, whatever ``n_jobs``, batch, order or process. (gensim's own
    ``infer_vector`` seeds from Python's per-process string hash and a shared random
    generator, so it gives none of these guarantees.)

    Parameters
    ----------
    algorithm : {"pv-dbow", "pv-dm"}, default="pv-dbow"
        Distributed bag of words (predict words from the document vector alone) or
        distributed memory (from the document vector and the context words).
    vector_size : int, default=100
        The width of the document vectors.
    window : int, default=5
        The context window of ``"pv-dm"`` (unused by ``"pv-dbow"``).
    min_count : int, default=2
        Words seen fewer times in training are ignored.
    epochs : int, default=10
        Passes over the training documents.
    infer_epochs : int or None, default=None
        Passes over each document when its vector is inferred; None uses ``epochs``.
        More passes give steadier vectors.
    negative : int, default=5
        Negative samples per word (0 for none; then set ``hs=True``).
    hs : bool, default=False
        Use hierarchical softmax.
    sample : float, default=1e-3
        Threshold for down-sampling frequent words (0 for none).
    random_state : int, RandomState instance or None, default=None
        Seeds the training and the inference. With an int, and ``n_jobs`` of 1, two
        fits give identical vectors.
    n_jobs : int or None, default=None
        Worker threads for training, worker processes for inference. gensim's
        training is reproducible only with one worker: with more, the order in which
        workers update the weights varies, and so do the vectors. Inference is
        deterministic at any ``n_jobs``; its first parallel call starts the worker
        processes (about a second). None means 1, -1 all cores.

    Attributes
    ----------
    model_ : gensim.models.Doc2Vec
        The trained model.
    seed_ : int
        The seed drawn from ``random_state`` for training and inference.

    See Also
    --------
    Word2VecVectorizer : Pooled word vectors.

    Notes
    -----
    A document with no word of the vocabulary (an empty one, say) gives a row of
    zeros.

    Examples
    --------
    >>> from sklearn_aidetect import Doc2VecVectorizer
    >>> corpus = ["the cat sat on the mat", "the dog sat on the log"] * 10
    >>> vectorizer = Doc2VecVectorizer(vector_size=8, random_state=0)
    >>> vectorizer.fit_transform(corpus).shape
    (20, 8)
    >>> vectorizer.get_feature_names_out()[:3]
    array(['doc2vecvectorizer0', 'doc2vecvectorizer1', 'doc2vecvectorizer2'],
          dtype=object)
    """

    _parameter_constraints: dict = {
        "algorithm": [StrOptions({"pv-dbow", "pv-dm"})],
        **_TRAINING_PARAMETERS,
        "infer_epochs": [Interval(Integral, 1, None, closed="left"), None],
    }

    def __init__(
        self,
        *,
        algorithm="pv-dbow",
        vector_size=100,
        window=5,
        min_count=2,
        epochs=10,
        infer_epochs=None,
        negative=5,
        hs=False,
        sample=1e-3,
        random_state=None,
        n_jobs=None,
    ):
        self.algorithm = algorithm
        self.vector_size = vector_size
        self.window = window
        self.min_count = min_count
        self.epochs = epochs
        self.infer_epochs = infer_epochs
        self.negative = negative
        self.hs = hs
        self.sample = sample
        self.random_state = random_state
        self.n_jobs = n_jobs

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Train the Doc2Vec model.

        Parameters
        ----------
        X : iterable of list of str, or iterable of str
            Token lists, or raw documents.
        y : None
            Ignored.

        Returns
        -------
        self : Doc2VecVectorizer
        """
        import_optional("gensim", _GENSIM_FEATURE)
        from gensim.models.doc2vec import Doc2Vec, TaggedDocument

        token_lists = self._token_lists(X, fitting=True)
        documents = [
            TaggedDocument(tokens, [index]) for index, tokens in enumerate(token_lists)
        ]
        self.seed_ = self._seed()
        model = Doc2Vec(
            dm=int(self.algorithm == "pv-dm"),
            vector_size=self.vector_size,
            window=self.window,
            min_count=self.min_count,
            epochs=self.epochs,
            negative=self.negative,
            hs=int(self.hs),
            sample=self.sample,
            seed=self.seed_,
            workers=self._workers(),
        )
        model.build_vocab(documents)
        self._check_vocabulary(model.wv, len(documents))
        model.train(documents, total_examples=len(documents), epochs=model.epochs)
        self.model_ = model
        return self

    @property
    def _n_features_out(self):
        return self.model_.dv.vector_size

    def transform(self, X):
        """Infer a vector for each document; the model is not changed.

        Parameters
        ----------
        X : iterable of list of str, or iterable of str
            Token lists, or raw documents.

        Returns
        -------
        vectors : ndarray of shape (n_documents, vector_size), dtype float32
        """
        check_is_fitted(self)
        self._validate_params()
        token_lists = self._token_lists(X)
        epochs = self.infer_epochs or self.model_.epochs
        n_chunks = min(self._workers(), len(token_lists))
        if n_chunks <= 1:
            return _infer_documents(self.model_, token_lists, epochs, self.seed_)
        # Processes, not threads: gensim's inner loop looks every word up with the GIL
        # held, so threads barely overlap. One chunk per worker ships the model once
        # to each, and joblib memory-maps its large arrays instead of copying them.
        bounds = np.linspace(0, len(token_lists), n_chunks + 1).astype(int)
        parts = Parallel(n_jobs=n_chunks)(
            delayed(_infer_documents)(
                self.model_, token_lists[start:stop], epochs, self.seed_
            )
            for start, stop in pairwise(bounds)
        )
        return np.vstack(parts)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, X, y=None):
        """Train on ``X``, then infer its vectors: the same as ``fit(X).transform(X)``.

        Parameters
        ----------
        X : iterable of list of str, or iterable of str
            Token lists, or raw documents.
        y : None
            Ignored.

        Returns
        -------
        vectors : ndarray of shape (n_documents, vector_size), dtype float32
        """
        token_lists = self._token_lists(X, fitting=True)
        return self.fit(token_lists).transform(token_lists)


def _infer_documents(model, token_lists, epochs, seed):
    """Doc2Vec vectors of ``token_lists``; each document depends only on itself.

    gensim's ``Doc2Vec.infer_vector`` is not reproducible: it starts each vector from
    Python's ``hash`` of the text, which changes from process to process, and draws
    negative samples from the model's shared random generator, so the result depends
    on what was inferred before. This is the same computation (the same gensim inner
    loops, learning rate and epochs), started from a seed made of the document's
    tokens and ``seed``.
    """
    import_optional("gensim", _GENSIM_FEATURE)
    from gensim.models.doc2vec_inner import (
        train_document_dbow,
        train_document_dm,
        train_document_dm_concat,
    )

    model = copy.copy(model)  # shares the weights; its random generator is ours
    size = model.dv.vector_size
    vectors = np.zeros((len(token_lists), size), dtype=np.float32)
    known = model.wv.key_to_index
    work = np.zeros(model.layer1_size, dtype=np.float32)
    neu1 = np.zeros(model.layer1_size, dtype=np.float32)
    lockf = np.ones(1, dtype=np.float32)
    step = (model.alpha - model.min_alpha) / max(epochs - 1, 1)
    for row, tokens in enumerate(token_lists):
        if not any(token in known for token in tokens):
            continue  # nothing to learn from: the documented zero vector
        document_seed = _document_seed(tokens, seed)
        start = np.random.Generator(np.random.SFC64(document_seed)).random(size)
        vector = ((start.astype(np.float32) - 0.5) / size).reshape(1, size)
        model.random = np.random.RandomState(document_seed)
        alpha = model.alpha
        for _ in range(epochs):
            common = {"learn_words": False, "learn_hidden": False}
            common.update(doctag_vectors=vector, doctags_lockf=lockf)
            if model.sg:
                train_document_dbow(model, tokens, [0], alpha, work, **common)
            elif model.dm_concat:
                train_document_dm_concat(
                    model, tokens, [0], alpha, work, neu1, **common
                )
            else:
                train_document_dm(model, tokens, [0], alpha, work, neu1, **common)
            alpha -= step
        vectors[row] = vector[0]
    return vectors


def _document_seed(tokens, seed):
    """A 32-bit seed that depends on the document's tokens and the model's seed."""
    text = "\x1f".join(tokens).encode("utf-8", "surrogatepass")
    return (zlib.crc32(text) + seed) % 2**32


class _WordVectorVectorizer(_Vectorizer):
    """Pooling of word vectors, shared by Word2Vec, FastText and pretrained vectors.

    Subclasses set ``vectors_`` (gensim ``KeyedVectors``) and ``idf_`` in ``fit``.
    """

    _subwords = False

    def transform(self, X):
        """Pool the word vectors of each document.

        Parameters
        ----------
        X : iterable of list of str, or iterable of str
            Token lists, or raw documents.

        Returns
        -------
        vectors : ndarray of shape (n_documents, n_features), dtype float32
            ``n_features`` is the width of the word vectors, twice that with
            ``pooling="mean+max"``.
        """
        check_is_fitted(self)
        self._validate_params()
        token_lists = self._lookup_tokens(self._token_lists(X))
        return _pool(
            token_lists, self.vectors_, self.pooling, self.idf_, subwords=self._subwords
        )

    def _lookup_tokens(self, token_lists):
        return token_lists

    def _finish_fit(self, keyed_vectors, token_lists):
        self.vectors_ = keyed_vectors
        self.idf_ = _document_frequency_idf(token_lists, keyed_vectors)
        return self

    @property
    def _n_features_out(self):
        width = self.vectors_.vector_size
        return 2 * width if self.pooling == "mean+max" else width


class Word2VecVectorizer(_WordVectorVectorizer):
    __doc__ = (
        """Word vectors (gensim ``Word2Vec``) pooled into one vector per document.

    ``fit`` trains Word2Vec on the documents; ``transform`` pools the vectors of each
    document's words. Word2Vec has no vector for a word it never saw (or saw fewer
    than ``min_count`` times): such words are skipped, and a document with no known
    word gives a row of zeros, never NaN. :class:`FastTextVectorizer` builds vectors
    for unseen words too.

    Parameters
    ----------
    algorithm : {"cbow", "skip-gram"}, default="cbow"
        Predict a word from its context (continuous bag of words), or the context
        from the word.
    vector_size : int, default=100
        The width of the word vectors.
    window : int, default=5
        The largest distance between a word and its context words.
    min_count : int, default=2
        Words seen fewer times in training get no vector.
    epochs : int, default=5
        Passes over the training documents.
    negative : int, default=5
        Negative samples per word (0 for none; then set ``hs=True``).
    hs : bool, default=False
        Use hierarchical softmax.
    sample : float, default=1e-3
        Threshold for down-sampling frequent words (0 for none)."""
        + _POOLING_DOC.format(unknown="")
        + """
    random_state : int, RandomState instance or None, default=None
        Seeds the training. With an int, and ``n_jobs`` of 1, two fits give identical
        vectors.
    n_jobs : int or None, default=None
        Worker threads for training. gensim's training is reproducible only with one
        worker. None means 1, -1 all cores.

    Attributes
    ----------
    vectors_ : gensim.models.KeyedVectors
        The word vectors (the rest of the trained model is not kept).
    idf_ : ndarray of shape (n_words,)
        Inverse document frequency of each word of ``vectors_``, for
        ``pooling="idf"``.

    See Also
    --------
    FastTextVectorizer : Word vectors that cover unseen words.
    PretrainedVectorizer : Pooled pretrained vectors.

    Examples
    --------
    >>> from sklearn_aidetect import Word2VecVectorizer
    >>> corpus = ["the cat sat on the mat", "the dog sat on the log"] * 10
    >>> vectorizer = Word2VecVectorizer(vector_size=8, random_state=0).fit(corpus)
    >>> vectorizer.transform(["the cat", "unseen words only"]).shape
    (2, 8)
    >>> bool(vectorizer.transform(["unseen words only"]).any())
    False
    """
    )

    _parameter_constraints: dict = {
        "algorithm": [StrOptions({"cbow", "skip-gram"})],
        **_TRAINING_PARAMETERS,
        "pooling": [StrOptions(_POOLINGS)],
    }

    def __init__(
        self,
        *,
        algorithm="cbow",
        vector_size=100,
        window=5,
        min_count=2,
        epochs=5,
        negative=5,
        hs=False,
        sample=1e-3,
        pooling="mean",
        random_state=None,
        n_jobs=None,
    ):
        self.algorithm = algorithm
        self.vector_size = vector_size
        self.window = window
        self.min_count = min_count
        self.epochs = epochs
        self.negative = negative
        self.hs = hs
        self.sample = sample
        self.pooling = pooling
        self.random_state = random_state
        self.n_jobs = n_jobs

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Train Word2Vec on the documents.

        Parameters
        ----------
        X : iterable of list of str, or iterable of str
            Token lists, or raw documents.
        y : None
            Ignored.

        Returns
        -------
        self : Word2VecVectorizer
        """
        import_optional("gensim", _GENSIM_FEATURE)
        from gensim.models import Word2Vec

        return self._train(Word2Vec, X)

    def _model_parameters(self):
        return {}

    def _train(self, model_class, X):
        token_lists = self._token_lists(X, fitting=True)
        model = model_class(
            sg=int(self.algorithm == "skip-gram"),
            vector_size=self.vector_size,
            window=self.window,
            min_count=self.min_count,
            epochs=self.epochs,
            negative=self.negative,
            hs=int(self.hs),
            sample=self.sample,
            seed=self._seed(),
            workers=self._workers(),
            **self._model_parameters(),
        )
        model.build_vocab(token_lists)
        self._check_vocabulary(model.wv, len(token_lists))
        model.train(token_lists, total_examples=len(token_lists), epochs=model.epochs)
        return self._finish_fit(self._keep(model.wv), token_lists)

    def _keep(self, keyed_vectors):
        return keyed_vectors


class FastTextVectorizer(Word2VecVectorizer):
    __doc__ = (
        """fastText word vectors (gensim ``FastText``) pooled per document.

    Like :class:`Word2VecVectorizer`, but each word vector is the sum of vectors of
    the word's character n-grams, so a word never seen in training (a typo, a rare
    inflection) still gets a vector from its n-grams.

    The defaults keep a fitted vectorizer small: gensim's default of 2,000,000 n-gram
    buckets makes even a 32-dimension model about 256 MB when pickled; here
    ``bucket=30_000`` (12 MB of n-gram vectors at 100 dimensions) and the parts of the
    model that only further training reads are not kept.

    Parameters
    ----------
    algorithm : {"cbow", "skip-gram"}, default="cbow"
        Predict a word from its context, or the context from the word.
    vector_size : int, default=100
        The width of the word vectors.
    window : int, default=5
        The largest distance between a word and its context words.
    min_count : int, default=2
        Words seen fewer times get no vector of their own (but their n-grams do).
    epochs : int, default=5
        Passes over the training documents.
    min_n : int, default=3
        The shortest character n-gram.
    max_n : int, default=6
        The longest character n-gram; 0 turns n-grams off (then it is Word2Vec).
    bucket : int, default=30000
        The number of hash buckets n-gram vectors share. More buckets mean fewer
        collisions and a larger model (``bucket * vector_size * 4`` bytes).
    negative : int, default=5
        Negative samples per word.
    hs : bool, default=False
        Use hierarchical softmax.
    sample : float, default=1e-3
        Threshold for down-sampling frequent words."""
        + _POOLING_DOC.format(
            unknown=" Words outside the vocabulary weigh as the rarest word."
        )
        + """
    random_state : int, RandomState instance or None, default=None
        Seeds the training. With an int, and ``n_jobs`` of 1, two fits give identical
        vectors.
    n_jobs : int or None, default=None
        Worker threads for training; reproducible only with one. None means 1.

    Attributes
    ----------
    vectors_ : gensim.models.fasttext.FastTextKeyedVectors
        The word and n-gram vectors.
    idf_ : ndarray of shape (n_words,)
        Inverse document frequency of each word of the vocabulary.

    See Also
    --------
    Word2VecVectorizer : The same without n-grams.

    Examples
    --------
    >>> from sklearn_aidetect import FastTextVectorizer
    >>> corpus = ["the cat sat on the mat", "the dog sat on the log"] * 10
    >>> vectorizer = FastTextVectorizer(vector_size=8, random_state=0).fit(corpus)
    >>> bool(vectorizer.transform(["cats"]).any())  # unseen, built from n-grams
    True
    """
    )

    _parameter_constraints: dict = {
        **Word2VecVectorizer._parameter_constraints,
        "min_n": [Interval(Integral, 1, None, closed="left")],
        "max_n": [Interval(Integral, 0, None, closed="left")],
        "bucket": [Interval(Integral, 1, None, closed="left")],
    }

    _subwords = True

    def __init__(
        self,
        *,
        algorithm="cbow",
        vector_size=100,
        window=5,
        min_count=2,
        epochs=5,
        min_n=3,
        max_n=6,
        bucket=30_000,
        negative=5,
        hs=False,
        sample=1e-3,
        pooling="mean",
        random_state=None,
        n_jobs=None,
    ):
        super().__init__(
            algorithm=algorithm,
            vector_size=vector_size,
            window=window,
            min_count=min_count,
            epochs=epochs,
            negative=negative,
            hs=hs,
            sample=sample,
            pooling=pooling,
            random_state=random_state,
            n_jobs=n_jobs,
        )
        self.min_n = min_n
        self.max_n = max_n
        self.bucket = bucket

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Train fastText on the documents.

        Parameters
        ----------
        X : iterable of list of str, or iterable of str
            Token lists, or raw documents.
        y : None
            Ignored.

        Returns
        -------
        self : FastTextVectorizer
        """
        import_optional("gensim", _GENSIM_FEATURE)
        from gensim.models import FastText

        return self._train(FastText, X)

    def _model_parameters(self):
        return {"min_n": self.min_n, "max_n": self.max_n, "bucket": self.bucket}

    def _keep(self, keyed_vectors):
        # Only further training reads these: the words' own vectors before n-grams
        # are added (as large as the word vectors) and each word's n-gram buckets.
        # Looking words up, seen or not, needs neither.
        keyed_vectors.vectors_vocab = np.zeros((0, keyed_vectors.vector_size))
        keyed_vectors.buckets_word = None
        return keyed_vectors


class PretrainedVectorizer(_WordVectorVectorizer):
    """Pretrained word vectors from a local file, pooled into one vector per document.

    Reads word2vec text or binary files, GloVe text files (word2vec text without the
    header line) and Facebook fastText ``.bin`` models (subword n-grams included, so
    words outside the vocabulary get vectors). Nothing is downloaded: the file is
    loaded in ``fit``, from ``path``.

    Parameters
    ----------
    path : str or os.PathLike, default=None
        The vector file. Required.
    file_format : {"auto", "word2vec", "word2vec-binary", "glove", "fasttext"}, \
default="auto"
        ``"auto"`` tells them apart by content: the fastText magic number, a binary
        word2vec file, a text file with a ``count dimension`` header (word2vec) or
        without one (GloVe).
    limit : int or None, default=None
        Read only the first ``limit`` vectors (files list frequent words first). Not
        used for fastText files.
    lowercase : bool, default=False
        Lowercase tokens before looking them up (GloVe's vocabularies are lowercase).
    pooling : {"mean", "max", "mean+max", "idf"}, default="mean"
        How a document's word vectors become one vector; ``"idf"`` weights by inverse
        document frequency in the documents given to ``fit``. Words without a vector
        are skipped; a document with none gives a row of zeros.

    Attributes
    ----------
    vectors_ : gensim.models.KeyedVectors
        The loaded vectors.
    file_format_ : str
        The format the file was read as.
    idf_ : ndarray of shape (n_words,)
        Inverse document frequency of each word in the documents given to ``fit``
        (all ones if ``fit`` got none).

    See Also
    --------
    Word2VecVectorizer : Vectors trained on your own corpus.

    Notes
    -----
    The fitted vectorizer carries the whole table of vectors: use ``limit`` to keep
    a saved pipeline small.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from sklearn_aidetect import PretrainedVectorizer
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "glove.txt"
    >>> _ = path.write_text("cat 1.0 0.0\\ndog 0.0 1.0\\n")
    >>> PretrainedVectorizer(path).fit().transform([["cat", "dog"], ["owl"]])
    array([[0.5, 0.5],
           [0. , 0. ]], dtype=float32)
    """

    _parameter_constraints: dict = {
        "path": [str, os.PathLike, None],
        "file_format": [
            StrOptions({"auto", "word2vec", "word2vec-binary", "glove", "fasttext"})
        ],
        "limit": [Interval(Integral, 1, None, closed="left"), None],
        "lowercase": ["boolean"],
        "pooling": [StrOptions(_POOLINGS)],
    }

    def __init__(
        self,
        path=None,
        *,
        file_format="auto",
        limit=None,
        lowercase=False,
        pooling="mean",
    ):
        self.path = path
        self.file_format = file_format
        self.limit = limit
        self.lowercase = lowercase
        self.pooling = pooling

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X=None, y=None):
        """Load the vectors; count document frequencies in ``X`` if given.

        Parameters
        ----------
        X : iterable of list of str, or iterable of str, default=None
            Documents for the IDF weights of ``pooling="idf"``; otherwise unused.
        y : None
            Ignored.

        Returns
        -------
        self : PretrainedVectorizer
        """
        keyed_vectors, self.file_format_ = _load_vectors(self)
        token_lists = [] if X is None else self._lookup_tokens(self._token_lists(X))
        return self._finish_fit(keyed_vectors, token_lists)

    @property
    def _subwords(self):
        return self.file_format_ == "fasttext"

    def _lookup_tokens(self, token_lists):
        if self.lowercase:
            return [[token.lower() for token in tokens] for tokens in token_lists]
        return token_lists


_FASTTEXT_MAGIC = (793712314).to_bytes(4, "little")


def _sniff_format(path):
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if head[:4] == _FASTTEXT_MAGIC:
        return "fasttext"
    first_line = head.split(b"\n", 1)[0].split()
    header = len(first_line) == 2 and all(part.isdigit() for part in first_line)
    if header:
        # A binary word2vec file has raw float bytes after its first word.
        body = head.split(b"\n", 1)[1] if b"\n" in head else b""
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            return "word2vec-binary"
        return "word2vec"
    return "glove"


def _load_vectors(estimator):
    import_optional("gensim", _GENSIM_FEATURE)
    from gensim.models import KeyedVectors
    from gensim.models.fasttext import load_facebook_vectors

    name = type(estimator).__name__
    if estimator.path is None:
        raise ValueError(f"{name} needs path=, the file of vectors to load.")
    path = Path(estimator.path)
    if not path.is_file():
        raise FileNotFoundError(f"{name}: no vector file at {path}.")
    file_format = estimator.file_format
    if file_format == "auto":
        file_format = _sniff_format(path)
    try:
        if file_format == "fasttext":
            vectors = load_facebook_vectors(str(path))
        else:
            with warnings.catch_warnings():
                # For files without a header gensim reopens the file and never closes
                # it; CPython closes it as the call returns, with a ResourceWarning.
                warnings.simplefilter("ignore", ResourceWarning)
                vectors = KeyedVectors.load_word2vec_format(
                    str(path),
                    binary=file_format == "word2vec-binary",
                    no_header=file_format == "glove",
                    limit=estimator.limit,
                )
    except Exception as exc:  # gensim raises many kinds on malformed files
        raise ValueError(
            f"{name}: could not read {path} as {file_format} vectors "
            f"({type(exc).__name__}: {exc}). Check the file, or set file_format."
        ) from exc
    return vectors, file_format
