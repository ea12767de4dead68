import numpy as np
import pytest
from sklearn.metrics import roc_auc_score, roc_curve

from sklearn_aidetect import (
    detection_metrics,
    expected_calibration_error,
    format_detection_metrics,
    threshold_at_fpr,
    tpr_at_fpr,
)

RNG = np.random.default_rng(0)
Y = np.r_[np.zeros(300, int), np.ones(200, int)]
SCORES = np.clip(np.r_[RNG.normal(0.35, 0.15, 300), RNG.normal(0.7, 0.15, 200)], 0, 1)


@pytest.mark.parametrize("max_fpr", [0.0, 0.01, 0.05, 0.2, 1.0])
def test_the_threshold_keeps_the_false_positive_rate_within_budget(max_fpr):
    threshold = threshold_at_fpr(Y, SCORES, max_fpr=max_fpr)
    flagged = np.greater_equal(SCORES, threshold)
    assert flagged[Y == 0].mean() <= max_fpr
    assert flagged[Y == 1].mean() == tpr_at_fpr(Y, SCORES, max_fpr=max_fpr)
    # No lower threshold of the ROC curve is within the budget with more detections.
    fpr, tpr, _ = roc_curve(Y, SCORES, drop_intermediate=False)
    assert tpr_at_fpr(Y, SCORES, max_fpr=max_fpr) == tpr[fpr <= max_fpr].max()


def test_the_detection_rate_grows_with_the_budget():
    rates = [tpr_at_fpr(Y, SCORES, max_fpr=f) for f in (0.0, 0.01, 0.05, 0.2, 1.0)]
    assert rates == sorted(rates)
    assert rates[-1] == 1.0


def test_labels_of_any_type_take_the_greater_as_positive():
    labels = np.where(Y == 1, "machine", "human")
    assert tpr_at_fpr(labels, SCORES) == tpr_at_fpr(Y, SCORES)


def test_calibration_error_is_zero_when_probabilities_match_frequencies():
    y = np.r_[np.ones(3), np.zeros(7), np.ones(8), np.zeros(2)]
    p = np.r_[np.full(10, 0.3), np.full(10, 0.8)]
    assert expected_calibration_error(y, p) == pytest.approx(0.0)
    assert expected_calibration_error(y, 1 - p) == pytest.approx(0.5)


def test_detection_metrics_overall_and_per_group():
    groups = np.where(np.arange(len(Y)) % 2, "odd", "even")
    metrics = detection_metrics(Y, SCORES, groups=groups, threshold=0.5)
    overall = metrics["overall"]
    assert overall["roc_auc"] == pytest.approx(roc_auc_score(Y, SCORES))
    assert overall["n"] == 500
    assert overall["n_machine"] == 200
    assert overall["fpr"] == pytest.approx((SCORES[Y == 0] >= 0.5).mean())
    assert overall["tpr_at_1%_fpr"] == tpr_at_fpr(Y, SCORES, max_fpr=0.01)
    assert set(metrics["groups"]) == {"even", "odd"}
    odd = groups == "odd"
    assert metrics["groups"]["odd"]["roc_auc"] == pytest.approx(
        roc_auc_score(Y[odd], SCORES[odd])
    )


def test_a_group_of_one_class_gets_its_false_positive_rate_only():
    groups = np.where(np.arange(len(Y)) < 100, "humans only", "mixed")
    metrics = detection_metrics(Y, SCORES, groups=groups)
    humans = metrics["groups"]["humans only"]
    assert humans["roc_auc"] is None
    assert humans["tpr"] is None
    assert humans["fpr"] == pytest.approx((SCORES[:100] >= 0.5).mean())
    table = format_detection_metrics(metrics, group_name="domain")
    assert table.splitlines()[0].startswith("domain")
    assert len(table.splitlines()) == 4
    assert " - " in table.splitlines()[2]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: tpr_at_fpr([0, 0], [0.1, 0.2]), "two classes"),
        (lambda: tpr_at_fpr([0, 1], [0.1]), "same length"),
        (lambda: tpr_at_fpr([0, 1], [0.1, 0.2], max_fpr=2), "'max_fpr' parameter"),
        (lambda: expected_calibration_error([0, 1], [-1, 2]), "probabilities"),
        (lambda: detection_metrics([0, 1], [0.1, 0.2], groups=["a"]), "one group"),
    ],
)
def test_bad_input_says_what_is_wrong(call, message):
    with pytest.raises(ValueError, match=message):
        call()
