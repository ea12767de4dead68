"""Detection benchmark: every ready-made detector and two anchors on the shared tasks.

It trains and scores, on the six tasks of ``../shared/data/README.md``
(``outfox-clean``, ``outfox-unseen-generator``, ``outfox-paraphrased``,
``hc3-grouped``, ``essays-to-hc3``, ``transfer-m4``, the last also per M4
domain), every detector of
:func:`sklearn_aidetect.list_detectors` at its defaults (``random_state=0``) and two
anchors written here in plain scikit-learn + ``tokenizers`` code, not through the
library:

1. ``anchor: tfidf-word12+LR``: TF-IDF over word 1-2-grams (``sublinear_tf``,
   ``min_df=2``) and ``LogisticRegression(class_weight="balanced")``;
2. ``anchor: Kaggle recipe``: the Kaggle competition's public notebook. A byte-level
   BPE tokenizer (NFC + lowercase, vocabulary 30,522) is trained on the *test* texts,
   the TF-IDF over its 3-5-grams takes its vocabulary from the test texts too, and a
   soft vote of ``MultinomialNB(alpha=0.02)`` (weight 0.1) and
   ``SGDClassifier(loss="modified_huber")`` (weight 0.9) is trained on the training
   texts. It is transductive (it looks at the unlabelled test texts, never at their
   labels), so it is refitted for every test set, and the table marks it.

The tasks that share a training set (``outfox-clean``, ``outfox-paraphrased`` and
``essays-to-hc3`` all train on the OUTFOX ``valid`` split) share one fitted model.
``transfer-m4`` trains on all the shared training data (the OUTFOX
``attack == "none"`` rows of both splits and all of HC3) and scores the M4 sample,
pooled and in one column per domain (``m4 arxiv``, ...). ``--extra-test
NAME=PATH.csv`` adds a labelled CSV file (``text``, ``label``; any layout
:func:`sklearn_aidetect.load_csv` reads) as task ``NAME``, scored by that same
model.

Each detector runs in a fresh process (forked from a server that has imported
scikit-learn and the library once), so that the peak memory (largest resident set of
that process, Python and libraries included) is its own. Columns: ROC AUC of the
probability of label 1 per task (a second table: the true-positive rate at 1%
false-positive rate, :func:`sklearn_aidetect.metrics.tpr_at_fpr`); fit seconds on
the ``outfox-clean`` training set (1,999 essays; tokenizer and vectorizer included);
predict documents per second on the 8,853 HC3 texts of ``essays-to-hc3``; peak
memory; and the size of the ``outfox-clean`` model saved with
:func:`sklearn_aidetect.save_model` (the anchors: their pickle).

``--quick`` subsamples every training set to 200 texts and every test set to 300
(stratified, fixed seed) and trains networks and word vectors for at most 2 epochs,
for development: a check that every row runs, with rough n-gram figures. The
figures are not comparable with the full run's (the neural rows' least of all), and
it runs two rows at a time. ``--jobs N`` runs N rows at a time (each still in a
process of its own, the networks started first so that no long row runs alone at
the end); the timing columns then share the cores, so the published table uses 1.

Usage::

    python benchmarks/bench_detection.py [--data DIR] [--quick] [--jobs N]
        [--detectors A,B]
        [--extra-test NAME=PATH.csv ...] [--output FILE]
"""

import argparse
import multiprocessing
import os
import pickle
import resource
import shlex
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

from _common import NEEDS_PRESET, load_rows, machine, markdown, write_report

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/data"
TASKS = [
    "outfox-clean",
    "outfox-unseen-generator",
    "outfox-paraphrased",
    "hc3-grouped",
    "essays-to-hc3",
    "transfer-m4",
]
# transfer-m4 is also scored on each of its domains: one column each.
M4_DOMAINS = ["arxiv", "reddit_eli5", "wikihow", "wikipedia"]
COLUMNS = TASKS + [f"m4 {domain}" for domain in M4_DOMAINS]
ANCHORS = ["anchor: tfidf-word12+LR", "anchor: Kaggle recipe"]
TRANSDUCTIVE = {"anchor: Kaggle recipe"}
QUICK_TRAIN, QUICK_TEST = 200, 300
QUICK_EPOCHS = 2  # --quick: the most epochs a network or word vectors train for


