"""How the n-gram detectors' defaults were chosen: CV on training parts only.

The detection benchmark (``bench_detection.py``) forbids choosing hyperparameters on
a task's test part. This script is where they were chosen instead: every candidate
is scored by cross-validation on the *training* parts of the benchmark tasks of
``../shared/data/README.md``, and no test text is read.

- ``outfox-clean``: 5-fold stratified CV (shuffled, seed 0) on the OUTFOX
  ``valid`` split (``attack == "none"``).
- ``hc3-grouped``: 5-fold ``GroupKFold`` by question on the training part of the
  task's ``GroupShuffleSplit``, so no question is on both sides.
- ``unseen-generator``: leave one generator out on the training part of
  ``outfox-unseen-generator`` (human, gpt-3.5 and davinci essays). The essays are
  split in two by problem statement; each model trains on one half's human essays
  and one generator and is scored on the other half's human essays and the other
  generator (2 halves x 2 generators, mean ROC AUC).

Candidates are ready-made detectors (``make_detector(name, random_state=0)``, some
with a parameter or two changed) and soft votes of two or three of them. A soft
vote averages the members' probabilities with fixed weights, so its out-of-fold
probabilities are the weighted mean of the members' and need no refit; the figures
are those :class:`sklearn.ensemble.VotingClassifier` gives (nested votes, such as
``tfidf-cross-domain``'s, give the same weighted mean). The three schemes all score
text of the training domain: none of them measures transfer to another domain
(``domain_shift.py`` is about that). Columns: ROC AUC per CV scheme,
their mean, and the seconds each base candidate took.

Usage::

    python benchmarks/tune_detection.py [--data DIR] [--output FILE]
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from _common import load_rows, machine, markdown, write_report

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/data"
SCHEMES = ["outfox-clean", "hc3-grouped", "unseen-generator"]

# name -> (detector, parameters changed from its defaults)
MACHINE_SIDE = "bpe-naive-bayes, machine-side evidence"
BASES = {
    "tfidf-logistic": ("tfidf-logistic", {}),
    "tfidf-wordchar": ("tfidf-wordchar", {}),
    "tfidf-ensemble": ("tfidf-ensemble", {}),
    "tfidf-ensemble, min_df=1": ("tfidf-ensemble", {"vectorizer__min_df": 1}),
    "bpe-naive-bayes": ("bpe-naive-bayes", {}),
    "bpe-naive-bayes, alpha=0.1": (
        "bpe-naive-bayes",
        {"classifier__estimator__alpha": 0.1},
    ),
    "bpe-naive-bayes, min_df=2": ("bpe-naive-bayes", {"vectorizer__min_df": 2}),
    MACHINE_SIDE: ("bpe-naive-bayes", {"classifier__estimator__evidence": "positive"}),
    MACHINE_SIDE + ", alpha=0.1": (
        "bpe-naive-bayes",
        {
            "classifier__estimator__evidence": "positive",
            "classifier__estimator__alpha": 0.1,
        },
    ),
}
# Soft votes: (members, candidate weights).
PAIR_WEIGHTS = [(3, 1), (2, 1), (1, 1), (1, 2), (1, 3)]
VOTES = [
    (
        ("tfidf-wordchar", "tfidf-ensemble, min_df=1"),
        [(4, 1), (3, 1), (2, 1), (3, 2), (1, 1), (1, 2)],
    ),
    *(
        (("tfidf-wordchar", name), PAIR_WEIGHTS)
        for name in BASES
        if name.startswith("bpe-naive-bayes") and MACHINE_SIDE not in name
    ),
    *(
        (("tfidf-wordchar", "bpe-naive-bayes", name), [(1, 1, 1), (2, 1, 1), (1, 1, 2)])
        for name in BASES
        if name.startswith(MACHINE_SIDE)
    ),
]


def cv_splits(data):
    """``{scheme: [(train X, train y, test X, test y), ...]}`` from training parts."""
    from sklearn.model_selection import (
        GroupKFold,
        GroupShuffleSplit,
        StratifiedKFold,
    )

    outfox = load_rows(Path(data) / "outfox_essays.csv.gz")
    hc3 = load_rows(Path(data) / "hc3_en_qa.csv.gz")
    valid = [r for r in outfox if r["attack"] == "none" and r["split"] == "valid"]

    def part(rows, index):
        return [rows[i]["text"] for i in index], [int(rows[i]["label"]) for i in index]

    labels = [r["label"] for r in valid]
    folds = StratifiedKFold(5, shuffle=True, random_state=0).split(valid, labels)
    splits = {"outfox-clean": [(*part(valid, a), *part(valid, b)) for a, b in folds]}

    # The task's own split; only its training part is used below.
    groups = [r["group_id"] for r in hc3]
    train, _ = next(
        GroupShuffleSplit(n_splits=1, test_size=0.3, random_state=0).split(
            hc3, groups=groups
        )
    )
    hc3_train = [hc3[i] for i in train]
    folds = GroupKFold(5).split(hc3_train, groups=[r["group_id"] for r in hc3_train])
    splits["hc3-grouped"] = [
        (*part(hc3_train, a), *part(hc3_train, b)) for a, b in folds
    ]

    seen = [r for r in valid if r["generator"] != "flan-t5-xxl"]
    generators = sorted({r["generator"] for r in seen if r["label"] == "1"})
    splits["unseen-generator"] = []
    halves = GroupKFold(2).split(seen, groups=[r["prompt"] for r in seen])
    for a, b in halves:
        for held_out in generators:
            fit = [i for i in a if seen[i]["generator"] != held_out]
            score = [i for i in b if seen[i]["generator"] in ("human", held_out)]
            splits["unseen-generator"].append((*part(seen, fit), *part(seen, score)))
    return splits


def out_of_fold(name, splits):
    """Probabilities of label 1 for every held-out fold, and the seconds it took."""
    from sklearn_aidetect import make_detector

    detector, params = BASES[name]
    start = time.perf_counter()
    probabilities = {}
    for scheme, folds in splits.items():
        probabilities[scheme] = [
            make_detector(detector, random_state=0, **params)
            .fit(X, y)
            .predict_proba(X_test)[:, 1]
            for X, y, X_test, _ in folds
        ]
    return probabilities, time.perf_counter() - start


def scores(probabilities, splits):
    """Per scheme, the ROC AUC of the held-out folds (pooled, or fold mean)."""
    from sklearn.metrics import roc_auc_score

    result = {}
    for scheme, folds in splits.items():
        if scheme == "unseen-generator":  # different test sets: mean of the folds
            result[scheme] = np.mean(
                [roc_auc_score(f[3], p) for f, p in zip(folds, probabilities[scheme])]
            )
        else:  # a partition of the training part: pooled out-of-fold ROC AUC
            y = np.concatenate([f[3] for f in folds])
            result[scheme] = roc_auc_score(y, np.concatenate(probabilities[scheme]))
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=DEFAULT_DATA, type=Path)
    parser.add_argument("--output", type=Path, help="also write the report here")
    args = parser.parse_args(argv)
    if not (args.data / "outfox_essays.csv.gz").is_file():
        sys.exit(f"no shared data in {args.data}: pass --data DIR")

    splits = cv_splits(args.data)
    oof, rows = {}, []
    for name in BASES:
        oof[name], seconds = out_of_fold(name, splits)
        rows.append((name, scores(oof[name], splits), f"{seconds:.0f}"))
        print(f"{name}: {seconds:.0f} s", file=sys.stderr, flush=True)
    for members, candidates in VOTES:
        for weights in candidates:
            mixed = {
                scheme: [
                    sum(
                        w * oof[name][scheme][fold] for name, w in zip(members, weights)
                    )
                    / sum(weights)
                    for fold in range(len(folds))
                ]
                for scheme, folds in splits.items()
            }
            name = (
                f"vote {':'.join(map(str, weights))} of "
                f"{', '.join(members[:-1])} and {members[-1]}"
            )
            rows.append((name, scores(mixed, splits), ""))

    table = markdown(
        ["candidate", *SCHEMES, "mean", "seconds"],
        [
            [
                name,
                *(f"{s[k]:.5f}" for k in SCHEMES),
                f"{np.mean(list(s.values())):.5f}",
                sec,
            ]
            for name, s, sec in rows
        ],
    )
    sizes = ", ".join(
        f"{k}: {len(v)} folds of about {sum(len(f[0]) for f in v) // len(v)} texts"
        for k, v in splits.items()
    )
    report = (
        "# Choosing the n-gram detectors' defaults by cross-validation\n\n"
        f"Command: `python benchmarks/tune_detection.py`. Machine: "
        f"{machine('scikit-learn', 'tokenizers')}.\n\n"
        f"ROC AUC out of fold, training parts only ({sizes}).\n\n{table}\n"
    )
    print(report)
    if args.output:
        write_report(args.output, report)


if __name__ == "__main__":
    main()
