"""
Dense, CNN, RNN and transformer: four networks, four ROC curves
===============================================================

The neural classifiers of :mod:`sklearn_aidetect.neural` are Keras networks behind
the scikit-learn API, so they train, score and compare like any other classifier:

- :class:`~sklearn_aidetect.DenseClassifier` reads a feature matrix, here a sparse
  TF-IDF matrix (fed in sparse batches, never densified);
- :class:`~sklearn_aidetect.CNNClassifier`, :class:`~sklearn_aidetect.RNNClassifier`
  and :class:`~sklearn_aidetect.TransformerClassifier` read token ids, here from a
  :class:`~sklearn_aidetect.BPETokenizer`.

Every network is kept small (few epochs, narrow layers, the first 128 tokens of each
essay) so that the four train in well under a minute on a CPU, on the built-in
synthetic essays. That makes this a demonstration of the API, not a ranking of the
architectures: for that, see the neural benchmark on real essays in
:doc:`/benchmarks`.
"""

# %%
# Data
# ----
from sklearn.model_selection import train_test_split

from sklearn_aidetect import make_essays

texts, labels = make_essays(800, random_state=0)
train_texts, test_texts, train_labels, test_labels = train_test_split(
    texts, labels, test_size=0.3, stratify=labels, random_state=0
)

# %%
# Token ids for the sequence networks
# -----------------------------------
# One tokenizer, fitted on the training essays, feeds the three sequence networks.
# Ids it never produced in training (none here) would share an out-of-vocabulary
# embedding.
from sklearn_aidetect import BPETokenizer

tokenizer = BPETokenizer(vocab_size=2000, output="ids").fit(train_texts)
train_ids = tokenizer.transform(train_texts)
test_ids = tokenizer.transform(test_texts)
print(f"{sum(map(len, train_ids)) / len(train_ids):.0f} tokens per essay on average")

# %%
# Four small networks
# -------------------
# They share the training parameters: at most 8 epochs, early stopping when the
# ROC AUC of a stratified 10% validation split has not improved for 2 epochs (the
# best epoch's weights are kept), and a seed.
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import make_pipeline

from sklearn_aidetect import (
    CNNClassifier,
    DenseClassifier,
    RNNClassifier,
    TransformerClassifier,
)

training = {"epochs": 8, "patience": 2, "random_state": 0}
sequence = {"maxlen": 128, "embedding_dim": 32}
models = {
    "dense (TF-IDF)": (
        make_pipeline(
            TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
            DenseClassifier(hidden_layer_sizes=(32,), **training),
        ),
        train_texts,
        test_texts,
    ),
    "CNN": (
        CNNClassifier(filters=32, kernel_sizes=(3, 5), **sequence, **training),
        train_ids,
        test_ids,
    ),
    "RNN (bidirectional GRU)": (
        RNNClassifier(units=16, **sequence, **training),
        train_ids,
        test_ids,
    ),
    "transformer": (
        TransformerClassifier(num_heads=2, ff_dim=64, **sequence, **training),
        train_ids,
        test_ids,
    ),
}

# %%
# Train and score
# ---------------
import time

from sklearn.metrics import roc_auc_score

scores = {}
for name, (model, train_X, test_X) in models.items():
    start = time.perf_counter()
    model.fit(train_X, train_labels)
    seconds = time.perf_counter() - start
    scores[name] = model.predict_proba(test_X)[:, 1]
    network = model[-1] if hasattr(model, "steps") else model
    print(
        f"{name:24s} ROC AUC {roc_auc_score(test_labels, scores[name]):.3f}  "
        f"{len(network.history_['loss'])} epochs (best: {network.best_epoch_ + 1}), "
        f"{seconds:.1f} s"
    )

# %%
# The ROC curves
# --------------
import matplotlib.pyplot as plt
from sklearn.metrics import RocCurveDisplay

fig, ax = plt.subplots(figsize=(5.5, 5))
for name, score in scores.items():
    RocCurveDisplay.from_predictions(test_labels, score, name=name, ax=ax)
ax.plot([0, 1], [0, 1], linestyle="--", color="grey")
ax.set(title=f"{len(test_texts)} synthetic test essays")
ax.legend(loc="lower right", fontsize="small")

# %%
# Learning curves
# ---------------
# ``history_`` holds the loss and ROC AUC of each epoch, on the training data and on
# the validation split that early stopping watches.
fig, ax = plt.subplots(figsize=(5.5, 4))
for name, (model, _, _) in models.items():
    network = model[-1] if hasattr(model, "steps") else model
    epochs = range(1, len(network.history_["val_auc"]) + 1)
    ax.plot(epochs, network.history_["val_auc"], marker="o", label=name)
ax.set(xlabel="epoch", ylabel="validation ROC AUC", title="Early stopping")
ax.legend(fontsize="small")
plt.show()
