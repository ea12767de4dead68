"""Ready-made detectors: whole pipelines, by name.

Each detector is an unfitted scikit-learn :class:`~sklearn.pipeline.Pipeline` whose
steps are named ``tokenizer`` (when it has one), ``vectorizer`` (when it has one) and
``classifier``, so that parameters read the same across detectors
(``classifier__C``, ``tokenizer__vocab_size``) and a grid written for one detector is
easy to adapt to another. :func:`list_detectors` gives each one's description and a
default grid for :class:`~sklearn.model_selection.GridSearchCV`.

The neural detectors import TensorFlow when they are built, not before:
``list_detectors()`` and the non-neural detectors stay light.
"""

import difflib
from dataclasses import dataclass, field

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.pipeline import Pipeline

from ._base import validate_params

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


def _tfidf_ensemble():
    from sklearn.ensemble import VotingClassifier
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import SGDClassifier
    from sklearn.naive_bayes import MultinomialNB

    from .tokenization import BPETokenizer

    # The Kaggle public recipe, with one change: min_df=2. The recipe fitted TF-IDF on
    # the test texts only; fitted on a training corpus, the n-grams seen once would
    # make the vocabulary (and the saved model) several times larger for no gain.
    return [
        (
            "tokenizer",
            BPETokenizer(
                vocab_size=30522, lowercase=True, normalization="NFC", output="text"
            ),
        ),
        (
            "vectorizer",
            TfidfVectorizer(
                token_pattern=r"\S+",
                lowercase=False,
                ngram_range=(3, 5),
                sublinear_tf=True,
                min_df=2,
                dtype=np.float32,
            ),
        ),
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
}


def list_detectors():
    """The ready-made detectors, with a description and a default grid each.

    Returns
    -------
    detectors : list of DetectorInfo
        In order from the fastest to train to the slowest family: TF-IDF models,
        word vectors with a dense network, then sequence networks.

    See Also
    --------
    make_detector : Build one of them.

    Examples
    --------
    >>> from sklearn_aidetect import list_detectors
    >>> [info.name for info in list_detectors()]  # doctest: +NORMALIZE_WHITESPACE
    ['tfidf-logistic', 'tfidf-ensemble', 'doc2vec-dense', 'fasttext-dense',
     'bpe-cnn', 'bpe-rnn', 'bpe-transformer']
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
    detector : sklearn.pipeline.Pipeline
        Steps ``tokenizer`` (when there is one), ``vectorizer`` (when there is one),
        ``classifier``. It takes an iterable of documents (str) and binary labels.

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
    ['vectorizer', 'classifier']
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
    steps = _DETECTORS[name][0]()
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
            validate_params(value)
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
