"""Hyperparameter search of neural detectors: n_jobs=1 against a 2-worker Dask cluster.

For each detector, the same search (8 candidates x 3 stratified folds, scored by ROC
AUC, then a refit of the best candidate on all the data) runs twice, each in a fresh
Python process:

- ``n_jobs=1``: :func:`sklearn_aidetect.search_detector` as a user runs it by default,
  TensorFlow and tokenizers free to use every core (TensorFlow sizes its thread pools
  from the core count);
- cluster: :func:`sklearn_aidetect.cluster.search_on_cluster` on
  ``dask_client(n_workers=2)``, a ``LocalCluster`` of 2 worker processes of one thread
  each, every worker capped at one TensorFlow/BLAS/tokenizers thread. The refit runs
  in the client's process, with the default threads, as in the first run.

Wall seconds of the search (cluster start-up, TensorFlow's import in the workers
included, apart) and the cores it kept busy (CPU seconds of all its processes over
wall seconds), the speed-up, whether both found the same best parameters, and the
largest difference of mean ROC AUC over the candidates. One training of the first
candidate is also timed in two more fresh processes, with TensorFlow's default threads
and with one thread: ``2 * t(default) / t(1 thread)`` bounds what two one-thread
workers can gain over one default process. Other programs take cores from the
cluster first, so the cores two busy-looping processes get (2.0 on an idle 2-core
machine) are measured before, between and after the two searches.

The data is a stratified subsample of the OUTFOX ``valid`` split, ``attack ==
"none"`` (``../shared/data/outfox_essays.csv.gz``); when that file is absent, essays
from ``make_essays`` (synthetic: timings only).

Usage::

    python benchmarks/bench_cluster.py [--data PATH] [--n-samples 450]
        [--detectors doc2vec-dense,bpe-cnn] [--output results/cluster.md]
"""

import argparse
import importlib
import json
import multiprocessing
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from _common import DEFAULT_DATA, load_rows, machine, markdown, write_report

# Small settings, so that a candidate trains in seconds; the grids have 8 candidates.
DETECTORS = {
    "doc2vec-dense": (
        {
            "classifier__epochs": 10,
            "classifier__validation_split": 0.0,
            "classifier__patience": None,
        },
        {
            "vectorizer__vector_size": [50, 100],
            "classifier__hidden_layer_sizes": [(64,), (128, 64)],
            "classifier__learning_rate": [0.001, 0.003],
        },
    ),
    "bpe-cnn": (
        {
            "tokenizer__vocab_size": 4000,
            "classifier__maxlen": 256,
            "classifier__epochs": 3,
            "classifier__validation_split": 0.0,
            "classifier__patience": None,
        },
        {
            "tokenizer__vocab_size": [2000, 4000],
            "classifier__kernel_sizes": [(3,), (3, 5)],
            "classifier__filters": [64, 128],
        },
    ),
}
CV = 3

# Thread settings a user may have set; the n_jobs=1 run is the default, without them.
THREAD_VARIABLES = [
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "RAYON_NUM_THREADS",
    "TOKENIZERS_PARALLELISM",
]


def essays(data, n_samples):
    """A stratified subsample of outfox-clean training essays, or synthetic ones."""
    import numpy as np

    if not Path(data).exists():
        from sklearn_aidetect import make_essays

        texts, labels = make_essays(n_samples, weights=(0.2, 0.8), random_state=0)
        return texts, labels.tolist(), f"{n_samples} synthetic essays (make_essays)"
    from sklearn.model_selection import train_test_split

    rows = [r for r in load_rows(data) if r["attack"] == "none"]
    rows = [r for r in rows if r["split"] == "valid"]
    labels = np.array([int(r["label"]) for r in rows])
    keep, _ = train_test_split(
        np.arange(len(rows)), train_size=n_samples, stratify=labels, random_state=0
    )
    keep = sorted(keep)
    texts = [rows[i]["text"] for i in keep]
    described = f"{n_samples} OUTFOX essays (outfox-clean training split, stratified)"
    return texts, labels[keep].tolist(), described


