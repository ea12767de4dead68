"""Training and comparing detectors: cross-validated ROC AUC and hyperparameter search.

:func:`evaluate_detector` scores a detector with stratified k-fold cross-validation
(ROC AUC and average precision per fold, a confusion matrix of the out-of-fold
predictions) and :func:`search_detector` runs a grid or randomized search scored by
ROC AUC. Both are what the ``aidetect evaluate`` and ``aidetect search`` commands run.
"""

import os
import time
from dataclasses import dataclass, field
from numbers import Integral, Real
from pathlib import Path

import numpy as np
from sklearn.base import clone
from sklearn.metrics import average_precision_score, confusion_matrix, roc_auc_score
from sklearn.model_selection import (
    GridSearchCV,
    ParameterGrid,
    RandomizedSearchCV,
    StratifiedKFold,
)

from ._base import HasMethods, Interval, validate_params
from ._io import atomic_output
from ._optional import import_optional
from ._validation import check_binary_target, check_documents
from .metrics import detection_metrics, format_detection_metrics

__all__ = [
    "EvaluationReport",
    "evaluate_detector",
    "format_search_results",
    "plot_roc_curve",
    "search_detector",
]


@dataclass
class EvaluationReport:
    """Cross-validated scores of a detector, from :func:`evaluate_detector`.

    Attributes
    ----------
    fold_roc_auc : list of float
        ROC AUC of each test fold.
    fold_average_precision : list of float
        Average precision (area under the precision-recall curve, with the machine
        class as positive) of each test fold.
    fold_fit_seconds : list of float
        Training time of each fold.
    threshold : float
        Probability at or above which a text is called machine-written.
    confusion_matrix : ndarray of shape (2, 2)
        Out-of-fold predictions at ``threshold``: rows are the true classes, columns
        the predicted ones, in ``classes`` order.
    classes : ndarray of shape (2,)
        The labels; the second is the positive (machine) class.
    y_true : ndarray
        The labels, in input order.
    y_score : ndarray
        Each text's out-of-fold probability of the positive class.
    groups : ndarray or None
        Each text's group, when :func:`evaluate_detector` was given groups.

    Examples
    --------
    >>> from sklearn_aidetect import evaluate_detector, make_detector, make_essays
    >>> texts, labels = make_essays(300, weights=(0.8, 0.2), random_state=0)
    >>> report = evaluate_detector(make_detector("tfidf-logistic"), texts, labels)
    >>> print(report.to_text(class_names=("human", "machine")))  # doctest: +SKIP
    ROC AUC            0.9... +/- 0.0...  (5 folds: ...)
    average precision  0.8... +/- 0.0...
    confusion matrix at threshold 0.5 (rows: true, columns: predicted)
                   human    machine
          human      ...        ...
        machine      ...        ...
    >>> int(report.confusion_matrix.sum())
    300
    """

    fold_roc_auc: list
    fold_average_precision: list
    fold_fit_seconds: list
    threshold: float
    confusion_matrix: np.ndarray = field(repr=False)
    classes: np.ndarray = field(repr=False)
    y_true: np.ndarray = field(repr=False)
    y_score: np.ndarray = field(repr=False)
    groups: np.ndarray = field(default=None, repr=False)

    @property
    def roc_auc(self):
        """Mean ROC AUC over the folds."""
        return float(np.mean(self.fold_roc_auc))

    @property
    def roc_auc_std(self):
        """Standard deviation of the fold ROC AUCs."""
        return float(np.std(self.fold_roc_auc))

    @property
    def average_precision(self):
        """Mean average precision over the folds."""
        return float(np.mean(self.fold_average_precision))

    def detection_metrics(self):
        """The out-of-fold scores' metrics, overall and per group.

        Returns
        -------
        metrics : dict
            :func:`~sklearn_aidetect.detection_metrics` of ``y_true`` and
            ``y_score`` at ``threshold``: TPR at 1% and 5% FPR and their thresholds,
            Brier score, calibration error, FPR and TPR at ``threshold``, for all
            texts and for each of ``groups``.
        """
        return detection_metrics(
            self.y_true == self.classes[1],
            self.y_score,
            groups=self.groups,
            threshold=self.threshold,
        )

    def to_text(self, class_names=None, group_name="group"):
        """A short plain-text report.

        Parameters
        ----------
        class_names : sequence of two str, default=None
            The names of the two classes in the confusion matrix, in ``classes``
            order; None uses the labels themselves.
        group_name : str, default="group"
            The heading of the groups' column in the metrics table.

        Returns
        -------
        text : str
            ROC AUC and average precision (mean and spread over the folds), the
            confusion matrix at ``threshold`` (six lines), then the table of
            :meth:`detection_metrics`: a row for all texts and one per group.
        """
        (tn, fp), (fn, tp) = self.confusion_matrix
        human, machine = (str(name) for name in (class_names or self.classes))
        folds = ", ".join(f"{score:.4f}" for score in self.fold_roc_auc)
        width = max(len(human), len(machine), 9)
        return "\n".join(
            [
                f"ROC AUC            {self.roc_auc:.4f} +/- {self.roc_auc_std:.4f}"
                f"  ({len(self.fold_roc_auc)} folds: {folds})",
                f"average precision  {self.average_precision:.4f} +/- "
                f"{np.std(self.fold_average_precision):.4f}",
                f"confusion matrix at threshold {self.threshold:g} "
                "(rows: true, columns: predicted)",
                f"  {'':>{width}}  {human:>{width}}  {machine:>{width}}",
                f"  {human:>{width}}  {tn:>{width}}  {fp:>{width}}",
                f"  {machine:>{width}}  {fn:>{width}}  {tp:>{width}}",
                "detection at low false-positive rates and calibration (out-of-fold):",
                format_detection_metrics(
                    self.detection_metrics(), group_name=group_name
                ),
            ]
        )


