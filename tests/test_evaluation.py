"""Cross-validated evaluation, the ROC plot and hyperparameter search."""

import numpy as np
import pytest

from sklearn_aidetect import (
    evaluate_detector,
    format_search_results,
    make_detector,
    make_essays,
    plot_roc_curve,
    search_detector,
)


@pytest.fixture(scope="module")
def corpus():
    """90 synthetic essays, a third machine-written: enough for 3 folds to learn."""
    return make_essays(90, weights=(2 / 3, 1 / 3), random_state=0)[0]


@pytest.fixture(scope="module")
def labels():
    return make_essays(90, weights=(2 / 3, 1 / 3), random_state=0)[1].tolist()


@pytest.fixture
def detector():
    return make_detector("tfidf-logistic", vectorizer__min_df=1)


def test_evaluate_reports_every_fold_and_the_out_of_fold_matrix(
    detector, corpus, labels
):
    lines = []
    report = evaluate_detector(detector, corpus, labels, cv=3, progress=lines.append)
    assert len(report.fold_roc_auc) == len(report.fold_average_precision) == 3
    assert [line.split(":")[0] for line in lines] == [
        "fold 1/3",
        "fold 2/3",
        "fold 3/3",
    ]
    assert 0.5 < report.roc_auc <= 1.0
    assert report.roc_auc_std >= 0
    assert report.confusion_matrix.sum() == len(corpus)
    assert report.confusion_matrix.sum(axis=1).tolist() == [60, 30]
    predicted_machine = (report.y_score >= 0.5).sum()
    assert report.confusion_matrix[:, 1].sum() == predicted_machine
    text = report.to_text()
    assert "ROC AUC" in text
    assert "average precision" in text
    assert "confusion matrix at threshold 0.5" in text


def test_evaluate_is_repeatable_and_takes_string_labels(detector, corpus, labels):
    words = np.where(np.asarray(labels) == 1, "machine", "human")
    first = evaluate_detector(detector, corpus, words, cv=3, random_state=1)
    second = evaluate_detector(detector, corpus, words, cv=3, random_state=1)
    assert first.fold_roc_auc == second.fold_roc_auc
    assert first.classes.tolist() == ["human", "machine"]
    assert "machine" in first.to_text()


def test_threshold_moves_the_confusion_matrix(detector, corpus, labels):
    low = evaluate_detector(detector, corpus, labels, cv=3, threshold=0.0)
    high = evaluate_detector(detector, corpus, labels, cv=3, threshold=1.0)
    assert low.confusion_matrix[:, 1].sum() == len(corpus)  # everything flagged
    assert high.confusion_matrix[:, 1].sum() <= low.confusion_matrix[:, 1].sum()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"cv": 31}, "cv=31 folds need at least 31 texts of each class"),
        ({"cv": 1}, r"'cv' parameter of evaluate_detector must be an int in the range"),
        (
            {"threshold": 1.5},
            r"'threshold' parameter of evaluate_detector must be a float",
        ),
    ],
)
def test_evaluate_bad_settings(detector, corpus, labels, kwargs, match):
    with pytest.raises(ValueError, match=match):
        evaluate_detector(detector, corpus, labels, **kwargs)


def test_evaluate_bad_data(detector, corpus, labels):
    with pytest.raises(ValueError, match="single str"):
        evaluate_detector(detector, "one text", [1])
    with pytest.raises(ValueError, match=r"90 document\(s\) but 89 label\(s\)"):
        evaluate_detector(detector, corpus, labels[:-1])
    with pytest.raises(ValueError, match="only one class"):
        evaluate_detector(detector, corpus, [0] * len(corpus))


def test_plot_roc_curve_writes_an_image_atomically(detector, corpus, labels, tmp_path):
    report = evaluate_detector(detector, corpus, labels, cv=3)
    path = plot_roc_curve(report, tmp_path / "roc.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = plot_roc_curve(report, tmp_path / "roc.svg")
    assert b"<svg" in svg.read_bytes()
    with pytest.raises(ValueError, match="use one of the suffixes"):
        plot_roc_curve(report, tmp_path / "roc.docx")
    with pytest.raises(FileExistsError):
        plot_roc_curve(report, path, overwrite=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["roc.png", "roc.svg"]


def test_grid_search_scores_roc_auc_and_refits(detector, corpus, labels):
    grid = {"classifier__C": [0.1, 10.0]}
    search = search_detector(detector, corpus, labels, grid, cv=3)
    assert set(search.best_params_) == {"classifier__C"}
    assert len(search.cv_results_["params"]) == 2
    assert "mean_test_average_precision" in search.cv_results_
    assert search.best_estimator_.predict_proba(corpus).shape == (90, 2)
    table = format_search_results(search).splitlines()
    assert table[0].startswith("rank  ROC AUC")
    assert table[1].startswith("   1")
    assert len(table) == 3


def test_randomized_search_caps_n_iter_at_the_grid_size(detector, corpus, labels):
    grid = {"classifier__C": [0.1, 1.0, 10.0]}
    search = search_detector(detector, corpus, labels, grid, cv=3, n_iter=2)
    assert len(search.cv_results_["params"]) == 2
    search = search_detector(detector, corpus, labels, grid, cv=3, n_iter=50)
    assert len(search.cv_results_["params"]) == 3
    with pytest.raises(
        ValueError, match="'n_iter' parameter of search_detector must be"
    ):
        search_detector(detector, corpus, labels, grid, cv=3, n_iter=0)


def test_groups_give_metrics_per_group_and_their_false_positive_rates(
    detector, corpus, labels
):
    groups = np.where(np.arange(len(corpus)) % 2, "odd", "even")
    report = evaluate_detector(detector, corpus, labels, cv=3, groups=groups)
    metrics = report.detection_metrics()
    assert set(metrics["groups"]) == {"even", "odd"}
    human = np.asarray(labels) == 0
    flagged = report.y_score >= 0.5
    odd = groups == "odd"
    assert metrics["groups"]["odd"]["fpr"] == flagged[human & odd].mean()
    assert metrics["overall"]["fpr"] == flagged[human].mean()
    text = report.to_text(group_name="half")
    assert "TPR@1%FPR" in text
    assert text.splitlines()[-4].startswith("half")
    assert evaluate_detector(detector, corpus, labels, cv=3).groups is None
    with pytest.raises(ValueError, match="one group per text"):
        evaluate_detector(detector, corpus, labels, cv=3, groups=["a"])
