"""Decision thresholds chosen for a false-positive budget.

A detector's 0.5 is not a decision anyone chose: what matters is how many human
texts it flags. :func:`make_fpr_threshold_classifier` wraps a detector in
scikit-learn's :class:`~sklearn.model_selection.TunedThresholdClassifierCV`, scored
by :func:`fpr_budget_scorer`: cross-validation picks the threshold that detects the
most machine texts while flagging at most ``target_fpr`` of the human ones, and the
detector is then refitted on all the data. ``predict`` gives that decision,
``predict_proba`` the probabilities as before. :func:`decision_threshold` reads the
threshold and the budget back from a fitted model.
"""

from numbers import Integral, Real

import numpy as np
from sklearn.metrics import make_scorer
from sklearn.model_selection import (
    FixedThresholdClassifier,
    StratifiedKFold,
    TunedThresholdClassifierCV,
)

from ._base import HasMethods, Interval, validate_params

__all__ = [
    "decision_threshold",
    "fpr_budget_scorer",
    "make_fpr_threshold_classifier",
    "tpr_within_fpr_budget",
]

_BUDGET = Interval(Real, 0, 1, closed="left")


@validate_params(
    {
        "y_true": ["array-like"],
        "y_pred": ["array-like"],
        "max_fpr": [_BUDGET],
    },
    prefer_skip_nested_validation=True,
)
def tpr_within_fpr_budget(y_true, y_pred, *, max_fpr=0.01):
    """The true-positive rate of decisions, or minus their FPR when over budget.

    The score that :func:`fpr_budget_scorer` gives a threshold: the higher, the
    more machine texts detected, and any threshold that flags more than ``max_fpr``
    of the human texts scores below every one that does not.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Labels of two classes; the greater (1, machine) is the positive one.
    y_pred : array-like of shape (n_samples,)
        Decisions, in the labels of ``y_true``.
    max_fpr : float, default=0.01
        The largest share of human texts that may be flagged.

    Returns
    -------
    score : float
        The TPR when the FPR is within ``max_fpr``, else minus the FPR.

    Examples
    --------
    >>> from sklearn_aidetect import tpr_within_fpr_budget
    >>> tpr_within_fpr_budget([0, 0, 1, 1], [0, 0, 1, 0], max_fpr=0.0)
    0.5
    >>> tpr_within_fpr_budget([0, 0, 1, 1], [1, 0, 1, 1], max_fpr=0.0)
    -0.5
    """
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    positive = np.unique(y_true)[-1]
    human = y_true != positive
    fpr = float(np.mean(y_pred[human] == positive)) if human.any() else 0.0
    tpr = float(np.mean(y_pred[~human] == positive)) if (~human).any() else 0.0
    return tpr if fpr <= max_fpr else -fpr


@validate_params({"max_fpr": [_BUDGET]}, prefer_skip_nested_validation=True)
def fpr_budget_scorer(max_fpr=0.01):
    """A threshold-tuning scorer: the most detections within a false-positive budget.

    For :class:`~sklearn.model_selection.TunedThresholdClassifierCV`, whose
    ``scoring`` it is: the threshold chosen detects the most machine texts while
    flagging at most ``max_fpr`` of the human ones.

    Parameters
    ----------
    max_fpr : float, default=0.01
        The largest share of human texts that may be flagged.

    Returns
    -------
    scorer : callable
        ``make_scorer(tpr_within_fpr_budget, max_fpr=max_fpr)``.

    Examples
    --------
    >>> from sklearn.model_selection import TunedThresholdClassifierCV
    >>> from sklearn_aidetect import make_detector
    >>> from sklearn_aidetect import fpr_budget_scorer
    >>> tuned = TunedThresholdClassifierCV(
    ...     make_detector("tfidf-logistic"), scoring=fpr_budget_scorer(0.05))
    """
    return make_scorer(tpr_within_fpr_budget, max_fpr=max_fpr)


