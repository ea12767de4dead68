"""Detection metrics for decisions about people's work.

A score ends up as a decision, and a false positive (a person's own text called
machine-written) is the costly error. So beside ROC AUC the field reports the
detection rate at a fixed low false-positive rate (the RAID benchmark: TPR at 5% and
1% FPR), and whether the probabilities can be read as probabilities (Brier score,
expected calibration error). :func:`detection_metrics` gives all of them, and per
group (domain, prompt, generator...) with the false-positive rate of each group's
human texts at one threshold, so that a group flagged more often than the others
shows up.
"""

from numbers import Integral, Real

import numpy as np
from sklearn.metrics import (
    average_precision_score,
    brier_score_loss,
    roc_auc_score,
    roc_curve,
)

from ._base import Interval, validate_params

__all__ = [
    "detection_metrics",
    "expected_calibration_error",
    "format_detection_metrics",
    "threshold_at_fpr",
    "tpr_at_fpr",
]

# The false-positive rates at which detection rates are reported.
REPORTED_FPRS = (0.01, 0.05)

_SCORES = {"y_true": ["array-like"], "y_score": ["array-like"]}


def _operating_point(y_true, y_score, max_fpr):
    """``(tpr, threshold)`` of the best ROC point with FPR at most ``max_fpr``."""
    y_true, y_score = _check_scores(y_true, y_score)
    fpr, tpr, thresholds = roc_curve(y_true, y_score, drop_intermediate=False)
    best = np.flatnonzero(fpr <= max_fpr)[np.argmax(tpr[fpr <= max_fpr])]
    return float(tpr[best]), float(thresholds[best])


def _check_scores(y_true, y_score):
    y_true = np.asarray(y_true)
    y_score = np.asarray(y_score, dtype=float)
    if y_true.shape != y_score.shape or y_true.ndim != 1:
        raise ValueError(
            f"y_true and y_score must be 1-D of the same length, got shapes "
            f"{y_true.shape} and {y_score.shape}."
        )
    labels = np.unique(y_true)
    if len(labels) != 2:
        raise ValueError(
            f"y_true must hold two classes (human and machine), got {len(labels)}: "
            f"{labels.tolist()[:5]}. Detection rates need texts of both."
        )
    return y_true == labels[1], y_score


@validate_params(
    {**_SCORES, "max_fpr": [Interval(Real, 0, 1, closed="both")]},
    prefer_skip_nested_validation=True,
)
def tpr_at_fpr(y_true, y_score, *, max_fpr=0.01):
    """The share of machine texts detected when at most ``max_fpr`` of human ones are.

    The true-positive rate at the best threshold whose false-positive rate is at
    most ``max_fpr``: how the RAID benchmark and Binoculars report detectors
    (at 5%, 1% or 0.01% FPR), since a false accusation is the costly error.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Labels of two classes; the greater (1, machine) is the positive one.
    y_score : array-like of shape (n_samples,)
        Scores, greater for machine-written.
    max_fpr : float, default=0.01
        The largest share of human texts that may be flagged.

    Returns
    -------
    tpr : float
        The share of texts of the positive class at or above that threshold.

    See Also
    --------
    threshold_at_fpr : The threshold itself.

    Examples
    --------
    >>> from sklearn_aidetect import tpr_at_fpr
    >>> tpr_at_fpr([0, 0, 0, 0, 1, 1], [0.1, 0.2, 0.3, 0.8, 0.7, 0.9], max_fpr=0.25)
    1.0
    >>> tpr_at_fpr([0, 0, 0, 0, 1, 1], [0.1, 0.2, 0.3, 0.8, 0.7, 0.9], max_fpr=0.0)
    0.5
    """
    return _operating_point(y_true, y_score, max_fpr)[0]