def run_side(args):
    """In a fresh process: one search (or one fit), printed as JSON on stdout."""
    import numpy as np

    from sklearn_aidetect import make_detector, search_detector

    texts, labels, _ = essays(args.data, args.n_samples)
    params, grid = DETECTORS[args.detector]
    detector = make_detector(args.detector, random_state=0, **params)
    result = {}
    if args.side.startswith("fit"):
        first = {key: values[0] for key, values in grid.items()}
        start = time.perf_counter()
        detector.set_params(**first).fit(texts, labels)
        result["seconds"] = time.perf_counter() - start
    elif args.side == "serial":
        cpu, start = _cpu_seconds(), time.perf_counter()
        search = search_detector(detector, texts, labels, grid, cv=CV, n_jobs=1)
        result["seconds"] = time.perf_counter() - start
        result["cpu_seconds"] = _cpu_seconds() - cpu
    else:
        from sklearn_aidetect.cluster import dask_client, search_on_cluster

        start = time.perf_counter()
        with dask_client(n_workers=2, threads_per_worker=1) as client:
            client.wait_for_workers(2)
            # TensorFlow is imported before the clock starts, as it is in the n_jobs=1
            # process (by make_detector): the start-up column includes it.
            client.run(importlib.import_module, "sklearn_aidetect.neural")
            result["startup_seconds"] = time.perf_counter() - start
            workers_cpu = sum(client.run(_cpu_seconds).values())
            cpu, start = _cpu_seconds(), time.perf_counter()
            search = search_on_cluster(
                detector, texts, labels, grid, client=client, cv=CV
            )
            result["seconds"] = time.perf_counter() - start
            workers_cpu = sum(client.run(_cpu_seconds).values()) - workers_cpu
            result["cpu_seconds"] = _cpu_seconds() - cpu + workers_cpu
            result["worker_threads"] = sorted(client.run(_tensorflow_threads).values())
    if "fit" not in args.side:
        result["best_params"] = repr(sorted(search.best_params_.items()))
        result["mean_roc_auc"] = np.asarray(
            search.cv_results_["mean_test_roc_auc"]
        ).tolist()
        result["candidates"] = len(search.cv_results_["params"])
    result["threads"] = _tensorflow_threads()
    print(json.dumps(result))


def _cpu_seconds():
    """User and system CPU seconds of this process so far, all its threads."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _spin(seconds):
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass
    return _cpu_seconds()


def cores_free(seconds=2.0):
    """How many of the machine's cores two busy processes get now (2.0: all idle)."""
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        before = sum(pool.map(_spin, [0.0, 0.0]))  # started, and what start-up cost
        return (sum(pool.map(_spin, [seconds] * 2)) - before) / seconds


def _tensorflow_threads():
    """This process's TensorFlow pools (0 = TensorFlow's default, one per core)."""
    import tensorflow as tf

    return (
        f"intra-op {tf.config.threading.get_intra_op_parallelism_threads()}, "
        f"inter-op {tf.config.threading.get_inter_op_parallelism_threads()}, "
        f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}"
    )


