"""The ``aidetect`` command line: train, evaluate, search, predict, explain, demo...

Every command is a thin layer over the library (:mod:`~sklearn_aidetect.datasets`,
:mod:`~sklearn_aidetect.presets`, :mod:`~sklearn_aidetect.evaluation`,
:mod:`~sklearn_aidetect.persistence`). Results go to stdout, progress to stderr
(``--quiet`` silences it), and an error is one line on stderr with exit status 1,
never a traceback (set ``AIDETECT_DEBUG=1`` to see one). Output files are written
atomically, and an existing file is replaced only with ``--force``.
"""

import argparse
import ast
import contextlib
import csv
import json
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

__all__ = ["main"]

CLASS_NAMES = ("human", "machine")  # labels 0 and 1, as load_csv normalises them
EXIT_ERROR = 1
EXIT_INTERRUPTED = 130
_WORKERS_TIMEOUT = 30  # seconds a cluster may take to have a worker


class CommandError(Exception):
    """A user error with a message that says what to do; printed without traceback."""


class _ArgumentParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (with where to get help), not the
    whole usage block."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def main(argv=None):
    """Run the ``aidetect`` command line; returns the exit status.

    The ``aidetect`` console script calls it with the shell's arguments; every
    command and option is described in the command-line reference and by
    ``aidetect COMMAND --help``.

    Parameters
    ----------
    argv : list of str or None, default=None
        The arguments after ``aidetect``, such as ``["list", "--grids"]``; None reads
        ``sys.argv``.

    Returns
    -------
    status : int
        0 on success, 1 after an error (reported as one line on stderr), 130 when
        interrupted. A wrong command line exits with status 2 (``SystemExit``), as
        argparse does.

    Examples
    --------
    >>> from sklearn_aidetect.cli import main
    >>> main(["list"])  # one line per ready-made detector, then the status
    tfidf-logistic   word 1-2-gram TF-IDF + balanced logistic regression: ...
    ...
    0
    """
    parser = _build_parser()
    args = parser.parse_args(argv)
    # TensorFlow's C++ log (CPU features, no CUDA driver, a harmless thread-pool
    # attribute notice on every fit) is noise on the command line; a user who wants
    # it sets TF_CPP_MIN_LOG_LEVEL=0. Errors that matter still raise in Python.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    progress = _Progress(quiet=args.quiet)
    try:
        args.run(args, progress)
    except KeyboardInterrupt:
        print("aidetect: interrupted; no output file was written.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:
        if os.environ.get("AIDETECT_DEBUG"):
            raise
        print(f"aidetect: error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_ERROR
    return 0


def _one_line(exc):
    message = " ".join(str(exc).split())
    if isinstance(exc, CommandError | ValueError | OSError) and message:
        return message
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


class _Progress:
    """Progress lines on stderr, silenced by ``--quiet``."""

    def __init__(self, *, quiet):
        self.quiet = quiet

    def __call__(self, message):
        if not self.quiet:
            sys.stdout.flush()  # results printed so far come first
            print(message, file=sys.stderr, flush=True)

    @contextlib.contextmanager
    def capture_stdout(self):
        """Send what scikit-learn and Keras print during a step to stderr."""
        sys.stdout.flush()
        with contextlib.redirect_stdout(sys.stderr):
            yield


# --- commands ---------------------------------------------------------------------


def _list(args, progress):
    from .presets import list_detectors

    detectors = list_detectors()
    width = max(len(info.name) for info in detectors)
    for info in detectors:
        print(f"{info.name:<{width}}  {info.description}")
        if args.grids:
            print(f"{'':<{width}}  default grid: {info.param_grid}")


def _train(args, progress):
    from .persistence import save_model

    out = _check_output(args.out, args.force)
    data = _load(args, progress)
    _check_two_classes(data, args.data)
    detector = _detector(args)
    model = _fit(detector, data, progress, target_fpr=args.target_fpr)
    save_model(model, out, overwrite=args.force)
    print(
        f"saved {args.detector} trained on {len(data.data)} texts to {out} "
        f"({out.stat().st_size / 1e6:.1f} MB)"
    )
    if args.target_fpr is not None:
        print(
            f"decision threshold {model.best_threshold_:.6f}: chosen by "
            f"{_THRESHOLD_FOLDS}-fold cross-validation to flag at most "
            f"{args.target_fpr:.2%} of human texts (out-of-fold detection rate "
            f"{model.best_score_:.4f}); 'aidetect predict' writes the decisions"
        )


def _evaluate(args, progress):
    from .evaluation import check_image_path, evaluate_detector, plot_roc_curve

    plot = None
    if args.plot:
        plot = _check_output(args.plot, args.force)
        check_image_path(plot)
    data = _load(args, progress)
    _check_two_classes(data, args.data)
    detector = _detector(args)
    progress(f"evaluating {args.detector} with {args.cv}-fold cross-validation")
    with progress.capture_stdout():
        report = evaluate_detector(
            detector,
            data.data,
            data.target,
            cv=args.cv,
            threshold=args.threshold,
            random_state=args.random_state,
            progress=progress,
            groups=data.groups,
        )
    print(f"{args.detector} on {args.data} ({_class_counts(data.target)})")
    print(
        report.to_text(class_names=CLASS_NAMES, group_name=args.group_column or "group")
    )
    if plot is not None:
        plot_roc_curve(
            report,
            plot,
            overwrite=args.force,
            title=f"{args.detector}, {args.cv} folds",
        )
        print(f"ROC curve written to {plot}")


def _search(args, progress):
    from sklearn.model_selection import ParameterGrid

    from .evaluation import format_search_results, search_detector
    from .persistence import save_model
    from .presets import list_detectors

    out = _check_output(args.out, args.force)
    results = _check_output(args.results, args.force) if args.results else None
    if args.scheduler or args.local_cluster:
        _check_dask(_dask_option(args))
    detector = _detector(args)  # an unknown name fails here
    if args.grid:
        grid = _read_grid(args.grid)
    else:
        grid = next(i.param_grid for i in list_detectors() if i.name == args.detector)
    for candidate in ParameterGrid(grid):  # every value is checked before training
        _detector(args, extra=candidate)
    data = _load(args, progress)
    _check_two_classes(data, args.data)
    with _dask_cluster(args, progress) as client, progress.capture_stdout():
        if client is None:
            search = search_detector(
                detector,
                data.data,
                data.target,
                grid,
                n_iter=args.n_iter,
                cv=args.cv,
                random_state=args.random_state,
                n_jobs=args.n_jobs,
                verbose=0 if args.quiet else 2,
            )
        else:
            from .cluster import search_on_cluster

            search = search_on_cluster(
                detector,
                data.data,
                data.target,
                grid,
                client=client,
                n_iter=args.n_iter,
                cv=args.cv,
                random_state=args.random_state,
                verbose=0 if args.quiet else 2,
            )
    print(format_search_results(search, top=args.top))
    save_model(search.best_estimator_, out, overwrite=args.force)
    print(f"best model ({args.detector}, {search.best_params_}) saved to {out}")
    if results is not None:
        _write_results(search.cv_results_, results, overwrite=args.force)
        print(f"all candidates written to {results}")


def _load_model_with_warnings(path):
    """load_model, its ModelVersionWarning printed as one line on stderr."""
    from .persistence import ModelVersionWarning, load_model

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ModelVersionWarning)
        model = load_model(path)
    for warning in caught:
        print(f"aidetect: warning: {_one_line(warning.message)}", file=sys.stderr)
    return model


def _predict(args, progress):
    from .datasets import load_csv

    out = _check_output(args.out, args.force)
    partitioned = _partitioned(args)
    if partitioned:
        _check_dask(_dask_option(args))
    model = _load_model_with_warnings(args.model)
    if partitioned:
        if args.group_column:
            raise CommandError(
                "--group-column works when DATA is read whole; drop it, or drop "
                "--scheduler/--local-cluster/--blocksize (or convert Parquet to CSV)."
            )
        _predict_partitioned(args, model, out, progress)
        return
    data = load_csv(
        args.data,
        text_column=args.text_column,
        label_column=None if args.label_column == "none" else args.label_column,
        id_column=args.id_column,
        require_labels=False,
        group_column=args.group_column,
    )
    if args.format == "kaggle" and data.ids is None:
        raise CommandError(
            f"--format kaggle writes id,generated but {args.data} has no id column; "
            "name it with --id-column or use --format csv."
        )
    from .abstention import decide
    from .thresholds import decision_threshold

    progress(f"scoring {len(data.data)} texts with {args.model}")
    scores = _machine_probability(model, data.data)
    _warn_of_evasive_characters(data.data, data.ids, model)
    threshold, target_fpr = decision_threshold(model)
    kaggle = args.format == "kaggle"
    decisions = None
    if threshold is not None and not kaggle:
        decisions = decide(
            scores, data.data, threshold=threshold, min_words=args.min_words
        )
    _write_predictions(
        data, scores, out, kaggle=kaggle, overwrite=args.force, decisions=decisions
    )
    print(f"wrote {len(scores)} predictions to {out}")
    if decisions is not None:
        _describe_decisions(threshold, target_fpr, decisions, args.min_words)
    else:
        _warn_of_short_texts(data.data, args.min_words, kaggle=kaggle)
    _report_labels(
        data.target,
        scores,
        data.groups,
        args.group_column or "group",
        0.5 if threshold is None else threshold,
    )


def _explain(args, progress):
    from .datasets import load_csv
    from .explanation import explain_predictions, write_explanation_report
    from .thresholds import decision_threshold

    out = _check_output(args.out, args.force)
    model = _load_model_with_warnings(args.model)
    data = load_csv(
        args.data,
        text_column=args.text_column,
        label_column=None,
        id_column=args.id_column,
        require_labels=False,
    )
    texts = list(data.data)
    ids = data.ids if data.ids is not None else range(1, len(texts) + 1)
    ids = [str(i) for i in ids]
    if args.max_texts is not None:
        texts, ids = texts[: args.max_texts], ids[: args.max_texts]
    progress(f"explaining {len(texts)} texts with {args.model} ({args.method})")
    try:
        explanations = explain_predictions(model, texts, method=args.method)
    except (TypeError, ValueError) as exc:
        raise CommandError(f"{args.model}: {exc}") from exc
    threshold, _ = decision_threshold(model)
    write_explanation_report(
        explanations,
        out,
        ids=ids,
        threshold=threshold,
        min_words=args.min_words,
        title=f"Why {Path(args.model).name} scored {Path(args.data).name} as it did",
        overwrite=args.force,
    )
    methods = sorted({e.method for e in explanations})
    print(
        f"wrote explanations of {len(explanations)} texts ({', '.join(methods)}) to "
        f"{out}, "
        + (
            f"decisions at the model's threshold {threshold:.6f}"
            if threshold is not None
            else "without decisions (the model has no threshold: train it with "
            "--target-fpr)"
        )
    )


def _generate(args, progress):
    from .generation._command import run_generate

    try:
        run_generate(args, progress)
    except KeyboardInterrupt:
        print(
            "aidetect: the answers received so far are in the cache; run the same "
            "command again (with --force if the output file exists) to resume.",
            file=sys.stderr,
        )
        raise


def _describe_decisions(threshold, target_fpr, decisions, min_words):
    """The line that says how the decision column was made."""
    from ._predictions import ABSTAIN

    budget = f", chosen for {target_fpr:.2%} false positives" if target_fpr else ""
    abstained = int((decisions != decisions).sum())
    print(
        f"decision column: 1 where the probability is at least the model's "
        f"threshold {threshold:.6f}{budget}"
        + (
            f"; {ABSTAIN} for the {abstained} texts under {min_words} words"
            if min_words
            else ""
        )
    )


def _warn_of_short_texts(texts, min_words, *, kaggle=False):
    """Say on stderr how many texts are too short for their score to mean much.

    Without a decision column there is nothing to abstain in; the probabilities
    are written for every text, and this says which ones to distrust.
    """
    from .abstention import count_words

    short = int((count_words(texts) < min_words).sum()) if min_words else 0
    if short:
        where = (
            "the Kaggle format has no decision column"
            if kaggle
            else "a model trained with --target-fpr writes 'abstain' as their decision"
        )
        print(
            f"aidetect: warning: {short} of {len(texts)} texts have fewer than "
            f"{min_words} words, too few for a reliable score; {where}.",
            file=sys.stderr,
        )


def _warn_of_evasive_characters(texts, ids, model):
    """Name the texts with look-alike letters or invisible characters, on stderr.

    They are what an evasion puts in a text; a model whose pipeline starts with a
    TextNormalizer folds them back, an older one scores them as they are.
    """
    from .normalization import TextNormalizer

    counts = TextNormalizer().count_changes(texts)
    flagged = [i for i, row in enumerate(counts) if row[0] or row[2]]
    if not flagged:
        return
    names = [str(ids[i]) if ids is not None else f"row {i + 1}" for i in flagged[:5]]
    more = f" and {len(flagged) - 5} more" if len(flagged) > 5 else ""
    pipeline = getattr(model, "estimator_", model)  # inside a threshold wrapper
    normalized = isinstance(
        getattr(pipeline, "named_steps", {}).get("normalizer"), TextNormalizer
    )
    consequence = (
        "the model's TextNormalizer maps them back before scoring"
        if normalized
        else "this model has no TextNormalizer step and scores them as they are; "
        "retrain it with this version to fold them"
    )
    print(
        f"aidetect: warning: {len(flagged)} of {len(texts)} texts hold look-alike "
        f"letters of other scripts or invisible characters ({', '.join(names)}"
        f"{more}), edits that evade detectors: {consequence}.",
        file=sys.stderr,
    )


def _report_labels(target, scores, groups=None, group_name="group", threshold=0.5):
    """With labels of both classes, print their ROC AUC, average precision and the
    table of detection metrics (per group with ``groups``) at ``threshold``."""
    if target is not None and len(set(target.tolist())) == 2:
        from sklearn.metrics import average_precision_score, roc_auc_score

        from .metrics import detection_metrics, format_detection_metrics

        print(
            f"the file has labels ({_class_counts(target)}): ROC AUC "
            f"{roc_auc_score(target, scores):.4f}, average precision "
            f"{average_precision_score(target, scores):.4f}"
        )
        metrics = detection_metrics(target, scores, groups=groups, threshold=threshold)
        print(format_detection_metrics(metrics, group_name=group_name))


def _partitioned(args):
    """Whether ``predict`` reads DATA in partitions with dask.dataframe."""
    from .cluster._read import _is_parquet

    cluster = args.scheduler or args.local_cluster
    return bool(cluster or args.blocksize or _is_parquet(args.data))


def _dask_option(args):
    """What asks for Dask, for the message when it is not installed."""
    if args.scheduler or args.local_cluster:
        return "--scheduler" if args.scheduler else "--local-cluster"
    return "--blocksize" if getattr(args, "blocksize", None) else f"reading {args.data}"


def _predict_partitioned(args, model, out, progress):
    """``predict`` in partitions: the same output file, without reading DATA whole."""
    from .cluster import read_texts, score_file

    texts = read_texts(
        args.data,
        text_column=args.text_column,
        label_column=None if args.label_column == "none" else args.label_column,
        id_column=args.id_column,
        blocksize=args.blocksize,
    )
    if args.format == "kaggle" and "id" not in texts.columns:
        raise CommandError(
            f"--format kaggle writes id,generated but {args.data} has no id column; "
            "name it with --id-column or use --format csv."
        )
    with _dask_cluster(args, progress) as client:
        where = "on the Dask cluster" if client is not None else "in this process"
        progress(
            f"scoring {args.data} in {texts.npartitions} partition(s) {where} with "
            f"{args.model}"
        )
        with progress.capture_stdout():
            result = score_file(
                model,
                texts,
                out,
                client=client,
                kaggle=args.format == "kaggle",
                min_words=args.min_words,
                overwrite=args.force,
                progress=progress,
            )
    from .thresholds import decision_threshold

    print(f"wrote {result.n_texts} predictions to {out}")
    threshold, target_fpr = decision_threshold(model)
    if result.decisions is not None:
        _describe_decisions(threshold, target_fpr, result.decisions, args.min_words)
    _report_labels(
        result.target, result.scores, threshold=0.5 if threshold is None else threshold
    )


def _stdout_to_stderr():
    sys.stdout = sys.stderr


def _check_dask(feature):
    from .cluster._client import _require_dask

    try:
        _require_dask(feature)
    except ImportError as exc:
        raise CommandError(str(exc)) from None


@contextlib.contextmanager
def _dask_cluster(args, progress):
    """The client of ``--scheduler`` or ``--local-cluster``; None without either."""
    if not (args.scheduler or args.local_cluster):
        yield None
        return
    from .cluster import dask_client

    if args.scheduler:
        progress(f"connecting to the Dask scheduler at {args.scheduler}")
        cluster = dask_client(args.scheduler)
    else:
        progress(f"starting a local Dask cluster of {args.local_cluster} workers")
        cluster = dask_client(n_workers=args.local_cluster)
    with cluster as client:
        try:
            client.wait_for_workers(1, timeout=_WORKERS_TIMEOUT)
        except TimeoutError:
            raise CommandError(
                f"the Dask scheduler at {args.scheduler} has no workers; start some "
                f"with 'dask worker {args.scheduler}'."
            ) from None
        if args.local_cluster:
            # The local workers share this terminal: what they print (the search's
            # per-fold lines) is progress, so it goes to stderr, as here.
            client.run(_stdout_to_stderr)
        workers = client.scheduler_info()["workers"].values()
        progress(
            f"on {len(workers)} Dask worker(s), "
            f"{sum(w['nthreads'] for w in workers)} thread(s) in all"
        )
        yield client


def _demo(args, progress):
    import numpy as np
    from sklearn.metrics import roc_auc_score
    from sklearn.utils import Bunch

    from .datasets import load_csv, make_essays
    from .evaluation import evaluate_detector
    from .persistence import load_model, save_model

    started = time.perf_counter()
    timings = {}
    with contextlib.ExitStack() as stack:
        if args.workdir:
            workdir = Path(args.workdir)
            workdir.mkdir(parents=True, exist_ok=True)
        else:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        model_path = _check_output(workdir / "model.joblib", args.force)
        essays_path = _check_output(workdir / "new_essays.csv", args.force)
        predictions_path = _check_output(workdir / "predictions.csv", args.force)

        texts, labels = make_essays(
            args.n_samples, weights=(0.8, 0.2), random_state=args.random_state
        )
        print(
            f"1. data: {len(texts)} synthetic essays ({_class_counts(labels)}), "
            "made by sklearn_aidetect.make_essays"
        )
        detector = _detector(args)
        tic = time.perf_counter()
        with progress.capture_stdout():
            report = evaluate_detector(
                detector,
                texts,
                labels,
                cv=args.cv,
                random_state=args.random_state,
                progress=progress,
            )
        timings["evaluate"] = time.perf_counter() - tic
        print(
            f"2. evaluate {args.detector}, {args.cv}-fold cross-validation "
            f"({timings['evaluate']:.1f} s):"
        )
        print("   " + report.to_text(class_names=CLASS_NAMES).replace("\n", "\n   "))

        tic = time.perf_counter()
        detector = _detector(args)
        _fit(detector, Bunch(data=texts, target=labels), progress)
        save_model(detector, model_path, overwrite=args.force)
        timings["train"] = time.perf_counter() - tic
        print(
            f"3. train on all {len(texts)} essays and save to {model_path} "
            f"({model_path.stat().st_size / 1e6:.1f} MB, {timings['train']:.1f} s)"
        )

        new_texts, new_labels = make_essays(
            args.n_samples // 4, weights=(0.8, 0.2), random_state=args.random_state + 1
        )
        _write_csv(
            essays_path,
            ["id", "text", "label"],
            [
                [f"essay-{i:04d}", text, label]
                for i, (text, label) in enumerate(zip(new_texts, new_labels))
            ],
            overwrite=args.force,
        )
        tic = time.perf_counter()
        model = load_model(model_path)
        new = load_csv(essays_path)
        scores = _machine_probability(model, new.data)
        _write_predictions(
            new, scores, predictions_path, kaggle=False, overwrite=args.force
        )
        timings["predict"] = time.perf_counter() - tic
        print(
            f"4. reload the model and score {len(scores)} new essays from "
            f"{essays_path.name} into {predictions_path.name} "
            f"({timings['predict']:.1f} s): "
            f"ROC AUC {roc_auc_score(new.target, scores):.4f}"
        )
        print("   most machine-like:")
        for index in np.argsort(-scores, kind="stable")[:3]:
            snippet = " ".join(new.data[index].split())[:70]
            print(f"   {scores[index]:.3f}  {new.ids[index]}  {snippet}...")
        if not args.workdir:
            print("   (written to a temporary folder; keep the files with --workdir)")
    print(f"demo finished in {time.perf_counter() - started:.1f} s")


# --- shared steps -----------------------------------------------------------------


def _load(args, progress):
    from .datasets import load_csv

    data = load_csv(
        args.data,
        text_column=args.text_column,
        label_column=args.label_column,
        id_column="auto",
        group_column=getattr(args, "group_column", None),
    )
    progress(
        f"read {len(data.data)} texts from {args.data} ({_class_counts(data.target)})"
    )
    return data


def _detector(args, extra=None):
    from .presets import make_detector

    params = dict(args.set)
    params.update(extra or {})
    return make_detector(args.detector, random_state=args.random_state, **params)


# Folds that choose the decision threshold of `train --target-fpr`.
_THRESHOLD_FOLDS = 5


def _fit(detector, data, progress, target_fpr=None):
    """Train with progress: the pipeline's steps and, for networks, each epoch.

    With ``target_fpr``, the detector is wrapped so that cross-validation chooses
    its decision threshold for that false-positive budget (``cv + 1`` fits).
    """
    from .thresholds import make_fpr_threshold_classifier

    _show_training(detector, not progress.quiet)
    model = detector
    if target_fpr is not None:
        model = make_fpr_threshold_classifier(
            detector, target_fpr=target_fpr, cv=_THRESHOLD_FOLDS
        )
        progress(
            f"choosing the decision threshold for {target_fpr:.2%} false positives "
            f"by {_THRESHOLD_FOLDS}-fold cross-validation, then training on all"
        )
    progress(f"training on {len(data.data)} texts")
    tic = time.perf_counter()
    with progress.capture_stdout():
        model.fit(data.data, data.target)
    progress(f"trained in {time.perf_counter() - tic:.1f} s")
    # What was shown while training is not part of the saved model.
    _show_training(model.estimator_ if target_fpr is not None else model, False)
    return model


def _show_training(pipeline, show):
    """Turn the pipeline's and its network's training output on or off."""
    classifier = pipeline.steps[-1][1]
    if "verbose" in classifier.get_params():
        classifier.set_params(verbose=2 if show else 0)
    pipeline.set_params(verbose=show)


def _machine_probability(model, texts):
    """The scores of ``texts``; a model that cannot score them is a ValueError,
    printed as one line like a CommandError."""
    from ._predictions import machine_probability

    return machine_probability(model, texts, holder="the model file")


def _write_predictions(data, scores, out, *, kaggle, overwrite, decisions=None):
    """Write the predictions file; ``decisions`` (from ``decide``) adds a column."""
    from ._predictions import prediction_header, prediction_rows

    _write_csv(
        out,
        prediction_header(
            kaggle=kaggle, has_ids=data.ids is not None, decisions=decisions is not None
        ),
        prediction_rows(data.ids, scores, decisions=decisions),
        overwrite=overwrite,
    )


def _write_csv(path, header, rows, *, overwrite):
    from ._io import atomic_output

    with atomic_output(path, overwrite=overwrite) as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def _write_results(cv_results, path, *, overwrite):
    keys = ["rank_test_roc_auc", "mean_test_roc_auc", "std_test_roc_auc"]
    keys += ["mean_test_average_precision", "mean_fit_time", "params"]
    rows = zip(*(cv_results[key] for key in keys))
    _write_csv(
        path,
        [
            "rank",
            "mean_roc_auc",
            "std_roc_auc",
            "mean_average_precision",
            "mean_fit_seconds",
            "params",
        ],
        [[*row[:-1], json.dumps(row[-1], default=str)] for row in rows],
        overwrite=overwrite,
    )


def _check_output(path, force):
    from ._io import check_writable

    try:
        return check_writable(path, overwrite=force)
    except FileExistsError as exc:
        raise CommandError(
            f"{path} already exists; pass --force to replace it, or choose another "
            "--out."
        ) from exc


def _check_two_classes(data, path):
    present = sorted(set(data.target.tolist()))
    if present != [0, 1]:
        name = {0: "human (0)", 1: "machine (1)"}[present[0]]
        raise CommandError(
            f"{path} has only {name} texts; training needs both human (0) and "
            "machine (1) examples."
        )


def _class_counts(labels):
    if labels is None:
        return "unlabelled"
    labels = list(labels)
    return f"{labels.count(0)} human, {labels.count(1)} machine"


def _read_grid(path):
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"cannot read grid file {path}: {exc.strerror}.") from exc
    try:
        grid = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CommandError(f"grid file {path} is not valid JSON: {exc}.") from exc
    grids = grid if isinstance(grid, list) else [grid]
    if not grids or not all(isinstance(g, dict) and g for g in grids):
        raise CommandError(
            f"grid file {path} must hold an object mapping parameter names to lists "
            'of values, such as {"classifier__C": [1, 10]}, or a list of such objects.'
        )
    for one in grids:
        for key, values in one.items():
            if not isinstance(values, list) or not values:
                raise CommandError(
                    f"grid file {path}: {key!r} must map to a non-empty list of "
                    f"values, got {values!r}."
                )
            # JSON has no tuples; parameters such as ngram_range need them.
            one[key] = [_tuples(value) for value in values]
    return grids if isinstance(grid, list) else grids[0]


