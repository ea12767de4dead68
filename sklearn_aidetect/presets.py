"""Ready-made detectors: whole pipelines, by name.

Each detector is an unfitted scikit-learn :class:`~sklearn.pipeline.Pipeline` whose
steps are named ``normalizer`` (a :class:`~sklearn_aidetect.TextNormalizer`, which
undoes homoglyphs, invisible characters and odd whitespace), ``tokenizer`` (when it
has one), ``vectorizer`` (when it has one) and ``classifier``, so that parameters
read the same across detectors (``classifier__C``, ``tokenizer__vocab_size``) and a
grid written for one detector is easy to adapt to another. :func:`list_detectors`
gives each one's description and a default grid for
:class:`~sklearn.model_selection.GridSearchCV`.

The pipeline is this module's :class:`Pipeline`, scikit-learn's own with one addition
(as ``imblearn.pipeline.Pipeline`` is): it checks the documents and the labels before
any step sees them, so that every detector refuses a wrong input with the same clear
error, whatever its steps.

The neural detectors import TensorFlow when they are built, not before:
``list_detectors()`` and the non-neural detectors stay light.
"""

import difflib
from dataclasses import dataclass, field

import numpy as np
from sklearn import pipeline
from sklearn.base import BaseEstimator
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from ._base import validate_estimator_params
from ._validation import check_binary_target, check_documents
from .normalization import TextNormalizer

__all__ = ["DetectorInfo", "list_detectors", "make_detector"]


@dataclass(frozen=True)
class DetectorInfo:
    """What :func:`list_detectors` says about one ready-made detector.

    Attributes
    ----------
    name : str
        The name :func:`make_detector` takes.
    description : str
        One line: what the pipeline is.
    param_grid : dict of str to list
        A small default grid for :class:`~sklearn.model_selection.GridSearchCV`,
        keyed by the pipeline's parameter names.
    neural : bool
        Whether the detector trains a Keras network (and so needs TensorFlow).

    Examples
    --------
    >>> from sklearn_aidetect import list_detectors
    >>> info = list_detectors()[1]
    >>> info.name, info.neural
    ('tfidf-ensemble', False)
    >>> print(info.description)
    BPE tokens, TF-IDF over 3-5-grams, soft vote of naive Bayes and SGD (the Kaggle
    public recipe)
    """

    name: str
    description: str
    param_grid: dict = field(repr=False)
    neural: bool = False


def _final_estimator_has(attr):
    """For ``available_if``: whether the last step has ``attr``."""

    def check(self):
        getattr(self._final_estimator, attr)  # raises AttributeError when it has not
        return True

    return check


