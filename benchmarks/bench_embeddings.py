"""Embedding benchmark: fit time, memory, size and detection power of each vectorizer.

On the OUTFOX essays of ``../shared/data`` it prints three markdown tables:

1. each vectorizer at its defaults fitted on all 5,995 essays (tokens from
   ``WordTokenizer(lowercase=True)``): fit seconds, peak memory of the process (each
   vectorizer runs in a fresh process, so peaks do not mix), transform documents per
   second and pickled size;
2. ``Doc2VecVectorizer.transform`` against a plain loop over gensim's ``infer_vector``
   with the same model and epochs, with ``n_jobs=1`` and ``n_jobs=2`` (the first
   parallel call starts the worker processes: shown apart);
3. the ``outfox-clean`` task (``../shared/data/README.md``): each vectorizer +
   ``LogisticRegression(class_weight="balanced")``, ROC AUC.

Usage::

    python benchmarks/bench_embeddings.py [--data PATH] [--output FILE]
"""

import argparse
import json
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import DEFAULT_DATA, load_rows, machine, markdown, write_report

VECTORIZERS = ["Doc2VecVectorizer", "Word2VecVectorizer", "FastTextVectorizer"]


def tokenize(texts):
    from sklearn_aidetect import WordTokenizer

    return WordTokenizer(lowercase=True).transform(texts)


def peak_megabytes():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make(name, **params):
    import sklearn_aidetect

    return getattr(sklearn_aidetect, name)(**params)


def measure_one(data, name, vectors_file):
    """Fit one vectorizer on every essay, in this (fresh) process; print JSON."""
    tokens = tokenize([row["text"] for row in load_rows(data)])
    before = peak_megabytes()
    if name == "PretrainedVectorizer":
        vectorizer = make(name, path=vectors_file)
    else:
        vectorizer = make(name, random_state=0)
    start = time.perf_counter()
    vectorizer.fit(tokens)
    fit_seconds = time.perf_counter() - start
    peak = peak_megabytes()
    start = time.perf_counter()
    vectorizer.transform(tokens)
    transform_seconds = time.perf_counter() - start
    if name == "Word2VecVectorizer":
        vectorizer.vectors_.save_word2vec_format(vectors_file)
    result = {
        "fit_seconds": fit_seconds,
        "peak_mb": peak,
        "fit_peak_mb": peak - before,
        "docs_per_second": len(tokens) / transform_seconds,
        "pickled_mb": len(pickle.dumps(vectorizer)) / 1e6,
    }
    print(json.dumps(result))


def fit_table(data):
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        vectors_file = str(Path(folder) / "word2vec.txt")
        for name in [*VECTORIZERS, "PretrainedVectorizer"]:
            command = [sys.executable, __file__, "--data", str(data)]
            command += ["--one", name, "--vectors-file", vectors_file]
            output = subprocess.run(command, capture_output=True, text=True, check=True)
            result = json.loads(output.stdout.strip().splitlines()[-1])
            label = (
                "PretrainedVectorizer (the Word2Vec vectors, word2vec text file)"
                if name == "PretrainedVectorizer"
                else f"{name}() defaults"
            )
            rows.append(
                [
                    label,
                    f"{result['fit_seconds']:.1f}",
                    f"{result['peak_mb']:,.0f} (+{result['fit_peak_mb']:,.0f})",
                    f"{result['docs_per_second']:,.0f}",
                    f"{result['pickled_mb']:.1f}",
                ]
            )
            print(f"  done: {name}", file=sys.stderr)
    header = [
        "vectorizer (fit on 5,995 essays)",
        "fit s",
        "peak MB of the process (+ during fit)",
        "transform docs/s",
        "pickled MB",
    ]
    return markdown(header, rows)


def inference_table(data):
    import numpy as np

    from sklearn_aidetect import Doc2VecVectorizer

    rows = load_rows(data)
    train = tokenize([r["text"] for r in rows if r["split"] == "valid"])
    test = tokenize([r["text"] for r in rows if r["split"] == "test"])
    vectorizer = Doc2VecVectorizer(random_state=0).fit(train)
    model = vectorizer.model_

    def plain_loop():
        return [model.infer_vector(tokens, epochs=model.epochs) for tokens in test]

    timings = {}

    def timed(label, function):
        start = time.perf_counter()
        result = function()
        timings.setdefault(label, []).append(time.perf_counter() - start)
        return result

    plain, serial = "plain loop over gensim infer_vector", "transform, n_jobs=1"
    cold = "transform, n_jobs=2, first call (starts 2 workers)"
    warm = "transform, n_jobs=2, workers running"
    timed(plain, plain_loop)
    expected = timed(serial, lambda: vectorizer.transform(test))
    vectorizer.set_params(n_jobs=2)
    results = [timed(cold, lambda: vectorizer.transform(test))]
    results += [timed(warm, lambda: vectorizer.transform(test)) for _ in range(3)]
    vectorizer.set_params(n_jobs=1)
    for _ in range(2):
        timed(plain, plain_loop)
        timed(serial, lambda: vectorizer.transform(test))
    # Deterministic: the same vectors whatever n_jobs.
    assert all(np.array_equal(result, expected) for result in results)
    baseline = min(timings[plain])
    table = [
        [
            label,
            str(len(values)),
            f"{min(values):.2f}",
            f"{len(test) / min(values):,.0f}",
            f"{baseline / min(values):.2f}x",
        ]
        for label, values in timings.items()
    ]
    header = [
        f"Doc2Vec inference, {len(test):,} essays",
        "runs",
        "best s",
        "docs/s",
        "speed-up vs plain loop",
    ]
    return markdown(header, table)


def detection_table(data):
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    rows = [r for r in load_rows(data) if r["attack"] == "none"]
    train = [r for r in rows if r["split"] == "valid"]
    test = [r for r in rows if r["split"] == "test"]
    train_tokens = tokenize([r["text"] for r in train])
    test_tokens = tokenize([r["text"] for r in test])
    y_train = [int(r["label"]) for r in train]
    y_test = [int(r["label"]) for r in test]
    table = []
    for name in VECTORIZERS:
        vectorizer = make(name, random_state=0)
        start = time.perf_counter()
        features = vectorizer.fit_transform(train_tokens)
        classifier = LogisticRegression(class_weight="balanced", max_iter=5000)
        classifier.fit(features, y_train)
        scores = classifier.predict_proba(vectorizer.transform(test_tokens))[:, 1]
        seconds = time.perf_counter() - start
        auc = roc_auc_score(y_test, scores)
        table.append([f"{name}() + LogisticRegression", f"{auc:.4f}", f"{seconds:.1f}"])
        print(f"  done: {name} on outfox-clean", file=sys.stderr)
    header = [
        f"outfox-clean ({len(train)} train / {len(test)} test essays)",
        "ROC AUC",
        "fit + score s",
    ]
    return markdown(header, table)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--output", type=Path, help="also write the report here")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--vectors-file", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not args.data.is_file():
        parser.error(f"{args.data} not found: pass --data PATH to outfox_essays.csv.gz")
    if args.one:
        measure_one(args.data, args.one, args.vectors_file)
        return
    report = "\n\n".join(
        [
            "# Embedding benchmark",
            f"Data: {args.data.name}.  \n"
            f"Machine: {machine('gensim', 'scikit-learn', 'sklearn_aidetect')}.",
            fit_table(args.data),
            inference_table(args.data),
            detection_table(args.data),
        ]
    )
    print(report)
    if args.output:
        write_report(args.output, report)


if __name__ == "__main__":
    main()