def _tuples(value):
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


def _parse_setting(text):
    """``key=value`` from ``--set``: the value is a Python literal, else a string."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(
            f"{text!r} is not key=value, such as classifier__C=10"
        )
    try:
        parsed = ast.literal_eval(value.strip())
    except (ValueError, SyntaxError):
        parsed = value.strip()
    return key.strip(), parsed


# --- the parser -------------------------------------------------------------------


def _build_parser():
    from ._version import __version__
    from ._words import MIN_WORDS

    parser = _ArgumentParser(
        prog="aidetect",
        description="Train, evaluate and run detectors of machine-generated text.",
        epilog="Run 'aidetect demo' to see the whole flow on built-in data.",
    )
    parser.add_argument("--version", action="version", version=__version__)
    quiet = argparse.ArgumentParser(add_help=False)
    quiet.add_argument(
        "-q", "--quiet", action="store_true", help="print results only, no progress"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name, run, help, parents=()):
        sub = commands.add_parser(
            name, help=help, description=help, parents=[quiet, *parents]
        )
        sub.set_defaults(run=run)
        return sub

    data = argparse.ArgumentParser(add_help=False)
    data.add_argument(
        "data",
        metavar="DATA.csv",
        help="CSV (or .csv.gz) with a text column and a label column (0 = human, "
        "1 = machine); DAIGT and Kaggle layouts are recognised",
    )
    data.add_argument("--text-column", default="text", help="default: text")
    data.add_argument(
        "--label-column",
        default="auto",
        help="default: 'label', else 'generated' (Kaggle)",
    )
    detector = argparse.ArgumentParser(add_help=False)
    detector.add_argument(
        "--detector",
        default="tfidf-ensemble",
        metavar="NAME",
        help="a ready-made detector (see 'aidetect list'); default: tfidf-ensemble",
    )
    detector.add_argument(
        "--set",
        action="append",
        default=[],
        type=_parse_setting,
        metavar="KEY=VALUE",
        help="set a pipeline parameter, such as classifier__C=10 or "
        "vectorizer__ngram_range=(1,3); repeatable",
    )
    detector.add_argument(
        "--random-state", type=int, default=0, help="seed of every step; default: 0"
    )
    force = argparse.ArgumentParser(add_help=False)
    force.add_argument(
        "--force", action="store_true", help="replace output files that exist"
    )
    short = argparse.ArgumentParser(add_help=False)
    short.add_argument(
        "--min-words",
        type=_at_least(0),
        default=MIN_WORDS,
        metavar="N",
        help=f"texts with fewer words get the decision 'abstain' (default: "
        f"{MIN_WORDS}; 0 decides every text)",
    )
    folds = argparse.ArgumentParser(add_help=False)
    folds.add_argument(
        "--cv", type=_at_least(2), default=5, help="stratified folds; default: 5"
    )

    sub = command("list", _list, "list the ready-made detectors")
    sub.add_argument("--grids", action="store_true", help="show each default grid")

    sub = command(
        "train", _train, "train a detector and save it", [data, detector, force]
    )
    sub.add_argument("--out", required=True, metavar="MODEL.joblib")
    sub.add_argument(
        "--target-fpr",
        type=_fraction,
        metavar="F",
        help="choose the decision threshold by cross-validation so that at most F "
        "(such as 0.01) of human texts are flagged; stored in the model, and "
        "'predict' then writes a 0/1 decision per text",
    )

    sub = command(
        "evaluate",
        _evaluate,
        "cross-validated ROC AUC, average precision and confusion matrix",
        [data, detector, folds, force],
    )
    sub.add_argument(
        "--threshold",
        type=float,
        default=0.5,
        help="probability from which a text counts as machine-written; default: 0.5",
    )
    sub.add_argument("--plot", metavar="ROC.png", help="write the ROC curve here")
    sub.add_argument("--group-column", metavar="NAME", help=_GROUP_HELP)

    sub = command(
        "search",
        _search,
        "hyperparameter search by ROC AUC; saves the best model",
        [data, detector, folds, force],
    )
    sub.add_argument(
        "--grid",
        metavar="GRID.json",
        help="parameter grid as JSON; default: the detector's own grid",
    )
    sub.add_argument(
        "--n-iter",
        type=_at_least(1),
        metavar="N",
        help="try N random candidates of the grid instead of all of them",
    )
    where = sub.add_mutually_exclusive_group()
    where.add_argument("--n-jobs", type=int, default=None, help="parallel candidates")
    _add_cluster_options(where, "train the candidates")
    sub.add_argument("--top", type=_at_least(1), default=10, help="rows shown")
    sub.add_argument("--out", default="best-model.joblib", metavar="MODEL.joblib")
    sub.add_argument("--results", metavar="RESULTS.csv", help="every candidate")

    sub = command("predict", _predict, "score texts with a saved model", [force, short])
    sub.epilog = (
        "DATA is read whole into memory, unless --scheduler, --local-cluster or "
        "--blocksize is given or DATA is Parquet: then it is read and scored in "
        "partitions (dask.dataframe; pip install 'sklearn_aidetect[dask]'), on the "
        "cluster if there is one, and the output is the same, row for row."
    )
    sub.add_argument("model", metavar="MODEL.joblib")
    sub.add_argument(
        "data",
        metavar="DATA.csv",
        help="CSV (or .csv.gz) with a text column, or a Parquet file or folder",
    )
    sub.add_argument("--out", required=True, metavar="PREDICTIONS.csv")
    sub.add_argument(
        "--format",
        choices=["csv", "kaggle"],
        default="csv",
        help="csv: id (or row), probability; kaggle: id, generated",
    )
    sub.add_argument("--text-column", default="text", help="default: text")
    sub.add_argument("--id-column", default="auto", help="default: id, if present")
    sub.add_argument(
        "--label-column",
        default="auto",
        help="labels, if any, only for reporting ROC AUC: default 'label' or "
        "'generated' if present; 'none' ignores them",
    )
    sub.add_argument("--group-column", metavar="NAME", help=_GROUP_HELP)
    _add_cluster_options(sub.add_mutually_exclusive_group(), "score the partitions")
    sub.add_argument(
        "--blocksize",
        type=_byte_size,
        metavar="SIZE",
        help="read a CSV file in partitions of about SIZE bytes, such as 64MB "
        "(default 64MiB; a .csv.gz file is one partition, Parquet is split by row "
        "group)",
    )

    sub = command(
        "explain",
        _explain,
        "an HTML report of which words pushed each score towards machine or human",
        [force, short],
    )
    sub.epilog = (
        "Linear models over TF-IDF features (tfidf-logistic, tfidf-wordchar) are "
        "explained exactly; any other detector by occlusion: windows of words "
        "removed in turn and the text rescored."
    )
    sub.add_argument("model", metavar="MODEL.joblib")
    sub.add_argument("data", metavar="DATA.csv", help="CSV (or .csv.gz) of texts")
    sub.add_argument("--out", required=True, metavar="REPORT.html")
    sub.add_argument("--text-column", default="text", help="default: text")
    sub.add_argument("--id-column", default="auto", help="default: id, if present")
    sub.add_argument(
        "--method",
        choices=["auto", "linear", "occlusion"],
        default="auto",
        help="auto (default): exact for linear TF-IDF models, else occlusion",
    )
    sub.add_argument(
        "--max-texts",
        type=_at_least(1),
        metavar="N",
        help="explain only the first N texts",
    )

    from .generation._command import EPILOG, HELP, add_generate_arguments

    sub = command("generate", _generate, HELP, [force])
    sub.epilog = EPILOG
    add_generate_arguments(sub, positive_int=_at_least(1), fraction=_unit_interval)

    sub = command(
        "demo",
        _demo,
        "evaluate, train, save, reload and predict on built-in synthetic essays",
        [detector, force],
    )
    sub.add_argument("--n-samples", type=_at_least(20), default=1200)
    sub.add_argument("--cv", type=_at_least(2), default=3, help="default: 3")
    sub.add_argument("--workdir", help="keep the model and CSV files here")
    return parser


_GROUP_HELP = (
    "a column of groups (domain, prompt_name, generator...): the metrics are also "
    "given per group, with each group's false-positive rate"
)


def _add_cluster_options(group, what):
    group.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help=f"{what} on the Dask cluster of this scheduler, such as "
        "tcp://10.0.0.5:8786 (pip install 'sklearn_aidetect[dask]')",
    )
    group.add_argument(
        "--local-cluster",
        type=_at_least(1),
        metavar="N",
        help=f"{what} on a local Dask cluster of N worker processes, one thread each",
    )


_BYTE_UNITS = {"": 1, "b": 1, "k": 10**3, "m": 10**6, "g": 10**9, "t": 10**12}


def _byte_size(text):
    """``--blocksize``: bytes, with an optional unit (64MB, 64MiB, 1.5GB, 65536)."""
    import re

    match = re.fullmatch(r"\s*(\d+(?:\.\d*)?)\s*(?:([kmgt])(i?)b?|(b)?)\s*", text, re.I)
    if match is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a size in bytes, such as 64MB, 64MiB or 65536"
        )
    number, prefix, binary = match[1], (match[2] or "").lower(), match[3]
    scale = 1024 ** ("kmgt".index(prefix) + 1) if binary else _BYTE_UNITS[prefix]
    size = int(float(number) * scale)
    if size < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1 byte, got {text!r}")
    return size


def _at_least(minimum):
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    return parse


def _unit_interval(text):
    """A probability mass such as top_p: a number in (0, 1]."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"must be above 0 and at most 1, got {text}")
    return value


def _fraction(text):
    """A false-positive budget: a number in [0, 1)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(
            f"must be at least 0 and below 1 (0.01 is 1%), got {text}"
        )
    return value


if __name__ == "__main__":
    sys.exit(main())