# The texts and labels are checked by check_documents and check_binary_target, whose
# messages say what is wrong with which document: "no_validation" leaves them to it.
@validate_params(
    {
        "detector": [HasMethods(["fit", "predict_proba"])],
        "X": "no_validation",
        "y": "no_validation",
        "cv": [Interval(Integral, 2, None, closed="left")],
        "threshold": [Interval(Real, 0, 1, closed="both")],
        "random_state": ["random_state"],
        "progress": [callable, None],
        "groups": ["array-like", None],
    },
    prefer_skip_nested_validation=True,
)
def evaluate_detector(
    detector, X, y, *, cv=5, threshold=0.5, random_state=0, progress=None, groups=None
):
    """Stratified k-fold ROC AUC, average precision and confusion matrix.

    Each fold trains a fresh clone of ``detector`` on the other folds and scores its
    own texts, so no text is scored by a model that saw it.

    Parameters
    ----------
    detector : estimator
        An unfitted detector with ``predict_proba``, such as one from
        :func:`~sklearn_aidetect.make_detector`.
    X : sequence of str
        The texts.
    y : array-like of shape (n_samples,)
        Two classes; the larger label (1 = machine) is the positive one.
    cv : int, default=5
        Number of stratified folds (shuffled with ``random_state``).
    threshold : float, default=0.5
        Probability of the positive class at or above which a text is called
        machine-written, for the confusion matrix.
    random_state : int or None, default=0
        Seed of the fold shuffle.
    progress : callable or None, default=None
        Called with a one-line message after each fold.
    groups : array-like of shape (n_samples,), default=None
        A group per text (domain, prompt, generator...): the report's
        :meth:`~EvaluationReport.detection_metrics` are then also given per group,
        with each group's false-positive rate at ``threshold``. The folds are not
        split by group.

    Returns
    -------
    report : EvaluationReport
        The fold scores, the out-of-fold probabilities and the confusion matrix.

    Examples
    --------
    >>> from sklearn_aidetect import evaluate_detector, make_detector, make_essays
    >>> texts, labels = make_essays(200, random_state=0)
    >>> report = evaluate_detector(make_detector("tfidf-logistic"), texts, labels, cv=3)
    >>> len(report.fold_roc_auc), 0.5 < report.roc_auc <= 1.0
    (3, True)
    """
    X, y, classes = _check_labelled(detector, X, y, cv)
    if groups is not None:
        groups = np.asarray(groups)
        if groups.shape != (len(y),):
            raise ValueError(
                f"evaluate_detector: groups must give one group per text: "
                f"{len(groups)} groups for {len(y)} texts."
            )
    folds = StratifiedKFold(cv, shuffle=True, random_state=random_state)
    y_score = np.zeros(len(y))
    aucs, precisions, seconds = [], [], []
    for number, (train, test) in enumerate(folds.split(np.zeros(len(y)), y), start=1):
        start = time.perf_counter()
        model = clone(detector).fit(X[train], y[train])
        seconds.append(time.perf_counter() - start)
        column = list(model.classes_).index(classes[1])
        y_score[test] = model.predict_proba(X[test])[:, column]
        positive = y[test] == classes[1]
        aucs.append(float(roc_auc_score(positive, y_score[test])))
        precisions.append(float(average_precision_score(positive, y_score[test])))
        if progress is not None:
            progress(
                f"fold {number}/{cv}: ROC AUC {aucs[-1]:.4f}, "
                f"trained in {seconds[-1]:.1f} s"
            )
    predicted = np.where(y_score >= threshold, classes[1], classes[0])
    return EvaluationReport(
        fold_roc_auc=aucs,
        fold_average_precision=precisions,
        fold_fit_seconds=seconds,
        threshold=float(threshold),
        confusion_matrix=confusion_matrix(y, predicted, labels=classes),
        classes=classes,
        y_true=y,
        y_score=y_score,
        groups=groups,
    )