# ---------------------------------------------------------------------------
# Data: the task definitions of ../shared/data/README.md, exactly.


def load_tasks(data, extra_tests=(), quick=False):
    """Training sets and test sets: ``{train name: (X, y, {task: (X, y)})}``."""
    from sklearn.model_selection import GroupShuffleSplit

    outfox = load_rows(Path(data) / "outfox_essays.csv.gz")
    hc3 = load_rows(Path(data) / "hc3_en_qa.csv.gz")
    m4 = load_rows(Path(data) / "m4_llama2_sample.csv.gz")
    clean = [r for r in outfox if r["attack"] == "none"]
    valid = [r for r in clean if r["split"] == "valid"]
    test = [r for r in clean if r["split"] == "test"]
    test_human = [r for r in test if r["label"] == "0"]
    groups = [r["group_id"] for r in hc3]
    hc3_train, hc3_test = next(
        GroupShuffleSplit(n_splits=1, test_size=0.3, random_state=0).split(
            hc3, groups=groups
        )
    )
    plan = {
        "outfox valid": (
            valid,
            {
                "outfox-clean": test,
                "outfox-paraphrased": test_human
                + [r for r in outfox if r["attack"] == "dipper"],
                "essays-to-hc3": hc3,
            },
        ),
        "outfox valid without flan-t5": (
            [r for r in valid if r["generator"] != "flan-t5-xxl"],
            {
                "outfox-unseen-generator": test_human
                + [r for r in test if r["generator"] == "flan-t5-xxl"]
            },
        ),
        "hc3 train groups": (
            [hc3[i] for i in hc3_train],
            {"hc3-grouped": [hc3[i] for i in hc3_test]},
        ),
    }
    sets = {}
    for name, (train, tests) in plan.items():
        sets[name] = (*_xy(train), {task: _xy(rows) for task, rows in tests.items()})
    # transfer-m4 and any --extra-test: trained on all the shared training data.
    transfer = {"transfer-m4": (*_xy(m4), [r["domain"] for r in m4])}
    if extra_tests:
        from sklearn_aidetect import load_csv

        for task, path in extra_tests:
            bunch = load_csv(path)
            transfer[task] = (list(bunch.data), [int(label) for label in bunch.target])
    sets["all shared data"] = (*_xy(clean + hc3), transfer)
    if quick:
        sets = {
            name: (
                *_subsample(X, y, QUICK_TRAIN),
                {
                    task: _subsample(*xy[:2], QUICK_TEST, *xy[2:])
                    for task, xy in tests.items()
                },
            )
            for name, (X, y, tests) in sets.items()
        }
    return sets


def _xy(rows):
    return [r["text"] for r in rows], [int(r["label"]) for r in rows]


def _subsample(X, y, n, *groups):
    from sklearn.model_selection import train_test_split

    if len(X) <= n:
        return (X, y, *groups)
    # Stratified by label and group together, so that every domain keeps both.
    strata = [f"{label} {' '.join(g)}" for label, *g in zip(y, *groups)]
    parts = train_test_split(
        X, y, *groups, train_size=n, stratify=strata, random_state=0
    )
    return tuple(parts[::2])


# ---------------------------------------------------------------------------
# The anchors: what a user would otherwise write by hand.


def anchor_word_lr():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2),
        LogisticRegression(class_weight="balanced", max_iter=1000),
    )


def identity(tokens):
    """The recipe's tokenizer and preprocessor for pre-tokenized texts."""
    return tokens