class Pipeline(pipeline.Pipeline):
    """A scikit-learn Pipeline that checks documents and binary labels first.

    What :func:`make_detector` returns: a :class:`sklearn.pipeline.Pipeline` in
    every respect (parameters, steps, repr, cloning, pickling), except that ``fit``
    first checks that ``X`` is a sequence of documents (str), not all empty, and that
    ``y`` holds one label per document, of exactly two classes, none missing; and
    ``predict``, ``predict_proba``, ``predict_log_proba``, ``decision_function``
    and ``score`` first check that ``X`` is a non-empty sequence of documents. A
    wrong input thus fails at once, with an error that says what to do, whatever
    the steps: scikit-learn's TF-IDF would otherwise fail deep inside on a missing
    text, and its linear models would train a three-class model without a word.

    Parameters
    ----------
    steps : list of tuple
        ``(name, estimator)`` pairs, as for :class:`sklearn.pipeline.Pipeline`;
        the other parameters are scikit-learn's too.

    See Also
    --------
    make_detector : Build a ready-made detector.

    Examples
    --------
    >>> from sklearn_aidetect import make_detector
    >>> detector = make_detector("tfidf-logistic")
    >>> detector.fit(["one essay", "another"], [0, 1, 2])
    Traceback (most recent call last):
    ...
    ValueError: Pipeline: X and y have inconsistent numbers of samples: 2 document(s) \
but 3 label(s). Pass one label per document.
    """

    def fit(self, X, y=None, **params):
        """Check the documents and the labels, then fit every step.

        Parameters
        ----------
        X : iterable of str
            The training documents.
        y : array-like of shape (n_documents,)
            Labels of exactly two classes (e.g. 0 = human, 1 = machine).
        **params
            Passed on as by :meth:`sklearn.pipeline.Pipeline.fit`.

        Returns
        -------
        self : Pipeline
        """
        documents = check_documents(X, estimator=self, fitting=True)
        y = check_binary_target(y, estimator=self, n_samples=len(documents))
        return super().fit(documents, y, **params)

    @available_if(_final_estimator_has("predict"))
    def predict(self, X, **params):
        """Check the documents, then predict with the fitted steps."""
        return super().predict(self._documents(X, "predict"), **params)

    @available_if(_final_estimator_has("predict_proba"))
    def predict_proba(self, X, **params):
        """Check the documents, then predict probabilities with the fitted steps."""
        return super().predict_proba(self._documents(X, "predict_proba"), **params)

    @available_if(_final_estimator_has("predict_log_proba"))
    def predict_log_proba(self, X, **params):
        """Check the documents, then predict log-probabilities."""
        documents = self._documents(X, "predict_log_proba")
        return super().predict_log_proba(documents, **params)

    @available_if(_final_estimator_has("decision_function"))
    def decision_function(self, X, **params):
        """Check the documents, then compute the decision function."""
        documents = self._documents(X, "decision_function")
        return super().decision_function(documents, **params)

    @available_if(_final_estimator_has("score"))
    def score(self, X, y=None, sample_weight=None, **params):
        """Check the documents, then score the fitted steps on them."""
        documents = self._documents(X, "score")
        return super().score(documents, y, sample_weight=sample_weight, **params)

    def _documents(self, X, method):
        # scikit-learn 1.7 raises its own error from inside Pipeline; this one, from
        # its validation module, is the same on every supported version.
        check_is_fitted(self)
        documents = check_documents(X, estimator=self)
        if not documents:  # as scikit-learn's estimators refuse an empty batch
            raise ValueError(
                f"Pipeline.{method} got an empty corpus (0 documents); pass at least "
                "one document to score."
            )
        return documents


def _tfidf_logistic():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    return [
        (
            "vectorizer",
            TfidfVectorizer(
                ngram_range=(1, 2), sublinear_tf=True, min_df=2, dtype=np.float32
            ),
        ),
        ("classifier", LogisticRegression(class_weight="balanced", max_iter=1000)),
    ]


def _bpe_ngrams(min_df):
    """Tokenizer and vectorizer of the Kaggle public recipe: BPE token 3-5-grams."""
    from .ngrams import TokenNGramVectorizer
    from .tokenization import BPETokenizer

    # The recipe's TfidfVectorizer(token_pattern=r"\S+", ngram_range=(3, 5)) over
    # the space-joined tokens, counted over token ids instead: the same features
    # and weights, without a dict of millions of n-gram strings (ngrams.py;
    # bpe-naive-bayes fits in 4.8 s instead of 13.9 s and saves 68.5 MB instead
    # of 179.5 MB: benchmarks/results/performance.md).
    return [
        (
            "tokenizer",
            BPETokenizer(
                vocab_size=30522, lowercase=True, normalization="NFC", output="ids"
            ),
        ),
        (
            "vectorizer",
            TokenNGramVectorizer(
                ngram_range=(3, 5),
                sublinear_tf=True,
                min_df=min_df,
                dtype=np.float32,
            ),
        ),
    ]


