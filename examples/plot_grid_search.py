"""
A grid search, and its results plotted
======================================

Every stage of a detector is a scikit-learn estimator, so its parameters are
searched like any pipeline's, by ``step__parameter`` name.
:func:`~sklearn_aidetect.search_detector` runs scikit-learn's
:class:`~sklearn.model_selection.GridSearchCV` (or, with ``n_iter``,
:class:`~sklearn.model_selection.RandomizedSearchCV`) scored by ROC AUC and average
precision over stratified folds, as ``aidetect search`` does from a shell.

This example searches the n-gram range of the TF-IDF and the regularisation of the
logistic regression of ``tfidf-logistic`` on the built-in synthetic essays, and
plots the mean and spread of each candidate's ROC AUC.
"""

# %%
# Data and detector
# -----------------
from sklearn_aidetect import list_detectors, make_detector, make_essays

texts, labels = make_essays(500, weights=(0.8, 0.2), random_state=0)
detector = make_detector("tfidf-logistic", random_state=0)
default_grid = {info.name: info.param_grid for info in list_detectors()}
print("the detector's default grid:", default_grid["tfidf-logistic"])

# %%
# The search
# ----------
# A wider grid than the default: 3 n-gram ranges times 4 values of ``C``, 12
# candidates on 3 folds each, refitted on all the essays with the best parameters.
from sklearn_aidetect import format_search_results, search_detector

grid = {
    "vectorizer__ngram_range": [(1, 1), (1, 2), (1, 3)],
    "classifier__C": [0.1, 1.0, 10.0, 100.0],
}
search = search_detector(detector, texts, labels, grid, cv=3)
print(format_search_results(search, top=5))

# %%
# Every candidate, plotted
# ------------------------
# ``cv_results_`` holds the score of each candidate on each fold; its mean and
# standard deviation, per n-gram range, against ``C``.
import matplotlib.pyplot as plt
import numpy as np

results = search.cv_results_
C = np.array(results["param_classifier__C"], dtype=float)
ngram_ranges = np.array([str(r) for r in results["param_vectorizer__ngram_range"]])

fig, ax = plt.subplots(figsize=(6, 4.5))
# The three lines are nudged sideways so that their error bars do not overlap.
for nudge, ngram_range in zip([0.88, 1.0, 1.13], dict.fromkeys(ngram_ranges)):
    rows = np.flatnonzero(ngram_ranges == ngram_range)
    rows = rows[np.argsort(C[rows])]
    ax.errorbar(
        C[rows] * nudge,
        results["mean_test_roc_auc"][rows],
        yerr=results["std_test_roc_auc"][rows],
        marker="o",
        capsize=3,
        label=f"ngram_range={ngram_range}",
    )
best = search.best_index_
ax.scatter(
    [C[best]],
    [results["mean_test_roc_auc"][best]],
    s=200,
    facecolors="none",
    edgecolors="black",
    label="best",
)
ax.set(
    xscale="log",
    xlabel="C (inverse regularisation strength)",
    ylabel="mean ROC AUC over 3 folds",
    title="tfidf-logistic on 500 synthetic essays",
)
ax.legend(loc="lower center", fontsize="small")
ax.grid(alpha=0.3)

# %%
# The best model
# --------------
# ``best_estimator_`` is the detector refitted on all the essays with the best
# parameters, ready to save with :func:`~sklearn_aidetect.save_model`.
print(search.best_params_)
print(
    search.best_estimator_.predict_proba(
        ["In conclusion, homework limits offer numerous benefits for students."]
    )[:, 1]
)
plt.show()
