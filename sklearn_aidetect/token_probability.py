"""Token-probability features: how predictable each token of a document is.

Machine-generated text is predictable: a language model samples likely tokens, so
its tokens score high under any model of the language, in any domain. Ghostbuster
(Verma et al. 2023) turns that into features: per-token log-probabilities under
several models, combined token by token (differences between models), and summed
up per document (mean, extremes, spread, the means of the most and least likely
quarters). :class:`TokenProbabilityVectorizer` does this with no hosted model:
the language models are Kneser-Ney n-gram models that it fits itself, over a
subword vocabulary, on reference texts; optionally ``wordfreq``'s general-English
word frequencies (tables inside its wheel, nothing downloaded) are a second,
corpus-free reference.

Features fitted on the training texts would score those texts as more predictable
than any new text (the model has seen them), so ``fit_transform`` cross-fits, as
scikit-learn's :class:`~sklearn.preprocessing.TargetEncoder` does: each training
document is scored by models fitted on the other folds.
"""

import re
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.utils.validation import check_is_fitted

from ._base import (
    HasMethods,
    Interval,
    NamedFeaturesMixin,
    TextTransformerMixin,
    _fit_context,
    select_features,
)
from ._language_model import (
    STATISTICS,
    KneserNeyModel,
    NGramQueries,
    document_statistics,
)
from ._optional import import_optional
from ._validation import check_binary_target, check_documents

__all__ = ["TokenProbabilityVectorizer"]

_REFERENCES = {"all", "positive", "negative", "corpus"}
# Words as wordfreq counts them: letters with inner apostrophes, lowercased.
_WORD_PATTERN = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
# Below wordfreq's smallest listed frequency (about 1e-8): a word it never saw.
_UNSEEN_WORD_FREQUENCY = 1e-9


