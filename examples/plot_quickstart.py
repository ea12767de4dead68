"""
Quickstart: train a detector and draw its ROC curve
===================================================

A detector of machine-generated text is one scikit-learn
:class:`~sklearn.pipeline.Pipeline`. This example builds a ready-made one by name,
trains it on essays labelled human (0) or machine (1), scores essays it has never
seen, and draws the ROC curve: ROC AUC is the metric of the Kaggle "LLM - Detect AI
Generated Text" competition.

The essays come from :func:`~sklearn_aidetect.make_essays`, the library's built-in
synthetic corpus: no file and no download. It shows how things work; it says nothing
about how well a detector does on real machine-generated text.
"""

# %%
# Data
# ----
# 1,000 essays, one in five machine-written, split into a training and a test set
# with the same share of each class.
from sklearn.model_selection import train_test_split

from sklearn_aidetect import make_essays

texts, labels = make_essays(1000, weights=(0.8, 0.2), random_state=0)
train_texts, test_texts, train_labels, test_labels = train_test_split(
    texts, labels, test_size=0.3, stratify=labels, random_state=0
)
print(f"{len(train_texts)} training essays, {len(test_texts)} test essays")
print(test_texts[0][:300], "...")

# %%
# A ready-made detector
# ---------------------
# :func:`~sklearn_aidetect.list_detectors` names the pipelines the library builds,
# from a fast TF-IDF baseline to sequence networks and a fine-tuned pretrained
# encoder.
from sklearn_aidetect import list_detectors, make_detector

for info in list_detectors():
    print(f"{info.name:16s} {info.description}")

# %%
# ``tfidf-logistic`` trains in a second. Its steps are named ``vectorizer`` and
# ``classifier``, so any parameter can be set by name (``classifier__C=10``).
detector = make_detector("tfidf-logistic", random_state=0)
detector

# %%
# Train and score
# ---------------
# ``predict_proba(texts)[:, 1]`` is each essay's probability of being
# machine-written.
from sklearn.metrics import roc_auc_score

detector.fit(train_texts, train_labels)
scores = detector.predict_proba(test_texts)[:, 1]
print(f"ROC AUC on the test essays: {roc_auc_score(test_labels, scores):.3f}")

# %%
# The ROC curve
# -------------
# Each point is a threshold: the share of human essays wrongly flagged (x) against
# the share of machine essays caught (y). The Kaggle recipe
# (``tfidf-ensemble``: BPE tokens, TF-IDF over 3- to 5-grams, naive Bayes and SGD),
# with a smaller vocabulary to suit 700 essays, is drawn for comparison.
import matplotlib.pyplot as plt
from sklearn.metrics import RocCurveDisplay

ensemble = make_detector(
    "tfidf-ensemble", tokenizer__vocab_size=2000, random_state=0
).fit(train_texts, train_labels)

fig, ax = plt.subplots(figsize=(5, 5))
for name, model in [("tfidf-logistic", detector), ("tfidf-ensemble", ensemble)]:
    RocCurveDisplay.from_predictions(
        test_labels, model.predict_proba(test_texts)[:, 1], name=name, ax=ax
    )
ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="chance")
ax.set(
    xlabel="human essays flagged (false positive rate)",
    ylabel="machine essays caught (true positive rate)",
    title="ROC curves on 300 test essays",
)
ax.legend(loc="lower right")

# %%
# Cross-validation
# ----------------
# One split is one draw. :func:`~sklearn_aidetect.evaluate_detector` trains a fresh
# copy of the detector on each of five stratified folds and scores the essays that
# fold left out (what ``aidetect evaluate`` prints).
from sklearn_aidetect import evaluate_detector

report = evaluate_detector(detector, texts, labels, cv=5)
print(report.to_text(class_names=("human", "machine")))

# %%
# Save, load, score new text
# --------------------------
# :func:`~sklearn_aidetect.save_model` writes the fitted pipeline atomically with a
# manifest of the library versions; :func:`~sklearn_aidetect.load_model` checks it
# on the way back. Load only model files you trust: unpickling runs code.
import tempfile
from pathlib import Path

from sklearn_aidetect import load_model, save_model

path = save_model(detector, Path(tempfile.mkdtemp()) / "detector.joblib")
loaded = load_model(path)
new_essays = [
    "honestly i dont get why we need a four day week, my cousin has one and hates it",
    "In conclusion, a four-day school week offers numerous benefits for students. "
    "Furthermore, it is essential to consider the well-being of teachers as well.",
]
for essay, probability in zip(new_essays, loaded.predict_proba(new_essays)[:, 1]):
    print(f"{probability:.3f}  {essay}")

plt.show()
