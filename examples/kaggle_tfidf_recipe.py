"""The Kaggle public recipe: a BPE tokenizer fitted on unlabelled text, then frozen.

In the "LLM - Detect AI Generated Text" competition the best public notebooks trained a
byte-level BPE tokenizer on the (unlabelled) test essays, built TF-IDF features over
3- to 5-grams of its tokens, and soft-voted a naive Bayes and a linear model. Here that
recipe is one scikit-learn Pipeline: the tokenizer is fitted on the test texts without
their labels and wrapped in ``FrozenEstimator``, so training the pipeline on the
labelled essays does not touch it.

It runs the ``outfox-clean`` task of ``../shared/data/README.md`` (train on the OUTFOX
``valid`` split, test on the ``test`` split, no attacks) and prints the ROC AUC next to
a plain word TF-IDF + logistic regression baseline.

Usage::

    python examples/kaggle_tfidf_recipe.py [--data ../shared/data/outfox_essays.csv.gz]
"""

import argparse
import csv
import gzip
import sys
import time
from pathlib import Path

from sklearn.ensemble import VotingClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.metrics import roc_auc_score
from sklearn.naive_bayes import MultinomialNB
from sklearn.pipeline import make_pipeline

from sklearn_aidetect import BPETokenizer

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/data/outfox_essays.csv.gz"


def load_outfox_clean(path):
    """Texts and labels of the outfox-clean task: (train, test)."""
    csv.field_size_limit(2**31 - 1)
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["attack"] == "none"]
    split = {
        name: (
            [row["text"] for row in rows if row["split"] == name],
            [int(row["label"]) for row in rows if row["split"] == name],
        )
        for name in ["valid", "test"]
    }
    return split["valid"], split["test"]


def kaggle_recipe(unlabelled_texts):
    tokenizer = BPETokenizer(
        vocab_size=30522, lowercase=True, normalization="NFC", output="text"
    ).fit(unlabelled_texts)
    return make_pipeline(
        FrozenEstimator(tokenizer),
        TfidfVectorizer(
            token_pattern=r"\S+", lowercase=False, ngram_range=(3, 5), sublinear_tf=True
        ),
        VotingClassifier(
            [
                ("nb", MultinomialNB(alpha=0.02)),
                (
                    "sgd",
                    SGDClassifier(
                        loss="modified_huber", max_iter=8000, tol=1e-4, random_state=0
                    ),
                ),
            ],
            voting="soft",
            weights=[0.1, 0.9],
        ),
    )


def word_baseline():
    return make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2),
        LogisticRegression(class_weight="balanced", max_iter=1000),
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args(argv)
    if not args.data.is_file():
        sys.exit(
            f"{args.data} not found. This example needs the OUTFOX essays: pass "
            "--data PATH/outfox_essays.csv.gz."
        )
    (train_texts, train_labels), (test_texts, test_labels) = load_outfox_clean(
        args.data
    )
    print(
        f"outfox-clean: {len(train_texts)} training essays "
        f"({train_labels.count(0)} human), {len(test_texts)} test essays"
    )
    for name, detector in [
        ("BPE (fitted on test texts) + TF-IDF 3-5 + NB/SGD", kaggle_recipe(test_texts)),
        ("word TF-IDF 1-2 + logistic regression", word_baseline()),
    ]:
        start = time.perf_counter()
        detector.fit(train_texts, train_labels)
        scores = detector.predict_proba(test_texts)[:, 1]
        seconds = time.perf_counter() - start
        auc = roc_auc_score(test_labels, scores)
        print(f"{name:50s} ROC AUC {auc:.4f}  ({seconds:.0f} s)")


if __name__ == "__main__":
    main()