class TokenProbabilityVectorizer(
    NamedFeaturesMixin, TextTransformerMixin, TransformerMixin, BaseEstimator
):
    """Summaries of per-token log-probabilities under fitted n-gram models.

    ``fit`` trains a subword tokenizer on the documents and, for each reference,
    a unigram and an ``order``-gram interpolated Kneser-Ney model over its tokens.
    ``transform`` scores every token of a document under each model and returns,
    for each series of scores, six statistics per document: ``mean``, ``min``,
    ``max``, ``var``, ``top25`` and ``bottom25`` (the means of the most and least
    likely quarter of the tokens). The series, for a reference ``r``:

    - ``r_unigram``: log P(token) under the unigram model;
    - ``r_ngram``: log P(token | the ``order - 1`` tokens before it);
    - ``r_context``: their difference, how much the context made the token
      likelier (high for the stock phrasing of generated text);
    - ``a-b_ngram`` for each pair of references: the difference of their n-gram
      scores, token by token (as Ghostbuster combines models);
    - ``wordfreq``: log frequency of each word in general English, with
      ``wordfreq=True``.

    A last column, ``n_tokens``, is the log of one plus the number of tokens.

    Parameters
    ----------
    references : tuple of {"all", "positive", "negative", "corpus"}, \
default=("all", "positive")
        The texts each pair of models is fitted on. ``"all"``: every training
        document; ``"positive"`` / ``"negative"``: the training documents of
        ``classes_[1]`` (the machine) / ``classes_[0]`` (the human), which needs
        ``y``; ``"corpus"``: the ``corpus`` parameter's texts. The default was
        chosen on the ``transfer-m4`` validation task: a model of the human side
        learns what the training domain's people write, and its scores point the
        wrong way on other domains (``docs/transfer.rst``).
    corpus : list of str, default=None
        Reference texts for ``"corpus"`` (general text of the target domain, for
        instance). Not cross-fitted: they are not the training documents.
    order : int, default=3
        The n of the n-gram model (3: trigrams).
    discount : float, default=0.75
        Kneser-Ney's absolute discount, in (0, 1).
    tokenizer : tokenizer of this library, default=None
        Splits documents into subword ids; cloned, given ``output="ids"`` and
        fitted on the training documents. None: ``BPETokenizer(vocab_size=8000)``.
    wordfreq : bool, default=False
        Add the ``wordfreq`` series (``pip install "sklearn_aidetect[wordfreq]"``).
    features : list of str, default=None
        The features to return, by name (as ``get_feature_names_out`` gives
        them without it) and in this order; None: all.
    cv : int, default=5
        Folds of ``fit_transform``'s cross-fitting. Stratified by ``y`` when given.
    shuffle : bool, default=True
        Whether to shuffle the documents before the folds are made.
    random_state : int, RandomState instance or None, default=None
        Seeds the shuffle of the folds (with ``shuffle=True``).

    Attributes
    ----------
    tokenizer_ : tokenizer
        The fitted tokenizer.
    models_ : dict of str to tuple
        For each reference, its fitted unigram and n-gram models.
    classes_ : ndarray of shape (2,) or None
        The labels seen in ``fit`` (None without a class reference).
    columns_ : ndarray of int
        The positions of the returned features among all of them.
    n_token_ids_ : int
        The size of the tokenizer's id space, the models' vocabulary.

    See Also
    --------
    StyleVectorizer : Sentence, vocabulary and punctuation statistics.
    make_detector : ``"transfer-vote"`` uses these features.

    Notes
    -----
    ``fit_transform(X, y)`` is not ``fit(X, y).transform(X)``: the first scores each
    training document with models that did not see it (cross-fitting), the second
    with the full models, which know every n-gram of ``X`` and so find ``X`` more
    predictable than it is. A pipeline calls ``fit_transform`` while it trains, so
    what the classifier learns from holds for new text. The models of ``transform``
    are always those fitted on all the training documents.

    Examples
    --------
    >>> from sklearn_aidetect import BPETokenizer, TokenProbabilityVectorizer
    >>> texts = ["the cat sat on the mat", "the dog sat on the log",
    ...          "a cat and a dog", "the mat and the log"] * 5
    >>> labels = [0, 1, 0, 1] * 5
    >>> vectorizer = TokenProbabilityVectorizer(
    ...     tokenizer=BPETokenizer(vocab_size=300), cv=2, random_state=0)
    >>> features = vectorizer.fit_transform(texts, labels)
    >>> features.shape
    (20, 43)
    >>> names = vectorizer.get_feature_names_out()
    >>> names[[0, 6, 12, 36, 42]].tolist()  # doctest: +NORMALIZE_WHITESPACE
    ['all_unigram_mean', 'all_ngram_mean', 'all_context_mean',
     'all-positive_ngram_mean', 'n_tokens']
    >>> vectorizer.transform(["the cat sat"]).shape
    (1, 43)
    """

    _parameter_constraints: dict = {
        "references": [tuple, list],
        "corpus": [list, tuple, None],
        "order": [Interval(Integral, 1, 6, closed="both")],
        "discount": [Interval(Real, 0, 1, closed="neither")],
        "tokenizer": [None, HasMethods(["fit", "transform", "get_params"])],
        "wordfreq": ["boolean"],
        "features": [list, tuple, None],
        "cv": [Interval(Integral, 2, None, closed="left")],
        "shuffle": ["boolean"],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        *,
        references=("all", "positive"),
        corpus=None,
        order=3,
        discount=0.75,
        tokenizer=None,
        wordfreq=False,
        features=None,
        cv=5,
        shuffle=True,
        random_state=None,
    ):
        self.references = references
        self.corpus = corpus
        self.order = order
        self.discount = discount
        self.tokenizer = tokenizer
        self.wordfreq = wordfreq
        self.features = features
        self.cv = cv
        self.shuffle = shuffle
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y=None):
        """Fit the tokenizer and the language models.

        Parameters
        ----------
        X : iterable of str
            The training documents.
        y : array-like of shape (n_documents,), default=None
            Labels of two classes; needed for the ``"positive"`` and
            ``"negative"`` references, ignored without them.

        Returns
        -------
        self : TokenProbabilityVectorizer
        """
        documents, y = self._check_fit_input(X, y)
        sequences = self._fit_tokenizer(documents)
        self.models_ = self._fit_models(sequences, y, self._corpus_sequences())
        return self

    @_fit_context(prefer_skip_nested_validation=False)
    def fit_transform(self, X, y=None):
        """Fit on ``X``, and return its features cross-fitted (see Notes).

        Parameters
        ----------
        X : iterable of str
            The training documents.
        y : array-like of shape (n_documents,), default=None
            Labels of two classes; needed for the ``"positive"`` and
            ``"negative"`` references, which also stratify the folds by it.
            Ignored without them.

        Returns
        -------
        features : ndarray of shape (n_documents, n_features)
            Each document's features under models fitted without it.
        """
        documents, y = self._check_fit_input(X, y)
        if len(documents) < self.cv or (
            y is not None and np.unique(y, return_counts=True)[1].min() < self.cv
        ):
            raise ValueError(
                f"{type(self).__name__}.fit_transform cross-fits over cv={self.cv} "
                f"folds, which needs at least {self.cv} documents of each class; got "
                f"{len(documents)} document(s). Pass more documents or a smaller cv."
            )
        sequences = self._fit_tokenizer(documents)
        corpus = self._corpus_sequences()
        if y is None:
            folds = KFold(self.cv, shuffle=self.shuffle, random_state=self._seed())
        else:
            folds = StratifiedKFold(
                self.cv, shuffle=self.shuffle, random_state=self._seed()
            )
        features = np.zeros((len(documents), len(self._all_feature_names())))
        index = np.arange(len(documents))
        for train, test in folds.split(index, y):
            models = self._fit_models(
                [sequences[i] for i in train],
                None if y is None else y[train],
                corpus,
            )
            features[test] = self._features(
                [documents[i] for i in test], [sequences[i] for i in test], models
            )
        self.models_ = self._fit_models(sequences, y, corpus)
        return features[:, self.columns_]

    def transform(self, X):
        """Score every token of each document and summarise the scores.

        Parameters
        ----------
        X : iterable of str
            The documents.

        Returns
        -------
        features : ndarray of shape (n_documents, n_features)
        """
        check_is_fitted(self, "models_")
        documents = check_documents(X, estimator=self)
        features = self._features(documents, self.tokenizer_.transform(documents))
        return features[:, self.columns_]

    def _all_feature_names(self):
        names = [f"{series}_{stat}" for series in self._series() for stat in STATISTICS]
        return [*names, "n_tokens"]

    # ------------------------------------------------------------------ internals

    def _check_fit_input(self, X, y):
        documents = check_documents(X, estimator=self, fitting=True)
        references = list(self.references)
        unknown = [r for r in references if r not in _REFERENCES]
        if not references or unknown or len(set(references)) != len(references):
            raise ValueError(
                f"The 'references' parameter of {type(self).__name__} must be a "
                f"non-empty tuple of distinct names from {sorted(_REFERENCES)}; got "
                f"{self.references!r}."
            )
        if ("corpus" in references) != (self.corpus is not None):
            raise ValueError(
                f"{type(self).__name__}: the 'corpus' reference and the corpus "
                "parameter go together; pass corpus=[texts...] with "
                "references=(..., 'corpus'), or neither."
            )
        self.columns_ = select_features(self, self._all_feature_names(), self.features)
        needs_labels = {"positive", "negative"} & set(references)
        if not needs_labels:  # y is ignored, as scikit-learn's transformers do
            self.classes_ = None
            return documents, None
        if y is None:
            raise ValueError(
                f"{type(self).__name__}: the {sorted(needs_labels)} reference(s) "
                "are fitted on the documents of one class, so fit needs y; pass "
                "the labels, or use references=('all',)."
            )
        y = check_binary_target(y, estimator=self, n_samples=len(documents))
        self.classes_, y = np.unique(y, return_inverse=True)
        return documents, y

    def _fit_tokenizer(self, documents):
        if self.tokenizer is None:
            from .tokenization import BPETokenizer

            tokenizer = BPETokenizer(vocab_size=8000)
        else:
            tokenizer = clone(self.tokenizer)
        if "output" not in tokenizer.get_params():
            raise TypeError(
                f"{type(self).__name__}: tokenizer={self.tokenizer!r} is not a "
                "tokenizer of this library; pass e.g. BPETokenizer(vocab_size=8000)."
            )
        self.tokenizer_ = tokenizer.set_params(output="ids").fit(documents)
        self.n_token_ids_ = max(self.tokenizer_.vocabulary_.values()) + 1
        return self.tokenizer_.transform(documents)

    def _corpus_sequences(self):
        if self.corpus is None:
            return None
        texts = check_documents(self.corpus, estimator=self, fitting=True)
        return self.tokenizer_.transform(texts)

    def _fit_models(self, sequences, y, corpus):
        models = {}
        for reference in self.references:
            if reference == "corpus":
                chosen = corpus
            elif reference == "all":
                chosen = sequences
            else:
                label = 1 if reference == "positive" else 0
                chosen = [s for s, c in zip(sequences, y) if c == label]
            models[reference] = tuple(
                KneserNeyModel(order, self.n_token_ids_, self.discount).fit(chosen)
                for order in (1, self.order)
            )
        return models

    def _series(self):
        names = []
        for reference in self.references:
            names += [f"{reference}_unigram", f"{reference}_ngram"]
            names.append(f"{reference}_context")
        for i, first in enumerate(self.references):
            names += [f"{first}-{second}_ngram" for second in self.references[i + 1 :]]
        if self.wordfreq:
            names.append("wordfreq")
        return names

    def _features(self, documents, sequences, models=None):
        models = self.models_ if models is None else models
        lengths = np.fromiter((len(s) for s in sequences), dtype=np.int64)
        queries = NGramQueries(sequences, self.order, self.n_token_ids_)
        columns, ngram = [], {}
        for reference, (unigram, model) in models.items():
            low = unigram.log_probabilities(queries)
            ngram[reference] = model.log_probabilities(queries)
            for values in (low, ngram[reference], ngram[reference] - low):
                columns.append(document_statistics(values, lengths))
        names = list(models)
        for i, first in enumerate(names):
            for second in names[i + 1 :]:
                difference = ngram[first] - ngram[second]
                columns.append(document_statistics(difference, lengths))
        if self.wordfreq:
            columns.append(document_statistics(*_wordfreq_log_frequencies(documents)))
        columns.append(np.log1p(lengths)[:, None])
        return np.hstack(columns)

    def _seed(self):
        if not self.shuffle:
            return None
        return self.random_state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = False
        return tags


def _wordfreq_log_frequencies(documents):
    """Each word's log frequency in general English, and the words per document.

    The words of all documents are looked up once per distinct word
    (``np.unique``), not once per occurrence.
    """
    frequencies = _wordfreq_table()
    words = [_WORD_PATTERN.findall(document.lower()) for document in documents]
    lengths = np.fromiter((len(w) for w in words), dtype=np.int64)
    flat = np.array([w for document in words for w in document], dtype=object)
    if not len(flat):
        return np.zeros(0), lengths
    distinct, position = np.unique(flat, return_inverse=True)
    table = np.log(
        np.fromiter(
            (frequencies.get(w, _UNSEEN_WORD_FREQUENCY) for w in distinct),
            dtype=np.float64,
            count=len(distinct),
        )
    )
    return table[position], lengths


_WORDFREQ = {}


def _wordfreq_table():
    """wordfreq's English frequency table (read once per process)."""
    if "en" not in _WORDFREQ:
        wordfreq = import_optional(
            "wordfreq", "TokenProbabilityVectorizer(wordfreq=True)"
        )
        _WORDFREQ["en"] = wordfreq.get_frequency_dict("en", wordlist="best")
    return _WORDFREQ["en"]