@validate_params(
    {
        "report": [EvaluationReport],
        "path": [str, os.PathLike],
        "overwrite": ["boolean"],
        "title": [str, None],
    },
    prefer_skip_nested_validation=True,
)
def plot_roc_curve(report, path, *, overwrite=True, title=None):
    """Draw the out-of-fold ROC curve of ``report`` to an image file.

    Needs matplotlib (``pip install sklearn_aidetect[plot]``). The format follows the
    suffix of ``path`` (``.png``, ``.svg``, ``.pdf``, ...); the file is written
    atomically.

    Parameters
    ----------
    report : EvaluationReport
        From :func:`evaluate_detector`.
    path : str or os.PathLike
        The image file to write.
    overwrite : bool, default=True
        Replace an existing file.
    title : str or None, default=None
        The plot's title.

    Returns
    -------
    path : pathlib.Path
        The image file written.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from sklearn_aidetect import (
    ...     evaluate_detector, make_detector, make_essays, plot_roc_curve)
    >>> texts, labels = make_essays(150, random_state=0)
    >>> report = evaluate_detector(make_detector("tfidf-logistic"), texts, labels, cv=3)
    >>> path = plot_roc_curve(report, Path(tempfile.mkdtemp()) / "roc.png")
    >>> path.read_bytes()[:4]
    b'\x89PNG'
    """
    image_format = check_image_path(path)  # first: it says when matplotlib is missing
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from sklearn.metrics import roc_curve

    positive = report.y_true == report.classes[1]
    false_positive_rate, true_positive_rate, _ = roc_curve(positive, report.y_score)
    figure = Figure(figsize=(5, 5))
    FigureCanvasAgg(figure)  # attaches itself to the figure; no pyplot state
    axes = figure.add_subplot()
    axes.plot(
        false_positive_rate,
        true_positive_rate,
        label=f"out-of-fold (ROC AUC {report.roc_auc:.4f})",
    )
    axes.plot([0, 1], [0, 1], linestyle="--", color="grey", label="chance")
    axes.set(
        xlabel="false positive rate (human texts flagged)",
        ylabel="true positive rate (machine texts caught)",
        xlim=(0, 1),
        ylim=(0, 1.01),
        title=title or "ROC curve",
    )
    axes.legend(loc="lower right")
    figure.tight_layout()
    with atomic_output(path, overwrite=overwrite, binary=True) as handle:
        figure.savefig(handle, format=image_format)
    return Path(path)


def check_image_path(path):
    """The image format that ``path``'s suffix names, checked before any long work.

    Parameters
    ----------
    path : str or os.PathLike
        The image file to be written.

    Returns
    -------
    image_format : str
        The suffix without its dot, lowercased, such as ``"png"``.

    Raises
    ------
    ImportError
        If matplotlib is not installed.
    ValueError
        If matplotlib cannot write that format.

    Examples
    --------
    >>> from sklearn_aidetect.evaluation import check_image_path
    >>> check_image_path("roc.PNG")
    'png'
    >>> check_image_path("roc.docx")
    Traceback (most recent call last):
    ...
    ValueError: cannot write a plot to roc.docx: use one of the suffixes ...
    """
    import_optional("matplotlib", "plotting the ROC curve")
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    image_format = Path(path).suffix.lower().lstrip(".")
    supported = FigureCanvasAgg.get_supported_filetypes()
    if image_format not in supported:
        raise ValueError(
            f"cannot write a plot to {path}: use one of the suffixes "
            f"{', '.join('.' + kind for kind in sorted(supported))}."
        )
    return image_format


