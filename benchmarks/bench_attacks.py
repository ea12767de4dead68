"""Attack benchmark: the main detectors under character-level evasion, with and without
the TextNormalizer.

Each detector (``random_state=0``) is trained twice on a task's training set: as
:func:`sklearn_aidetect.make_detector` builds it (``TextNormalizer`` first) and with
that step turned off (``normalizer="passthrough"``). Each model scores the task's test
set clean and under every attack of :data:`sklearn_aidetect.perturbation.ATTACKS`,
applied to the machine-written test texts (the evader's edit; the human texts stay
as they are) with ``random_state=0``, at the rates given there:

- ``homoglyphs``: 10% of the letters replaced by Cyrillic/Greek look-alikes;
- ``zero-width``: a zero-width character after 10% of the characters;
- ``whitespace``: 20% of the spaces widened or replaced by Unicode spaces and tabs;
- ``typos``: one typo (swap, drop, double, keyboard slip) in 5% of the words;
- ``case``: the case of 5% of the letters swapped;
- ``paraphrase`` (``outfox-clean`` only): the OUTFOX DIPPER paraphrases of the machine
  essays in place of the clean ones (the ``outfox-paraphrased`` task).

Tasks: ``outfox-clean`` and ``hc3-grouped`` of ``../shared/data/README.md``. Each cell
is ROC AUC and, after the slash, the true-positive rate at 1% false-positive rate
(:func:`sklearn_aidetect.evaluation.tpr_at_fpr`); a second table gives the change of
ROC AUC from the clean test set.

Usage::

    python benchmarks/bench_attacks.py [--data DIR] [--detectors A,B]
        [--tasks outfox-clean,hc3-grouped] [--output FILE]
"""

import argparse
import sys
import time
from pathlib import Path

from _common import load_rows, machine, markdown, write_report

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/data"
DETECTORS = ["tfidf-wordchar-bpe", "tfidf-cross-domain", "bpe-naive-bayes"]
TASKS = ["outfox-clean", "hc3-grouped"]


def load_tasks(data, tasks):
    """``{task: (X_train, y_train, X_test, y_test, paraphrased or None)}``."""
    from sklearn.model_selection import GroupShuffleSplit

    found = {}
    if "outfox-clean" in tasks:
        outfox = load_rows(Path(data) / "outfox_essays.csv.gz")
        clean = [r for r in outfox if r["attack"] == "none"]
        train = [r for r in clean if r["split"] == "valid"]
        test = [r for r in clean if r["split"] == "test"]
        paraphrased = [r for r in test if r["label"] == "0"]
        paraphrased += [r for r in outfox if r["attack"] == "dipper"]
        found["outfox-clean"] = (*_xy(train), *_xy(test), _xy(paraphrased))
    if "hc3-grouped" in tasks:
        hc3 = load_rows(Path(data) / "hc3_en_qa.csv.gz")
        train, test = next(
            GroupShuffleSplit(n_splits=1, test_size=0.3, random_state=0).split(
                hc3, groups=[r["group_id"] for r in hc3]
            )
        )
        found["hc3-grouped"] = (
            *_xy([hc3[i] for i in train]),
            *_xy([hc3[i] for i in test]),
            None,
        )
    return found


def _xy(rows):
    return [r["text"] for r in rows], [int(r["label"]) for r in rows]


def attacked(X, y, attack, rate):
    """``X`` with the machine texts (label 1) edited by ``attack``, seed 0."""
    machine_texts = [text for text, label in zip(X, y) if label == 1]
    edited = iter(attack(machine_texts, rate=rate, random_state=0))
    return [next(edited) if label == 1 else text for text, label in zip(X, y)]


def score(model, X, y):
    from sklearn.metrics import roc_auc_score

    from sklearn_aidetect import tpr_at_fpr

    scores = model.predict_proba(X)[:, 1]
    return roc_auc_score(y, scores), tpr_at_fpr(y, scores, max_fpr=0.01)


def run(name, normalized, task):
    """``{condition: (ROC AUC, TPR at 1% FPR)}`` for one detector on one task."""
    from sklearn_aidetect import make_detector
    from sklearn_aidetect.perturbation import ATTACKS

    X, y, X_test, y_test, paraphrased = task
    model = make_detector(name, random_state=0)
    if not normalized:
        model.set_params(normalizer="passthrough")
    start = time.perf_counter()
    model.fit(X, y)
    seconds = time.perf_counter() - start
    results = {"clean": score(model, X_test, y_test)}
    for attack_name, (attack, rate) in ATTACKS.items():
        results[attack_name] = score(
            model, attacked(X_test, y_test, attack, rate), y_test
        )
    if paraphrased is not None:
        results["paraphrase"] = score(model, *paraphrased)
    return results, seconds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=DEFAULT_DATA, type=Path)
    parser.add_argument("--detectors", default=",".join(DETECTORS))
    parser.add_argument("--tasks", default=",".join(TASKS))
    parser.add_argument("--output", type=Path)
    args = parser.parse_args(argv)

    from sklearn_aidetect.perturbation import ATTACKS

    tasks = load_tasks(args.data, args.tasks.split(","))
    sections = [
        f"# Character-level attacks on {', '.join(tasks)}, with and without "
        "TextNormalizer",
        f"Machine: {machine('scikit-learn', 'tokenizers', 'confusable-homoglyphs')}",
        "Cell: ROC AUC / TPR at 1% FPR. Attacks edit the machine-written test texts "
        "(seed 0); `normalizer` says whether the detector's TextNormalizer step ran. "
        "Reproduce with `python benchmarks/bench_attacks.py --tasks "
        f"{','.join(tasks)}`.",
    ]
    for task_name, task in tasks.items():
        conditions = ["clean", *ATTACKS]
        if task[4] is not None:
            conditions.append("paraphrase")
        header = ["detector", "normalizer", *conditions]
        cells, drops = [], []
        for name in args.detectors.split(","):
            for normalized in (True, False):
                results, seconds = run(name, normalized, task)
                print(
                    f"  {task_name} {name} normalizer={normalized}: {seconds:.1f} s",
                    file=sys.stderr,
                    flush=True,
                )
                flag = "on" if normalized else "off"
                cells.append(
                    [name, flag]
                    + [f"{results[c][0]:.4f} / {results[c][1]:.3f}" for c in conditions]
                )
                clean = results["clean"][0]
                drops.append(
                    [name, flag, f"{clean:.4f}"]
                    + [f"{results[c][0] - clean:+.4f}" for c in conditions[1:]]
                )
        sections += [
            f"## {task_name}",
            markdown(header, cells),
            f"Change of ROC AUC from the clean test set ({task_name}):",
            markdown(
                ["detector", "normalizer", "clean ROC AUC", *conditions[1:]], drops
            ),
        ]
    report = "\n\n".join(sections)
    print(report)
    if args.output:
        write_report(args.output, report)


if __name__ == "__main__":
    main()