class KaggleRecipe:
    """The Kaggle public notebook, as written there: fitted per test set."""

    def fit_score(self, train_texts, y_train, test_texts):
        from sklearn.ensemble import VotingClassifier
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import SGDClassifier
        from sklearn.naive_bayes import MultinomialNB
        from tokenizers import (
            Tokenizer,
            models,
            normalizers,
            pre_tokenizers,
            trainers,
        )

        tokenizer = Tokenizer(models.BPE(unk_token="[UNK]"))
        tokenizer.normalizer = normalizers.Sequence(
            [normalizers.NFC(), normalizers.Lowercase()]
        )
        tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel()
        special = ["[UNK]", "[PAD]", "[CLS]", "[SEP]", "[MASK]"]
        trainer = trainers.BpeTrainer(vocab_size=30522, special_tokens=special)
        tokenizer.train_from_iterator(test_texts, trainer=trainer)
        test_tokens = [e.tokens for e in tokenizer.encode_batch(test_texts)]
        train_tokens = [e.tokens for e in tokenizer.encode_batch(train_texts)]

        options = {
            "ngram_range": (3, 5),
            "lowercase": False,
            "sublinear_tf": True,
            "analyzer": "word",
            "tokenizer": identity,
            "preprocessor": identity,
            "token_pattern": None,
            "strip_accents": "unicode",
        }
        vocabulary = TfidfVectorizer(**options).fit(test_tokens).vocabulary_
        vectorizer = TfidfVectorizer(vocabulary=vocabulary, **options)
        train = vectorizer.fit_transform(train_tokens)
        test = vectorizer.transform(test_tokens)
        self.model_ = VotingClassifier(
            [
                ("mnb", MultinomialNB(alpha=0.02)),
                (
                    "sgd",
                    SGDClassifier(max_iter=8000, tol=1e-4, loss="modified_huber"),
                ),
            ],
            weights=[0.1, 0.9],
            voting="soft",
        ).fit(train, y_train)
        self.vectorizer_ = vectorizer
        return self.model_.predict_proba(test)[:, 1]


# ---------------------------------------------------------------------------
# One row of the table, measured in its own process.


def measure(name, sets, quick=False):
    """ROC AUC per column, fit seconds, predict docs/s, peak MB and model MB."""
    aucs, fit_seconds, rate, size_mb = {}, None, None, None
    for train_name, (X, y, tests) in sets.items():
        if name == ANCHORS[1]:
            for task, (X_test, *labels) in tests.items():
                recipe = KaggleRecipe()
                start = time.perf_counter()
                scores = recipe.fit_score(X, y, X_test)
                seconds = time.perf_counter() - start
                aucs.update(_roc_auc(task, scores, *labels))
                if task == "outfox-clean":
                    fit_seconds = seconds  # scoring included: it is one step here
                    size_mb = len(pickle.dumps(recipe)) / 1e6
            continue
        model = _build(name, quick)
        start = time.perf_counter()
        model.fit(X, y)
        seconds = time.perf_counter() - start
        if train_name == "outfox valid":
            fit_seconds = seconds
            size_mb = _saved_size(model)
        for task, (X_test, *labels) in tests.items():
            start = time.perf_counter()
            scores = model.predict_proba(X_test)[:, 1]
            seconds = time.perf_counter() - start
            aucs.update(_roc_auc(task, scores, *labels))
            if task == "essays-to-hc3":
                rate = len(X_test) / seconds
        print(f"  {name}: trained on {train_name}", file=sys.stderr, flush=True)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return aucs, fit_seconds, rate, peak_mb, size_mb


def _roc_auc(task, scores, y, domains=None):
    """``{task: (ROC AUC, TPR at 1% FPR)}``, and ``"m4 DOMAIN"`` for each domain."""
    import numpy as np

    y, scores = np.asarray(y), np.asarray(scores)
    aucs = {task: _auc_and_tpr(y, scores)}
    if domains is not None:
        domains = np.asarray(domains)
        for domain in M4_DOMAINS:
            inside = domains == domain
            aucs[f"m4 {domain}"] = _auc_and_tpr(y[inside], scores[inside])
    return aucs