@validate_params(
    {
        "detector": [HasMethods(["fit", "predict_proba"])],
        "X": "no_validation",
        "y": "no_validation",
        "param_grid": [dict, list],
        "n_iter": [Interval(Integral, 1, None, closed="left"), None],
        "cv": [Interval(Integral, 2, None, closed="left")],
        "random_state": ["random_state"],
        "n_jobs": [Integral, None],
        "verbose": ["verbose"],
    },
    prefer_skip_nested_validation=False,
)
def search_detector(
    detector,
    X,
    y,
    param_grid,
    *,
    n_iter=None,
    cv=5,
    random_state=0,
    n_jobs=None,
    verbose=0,
):
    """Grid or randomized search of ``detector``'s parameters, scored by ROC AUC.

    Parameters
    ----------
    detector : estimator
        An unfitted detector, such as one from :func:`~sklearn_aidetect.make_detector`.
    X : sequence of str
        The texts.
    y : array-like of shape (n_samples,)
        Two classes.
    param_grid : dict or list of dict
        Parameter names to lists of values, as for
        :class:`~sklearn.model_selection.GridSearchCV`; for a ready-made detector,
        ``list_detectors()`` gives a default one.
    n_iter : int or None, default=None
        None tries every combination (``GridSearchCV``); an int samples that many
        (``RandomizedSearchCV``), or all of them if there are fewer.
    cv : int, default=5
        Stratified folds, shuffled with ``random_state``.
    random_state : int or None, default=0
        Seed of the fold shuffle and of the randomized sampling.
    n_jobs : int or None, default=None
        Candidates trained in parallel.
    verbose : int, default=0
        scikit-learn's search verbosity: 2 prints a line per candidate and fold.

    Returns
    -------
    search : GridSearchCV or RandomizedSearchCV
        Fitted and refitted on all the data with the best parameters
        (``best_estimator_``). ``cv_results_`` holds ``mean_test_roc_auc`` and
        ``mean_test_average_precision``.

    Examples
    --------
    >>> from sklearn_aidetect import make_detector, make_essays, search_detector
    >>> texts, labels = make_essays(150, random_state=0)
    >>> search = search_detector(
    ...     make_detector("tfidf-logistic"), texts, labels,
    ...     {"classifier__C": [1.0, 10.0]}, cv=3)
    >>> sorted(search.best_params_)
    ['classifier__C']
    """
    X, y, _ = _check_labelled(detector, X, y, cv)
    grid = ParameterGrid(param_grid)  # validates the grid's shape
    folds = StratifiedKFold(cv, shuffle=True, random_state=random_state)
    common = {
        "scoring": {"roc_auc": "roc_auc", "average_precision": "average_precision"},
        "refit": "roc_auc",
        "cv": folds,
        "n_jobs": n_jobs,
        "verbose": verbose,
        "error_score": "raise",
    }
    if n_iter is None:
        search = GridSearchCV(detector, param_grid, **common)
    else:
        search = RandomizedSearchCV(
            detector,
            param_grid,
            n_iter=min(n_iter, len(grid)),
            random_state=random_state,
            **common,
        )
    return search.fit(X, y)


@validate_params(
    {
        "search": [HasMethods(["fit"])],
        "top": [Interval(Integral, 1, None, closed="left")],
    },
    prefer_skip_nested_validation=True,
)
def format_search_results(search, *, top=10):
    """The best ``top`` candidates of a fitted search, as a plain-text table.

    Parameters
    ----------
    search : GridSearchCV or RandomizedSearchCV
        Fitted by :func:`search_detector` (scored with ``roc_auc`` and
        ``average_precision``).
    top : int, default=10
        Rows shown, best first.

    Returns
    -------
    table : str
        One line per candidate: rank, mean and spread of ROC AUC over the folds,
        mean average precision, mean fit seconds, parameters.

    Examples
    --------
    >>> from sklearn_aidetect import (
    ...     format_search_results, make_detector, make_essays, search_detector)
    >>> texts, labels = make_essays(150, random_state=0)
    >>> search = search_detector(
    ...     make_detector("tfidf-logistic"), texts, labels,
    ...     {"classifier__C": [1.0, 10.0]}, cv=3)
    >>> print(format_search_results(search))  # doctest: +SKIP
    rank  ROC AUC          avg precision  fit s  parameters
       1  0.9... +/- 0.0...         0.9...    0.0  classifier__C=10.0
       2  0.9... +/- 0.0...         0.9...    0.0  classifier__C=1.0
    >>> len(format_search_results(search, top=1).splitlines())
    2
    """
    results = search.cv_results_
    order = np.argsort(results["rank_test_roc_auc"], kind="stable")[:top]
    header = "rank  ROC AUC          avg precision  fit s  parameters"
    lines = [header]
    for index in order:
        params = ", ".join(
            f"{key}={value!r}"
            for key, value in sorted(results["params"][index].items())
        )
        lines.append(
            f"{results['rank_test_roc_auc'][index]:>4}  "
            f"{results['mean_test_roc_auc'][index]:.4f} +/- "
            f"{results['std_test_roc_auc'][index]:.4f}  "
            f"{results['mean_test_average_precision'][index]:>13.4f}  "
            f"{results['mean_fit_time'][index]:>5.1f}  {params}"
        )
    return "\n".join(lines)


def _check_labelled(detector, X, y, cv):
    """Texts as an object array, labels as an array, the two classes in order."""
    X = np.asarray(check_documents(X, estimator=detector), dtype=object)
    y = check_binary_target(y, estimator=detector, n_samples=len(X))
    classes, counts = np.unique(y, return_counts=True)
    if counts.min() < cv:
        raise ValueError(
            f"cv={cv} folds need at least {cv} texts of each class; class "
            f"{classes[counts.argmin()]!r} has {counts.min()}. Use fewer folds or "
            "more data."
        )
    return X, y, classes
