"""LogOddsMultinomialNB: scikit-learn's checks, the log-odds, and calibration."""

import pickle

import numpy as np
import pytest
from scipy.stats import rankdata
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import cross_val_score
from sklearn.naive_bayes import MultinomialNB
from sklearn.pipeline import make_pipeline
from sklearn.utils.estimator_checks import estimator_checks_generator

from sklearn_aidetect import LogOddsMultinomialNB

# Every entry says why the check cannot pass.
EXPECTED_FAILED_CHECKS = {
    "check_decision_proba_consistency": (
        "the check draws features with negative values, which multinomial naive "
        "Bayes refuses (scikit-learn's MultinomialNB has no decision_function, so "
        "the check never runs on it); test_ranks_as_predict_proba_where_it_can "
        "checks the same on counts"
    ),
}


def _scikit_learn_checks(evidence):
    """The checks for one setting of ``evidence``, named after it."""
    for item in estimator_checks_generator(
        LogOddsMultinomialNB(evidence=evidence),
        expected_failed_checks=EXPECTED_FAILED_CHECKS,
        mark="xfail",
    ):
        # An expected failure comes as a pytest.param carrying its xfail mark.
        estimator, check = getattr(item, "values", item)
        marks = getattr(item, "marks", ())
        name = getattr(check, "func", check).__name__
        yield pytest.param(estimator, check, marks=marks, id=f"{evidence}-{name}")


# A list, not parametrize_with_checks: scikit-learn 1.6's version hands pytest a
# generator, which recent pytest refuses.
SCIKIT_LEARN_CHECKS = [
    *_scikit_learn_checks("both"),
    *_scikit_learn_checks("positive"),
]


@pytest.mark.parametrize(("estimator", "check"), SCIKIT_LEARN_CHECKS)
def test_passes_scikit_learn_checks(estimator, check):
    check(estimator)


def _counts(n=60, seed=0):
    """Word counts of two classes that lean on different features."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    rates = np.where(y[:, None] == 1, [1.0, 1.5, 1.2, 1.0], [1.5, 1.0, 1.0, 1.2])
    return rng.poisson(rates * rng.integers(1, 10, size=(n, 1))), y


def test_is_multinomial_nb_plus_the_log_odds():
    X, y = _counts()
    ours = LogOddsMultinomialNB(alpha=0.3).fit(X, y)
    theirs = MultinomialNB(alpha=0.3).fit(X, y)
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X))
    log_proba = theirs.predict_log_proba(X)
    np.testing.assert_allclose(
        ours.decision_function(X), log_proba[:, 1] - log_proba[:, 0], atol=1e-9
    )


def test_ranks_as_predict_proba_where_it_can():
    X, y = _counts()
    model = LogOddsMultinomialNB().fit(X, y)
    proba = model.predict_proba(X)[:, 1]
    scores = model.decision_function(X)
    unsaturated = (proba > 1e-6) & (proba < 1 - 1e-6)
    assert unsaturated.sum() >= 10
    np.testing.assert_array_equal(
        rankdata(proba[unsaturated]), rankdata(scores[unsaturated])
    )
    assert np.array_equal(model.predict(X), model.classes_[(scores > 0).astype(int)])


def test_long_documents_stay_ranked_where_predict_proba_ties():
    X, y = _counts()
    model = LogOddsMultinomialNB().fit(X, y)
    long_documents = np.array([[0, 400, 300, 0], [0, 300, 300, 10], [10, 300, 200, 5]])
    assert np.all(model.predict_proba(long_documents)[:, 1] == 1.0)
    scores = model.decision_function(long_documents)
    assert len(set(scores)) == 3
    assert scores[0] > scores[1] > scores[2]


def test_calibration_reads_the_log_odds_and_keeps_the_ranking():
    # Long documents: MultinomialNB's probabilities sit at 0 or 1 for most of them,
    # and a sigmoid fitted on those ties what the log-odds tell apart.
    X, y = _counts(200)
    X_test, y_test = _counts(200, seed=1)
    probabilities = {}
    for model in [LogOddsMultinomialNB(), MultinomialNB()]:
        calibrated = CalibratedClassifierCV(model, cv=3, ensemble=False)
        calibrated.fit(20 * X, y)
        probabilities[type(model)] = calibrated.predict_proba(20 * X_test)[:, 1]
    ours, plain = probabilities[LogOddsMultinomialNB], probabilities[MultinomialNB]
    assert len(np.unique(ours.round(9))) >= 190
    assert len(np.unique(plain.round(9))) < 100
    assert roc_auc_score(y_test, ours) > roc_auc_score(y_test, plain)


def test_string_labels_tfidf_pipeline_and_roc_auc_scoring(corpus, labels):
    names = np.array(["human", "machine"])[labels]
    detector = make_pipeline(TfidfVectorizer(), LogOddsMultinomialNB(alpha=0.1))
    scores = cross_val_score(detector, corpus, names, cv=3, scoring="roc_auc")
    assert np.all(np.isfinite(scores))
    fitted = detector.fit(corpus, names)
    assert list(fitted.classes_) == ["human", "machine"]
    assert fitted.decision_function(["Furthermore, it is essential."])[0] > 0


def test_pickles_and_refuses_text_and_three_classes(corpus, labels):
    X, y = _counts()
    model = LogOddsMultinomialNB().fit(X, y)
    again = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(
        again.decision_function(X), model.decision_function(X)
    )
    with pytest.raises(TypeError, match=r"TfidfVectorizer.*bpe-naive-bayes"):
        model.decision_function(corpus)
    with pytest.raises(TypeError, match="not text"):
        LogOddsMultinomialNB().fit(corpus, labels)
    with pytest.raises(ValueError, match="3 classes"):
        LogOddsMultinomialNB().fit(X, np.arange(len(y)) % 3)


def test_positive_evidence_drops_what_points_to_the_first_class():
    X, y = _counts()
    both = LogOddsMultinomialNB(alpha=0.5).fit(X, y)
    positive = LogOddsMultinomialNB(alpha=0.5, evidence="positive").fit(X, y)
    np.testing.assert_array_equal(positive.feature_log_prob_, both.feature_log_prob_)
    log_ratio = both.feature_log_prob_[1] - both.feature_log_prob_[0]
    assert (log_ratio < 0).any()
    assert (log_ratio > 0).any()
    prior = both.class_log_prior_[1] - both.class_log_prior_[0]
    np.testing.assert_allclose(
        positive.decision_function(X), X @ np.clip(log_ratio, 0, None) + prior
    )
    # A document of only the first class's features: no evidence either way.
    first_class_only = np.where(log_ratio < 0, 5, 0)[None, :]
    np.testing.assert_allclose(positive.decision_function(first_class_only), prior)
    proba = positive.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert np.array_equal(positive.predict(X), positive.classes_[proba.argmax(1)])


def test_positive_evidence_is_validated_and_needs_two_classes():
    X, y = _counts()
    with pytest.raises(ValueError, match="'evidence' parameter"):
        LogOddsMultinomialNB(evidence="machine").fit(X, y)
    model = LogOddsMultinomialNB(evidence="positive")
    model.partial_fit(X, np.arange(len(y)) % 3, classes=[0, 1, 2])
    with pytest.raises(ValueError, match="needs two classes"):
        model.predict(X)
