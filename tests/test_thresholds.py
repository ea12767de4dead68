import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import FixedThresholdClassifier, TunedThresholdClassifierCV

from sklearn_aidetect import (
    decision_threshold,
    fpr_budget_scorer,
    make_detector,
    make_essays,
    make_fpr_threshold_classifier,
    tpr_within_fpr_budget,
)


@pytest.fixture(scope="module")
def essays():
    return make_essays(300, random_state=0)


@pytest.fixture(scope="module")
def tuned(essays):
    model = make_fpr_threshold_classifier(
        make_detector("tfidf-logistic"), target_fpr=0.05, cv=3
    )
    return model.fit(*essays)


def test_the_score_prefers_any_threshold_within_budget():
    y = [0, 0, 0, 0, 1, 1]
    within = tpr_within_fpr_budget(y, [0, 0, 0, 0, 0, 1], max_fpr=0.0)
    over = tpr_within_fpr_budget(y, [1, 0, 0, 0, 1, 1], max_fpr=0.0)
    assert within == 0.5
    assert over == -0.25
    assert tpr_within_fpr_budget(y, [1, 0, 0, 0, 1, 1], max_fpr=0.25) == 1.0
    labels = ["human"] * 4 + ["machine"] * 2
    decisions = ["human"] * 5 + ["machine"]
    assert tpr_within_fpr_budget(labels, decisions, max_fpr=0.0) == 0.5


def test_the_tuned_model_keeps_its_budget_on_new_texts(tuned):
    threshold, target = decision_threshold(tuned)
    assert target == 0.05
    assert threshold == tuned.best_threshold_
    texts, labels = make_essays(400, random_state=1)
    scores = tuned.predict_proba(texts)[:, 1]
    decisions = tuned.predict(texts)
    np.testing.assert_array_equal(decisions, (scores >= threshold).astype(int))
    human = labels == 0
    assert decisions[human].mean() <= 0.05 + 0.03  # a CV estimate, on new texts
    assert decisions[~human].mean() > 0.1


def test_it_is_plain_scikit_learn_and_pickles(tuned):
    assert isinstance(tuned, TunedThresholdClassifierCV)
    assert decision_threshold(pickle.loads(pickle.dumps(tuned))) == (
        decision_threshold(tuned)
    )
    assert decision_threshold(clone(tuned)) == (None, None)  # unfitted


def test_thresholds_of_other_models():
    X, y = np.arange(20.0).reshape(-1, 1), np.r_[np.zeros(10), np.ones(10)]
    fixed = FixedThresholdClassifier(LogisticRegression(), threshold=0.8).fit(X, y)
    assert decision_threshold(fixed) == (0.8, None)
    assert decision_threshold(LogisticRegression().fit(X, y)) == (None, None)
    other = TunedThresholdClassifierCV(LogisticRegression(), cv=2).fit(X, y)
    assert decision_threshold(other)[1] is None
    budget = TunedThresholdClassifierCV(
        LogisticRegression(), scoring=fpr_budget_scorer(0.1), cv=2
    ).fit(X, y)
    assert decision_threshold(budget)[1] == 0.1


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"target_fpr": 1.0}, "'target_fpr' parameter"),
        ({"cv": 1}, "'cv' parameter"),
        ({"detector": "tfidf"}, "'detector' parameter"),
    ],
)
def test_bad_arguments_are_named(params, message):
    arguments = {"detector": make_detector("tfidf-logistic"), **params}
    with pytest.raises(ValueError, match=message):
        make_fpr_threshold_classifier(**arguments)


def test_a_threshold_on_the_decision_function_is_not_a_probability_threshold():
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import FixedThresholdClassifier

    from sklearn_aidetect import decision_threshold

    X, y = [[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1]
    on_scores = FixedThresholdClassifier(
        LogisticRegression(), threshold=0.0, response_method="decision_function"
    ).fit(X, y)
    on_probabilities = FixedThresholdClassifier(
        LogisticRegression(), threshold=0.3
    ).fit(X, y)
    assert decision_threshold(on_scores) == (None, None)
    assert decision_threshold(on_probabilities) == (0.3, None)
