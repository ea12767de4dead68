"""Ready-made detectors: names, grids, parameters, and that each one trains."""

import pickle

import numpy as np
import pytest
from conftest import ENSEMBLE_MEMBERS, ensemble_settings, outputs_of_fresh_processes
from sklearn.base import clone
from sklearn.model_selection import ParameterGrid
from sklearn.pipeline import Pipeline

from sklearn_aidetect import list_detectors, make_detector

NAMES = [info.name for info in list_detectors()]
FAST = [
    "tfidf-logistic",
    "tfidf-ensemble",
    "bpe-naive-bayes",
    "tfidf-wordchar",
    "tfidf-wordchar-bpe",
    "tfidf-cross-domain",
    "transfer-vote",
]

# Small settings so that every detector trains on the 24-text corpus in seconds.
TINY = {
    "tfidf-logistic": {"vectorizer__min_df": 1},
    "tfidf-ensemble": {"tokenizer__vocab_size": 300, "vectorizer__min_df": 1},
    "bpe-naive-bayes": {"tokenizer__vocab_size": 300},
    "tfidf-wordchar": {"vectorizer__word__min_df": 1, "vectorizer__char__min_df": 1},
    "doc2vec-dense": {
        "vectorizer__vector_size": 8,
        "vectorizer__min_count": 1,
        "classifier__epochs": 2,
        "classifier__validation_split": 0.0,
        "classifier__patience": None,
    },
    "fasttext-dense": {
        "vectorizer__vector_size": 8,
        "vectorizer__min_count": 1,
        "vectorizer__bucket": 500,
        "classifier__epochs": 2,
        "classifier__validation_split": 0.0,
        "classifier__patience": None,
    },
}
for _name in ["bpe-cnn", "bpe-rnn", "bpe-transformer"]:
    TINY[_name] = {
        "tokenizer__vocab_size": 300,
        "classifier__maxlen": 16,
        "classifier__epochs": 1,
        "classifier__validation_split": 0.0,
        "classifier__patience": None,
    }
for _name in ENSEMBLE_MEMBERS:
    TINY[_name] = ensemble_settings(TINY, _name)
# Its preset is the tiny random BERT that conftest writes (the tiny_preset fixture).
TINY["bert-finetune"] = {
    "classifier__max_length": 16,
    "classifier__epochs": 1,
    "classifier__validation_split": 0.0,
    "classifier__patience": None,
}
TINY["transfer-vote"] = {
    "classifier__features__vectorizer__tokens__tokenizer__vocab_size": 300,
    "classifier__features__vectorizer__tokens__cv": 3,
    "classifier__bpe__tokenizer__vocab_size": 300,
}


def test_the_issue_s_detectors_are_all_there():
    assert set(NAMES) == {
        "tfidf-ensemble",
        "bpe-naive-bayes",
        "doc2vec-dense",
        "fasttext-dense",
        "bpe-cnn",
        "bpe-rnn",
        "bpe-transformer",
        "tfidf-logistic",
        "tfidf-wordchar",
        "tfidf-wordchar-bpe",
        "tfidf-cross-domain",
        "transfer-vote",
        "wordchar-transformer",
        "bert-finetune",
    }
    assert set(TINY) == set(NAMES)


@pytest.mark.parametrize("info", list_detectors(), ids=lambda info: info.name)
def test_description_is_one_line_and_grid_is_valid_for_the_detector(info):
    assert info.description
    assert "\n" not in info.description
    assert len(info.description) < 100
    candidates = list(ParameterGrid(info.param_grid))
    assert 2 <= len(candidates) <= 8  # a default search must stay affordable
    for candidate in candidates:
        make_detector(info.name, **candidate)  # validates every value


def test_list_detectors_returns_copies():
    grid = list_detectors()[0].param_grid
    grid.clear()
    assert list_detectors()[0].param_grid