def _tfidf_ensemble():
    from sklearn.ensemble import VotingClassifier
    from sklearn.linear_model import SGDClassifier
    from sklearn.naive_bayes import MultinomialNB

    # The Kaggle public recipe, with one change: min_df=2. The recipe fitted TF-IDF on
    # the test texts only; fitted on a training corpus, the n-grams seen once make
    # the vocabulary (and the saved model) several times larger. In cross-validation
    # (benchmarks/results/tuning.md) they help on OUTFOX and hurt on HC3, so the
    # default stays.
    return [
        *_bpe_ngrams(min_df=2),
        (
            "classifier",
            VotingClassifier(
                [
                    ("nb", MultinomialNB(alpha=0.02)),
                    (
                        "sgd",
                        SGDClassifier(loss="modified_huber", max_iter=8000, tol=1e-4),
                    ),
                ],
                voting="soft",
                weights=[0.1, 0.9],
            ),
        ),
    ]


def _calibrated_naive_bayes(evidence="both"):
    from sklearn.calibration import CalibratedClassifierCV

    from .naive_bayes import LogOddsMultinomialNB

    # A sigmoid fitted on cross-validated log-odds gives probabilities without tying
    # the documents that MultinomialNB.predict_proba rounds to 1 (naive_bayes.py).
    return CalibratedClassifierCV(
        LogOddsMultinomialNB(alpha=0.02, evidence=evidence),
        method="sigmoid",
        cv=3,
        ensemble=False,
    )


def _bpe_naive_bayes():
    # Naive Bayes alone over the recipe's n-grams, those seen once included
    # (min_df=1, as the recipe had it). In cross-validation on the training parts
    # (benchmarks/results/tuning.md) alpha=0.02 scored above 0.1, and min_df=1 above
    # 2. On essays of a generator it never saw it ranks above the discriminative
    # models (benchmarks/results/detection.md).
    return [*_bpe_ngrams(min_df=1), ("classifier", _calibrated_naive_bayes())]


def _tfidf_wordchar():
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import SGDClassifier
    from sklearn.pipeline import FeatureUnion

    from .ngrams import CharNGramVectorizer

    # Character n-grams keep what word tokens drop: case, punctuation, spacing and
    # spelling (a typo is a telling human trait); word 1-2-grams add phrasing.
    # Chosen by cross-validation on the training parts of the benchmark tasks only;
    # benchmarks/tune_detection.py reproduces the comparison with tfidf-logistic.
    return [
        (
            "vectorizer",
            FeatureUnion(
                [
                    (
                        "word",
                        TfidfVectorizer(
                            ngram_range=(1, 2),
                            sublinear_tf=True,
                            min_df=2,
                            dtype=np.float32,
                        ),
                    ),
                    (
                        "char",
                        # TfidfVectorizer(analyzer="char"), counted in numpy: the
                        # same features, in about half the time (ngrams.py).
                        CharNGramVectorizer(
                            ngram_range=(1, 5),
                            lowercase=False,
                            sublinear_tf=True,
                            min_df=2,
                            max_features=500_000,
                            dtype=np.float32,
                        ),
                    ),
                ]
            ),
        ),
        (
            "classifier",
            # modified_huber's predict_proba clips to exactly 0 or 1 for many
            # documents, and those ties lose ranking (ROC AUC) and make a poor vote.
            # A sigmoid fitted on cross-validated decision values keeps the order
            # and gives probabilities.
            CalibratedClassifierCV(
                SGDClassifier(
                    loss="modified_huber",
                    max_iter=8000,
                    tol=1e-4,
                    class_weight="balanced",
                ),
                method="sigmoid",
                cv=3,
                ensemble=False,
            ),
        ),
    ]


