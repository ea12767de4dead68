"""Same seed, same predictions: every ready-made detector trained in two processes.

Each detector is built with ``make_detector(name, random_state=0)`` at its default
settings, trained on a subsample of the ``outfox-clean`` training split and scores
the test split, in two separate Python processes (so anything seeded per process,
such as Python's string hash, differs). The table says whether the two runs gave
bit-identical probabilities, and the largest difference if not. The unit tests check
the fast detectors the same way; the neural ones train too long for a unit test.

Usage::

    python benchmarks/bench_reproducibility.py [--train 600] [--test 400]
        [--output results/reproducibility.md]
"""

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from _common import DEFAULT_DATA, NEEDS_PRESET, machine, markdown, write_report

from sklearn_aidetect import list_detectors

WORKER = """
import sys
import numpy as np
sys.path.insert(0, {benchmarks!r})
from _common import load_rows
from sklearn_aidetect import make_detector

rows = [r for r in load_rows({data!r}) if r["attack"] == "none"]
train = [r for r in rows if r["split"] == "valid"][::{train_step}][:{train}]
test = [r for r in rows if r["split"] == "test"][::{test_step}][:{test}]
detector = make_detector({name!r}, random_state=0)
detector.fit([r["text"] for r in train], [int(r["label"]) for r in train])
np.save({out!r}, detector.predict_proba([r["text"] for r in test])[:, 1])
"""


def run_once(name, args, out):
    code = WORKER.format(
        benchmarks=str(Path(__file__).parent),
        data=str(args.data),
        train=args.train,
        test=args.test,
        train_step=max(1, 1999 // args.train),
        test_step=max(1, 1996 // args.test),
        name=name,
        out=str(out),
    )
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--train", type=int, default=600)
    parser.add_argument("--test", type=int, default=400)
    parser.add_argument("--detectors", nargs="*")
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()

    names = args.detectors or [
        info.name for info in list_detectors() if info.name not in NEEDS_PRESET
    ]
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for name in names:
            runs = [Path(folder) / f"{name}-{i}.npy" for i in range(2)]
            seconds = [run_once(name, args, path) for path in runs]
            first, second = (np.load(path) for path in runs)
            identical = np.array_equal(first, second)
            rows.append(
                [
                    name,
                    "yes" if identical else "NO",
                    f"{np.max(np.abs(first - second)):.2e}",
                    str(len(first)),
                    " / ".join(f"{s:.1f}" for s in seconds),
                ]
            )
            print(rows[-1], flush=True)
    table = markdown(
        ["detector", "identical", "max abs difference", "test texts", "seconds (runs)"],
        rows,
    )
    report = (
        "# Reproducibility: two processes, same random_state\n\n"
        f"{machine('scikit-learn', 'gensim', 'tokenizers', 'tensorflow', 'keras')}\n\n"
        f"Trained on {args.train} outfox-clean training essays, scored on {args.test} "
        "test essays, each detector at its defaults with `random_state=0`, in two "
        "separate processes, on CPU.\n\n"
        f"{table}\n\n"
        "Command: `python benchmarks/bench_reproducibility.py`."
    )
    print(report)
    if args.output:
        write_report(args.output, report)


if __name__ == "__main__":
    main()