@pytest.mark.parametrize("name", NAMES)
def test_make_detector_is_an_unfitted_pipeline_with_named_steps(name):
    detector = make_detector(name)
    assert isinstance(detector, Pipeline)
    names = [step for step, _ in detector.steps]
    assert names[-1] == "classifier"
    assert names[0] == "normalizer"
    assert set(names) <= {"normalizer", "tokenizer", "vectorizer", "classifier"}
    assert not hasattr(detector.steps[-1][1], "classes_")
    clone(detector)
    assert make_detector(name) is not make_detector(name)


# BPE training, naive Bayes and its unshuffled calibration folds draw no random number.
DETERMINISTIC = {"bpe-naive-bayes"}


@pytest.mark.parametrize("name", NAMES)
def test_random_state_reaches_every_step_that_has_one(name):
    params = make_detector(name, random_state=7).get_params(deep=True)
    seeds = [value for key, value in params.items() if key.endswith("random_state")]
    assert bool(seeds) == (name not in DETERMINISTIC)
    assert all(seed == 7 for seed in seeds)


def test_unknown_name_lists_the_known_ones():
    with pytest.raises(ValueError, match=r"unknown detector 'tfidf'.*tfidf-logistic"):
        make_detector("tfidf")


def test_unknown_parameter_suggests_the_full_name():
    with pytest.raises(ValueError, match=r"no parameter 'C'.*classifier__C"):
        make_detector("tfidf-logistic", C=10)


def test_invalid_value_fails_when_the_detector_is_built():
    with pytest.raises(ValueError, match="'C' parameter of LogisticRegression"):
        make_detector("tfidf-logistic", classifier__C=-1.0)
    with pytest.raises(ValueError, match="vocab_size"):
        make_detector("tfidf-ensemble", tokenizer__vocab_size="big")


@pytest.mark.parametrize("name", NAMES)
def test_every_detector_trains_scores_and_pickles(name, corpus, labels, request):
    settings = dict(TINY[name])
    if name == "bert-finetune":
        settings["classifier__preset"] = str(request.getfixturevalue("tiny_preset"))
    detector = make_detector(name, random_state=0, **settings).fit(corpus, labels)
    scores = detector.predict_proba(corpus)
    assert scores.shape == (len(corpus), 2)
    assert np.all(np.isfinite(scores))
    again = pickle.loads(pickle.dumps(detector))
    np.testing.assert_allclose(again.predict_proba(corpus), scores, rtol=1e-6)


@pytest.mark.parametrize("name", FAST)
def test_fast_detectors_separate_the_corpus(name, corpus, labels):
    from sklearn.metrics import roc_auc_score

    detector = make_detector(name, random_state=0, **TINY[name]).fit(corpus, labels)
    assert roc_auc_score(labels, detector.predict_proba(corpus)[:, 1]) > 0.9


@pytest.mark.parametrize("name", FAST)
def test_fixed_random_state_gives_identical_scores(name, corpus, labels):
    first = make_detector(name, random_state=3, **TINY[name]).fit(corpus, labels)
    second = make_detector(name, random_state=3, **TINY[name]).fit(corpus, labels)
    np.testing.assert_array_equal(
        first.predict_proba(corpus), second.predict_proba(corpus)
    )


@pytest.mark.parametrize("name", FAST)
def test_fixed_random_state_gives_identical_scores_in_fresh_processes(name):
    script = f"""
        from conftest import HUMAN_TEXTS, MACHINE_TEXTS
        from test_presets import TINY
        from sklearn_aidetect import make_detector

        texts = HUMAN_TEXTS + MACHINE_TEXTS
        labels = [0] * len(HUMAN_TEXTS) + [1] * len(MACHINE_TEXTS)
        detector = make_detector({name!r}, random_state=0, **TINY[{name!r}])
        scores = detector.fit(texts, labels).predict_proba(texts)[:, 1]
        print(*(float(score).hex() for score in scores))
    """
    first, second = outputs_of_fresh_processes(script, runs=2)
    assert len(first) == 24
    assert first == second