@validate_params(
    {
        "detector": [HasMethods(["fit", "predict_proba"])],
        "target_fpr": [_BUDGET],
        "cv": [Interval(Integral, 2, None, closed="left")],
        "thresholds": [Interval(Integral, 2, None, closed="left")],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_fpr_threshold_classifier(
    detector, *, target_fpr=0.01, cv=5, thresholds=1000, random_state=0
):
    """Wrap ``detector`` so that its decisions flag at most ``target_fpr`` of humans.

    An unfitted :class:`~sklearn.model_selection.TunedThresholdClassifierCV`:
    ``fit`` scores each text out of fold (stratified, shuffled ``cv`` folds), picks
    among ``thresholds`` candidates the one with the best
    :func:`tpr_within_fpr_budget` averaged over the folds, then refits ``detector``
    on all the texts. Training costs ``cv + 1`` fits. The FPR on new texts is near
    ``target_fpr`` only if they are like the training texts: check it on texts of
    your own population (``aidetect predict`` on a labelled file reports it).

    Parameters
    ----------
    detector : estimator
        A classifier with ``predict_proba``, such as :func:`make_detector`'s.
    target_fpr : float, default=0.01
        The largest share of human texts that may be flagged.
    cv : int, default=5
        Number of stratified folds.
    thresholds : int, default=1000
        Number of candidate thresholds, between the lowest and highest
        out-of-fold probability.
    random_state : int, RandomState instance or None, default=0
        Seeds the fold shuffle.

    Returns
    -------
    model : TunedThresholdClassifierCV
        Unfitted. After ``fit``: ``best_threshold_`` (a text with
        ``predict_proba(X)[:, 1]`` at or above it is called machine-written),
        ``best_score_`` (the mean out-of-fold TPR within budget) and
        ``estimator_`` (the refitted detector).

    Examples
    --------
    >>> from sklearn_aidetect import (
    ...     decision_threshold, make_detector, make_essays,
    ...     make_fpr_threshold_classifier)
    >>> texts, labels = make_essays(300, random_state=0)
    >>> model = make_fpr_threshold_classifier(
    ...     make_detector("tfidf-logistic"), target_fpr=0.05).fit(texts, labels)
    >>> threshold, target_fpr = decision_threshold(model)
    >>> 0.5 < threshold < 1, target_fpr
    (True, 0.05)
    """
    return TunedThresholdClassifierCV(
        detector,
        scoring=fpr_budget_scorer(target_fpr),
        response_method="predict_proba",
        thresholds=thresholds,
        cv=StratifiedKFold(cv, shuffle=True, random_state=random_state),
        refit=True,
    )


def decision_threshold(model):
    """The decision threshold of a fitted model, and the FPR budget it was chosen for.

    Parameters
    ----------
    model : estimator
        A fitted model.

    Returns
    -------
    threshold : float or None
        ``best_threshold_`` of a ``TunedThresholdClassifierCV``, ``threshold`` of a
        ``FixedThresholdClassifier``; None for any other model (whose ``predict``
        uses 0.5), and for a wrapper whose threshold is on the scale of
        ``decision_function`` rather than of the probability.
    target_fpr : float or None
        The budget, for a model from :func:`make_fpr_threshold_classifier` (or any
        ``TunedThresholdClassifierCV`` scored by :func:`fpr_budget_scorer`).

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn_aidetect import decision_threshold
    >>> decision_threshold(LogisticRegression())
    (None, None)
    """
    if not _thresholds_probabilities(model):
        return None, None
    if isinstance(model, TunedThresholdClassifierCV):
        if not hasattr(model, "best_threshold_"):
            return None, None
        # make_scorer keeps the metric and its arguments; there is no public getter.
        scorer = model.scoring
        kwargs = getattr(scorer, "_kwargs", {})
        is_budget = getattr(scorer, "_score_func", None) is tpr_within_fpr_budget
        target = float(kwargs["max_fpr"]) if is_budget else None
        return float(model.best_threshold_), target
    if isinstance(model, FixedThresholdClassifier) and model.threshold != "auto":
        return float(model.threshold), None
    return None, None


def _thresholds_probabilities(model):
    """Whether a threshold wrapper compares its threshold with probabilities.

    One set on ``decision_function`` holds a threshold on that scale, which means
    nothing next to a probability: it is not reported as a decision threshold.
    """
    method = getattr(model, "response_method", None)
    if method is None or method == "predict_proba":
        return True
    if method == "auto":  # predict_proba where the detector has it
        estimator = getattr(model, "estimator_", getattr(model, "estimator", None))
        return hasattr(estimator, "predict_proba")
    return False
