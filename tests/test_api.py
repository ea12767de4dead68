"""Package-level contracts: public names, light import, and scikit-learn's API checks.

scikit-learn skips its common checks for estimators whose input is text
(``input_tags.string``); the checks below are the ones that still apply, run by hand.
"""

import inspect
import subprocess
import sys

import pytest
from sklearn.base import BaseEstimator, is_classifier, is_regressor
from sklearn.utils import estimator_checks as checks

import sklearn_aidetect
from sklearn_aidetect import (
    BPETokenizer,
    CharNGramVectorizer,
    Doc2VecVectorizer,
    FastTextVectorizer,
    PretrainedTokenizer,
    PretrainedVectorizer,
    StopWordRemover,
    StyleVectorizer,
    TextNormalizer,
    TokenNGramVectorizer,
    TokenProbabilityVectorizer,
    TypoAugmenter,
    UnigramTokenizer,
    VocabularyFilter,
    Word2VecVectorizer,
    WordPieceTokenizer,
    WordTokenizer,
)

ESTIMATORS = [
    TextNormalizer(),
    TypoAugmenter(),
    WordTokenizer(),
    BPETokenizer(),
    WordPieceTokenizer(),
    UnigramTokenizer(),
    PretrainedTokenizer(),
    StopWordRemover(),
    VocabularyFilter(),
    Doc2VecVectorizer(),
    Word2VecVectorizer(),
    FastTextVectorizer(),
    PretrainedVectorizer(),
    TokenNGramVectorizer(),
    CharNGramVectorizer(),
    TokenProbabilityVectorizer(),
    StyleVectorizer(),
]

# Imported lazily by the package; naming them here loads TensorFlow for this module.
NEURAL = [
    sklearn_aidetect.DenseClassifier(),
    sklearn_aidetect.CNNClassifier(),
    sklearn_aidetect.RNNClassifier(),
    sklearn_aidetect.TransformerClassifier(),
    sklearn_aidetect.PretrainedTransformerClassifier(),
]
# The keras-hub vectorizer reads documents like the transformers above.
HUB_VECTORIZER = sklearn_aidetect.PretrainedTransformerVectorizer()

API_CHECKS = [
    checks.check_estimator_cloneable,
    checks.check_estimator_repr,
    checks.check_no_attributes_set_in_init,
    checks.check_get_params_invariance,
    checks.check_set_params,
    checks.check_param_validation,
    checks.check_mixin_order,
    checks.check_parameters_default_constructible,
    checks.check_do_not_raise_errors_in_init_or_set_params,
    checks.check_estimator_tags_renamed,
    checks.check_valid_tag_types,
]


@pytest.mark.parametrize(
    "estimator", [*ESTIMATORS, HUB_VECTORIZER, *NEURAL], ids=lambda e: type(e).__name__
)
@pytest.mark.parametrize("check", API_CHECKS, ids=lambda c: c.__name__)
def test_scikit_learn_api_checks(estimator, check):
    check(type(estimator).__name__, estimator)


@pytest.mark.parametrize(
    "estimator", [*ESTIMATORS, HUB_VECTORIZER], ids=lambda e: type(e).__name__
)
def test_tags_declare_text_input(estimator):
    tags = estimator.__sklearn_tags__()
    assert tags.input_tags.string
    assert not tags.input_tags.two_d_array
    assert tags.transformer_tags is not None
    assert not is_classifier(estimator)
    assert not is_regressor(estimator)


@pytest.mark.parametrize(
    "estimator", ESTIMATORS + NEURAL, ids=lambda e: type(e).__name__
)
def test_init_is_keyword_only_after_the_first_parameter(estimator):
    parameters = list(inspect.signature(type(estimator).__init__).parameters.values())
    positional = [p for p in parameters[1:] if p.kind is p.POSITIONAL_OR_KEYWORD]
    assert len(positional) <= 1


def test_every_public_name_is_exported_at_the_top():
    modules = [
        sklearn_aidetect.tokenization,
        sklearn_aidetect.preprocessing,
        sklearn_aidetect.embeddings,
        sklearn_aidetect.token_probability,
        sklearn_aidetect.style,
        sklearn_aidetect.neural,
        sklearn_aidetect.hub,
        sklearn_aidetect.naive_bayes,
        sklearn_aidetect.presets,
        sklearn_aidetect.datasets,
        sklearn_aidetect.evaluation,
        sklearn_aidetect.metrics,
        sklearn_aidetect.normalization,
        sklearn_aidetect.augmentation,
        sklearn_aidetect.abstention,
        sklearn_aidetect.explanation,
        sklearn_aidetect.thresholds,
        sklearn_aidetect.persistence,
    ]
    public = {name for module in modules for name in module.__all__}
    assert public <= set(sklearn_aidetect.__all__)
    for name in sklearn_aidetect.__all__:
        assert hasattr(sklearn_aidetect, name)


def test_every_public_name_has_a_docstring_with_examples():
    for name in sklearn_aidetect.__all__:
        obj = getattr(sklearn_aidetect, name)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            doc = inspect.getdoc(obj)
            assert "Examples\n--------" in doc, name
            documented = inspect.isfunction(obj) or issubclass(obj, BaseEstimator)
            if documented and len(inspect.signature(obj).parameters):
                assert "Parameters\n----------" in doc, name


def test_import_does_not_load_tensorflow_or_gensim():
    code = (
        "import sys, sklearn_aidetect; "
        "print(sorted(m for m in ('tensorflow', 'keras', 'gensim', 'scikeras', "
        "'keras_hub') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_neural_names_load_on_first_use():
    code = (
        "import sys, sklearn_aidetect; "
        "assert 'CNNClassifier' in dir(sklearn_aidetect); "
        "cls = sklearn_aidetect.CNNClassifier; "
        "print(cls.__module__, 'tensorflow' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    module, tensorflow_loaded = result.stdout.split()
    assert module.startswith("sklearn_aidetect.neural.")
    assert tensorflow_loaded == "True"
    with pytest.raises(AttributeError, match="no attribute 'NoSuchThing'"):
        sklearn_aidetect.NoSuchThing  # noqa: B018