def _tfidf_wordchar_bpe():
    from sklearn.ensemble import VotingClassifier

    # Two n-gram views that err on different texts: word and character n-grams see
    # spelling and short phrasing, naive Bayes over 3-5-grams of BPE tokens phrasing
    # over several words. The 1:2 vote scored above either member, the other
    # weights, and the vote with tfidf-ensemble in its place, in cross-validation on
    # the training parts of the benchmark tasks only (benchmarks/results/
    # tuning.md). The price is size: every BPE n-gram seen once stays in the
    # vocabulary (benchmarks/results/detection.md). Parameters read
    # classifier__wordchar__... and classifier__bpe__....
    return [
        (
            "classifier",
            VotingClassifier(
                [
                    ("wordchar", pipeline.Pipeline(_tfidf_wordchar())),
                    ("bpe", pipeline.Pipeline(_bpe_naive_bayes())),
                ],
                voting="soft",
                weights=(1, 2),
            ),
        )
    ]


def _tfidf_cross_domain():
    from sklearn.ensemble import VotingClassifier

    # tfidf-wordchar-bpe's two members and a third: naive Bayes that counts only the
    # n-grams pointing to the machine (evidence="positive"), 2:1:1. Trained on student
    # essays, a model also learns what students write and the machine does not;
    # on human text of another domain that evidence is absent and reads as "the
    # machine", while the machine side carries (benchmarks/results/
    # domain_shift.md). In cross-validation on the training parts, all in-domain,
    # the third voice costs 0.0004 of mean ROC AUC; 2:1:1 scored above 1:1:1 and
    # 1:1:2, and alpha=0.02 above 0.1 (benchmarks/results/tuning.md). The two naive
    # Bayes models share one tokenizer and vectorizer.
    bpe = [
        *_bpe_ngrams(min_df=1),
        (
            "classifier",
            VotingClassifier(
                [
                    ("both", _calibrated_naive_bayes()),
                    ("machine", _calibrated_naive_bayes(evidence="positive")),
                ],
                voting="soft",
            ),
        ),
    ]
    return [
        (
            "classifier",
            VotingClassifier(
                [
                    ("wordchar", pipeline.Pipeline(_tfidf_wordchar())),
                    ("bpe", pipeline.Pipeline(bpe)),
                ],
                voting="soft",
            ),
        )
    ]


# Chosen by forward selection on the transfer-m4 validation task
# (benchmarks/select_transfer_features.py, benchmarks/results/transfer_features.md):
# how likely the machine side's n-gram model finds a text, the function words and
# a few punctuation marks, all of which language models shape in every domain.
_TRANSFER_TOKEN_FEATURES = [
    "positive_ngram_mean",
    "positive_ngram_top25",
    "positive_unigram_top25",
    "all_ngram_var",
]
_TRANSFER_STYLE_FEATURES = [
    "function_word_rate",
    "colon_rate",
    "dash_rate",
    "semicolon_rate",
]


def _transfer_features():
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion
    from sklearn.preprocessing import StandardScaler

    from .style import StyleVectorizer
    from .token_probability import TokenProbabilityVectorizer
    from .tokenization import BPETokenizer

    # Eight dense features that carry across domains, scaled, and a balanced
    # logistic regression. The vectorizer cross-fits its n-gram models while the
    # pipeline trains (token_probability.py), so the classifier learns from
    # scores of texts the models never saw, as every new text will be.
    return [
        (
            "vectorizer",
            FeatureUnion(
                [
                    (
                        "tokens",
                        TokenProbabilityVectorizer(
                            tokenizer=BPETokenizer(vocab_size=8000),
                            features=_TRANSFER_TOKEN_FEATURES,
                        ),
                    ),
                    ("style", StyleVectorizer(features=_TRANSFER_STYLE_FEATURES)),
                ]
            ),
        ),
        ("scaler", StandardScaler()),
        ("classifier", LogisticRegression(class_weight="balanced", max_iter=1000)),
    ]


