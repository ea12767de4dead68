"""Length benchmark: how a detector's reliability grows with the length of the text.

Each detector is trained as in the detection benchmark (``bench_detection.py``: the
same task definitions of ``../shared/data/README.md``, the same models) and scores
its test texts cut to their first N words (:func:`sklearn_aidetect.first_words`;
a text that is shorter stays whole), for N in 10, 25, 50, 100, 200 and the whole
text. Cutting the same texts isolates length: bucketing texts by their natural
length would mix length with topic and source, and on these tasks the human and the
machine texts of one length bucket are often not even both present. For each N:
ROC AUC, the true-positive rate at 1% false-positive rate, and the false-positive
rate on human texts at the threshold that gives 1% on whole texts (the shift a
fixed threshold suffers when texts get short). ``words`` is the median number of
words the cut test texts have.

The table is what :data:`sklearn_aidetect.abstention.MIN_WORDS` (the length below
which ``aidetect predict`` abstains) was chosen from.

Usage::

    python benchmarks/bench_length.py [--data DIR] [--detectors A,B]
        [--tasks T1,T2] [--output FILE]
"""

import argparse
import shlex
import sys
import time
from pathlib import Path

from _common import machine, markdown, write_report
from bench_detection import DEFAULT_DATA, load_tasks

LENGTHS = [10, 25, 50, 100, 200, None]  # None: the whole text
DETECTORS = ["tfidf-logistic", "bpe-naive-bayes", "tfidf-cross-domain"]
TASKS = ["outfox-clean", "hc3-grouped", "transfer-m4"]


def measure(name, train_X, train_y, tests):
    """One row per (task, length): the figures for ``name`` trained once."""
    import numpy as np
    from sklearn.metrics import roc_auc_score

    from sklearn_aidetect import count_words, first_words, make_detector
    from sklearn_aidetect.metrics import threshold_at_fpr, tpr_at_fpr

    start = time.perf_counter()
    model = make_detector(name, random_state=0).fit(train_X, train_y)
    print(
        f"  {name}: trained in {time.perf_counter() - start:.0f} s",
        file=sys.stderr,
        flush=True,
    )
    rows = []
    for task, (X, y, *_) in tests.items():
        y = np.asarray(y)
        whole = model.predict_proba(X)[:, 1]
        # The threshold a user would have set on whole texts for 1% FPR.
        threshold = threshold_at_fpr(y, whole, max_fpr=0.01)
        for n_words in LENGTHS:
            if n_words is None:
                cut, scores = X, whole
            else:
                cut = [first_words(text, n_words) for text in X]
                scores = model.predict_proba(cut)[:, 1]
            human = scores[y == 0]
            rows.append(
                [
                    name,
                    task,
                    "whole" if n_words is None else str(n_words),
                    f"{np.median(count_words(cut)):.0f}",
                    f"{roc_auc_score(y, scores):.4f}",
                    f"{tpr_at_fpr(y, scores, max_fpr=0.01):.3f}",
                    f"{np.mean(human >= threshold):.3f}",
                ]
            )
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--detectors", default=",".join(DETECTORS))
    parser.add_argument("--tasks", default=",".join(TASKS))
    parser.add_argument("--output", type=Path)
    args = parser.parse_args(argv)
    names = [name for name in args.detectors.split(",") if name]
    tasks = [task for task in args.tasks.split(",") if task]
    if args.output:  # fail before the long run, not after it
        from sklearn_aidetect._io import check_writable

        check_writable(args.output, overwrite=True)

    started = time.perf_counter()
    sets = load_tasks(args.data)
    known = {task for _, _, tests in sets.values() for task in tests}
    unknown = sorted(set(tasks) - known)
    if unknown:
        parser.error(f"unknown tasks {unknown}; choose from {sorted(known)}")
    rows = []
    for name in names:
        for X, y, tests in sets.values():
            chosen = {task: xy for task, xy in tests.items() if task in tasks}
            if chosen:
                rows += measure(name, X, y, chosen)
    header = [
        "detector",
        "task",
        "first N words",
        "words",
        "ROC AUC",
        "TPR@1%FPR",
        "FPR at whole-text threshold",
    ]
    command = shlex.join(
        ["python", "benchmarks/bench_length.py"]
        + (argv if argv is not None else sys.argv[1:])
    )
    report = "\n\n".join(
        [
            "# Length: detection on the first N words of each test text",
            "Machine: " + machine("scikit-learn", "tokenizers", "numpy"),
            markdown(header, rows),
            f"Command: `{command}`; {(time.perf_counter() - started) / 60:.1f} min "
            "in all. Training sets as in bench_detection.py (hc3-grouped: the HC3 "
            "train groups; transfer-m4: all the shared training data); test texts "
            "cut to their first N words (sklearn_aidetect.first_words), words "
            "counted by sklearn_aidetect.count_words. TPR@1%FPR: the best threshold "
            "for the cut texts, read off their own ROC curve. FPR at whole-text "
            "threshold: the share of human texts flagged at the threshold that "
            "flags 1% of them when they are whole.",
        ]
    )
    print(report)
    if args.output:
        write_report(args.output, report)


if __name__ == "__main__":
    main()
