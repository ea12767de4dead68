"""Performance of the recommended n-gram detectors: size, fit, predict, memory.

For each detector (default: ``bpe-naive-bayes``, ``tfidf-wordchar-bpe``,
``tfidf-cross-domain``, ``transfer-vote``), in a fresh process of its own:

- fit seconds on the ``outfox-clean`` training set (the 1,999 OUTFOX ``valid``
  essays), and the same for the Kaggle recipe of ``bench_detection.py`` (its BPE
  tokenizer, vocabulary and vote; scoring the 1,999 test essays included, as it is
  one step there), so that "fit / recipe" compares two times of the same run;
- predict documents per second: ``predict_proba`` on the 8,853 HC3 texts;
- peak MB: the largest resident set of that process;
- model MB: the fitted model saved with :func:`sklearn_aidetect.save_model`;
- ``aidetect predict`` seconds: the command, started as a new process, scoring
  1,000 OUTFOX test essays (start-up, imports and loading the model included).

``--before DIR`` adds a row per detector run from another checkout of the library
(``git worktree add DIR COMMIT``), on ``PYTHONPATH``, so that a before/after table is
measured in one run on the same machine. ROC AUC per task is
``bench_detection.py``'s. The texts are read from ``../shared/data`` and written
only to a temporary folder.

Usage::

    python benchmarks/bench_performance.py [--data DIR] [--detectors A,B]
        [--before DIR] [--output FILE]
"""

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import load_rows, machine, markdown, write_report

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/data"
DETECTORS = [
    "bpe-naive-bayes",
    "tfidf-wordchar-bpe",
    "tfidf-cross-domain",
    "transfer-vote",
]
RECIPE = "Kaggle recipe"
N_PREDICT_CLI = 1000


def _sets(data):
    outfox = load_rows(Path(data) / "outfox_essays.csv.gz")
    hc3 = load_rows(Path(data) / "hc3_en_qa.csv.gz")
    clean = [r for r in outfox if r["attack"] == "none"]
    train = [r for r in clean if r["split"] == "valid"]
    test = [r for r in clean if r["split"] == "test"]
    texts = lambda rows: [r["text"] for r in rows]  # noqa: E731
    labels = lambda rows: [int(r["label"]) for r in rows]  # noqa: E731
    return texts(train), labels(train), texts(test), texts(hc3)


def measure_row(name, data, folder):
    """One row, in this process: the figures as a dict."""
    X, y, X_test, X_hc3 = _sets(data)
    if name == RECIPE:
        from bench_detection import KaggleRecipe

        start = time.perf_counter()
        KaggleRecipe().fit_score(X, y, X_test)
        fit = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return {"fit": fit, "peak": peak}
    from sklearn_aidetect import make_detector, save_model

    model = make_detector(name, random_state=0)
    start = time.perf_counter()
    model.fit(X, y)
    fit = time.perf_counter() - start
    start = time.perf_counter()
    model.predict_proba(X_hc3)
    rate = len(X_hc3) / (time.perf_counter() - start)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    path = Path(folder) / f"{name}.joblib"
    save_model(model, path, overwrite=True)
    essays = Path(folder) / "essays.csv"
    with open(essays, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text"])
        writer.writerows([text] for text in X_test[:N_PREDICT_CLI])
    command = [
        sys.executable,
        "-c",
        "import sys; from sklearn_aidetect.cli import main; sys.exit(main())",
        "predict",
        "--quiet",
        "--force",
        "--out",
        str(Path(folder) / "predictions.csv"),
        str(path),
        str(essays),
    ]
    start = time.perf_counter()
    subprocess.run(command, check=True, env=os.environ.copy(), capture_output=True)
    cli = time.perf_counter() - start
    return {
        "fit": fit,
        "rate": rate,
        "peak": peak,
        "size": os.path.getsize(path) / 1e6,
        "cli": cli,
    }


def _run_row(name, data, folder, library=None):
    """Run one row in a fresh interpreter (``library``: a checkout on PYTHONPATH)."""
    env = os.environ.copy()
    if library is not None:
        env["PYTHONPATH"] = str(Path(library).resolve())
    command = [sys.executable, __file__, "--row", name, "--data", str(data)]
    command += ["--folder", str(folder)]
    done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--detectors", default=",".join(DETECTORS))
    parser.add_argument("--before", type=Path, help="a checkout of the old library")
    parser.add_argument("--output", type=Path)
    parser.add_argument("--row", help=argparse.SUPPRESS)  # one row, in this process
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.row:
        print(json.dumps(measure_row(args.row, args.data, args.folder)))
        return
    if args.output:
        from sklearn_aidetect._io import check_writable

        check_writable(args.output, overwrite=True)
    names = [name.strip() for name in args.detectors.split(",") if name.strip()]
    versions = (
        [("before", args.before), ("after", None)] if args.before else [("", None)]
    )
    started = time.perf_counter()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        recipe = _run_row(RECIPE, args.data, folder)
        print(f"done: {RECIPE}", file=sys.stderr, flush=True)
        rows.append(
            [
                RECIPE,
                "",
                f"{recipe['fit']:.1f}",
                "1.00",
                "n/a",
                f"{recipe['peak']:,.0f}",
                "n/a",
                "n/a",
            ]
        )
        for name in names:
            for label, library in versions:
                row = _run_row(name, args.data, folder, library)
                print(f"done: {name} {label}", file=sys.stderr, flush=True)
                rows.append(
                    [
                        name,
                        label,
                        f"{row['fit']:.1f}",
                        f"{row['fit'] / recipe['fit']:.2f}",
                        f"{row['rate']:,.0f}",
                        f"{row['peak']:,.0f}",
                        f"{row['size']:.1f}",
                        f"{row['cli']:.2f}",
                    ]
                )
    header = [
        "detector",
        "version",
        "fit s",
        "fit / recipe",
        "predict docs/s",
        "peak MB",
        "model MB",
        f"aidetect predict {N_PREDICT_CLI:,} essays, s",
    ]
    command = " ".join(
        ["python", "benchmarks/bench_performance.py", *(argv or sys.argv[1:])]
    )
    report = "\n\n".join(
        [
            "# Performance: size, fit, predict and memory of the n-gram detectors",
            "Machine: " + machine("scikit-learn", "tokenizers", "numpy", "scipy"),
            markdown(header, rows),
            f"Command: `{command}`; {(time.perf_counter() - started) / 60:.1f} min in "
            "all, one row at a time, each in a fresh process. Fit: the outfox-clean "
            "training set (1,999 essays), every step included; the Kaggle recipe's "
            "fit also scores the 1,999 test essays. Predict: predict_proba on the "
            "8,853 HC3 texts. Peak MB: the row's process. Model MB: save_model's "
            f"file. aidetect predict: the command on {N_PREDICT_CLI:,} OUTFOX test "
            "essays, start-up and loading included."
            + (
                f" before: the library of `{args.before}` on PYTHONPATH."
                if args.before
                else ""
            ),
        ]
    )
    print(report)
    if args.output:
        write_report(args.output, report)


if __name__ == "__main__":
    main()
