"""The main job's targets, timed as a user runs them: the ``aidetect`` commands.

- ``aidetect train`` with ``tfidf-ensemble`` on OUTFOX and HC3 together (every row of
  both files of ``../shared/data``, about 14,800 texts): wall seconds, peak memory
  and the size of the saved model;
- ``aidetect predict`` on 1,000 OUTFOX essays with that model, including starting
  Python and loading the model (median of ``--repeats`` runs);
- ``aidetect demo`` on the built-in synthetic essays.

Each command runs in a fresh process, as from a shell. The CSV files it reads are
written to a temporary folder first (never into the repository).

Usage::

    python benchmarks/bench_cli.py [--data ../shared/data] [--output results/cli.md]
"""

import argparse
import csv
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import load_rows, machine, markdown, write_report

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/data"
AIDETECT = Path(sys.executable).parent / "aidetect"


def write_csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "label"])
        writer.writerows(rows)
    return path


def timed(*args):
    """Wall seconds and peak resident memory (MB) of one ``aidetect`` command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(
        [str(AIDETECT), *map(str, args), "--quiet"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest child so far; report it only when it grew.
    return seconds, (peak / 1024 if peak > before else float("nan"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()

    outfox = load_rows(args.data / "outfox_essays.csv.gz")
    hc3 = load_rows(args.data / "hc3_en_qa.csv.gz")
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        train_csv = write_csv(
            folder / "outfox_hc3.csv",
            [[i, r["text"], r["label"]] for i, r in enumerate(outfox + hc3)],
        )
        essays = [r for r in outfox if r["split"] == "test"][:1000]
        score_csv = write_csv(
            folder / "essays_1000.csv",
            [[i, r["text"], r["label"]] for i, r in enumerate(essays)],
        )
        model = folder / "model.joblib"
        print(f"training tfidf-ensemble on {len(outfox) + len(hc3)} texts ...")
        train_s, train_mb = timed(
            "train", train_csv, "--detector", "tfidf-ensemble", "--out", model
        )
        model_mb = model.stat().st_size / 1e6
        predict_runs = [
            timed("predict", model, score_csv, "--out", folder / "p.csv", "--force")[0]
            for _ in range(args.repeats)
        ]
        demo_s, _ = timed("demo", "--workdir", folder / "demo")

    rows = [
        [
            f"train tfidf-ensemble, {len(outfox) + len(hc3):,} texts",
            f"{train_s:.1f}",
            "< 60",
            f"{train_mb:,.0f}",
            f"model {model_mb:.1f} MB (< 100)",
        ],
        [
            f"predict {len(essays):,} essays, incl. start-up and loading",
            f"{statistics.median(predict_runs):.2f}",
            "< 5",
            "",
            "runs: " + ", ".join(f"{s:.2f}" for s in predict_runs),
        ],
        ["demo (built-in synthetic essays)", f"{demo_s:.1f}", "< 120", "", ""],
    ]
    table = markdown(
        ["command", "wall s", "target s", "peak MB", "notes"],
        rows,
    )
    report = (
        "# `aidetect` commands, timed from a shell\n\n"
        f"{machine('scikit-learn', 'tokenizers', 'joblib')}; "
        f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}.\n\n"
        f"{table}\n\n"
        "Command: `python benchmarks/bench_cli.py`. Peak MB is the largest resident "
        "set of the command's process; blank when a smaller command ran after a "
        "larger one (the operating system reports only the maximum over children)."
    )
    print(report)
    if args.output:
        write_report(args.output, report)


if __name__ == "__main__":
    main()
