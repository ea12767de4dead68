"""sklearn_aidetect: scikit-learn building blocks for detecting machine-generated text.

Each stage of a detector (tokenize, preprocess tokens, embed, model) is a scikit-learn
transformer or estimator, so a whole detector is one ``Pipeline`` that ``GridSearchCV``
tunes and ``joblib`` saves.

Importing the package is light: gensim is imported when a vectorizer is fitted, and
TensorFlow when a neural classifier is first named (``sklearn_aidetect.CNNClassifier``
loads :mod:`sklearn_aidetect.neural`).
"""

from ._version import __version__
from .abstention import MIN_WORDS, count_words, decide, first_words
from .augmentation import TypoAugmenter
from .datasets import load_csv, make_essays
from .embeddings import (
    Doc2VecVectorizer,
    FastTextVectorizer,
    PretrainedVectorizer,
    Word2VecVectorizer,
)
from .evaluation import (
    EvaluationReport,
    evaluate_detector,
    format_search_results,
    plot_roc_curve,
    search_detector,
)
from .explanation import Explanation, explain_predictions, write_explanation_report
from .metrics import (
    detection_metrics,
    expected_calibration_error,
    format_detection_metrics,
    threshold_at_fpr,
    tpr_at_fpr,
)
from .naive_bayes import LogOddsMultinomialNB
from .ngrams import CharNGramVectorizer, TokenNGramVectorizer
from .normalization import TextNormalizer
from .persistence import ModelVersionWarning, load_model, read_manifest, save_model
from .preprocessing import StopWordRemover, VocabularyFilter
from .presets import DetectorInfo, list_detectors, make_detector
from .style import StyleVectorizer
from .thresholds import (
    decision_threshold,
    fpr_budget_scorer,
    make_fpr_threshold_classifier,
    tpr_within_fpr_budget,
)
from .token_probability import TokenProbabilityVectorizer
from .tokenization import (
    BPETokenizer,
    PretrainedTokenizer,
    UnigramTokenizer,
    WordPieceTokenizer,
    WordTokenizer,
)

# Loaded on first access (PEP 562), so that `import sklearn_aidetect` stays free of
# TensorFlow for users who never touch a neural classifier.
_NEURAL = {
    "CNNClassifier",
    "CharNGramVectorizer",
    "DenseClassifier",
    "RNNClassifier",
    "TransformerClassifier",
    "limit_tensorflow_threads",
}


# The keras-hub estimators (the `hub` extra), loaded the same way.
_HUB = {"PretrainedTransformerClassifier", "PretrainedTransformerVectorizer"}


def __getattr__(name):
    if name in _NEURAL:
        from . import neural

        return getattr(neural, name)
    if name in _HUB:
        from . import hub

        return getattr(hub, name)
    raise AttributeError(f"module 'sklearn_aidetect' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | _NEURAL | _HUB)


__all__ = [
    "MIN_WORDS",
    "BPETokenizer",
    "CNNClassifier",
    "CharNGramVectorizer",
    "DenseClassifier",
    "DetectorInfo",
    "Doc2VecVectorizer",
    "EvaluationReport",
    "Explanation",
    "FastTextVectorizer",
    "LogOddsMultinomialNB",
    "ModelVersionWarning",
    "PretrainedTokenizer",
    "PretrainedTransformerClassifier",
    "PretrainedTransformerVectorizer",
    "PretrainedVectorizer",
    "RNNClassifier",
    "StopWordRemover",
    "StyleVectorizer",
    "TextNormalizer",
    "TokenNGramVectorizer",
    "TokenProbabilityVectorizer",
    "TransformerClassifier",
    "TypoAugmenter",
    "UnigramTokenizer",
    "VocabularyFilter",
    "Word2VecVectorizer",
    "WordPieceTokenizer",
    "WordTokenizer",
    "__version__",
    "count_words",
    "decide",
    "decision_threshold",
    "detection_metrics",
    "evaluate_detector",
    "expected_calibration_error",
    "explain_predictions",
    "first_words",
    "format_detection_metrics",
    "format_search_results",
    "fpr_budget_scorer",
    "limit_tensorflow_threads",
    "list_detectors",
    "load_csv",
    "load_model",
    "make_detector",
    "make_essays",
    "make_fpr_threshold_classifier",
    "plot_roc_curve",
    "read_manifest",
    "save_model",
    "search_detector",
    "threshold_at_fpr",
    "tpr_at_fpr",
    "tpr_within_fpr_budget",
    "write_explanation_report",
]