@validate_params(
    {**_SCORES, "max_fpr": [Interval(Real, 0, 1, closed="both")]},
    prefer_skip_nested_validation=True,
)
def threshold_at_fpr(y_true, y_score, *, max_fpr=0.01):
    """The score from which a text is called machine-written, for an FPR budget.

    The threshold of :func:`tpr_at_fpr`: a text scored at or above it is flagged,
    and at most ``max_fpr`` of the human texts of ``y_true`` are. On new texts the
    false-positive rate is near ``max_fpr`` only if they are like these ones: choose
    it on held-out or cross-validated scores, never on the training texts.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Labels of two classes; the greater (1, machine) is the positive one.
    y_score : array-like of shape (n_samples,)
        Scores, greater for machine-written.
    max_fpr : float, default=0.01
        The largest share of human texts that may be flagged.

    Returns
    -------
    threshold : float
        ``inf`` when no threshold flags any text within the budget.

    Examples
    --------
    >>> from sklearn_aidetect import threshold_at_fpr
    >>> threshold_at_fpr([0, 0, 0, 0, 1, 1], [0.1, 0.2, 0.3, 0.8, 0.7, 0.9],
    ...                  max_fpr=0.0)
    0.9
    """
    return _operating_point(y_true, y_score, max_fpr)[1]


@validate_params(
    {
        **_SCORES,
        "n_bins": [Interval(Integral, 1, None, closed="left")],
    },
    prefer_skip_nested_validation=True,
)
def expected_calibration_error(y_true, y_score, *, n_bins=10):
    """How far predicted probabilities are from the observed share of machine texts.

    The probabilities are put in ``n_bins`` bins of equal width; in each, the gap
    between the mean probability and the share of machine texts is weighted by the
    bin's share of the texts (Naeini et al., 2015). 0 is perfect calibration; a
    detector whose 0.9 means "machine-written nine times in ten" has a small one.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Labels of two classes; the greater (1, machine) is the positive one.
    y_score : array-like of shape (n_samples,)
        Probabilities of the positive class, in [0, 1].
    n_bins : int, default=10
        Number of bins.

    Returns
    -------
    ece : float
        Between 0 and 1.

    Examples
    --------
    >>> from sklearn_aidetect import expected_calibration_error
    >>> expected_calibration_error([0, 1, 0, 1], [0.0, 1.0, 0.0, 1.0])
    0.0
    >>> round(expected_calibration_error([0, 1, 0, 1], [0.4, 0.6, 0.4, 0.6]), 2)
    0.4
    """
    positive, probability = _check_scores(y_true, y_score)
    if probability.min() < 0 or probability.max() > 1:
        raise ValueError(
            "y_score must hold probabilities in [0, 1] for the calibration error; "
            "pass predict_proba's column, not a decision function."
        )
    bins = np.minimum((probability * n_bins).astype(int), n_bins - 1)
    counts = np.bincount(bins, minlength=n_bins)
    mean_probability = np.bincount(bins, probability, minlength=n_bins)
    observed = np.bincount(bins, positive.astype(float), minlength=n_bins)
    gaps = np.abs(mean_probability - observed)  # sums; divided by n below
    return float(gaps.sum() / counts.sum())


@validate_params(
    {
        **_SCORES,
        "groups": ["array-like", None],
        "threshold": [Interval(Real, None, None, closed="neither")],
    },
    prefer_skip_nested_validation=True,
)
def detection_metrics(y_true, y_score, *, groups=None, threshold=0.5):
    """Every detection metric, overall and per group.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Labels of two classes; the greater (1, machine) is the positive one.
    y_score : array-like of shape (n_samples,)
        Probabilities of the positive class.
    groups : array-like of shape (n_samples,), default=None
        A group per text (domain, prompt, generator, first language...): the
        metrics are also given for each.
    threshold : float, default=0.5
        The decision threshold (a text scored at or above it is flagged) at which
        the false-positive rate of the human texts of each group is measured.

    Returns
    -------
    metrics : dict
        ``"overall"``: a dict with ``n``, ``n_machine``, ``roc_auc``,
        ``average_precision``, ``tpr_at_1%_fpr`` and ``threshold_at_1%_fpr`` (and
        the same at 5%), ``brier`` (Brier score), ``ece`` (expected calibration
        error), ``fpr`` and ``tpr`` at ``threshold``; ``"groups"``: ``{group: the
        same dict}`` (metrics that need both classes are None in a group that has
        one); ``"threshold"``.

    Examples
    --------
    >>> from sklearn_aidetect import detection_metrics
    >>> metrics = detection_metrics(
    ...     [0, 0, 1, 1, 0, 0, 1, 1], [0.1, 0.6, 0.8, 0.9, 0.2, 0.3, 0.7, 0.4],
    ...     groups=["a"] * 4 + ["b"] * 4)
    >>> metrics["overall"]["roc_auc"], metrics["groups"]["a"]["fpr"]
    (0.9375, 0.5)
    """
    y_true, y_score = np.asarray(y_true), np.asarray(y_score, dtype=float)
    positive, _ = _check_scores(y_true, y_score)
    result = {
        "overall": _metrics(positive, y_score, threshold),
        "groups": {},
        "threshold": float(threshold),
    }
    if groups is not None:
        groups = np.asarray(groups)
        if groups.shape != y_true.shape:
            raise ValueError(
                f"groups must give one group per text: {len(groups)} groups for "
                f"{len(y_true)} texts."
            )
        for group in sorted(set(groups.tolist()), key=str):
            inside = groups == group
            result["groups"][group] = _metrics(
                positive[inside], y_score[inside], threshold
            )
    return result