def _transfer_vote():
    from sklearn.ensemble import VotingClassifier

    # The transfer features and bpe-naive-bayes, 2:1. Off the training domain the
    # n-grams fail and the features carry; on it, the n-grams are the stronger
    # voice and the vote costs accuracy (docs/transfer.rst has both tables).
    # 2:1 is the smallest weight at which every transfer-m4 domain scored 0.90 or
    # more (benchmarks/results/transfer_features.md). Parameters read
    # classifier__features__... and classifier__bpe__....
    return [
        (
            "classifier",
            VotingClassifier(
                [
                    ("features", pipeline.Pipeline(_transfer_features())),
                    ("bpe", pipeline.Pipeline(_bpe_naive_bayes())),
                ],
                voting="soft",
                weights=(2, 1),
            ),
        )
    ]


def _wordchar_transformer():
    from sklearn.ensemble import VotingClassifier

    # Two detectors that err differently: n-gram counts see spelling and phrasing,
    # the transformer sees word order. Each is the whole ready-made pipeline, so its
    # parameters read classifier__ngrams__... and classifier__transformer__....
    return [
        (
            "classifier",
            VotingClassifier(
                [
                    ("ngrams", pipeline.Pipeline(_tfidf_wordchar())),
                    (
                        "transformer",
                        pipeline.Pipeline(_bpe_sequence("TransformerClassifier")()),
                    ),
                ],
                voting="soft",
                # Cross-validated on the OUTFOX training part: 2:1 beat 1:1.
                weights=(2, 1),
            ),
        )
    ]


def _word_vectors_dense(vectorizer_name):
    def steps():
        from . import embeddings
        from .neural import DenseClassifier
        from .tokenization import WordTokenizer

        return [
            ("tokenizer", WordTokenizer(lowercase=True)),
            ("vectorizer", getattr(embeddings, vectorizer_name)()),
            ("classifier", DenseClassifier(class_weight="balanced")),
        ]

    return steps


def _bpe_sequence(classifier_name):
    def steps():
        from . import neural
        from .tokenization import BPETokenizer

        return [
            ("tokenizer", BPETokenizer(vocab_size=30000, output="ids")),
            ("classifier", getattr(neural, classifier_name)(class_weight="balanced")),
        ]

    return steps


def _bert_finetune():
    # No preset by default: weights are never downloaded, so the user names a local
    # preset directory (classifier__preset); fit says so when it is missing.
    from .hub import PretrainedTransformerClassifier

    return [("classifier", PretrainedTransformerClassifier(class_weight="balanced"))]