def _auc_and_tpr(y, scores):
    from sklearn.metrics import roc_auc_score

    from sklearn_aidetect.metrics import tpr_at_fpr

    return roc_auc_score(y, scores), tpr_at_fpr(y, scores, max_fpr=0.01)


def _build(name, quick=False):
    if name == ANCHORS[0]:
        return anchor_word_lr()
    from sklearn_aidetect import make_detector

    model = make_detector(name, random_state=0)
    if quick:  # fewer epochs too: the networks' training is what takes the time
        epochs = {
            key: min(value, QUICK_EPOCHS)
            for key, value in model.get_params().items()
            if key.endswith("epochs") and isinstance(value, int)
        }
        model.set_params(**epochs)
    return model


def _saved_size(model):
    from sklearn_aidetect import save_model

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.joblib"
        save_model(model, path)
        return os.path.getsize(path) / 1e6


def _process_context():
    """Where each row's fresh process comes from.

    A fork server that has imported scikit-learn and the library once (not
    TensorFlow, which is not safe to fork) starts each row without paying those
    imports again; where there is none (Windows), a fresh interpreter.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["sklearn_aidetect"])
    return context


def _exit_with_parent():
    """In a row's process: end it as soon as the benchmark that started it is gone.

    A benchmark stopped by SIGTERM (``kill``, ``timeout``) dies without shutting its
    pools down, and a row still running would go on computing on the cores that
    the next run measures. ``parent_process()`` is the benchmark's process, not the
    fork server's, and joining it returns when it has died.
    """
    parent = multiprocessing.parent_process()

    def watch():
        parent.join()
        os._exit(1)

    if parent is not None:
        threading.Thread(target=watch, daemon=True, name="exit-with-parent").start()


def _measure_in_fresh_process(name, sets, quick, context):
    with ProcessPoolExecutor(
        max_workers=1, mp_context=context, initializer=_exit_with_parent
    ) as pool:
        return pool.submit(measure, name, sets, quick).result()


def _longest_first(names):
    """The order to start rows in when several run at once.

    The networks first, then the Kaggle recipe (refitted for each test set), then
    the other rows from the bottom of the table up, where the heavier ones are:
    a long row started last would run alone at the end while the other cores idle.
    """
    from sklearn_aidetect import list_detectors

    neural = {info.name for info in list_detectors() if info.neural}
    position = {name: index for index, name in enumerate(names)}

    def rank(name):
        group = 0 if name in neural else 1 if name == ANCHORS[1] else 2
        return group, -position[name]

    return sorted(names, key=rank)


# ---------------------------------------------------------------------------


def _extra_test(value):
    name, sep, path = value.partition("=")
    if not sep or not name or not path:
        raise argparse.ArgumentTypeError(f"expected NAME=PATH.csv, got {value!r}")
    if not Path(path).is_file():
        raise argparse.ArgumentTypeError(f"{path}: no such file")
    return name, path


def main(argv=None):
    from sklearn_aidetect import list_detectors

    detectors = [
        info.name for info in list_detectors() if info.name not in NEEDS_PRESET
    ]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument(
        "--detectors",
        default=",".join(ANCHORS + detectors),
        help="comma-separated rows to run (default: both anchors and every detector)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="subsampled, for development"
    )
    parser.add_argument(
        "--jobs",
        type=int,
        help="rows run at a time, each in its own process (default 1, so that "
        "the timing columns are undisturbed; 2 with --quick)",
    )
    parser.add_argument(
        "--extra-test",
        type=_extra_test,
        action="append",
        default=[],
        metavar="NAME=PATH.csv",
        help="also train on all the shared data and score this labelled CSV file",
    )
    parser.add_argument("--output", type=Path)
    args = parser.parse_args(argv)
    names = [name.strip() for name in args.detectors.split(",") if name.strip()]
    unknown = [name for name in names if name not in ANCHORS + detectors]
    if unknown:
        parser.error(f"unknown rows {unknown}; choose from {ANCHORS + detectors}")
    if args.output:  # fail before the long run, not after it
        from sklearn_aidetect._io import check_writable

        check_writable(args.output, overwrite=True)

    started = time.perf_counter()
    sets = load_tasks(args.data, args.extra_test, quick=args.quick)
    tasks = COLUMNS + [name for name, _ in args.extra_test]
    if args.jobs is None:
        args.jobs = 2 if args.quick else 1
    if args.jobs < 1:
        parser.error(f"--jobs must be at least 1, got {args.jobs}")

    context = _process_context()

    def run(name):
        start = time.perf_counter()
        result = _measure_in_fresh_process(name, sets, args.quick, context)
        print(
            f"done: {name} in {time.perf_counter() - start:.0f} s",
            file=sys.stderr,
            flush=True,
        )
        return result

    # Threads only wait: each row runs in a process of its own.
    with ThreadPoolExecutor(max_workers=args.jobs) as threads:
        order = _longest_first(names) if args.jobs > 1 else names
        futures = {name: threads.submit(run, name) for name in order}
        results = [futures[name].result() for name in names]
    rows, tpr_rows = [], []
    for name, (aucs, fit_s, rate, peak_mb, size_mb) in zip(names, results):
        label = name + (" (transductive)" if name in TRANSDUCTIVE else "")
        tpr_rows.append([label] + [f"{aucs[task][1]:.3f}" for task in tasks])
        rows.append(
            [label]
            + [f"{aucs[task][0]:.4f}" for task in tasks]
            + [
                f"{fit_s:.1f}",
                f"{rate:,.0f}" if rate else "n/a",
                f"{peak_mb:,.0f}",
                f"{size_mb:.1f}",
            ]
        )
    total = time.perf_counter() - started
    header = ["detector", *tasks, "fit s", "predict docs/s", "peak MB", "model MB"]
    sizes = ", ".join(
        f"{name}: {len(X):,} train"
        + "".join(f"; {task} {len(t[0]):,} test" for task, t in tests.items())
        for name, (X, _, tests) in sets.items()
    )
    command = shlex.join(
        ["python", "benchmarks/bench_detection.py"]
        + (argv if argv is not None else sys.argv[1:])
    )
    report = "\n\n".join(
        [
            "# Detection: ROC AUC and TPR at 1% FPR on the shared tasks"
            + (" (--quick: subsampled)" if args.quick else ""),
            "Machine: "
            + machine(
                "scikit-learn", "tokenizers", "gensim", "tensorflow", "keras", "numpy"
            ),
            markdown(header, rows),
            "## True-positive rate at 1% false-positive rate\n\n"
            "The share of machine texts detected at the threshold that flags at "
            "most 1% of the human texts of the same test set (chosen on the test "
            "set's own scores: the best a threshold can do there, read off its ROC "
            "curve by sklearn_aidetect.metrics.tpr_at_fpr).",
            markdown(["detector", *tasks], tpr_rows),
            f"Command: `{command}`; {total / 60:.1f} min in all"
            + (f", {args.jobs} rows at a time" if args.jobs > 1 else "")
            + f". Sets: {sizes}.",
            "Fit s: training on outfox-clean's training set, every step included "
            "(the Kaggle recipe: its tokenizer and vocabulary fitted on the test "
            "texts too). Predict docs/s: predict_proba on essays-to-hc3's HC3 texts "
            "(n/a for the Kaggle recipe, whose scoring is part of its fit). Peak MB: "
            "the largest resident set of the process that ran the row. Model MB: "
            "the outfox-clean model, saved with sklearn_aidetect.save_model (the "
            "anchors: pickled). Transductive rows fit part of the model on the "
            "unlabelled test texts.",
        ]
    )
    print(report)
    if args.output:
        write_report(args.output, report)


if __name__ == "__main__":
    main()
