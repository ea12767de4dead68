"""Augmentation benchmark: does typo noise in training help, in domain and off it?

Each detector is trained as in the detection benchmark (``bench_detection.py``'s
task definitions and models) three ways: as it is; with a
:class:`sklearn_aidetect.TypoAugmenter` after its normaliser that puts a typo in
5% of the words of the machine-written training texts only (``only_label=1``, what
the Kaggle teams did, so that "no typo" stops meaning "machine"); and with the same
noise on every training text. Test texts are never edited (``transform`` leaves
them as they are). Columns: ROC AUC per task, and ``transfer-m4`` TPR at 1% FPR.

Usage::

    python benchmarks/bench_augmentation.py [--data DIR] [--detectors A,B]
        [--output FILE]
"""

import argparse
import shlex
import sys
import time
from pathlib import Path

from _common import machine, markdown, write_report
from bench_detection import DEFAULT_DATA, load_tasks

DETECTORS = ["tfidf-logistic", "bpe-naive-bayes"]
TASKS = ["outfox-clean", "hc3-grouped", "transfer-m4"]
VARIANTS = {
    "none": None,
    "typos 5%, machine texts": {"typo_rate": 0.05, "only_label": 1},
    "typos 5%, all texts": {"typo_rate": 0.05},
}


def build(name, augmenter):
    from sklearn_aidetect import TypoAugmenter, make_detector

    model = make_detector(name, random_state=0)
    if augmenter is not None:
        model.steps.insert(1, ("augmenter", TypoAugmenter(**augmenter, random_state=0)))
    return model


def measure(name, augmenter, sets):
    from sklearn.metrics import roc_auc_score

    from sklearn_aidetect.metrics import tpr_at_fpr

    figures = {}
    for X, y, tests in sets.values():
        chosen = {task: xy for task, xy in tests.items() if task in TASKS}
        if not chosen:
            continue
        model = build(name, augmenter).fit(X, y)
        for task, (X_test, y_test, *_) in chosen.items():
            scores = model.predict_proba(X_test)[:, 1]
            figures[task] = roc_auc_score(y_test, scores)
            figures[f"{task} tpr"] = tpr_at_fpr(y_test, scores, max_fpr=0.01)
    return figures


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--detectors", default=",".join(DETECTORS))
    parser.add_argument("--output", type=Path)
    args = parser.parse_args(argv)
    if args.output:
        from sklearn_aidetect._io import check_writable

        check_writable(args.output, overwrite=True)
    started = time.perf_counter()
    sets = load_tasks(args.data)
    rows = []
    for name in [n for n in args.detectors.split(",") if n]:
        baseline = None
        for variant, augmenter in VARIANTS.items():
            tic = time.perf_counter()
            figures = measure(name, augmenter, sets)
            print(f"  {name}, {variant}: {time.perf_counter() - tic:.0f} s",
                  file=sys.stderr, flush=True)  # fmt: skip
            baseline = baseline or figures
            rows.append(
                [name, variant]
                + [
                    f"{figures[t]:.4f}"
                    + (
                        ""
                        if figures is baseline
                        else f" ({figures[t] - baseline[t]:+.4f})"
                    )
                    for t in TASKS
                ]
                + [f"{figures['transfer-m4 tpr']:.3f}"]
            )
    command = shlex.join(
        ["python", "benchmarks/bench_augmentation.py"]
        + (argv if argv is not None else sys.argv[1:])
    )
    report = "\n\n".join(
        [
            "# Augmentation: typo noise in the training texts",
            "Machine: " + machine("scikit-learn", "tokenizers", "numpy"),
            markdown(
                ["detector", "augmentation", *TASKS, "transfer-m4 TPR@1%FPR"], rows
            ),
            f"Command: `{command}`; {(time.perf_counter() - started) / 60:.1f} min in "
            "all. ROC AUC, and in brackets the change from no augmentation. "
            "Training sets as in bench_detection.py (transfer-m4: all the shared "
            "training data); test texts are never edited. TypoAugmenter(typo_rate="
            "0.05, random_state=0) after the normaliser; 'machine texts' is "
            "only_label=1.",
        ]
    )
    print(report)
    if args.output:
        write_report(args.output, report)


if __name__ == "__main__":
    main()