# name -> (steps builder, description, default grid, neural)
_DETECTORS = {
    "tfidf-logistic": (
        _tfidf_logistic,
        "word 1-2-gram TF-IDF + balanced logistic regression: the fast baseline",
        {
            "vectorizer__ngram_range": [(1, 1), (1, 2)],
            "classifier__C": [1.0, 10.0, 100.0],
        },
        False,
    ),
    "tfidf-ensemble": (
        _tfidf_ensemble,
        "BPE tokens, TF-IDF over 3-5-grams, soft vote of naive Bayes and SGD "
        "(the Kaggle public recipe)",
        {
            "tokenizer__vocab_size": [8000, 30522],
            "vectorizer__ngram_range": [(2, 4), (3, 5)],
        },
        False,
    ),
    "bpe-naive-bayes": (
        _bpe_naive_bayes,
        "BPE tokens, TF-IDF over 3-5-grams, calibrated naive Bayes log-odds",
        {
            "classifier__estimator__alpha": [0.005, 0.02, 0.1],
            "vectorizer__min_df": [1, 2],
        },
        False,
    ),
    "tfidf-wordchar": (
        _tfidf_wordchar,
        "word 1-2-gram and character 1-5-gram TF-IDF, balanced SGD, calibrated",
        {
            "vectorizer__char__ngram_range": [(1, 4), (1, 5)],
            "classifier__estimator__alpha": [1e-5, 1e-4],
        },
        False,
    ),
    "tfidf-wordchar-bpe": (
        _tfidf_wordchar_bpe,
        "soft vote of tfidf-wordchar and bpe-naive-bayes",
        {
            "classifier__weights": [(1, 2), (1, 1)],
            "classifier__bpe__vectorizer__min_df": [1, 2],
        },
        False,
    ),
    "tfidf-cross-domain": (
        _tfidf_cross_domain,
        "vote of tfidf-wordchar, bpe-naive-bayes and its machine-side evidence: for "
        "other domains",
        {
            "classifier__weights": [(1, 1), (2, 1)],
            "classifier__bpe__classifier__weights": [(1, 1), (2, 1)],
        },
        False,
    ),
    "transfer-vote": (
        _transfer_vote,
        "token-probability and style features voting with bpe-naive-bayes: for "
        "other domains and generators",
        {
            "classifier__weights": [(2, 1), (1, 1)],
            "classifier__features__classifier__C": [0.1, 1.0],
        },
        False,
    ),
    "doc2vec-dense": (
        _word_vectors_dense("Doc2VecVectorizer"),
        "word tokens, Doc2Vec document vectors (inferred, never trained on test "
        "text), dense network",
        {
            "vectorizer__vector_size": [50, 100],
            "classifier__hidden_layer_sizes": [(64,), (128, 64)],
        },
        True,
    ),
    "fasttext-dense": (
        _word_vectors_dense("FastTextVectorizer"),
        "word tokens, mean fastText word vectors (unseen words built from "
        "n-grams), dense network",
        {
            "vectorizer__vector_size": [50, 100],
            "classifier__hidden_layer_sizes": [(64,), (128, 64)],
        },
        True,
    ),
    "bpe-cnn": (
        _bpe_sequence("CNNClassifier"),
        "BPE token ids, 1-D convolutions with global max pooling",
        {
            "classifier__kernel_sizes": [(3,), (3, 5)],
            "classifier__maxlen": [256, 512],
        },
        True,
    ),
    "bpe-rnn": (
        _bpe_sequence("RNNClassifier"),
        "BPE token ids, bidirectional GRU",
        {"classifier__cell": ["gru", "lstm"], "classifier__units": [32, 64]},
        True,
    ),
    "bpe-transformer": (
        _bpe_sequence("TransformerClassifier"),
        "BPE token ids, small transformer encoder trained from scratch",
        {
            "classifier__num_layers": [1, 2],
            "classifier__learning_rate": [0.0005, 0.001],
        },
        True,
    ),
    "wordchar-transformer": (
        _wordchar_transformer,
        "soft vote of tfidf-wordchar and bpe-transformer",
        {
            "classifier__weights": [(1, 1), (2, 1)],
            "classifier__ngrams__classifier__estimator__alpha": [1e-5, 1e-4],
        },
        True,
    ),
    "bert-finetune": (
        _bert_finetune,
        "a pretrained keras-hub encoder (BERT and kin) fine-tuned; set "
        "classifier__preset",
        {
            "classifier__learning_rate": [2e-5, 5e-5],
            "classifier__layerwise_decay": [1.0, 0.9],
        },
        True,
    ),
}


def list_detectors():
    """The ready-made detectors, with a description and a default grid each.

    Returns
    -------
    detectors : list of DetectorInfo
        In order from the fastest to train to the slowest family: TF-IDF models,
        word vectors with a dense network, sequence networks, then an ensemble.

    See Also
    --------
    make_detector : Build one of them.

    Examples
    --------
    >>> from sklearn_aidetect import list_detectors
    >>> [info.name for info in list_detectors()]  # doctest: +NORMALIZE_WHITESPACE
    ['tfidf-logistic', 'tfidf-ensemble', 'bpe-naive-bayes', 'tfidf-wordchar',
     'tfidf-wordchar-bpe', 'tfidf-cross-domain', 'transfer-vote', 'doc2vec-dense',
     'fasttext-dense', 'bpe-cnn', 'bpe-rnn', 'bpe-transformer',
     'wordchar-transformer', 'bert-finetune']
    >>> list_detectors()[0].param_grid
    {'vectorizer__ngram_range': [(1, 1), (1, 2)], 'classifier__C': [1.0, 10.0, 100.0]}
    """
    return [
        DetectorInfo(name, description, _copy_grid(grid), neural)
        for name, (_, description, grid, neural) in _DETECTORS.items()
    ]