def _metrics(positive, score, threshold):
    flagged = score >= threshold
    both = positive.any() and not positive.all()
    metrics = {
        "n": len(positive),
        "n_machine": int(positive.sum()),
        "roc_auc": float(roc_auc_score(positive, score)) if both else None,
        "average_precision": (
            float(average_precision_score(positive, score)) if both else None
        ),
    }
    for fpr in REPORTED_FPRS:
        tpr, at = _operating_point(positive, score, fpr) if both else (None, None)
        metrics[f"tpr_at_{fpr:.0%}_fpr"] = tpr
        metrics[f"threshold_at_{fpr:.0%}_fpr"] = at
    in_unit = score.min() >= 0 and score.max() <= 1
    metrics["brier"] = float(brier_score_loss(positive, score)) if in_unit else None
    metrics["ece"] = (
        expected_calibration_error(positive, score) if both and in_unit else None
    )
    human = ~positive
    metrics["fpr"] = float(flagged[human].mean()) if human.any() else None
    metrics["tpr"] = float(flagged[positive].mean()) if positive.any() else None
    return metrics


def format_detection_metrics(metrics, *, group_name="group"):
    """The metrics of :func:`detection_metrics` as a plain-text table.

    Parameters
    ----------
    metrics : dict
        From :func:`detection_metrics`.
    group_name : str, default="group"
        The heading of the group column (the column's name in the data).

    Returns
    -------
    text : str
        One row for all texts, then one per group.

    Examples
    --------
    >>> from sklearn_aidetect import detection_metrics, format_detection_metrics
    >>> metrics = detection_metrics([0, 0, 1, 1], [0.1, 0.6, 0.8, 0.9])
    >>> print(format_detection_metrics(metrics))
    group  n  machine  ROC AUC  TPR@1%FPR  TPR@5%FPR   Brier     ECE  FPR@0.5  TPR@0.5
    all    4        2   1.0000     1.0000     1.0000  0.1050  0.2500   0.5000   1.0000
    """
    header = [
        group_name,
        "n",
        "machine",
        "ROC AUC",
        "TPR@1%FPR",
        "TPR@5%FPR",
        "Brier",
        "ECE",
        f"FPR@{metrics['threshold']:g}",
        f"TPR@{metrics['threshold']:g}",
    ]
    keys = [
        "n",
        "n_machine",
        "roc_auc",
        "tpr_at_1%_fpr",
        "tpr_at_5%_fpr",
        "brier",
        "ece",
        "fpr",
        "tpr",
    ]
    rows = [["all", *(_cell(metrics["overall"][key]) for key in keys)]]
    rows += [
        [str(group), *(_cell(values[key]) for key in keys)]
        for group, values in metrics["groups"].items()
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths))
        ).rstrip()
        for row in [header, *rows]
    ]
    return "\n".join(lines)


def _cell(value):
    if value is None:
        return "-"
    if isinstance(value, int):
        return str(value)
    return f"{value:.4f}"