def in_fresh_process(args, detector, side, one_thread=False):
    env = {k: v for k, v in os.environ.items() if k not in THREAD_VARIABLES}
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if one_thread:
        env.update(OMP_NUM_THREADS="1", RAYON_NUM_THREADS="1")
        env["TOKENIZERS_PARALLELISM"] = "false"
    command = [
        sys.executable,
        __file__,
        "--data",
        str(args.data),
        "--n-samples",
        str(args.n_samples),
        "--detector",
        detector,
        "--side",
        side,
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{detector} {side} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(args, detector):
    free = [cores_free()]
    serial = in_fresh_process(args, detector, "serial")
    print(f"  {detector}: n_jobs=1 {serial['seconds']:.1f} s", file=sys.stderr)
    free.append(cores_free())
    cluster = in_fresh_process(args, detector, "cluster")
    print(f"  {detector}: cluster {cluster['seconds']:.1f} s", file=sys.stderr)
    free.append(cores_free())
    fit_default = in_fresh_process(args, detector, "fit")
    fit_one = in_fresh_process(args, detector, "fit-1-thread", one_thread=True)
    difference = max(
        abs(a - b)
        for a, b in zip(serial["mean_roc_auc"], cluster["mean_roc_auc"], strict=True)
    )
    speedup = serial["seconds"] / cluster["seconds"]
    with_startup = serial["seconds"] / (cluster["seconds"] + cluster["startup_seconds"])
    ceiling = 2 * fit_default["seconds"] / fit_one["seconds"]
    row = [
        detector,
        f"{serial['candidates']} x {CV}",
        f"{serial['seconds']:.1f} ({_busy(serial)})",
        f"{cluster['seconds']:.1f} ({_busy(cluster)}; "
        f"+{cluster['startup_seconds']:.1f} s start-up)",
        f"**{speedup:.2f}x** ({with_startup:.2f}x with start-up)",
        "yes" if serial["best_params"] == cluster["best_params"] else "NO",
        f"{difference:.1e}",
        f"{fit_default['seconds']:.1f} / {fit_one['seconds']:.1f}",
        f"{ceiling:.2f}x",
        " / ".join(f"{value:.1f}" for value in free),
    ]
    threads = (
        f"- `{detector}`: n_jobs=1 process: {serial['threads']}; cluster workers: "
        f"{'; '.join(sorted(set(cluster['worker_threads'])))} (each); cluster "
        f"client (refit): {cluster['threads']}."
    )
    return row, threads


def _busy(side):
    return f"{side['cpu_seconds'] / side['seconds']:.2f} cores busy"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--n-samples", type=int, default=450)
    parser.add_argument("--detectors", default=",".join(DETECTORS))
    parser.add_argument("--output", type=Path)
    parser.add_argument("--detector", help=argparse.SUPPRESS)
    parser.add_argument("--side", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.side:
        run_side(args)
        return
    started = time.perf_counter()
    _, _, described = essays(args.data, args.n_samples)
    rows, threads = [], []
    for detector in args.detectors.split(","):
        row, thread_line = measure(args, detector)
        rows.append(row)
        threads.append(thread_line)
    header = [
        "detector",
        "candidates x folds",
        "n_jobs=1 s",
        "2-worker cluster s",
        "speed-up",
        "same best params",
        "max diff. mean ROC AUC",
        "one fit s: default threads / 1 thread",
        "ceiling 2 x t(default) / t(1 thread)",
        "cores free before / between / after",
    ]
    grids = "\n".join(
        f"- `{name}`: {params} fixed; grid {grid}"
        for name, (params, grid) in DETECTORS.items()
        if name in args.detectors.split(",")
    )
    report = "\n\n".join(
        [
            "# Hyperparameter search on a Dask cluster",
            f"Machine: {machine('dask', 'distributed', 'tensorflow', 'scikit-learn')}",
            f"Data: {described}; {CV} stratified folds, ROC AUC; the refit of the best "
            "candidate on all of it is included in both times.",
            markdown(header, rows),
            "Cores busy: CPU seconds of the search's processes (client and workers) "
            "over its wall seconds. Cores free: what two busy-looping processes got of "
            "the machine's cores for 2 s (2.0 on an idle 2-core machine); less means "
            "other programs were running, and the cluster could not use both cores.",
            "Thread settings (TensorFlow's 0 means its default, one thread per core):",
            "\n".join(threads),
            "Searches:\n" + grids,
            f"Whole benchmark: {time.perf_counter() - started:.0f} s.",
        ]
    )
    print(report)
    if args.output:
        write_report(args.output, report)


if __name__ == "__main__":
    main()