def make_detector(name, *, random_state=None, **params):
    """Build a ready-made detector: an unfitted scikit-learn Pipeline.

    Parameters
    ----------
    name : str
        One of the names :func:`list_detectors` gives, such as ``"tfidf-ensemble"``.
    random_state : int, RandomState instance or None, default=None
        Passed to every step that has a ``random_state``: an int makes training
        repeatable.
    **params
        Pipeline parameters to set, as in ``Pipeline.set_params``:
        ``classifier__C=10.0``, ``tokenizer__vocab_size=8000``. They are validated
        here, so that a wrong value fails at once rather than after a long fit.

    Returns
    -------
    detector : Pipeline
        A :class:`sklearn.pipeline.Pipeline` (this module's subclass, which checks
        its input first) with steps ``normalizer`` (a :class:`TextNormalizer`;
        ``normalizer="passthrough"`` turns it off), ``tokenizer`` (when there is
        one), ``vectorizer`` (when there is one), ``classifier``. It takes an
        iterable of documents (str) and binary labels.

    Raises
    ------
    ValueError
        If ``name`` is not a ready-made detector, or a parameter name or value is
        invalid.

    See Also
    --------
    list_detectors : The names, their descriptions and default grids.

    Examples
    --------
    >>> from sklearn_aidetect import make_detector
    >>> detector = make_detector("tfidf-logistic", classifier__C=10.0, random_state=0)
    >>> [name for name, _ in detector.steps]
    ['normalizer', 'vectorizer', 'classifier']
    >>> texts = ["my dog ate it lol", "i forgot honestly", "we was late again",
    ...          "Furthermore, it is essential.", "Moreover, it is crucial.",
    ...          "In conclusion, it is vital."] * 3
    >>> detector.fit(texts, [0, 0, 0, 1, 1, 1] * 3).predict(["Moreover, it is vital."])
    array([1])
    """
    if name not in _DETECTORS:
        raise ValueError(
            f"unknown detector {name!r}; choose one of: {', '.join(_DETECTORS)}."
        )
    # Every detector first undoes the character-level edits that evade detectors.
    steps = [("normalizer", TextNormalizer()), *_DETECTORS[name][0]()]
    detector = Pipeline(steps)
    if random_state is not None:
        detector.set_params(
            **{
                key: random_state
                for key in detector.get_params(deep=True)
                if key.endswith("__random_state")
            }
        )
    valid = detector.get_params(deep=True)
    for key in params:
        if key not in valid:
            raise ValueError(
                f"detector {name!r} has no parameter {key!r}; {_suggestion(key, valid)}"
            )
    detector.set_params(**params)
    for value in detector.get_params(deep=True).values():
        if isinstance(value, BaseEstimator):
            validate_estimator_params(value)
    return detector


def _suggestion(key, params):
    """The end of an unknown-parameter message: the names the user may have meant."""
    names = [
        name
        for name, value in params.items()
        if "__" in name and not isinstance(value, BaseEstimator)
    ]
    close = [name for name in names if name.split("__")[-1] == key.split("__")[-1]]
    close = close or difflib.get_close_matches(key, names, n=3)
    if close:
        return f"did you mean {' or '.join(repr(name) for name in close)}?"
    return (
        "parameters are named step__parameter, such as "
        f"{', '.join(names[:5])}; see make_detector(name).get_params()."
    )


def _copy_grid(grid):
    return {key: list(values) for key, values in grid.items()}
