"""Neural classifier benchmark: the outfox-clean task, each Keras classifier.

On the ``outfox-clean`` task of ``../shared/data/README.md`` (train on the OUTFOX
``valid`` split, test on the ``test`` split, ``attack == "none"``), it prints one
markdown table: ROC AUC, fit seconds, predict documents per second and saved model
size for

- ``CNNClassifier``, ``RNNClassifier`` and ``TransformerClassifier`` at their
  defaults (``random_state=0``), reading the ids of a ``BPETokenizer`` (vocabulary
  30,000) fitted on the training essays;
- ``DenseClassifier`` over ``Doc2VecVectorizer`` vectors (the seed's pipeline):
  ``Doc2VecVectorizer(random_state=0)`` on ``WordTokenizer(lowercase=True)`` tokens.

Fit seconds are the classifier's alone (its input is computed beforehand), and
separately the whole pipeline's, tokenizer and vectorizer included. Predict
documents/s is ``predict_proba`` of the classifier on the 1,996 test essays, best of
3 calls. The model size is the classifier's ``joblib.dump`` file.

Usage::

    python benchmarks/bench_neural.py [--data PATH] [--models CNN,RNN] [--output FILE]
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from _common import DEFAULT_DATA, load_rows, machine, markdown, write_report

MODELS = ["CNN", "RNN", "Transformer", "Dense+Doc2Vec"]


def outfox_clean(data):
    rows = [r for r in load_rows(data) if r["attack"] == "none"]
    train = [r for r in rows if r["split"] == "valid"]
    test = [r for r in rows if r["split"] == "test"]
    return (
        [r["text"] for r in train],
        [int(r["label"]) for r in train],
        [r["text"] for r in test],
        [int(r["label"]) for r in test],
    )


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def features(name, train_texts, test_texts):
    """The classifier's input for train and test, and the seconds it took."""
    import sklearn_aidetect as sa

    start = time.perf_counter()
    if name == "Dense+Doc2Vec":
        tokenizer = sa.WordTokenizer(lowercase=True)
        vectorizer = sa.Doc2VecVectorizer(random_state=0)
        train = vectorizer.fit_transform(tokenizer.transform(train_texts))
        seconds = time.perf_counter() - start
        test = vectorizer.transform(tokenizer.transform(test_texts))
    else:
        tokenizer = sa.BPETokenizer(vocab_size=30000, output="ids").fit(train_texts)
        train = tokenizer.transform(train_texts)
        seconds = time.perf_counter() - start
        test = tokenizer.transform(test_texts)
    return train, test, seconds


def classifier(name):
    import sklearn_aidetect as sa

    cls = (
        sa.DenseClassifier
        if name == "Dense+Doc2Vec"
        else getattr(sa, name + "Classifier")
    )
    return cls(random_state=0)


def measure(name, data):
    import joblib
    from sklearn.metrics import roc_auc_score

    train_texts, y_train, test_texts, y_test = outfox_clean(data)
    train, test, feature_seconds = features(name, train_texts, test_texts)
    model = classifier(name)
    _, fit_seconds = timed(model.fit, train, y_train)
    scores = None
    predict_seconds = []
    for _ in range(3):
        scores, seconds = timed(model.predict_proba, test)
        predict_seconds.append(seconds)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.joblib"
        joblib.dump(model, path)
        size_mb = os.path.getsize(path) / 1e6
    epochs = len(model.history_["loss"])
    return [
        name,
        f"{roc_auc_score(y_test, scores[:, 1]):.4f}",
        f"{fit_seconds:.1f}",
        f"{fit_seconds + feature_seconds:.1f}",
        f"{epochs} (best {model.best_epoch_ + 1})",
        f"{len(test_texts) / min(predict_seconds):,.0f}",
        f"{size_mb:.1f}",
    ]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--models", default=",".join(MODELS))
    parser.add_argument("--output", type=Path)
    args = parser.parse_args(argv)
    rows = []
    for name in args.models.split(","):
        rows.append(measure(name, args.data))
        print(f"  done: {name}", file=sys.stderr)
    header = [
        "outfox-clean (1,999 train / 1,996 test essays)",
        "ROC AUC",
        "fit s (classifier)",
        "fit s (with tokenizer / doc2vec)",
        "epochs run",
        "predict docs/s",
        "model MB",
    ]
    report = "\n\n".join(
        [
            "# Neural classifiers on outfox-clean",
            f"Machine: {machine('tensorflow', 'keras', 'scikit-learn')}",
            markdown(header, rows),
        ]
    )
    print(report)
    if args.output:
        write_report(args.output, report)


if __name__ == "__main__":
    main()
