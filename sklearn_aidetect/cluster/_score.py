"""Scoring in partitions: :func:`predict_partitions` and :func:`score_file`.

A fitted detector is pickled once and broadcast to the workers, each of which
unpickles it once into a per-process cache (:data:`_MODELS`) and scores the
partitions it is given; :func:`score_file` writes the scores to a CSV file in input
order, with the header and the six-decimal rows of
:mod:`sklearn_aidetect._predictions`, as ``aidetect predict`` does.
"""

import csv
import hashlib
import os
import pickle
import threading
from pathlib import Path

import numpy as np

from .._predictions import (
    check_two_classes,
    machine_probability,
    never_trained,
    prediction_header,
    prediction_rows,
)
from .._words import MIN_WORDS
from ..abstention import count_words, decisions_from_counts
from ._client import _prepared, _require_dask
from ._read import read_texts

__all__ = ["predict_partitions", "score_file"]


def predict_partitions(model, texts, *, client=None):
    """Score every partition of ``texts`` with a fitted detector, lazily.

    The detector is pickled once here and sent once to each worker (a broadcast
    :meth:`~distributed.Client.scatter`), where it is unpickled once and kept for
    the partitions that follow; tasks carry only its key.

    Parameters
    ----------
    model : estimator or str or os.PathLike
        A fitted detector with ``predict_proba``, or the path of one saved by
        :func:`~sklearn_aidetect.save_model` (loaded here with
        :func:`~sklearn_aidetect.load_model`).
    texts : dask.dataframe.DataFrame
        With a ``text`` column, as :func:`read_texts` returns; other columns are
        passed through.
    client : distributed.Client or None, default=None
        Where the partitions are scored once computed. None scores them in this
        process, one at a time, when computed.

    Returns
    -------
    scores : dask.dataframe.DataFrame
        ``probability`` (of the second class, machine-written) and the ``id`` and
        ``label`` columns of ``texts``, partition by partition in the same order.

    Raises
    ------
    ImportError
        If Dask is not installed.
    ValueError
        If the model cannot score text, has other than two classes, or was never
        fitted.

    Examples
    --------
    >>> import csv, tempfile
    >>> from pathlib import Path
    >>> import numpy as np
    >>> from sklearn_aidetect import make_detector, make_essays
    >>> from sklearn_aidetect.cluster import predict_partitions, read_texts
    >>> texts, labels = make_essays(60, random_state=0)
    >>> detector = make_detector("tfidf-logistic").fit(texts, labels)
    >>> path = Path(tempfile.mkdtemp()) / "essays.csv"
    >>> with open(path, "w", newline="", encoding="utf-8") as f:
    ...     csv.writer(f).writerows([["text"], *([text] for text in texts)])
    >>> scores = predict_partitions(detector, read_texts(path, blocksize=4000))
    >>> scores.npartitions > 1, list(scores.columns)
    (True, ['probability'])
    >>> computed = scores.compute()["probability"].to_numpy()
    >>> bool(np.allclose(computed, detector.predict_proba(texts)[:, 1]))
    True
    """
    _require_dask("predict_partitions")
    return _map_scores(_fitted_model(model), texts, client)


def _map_scores(model, texts, client, *, with_word_counts=False):
    """predict_partitions for a checked model; ``with_word_counts`` adds ``n_words``."""
    payload = pickle.dumps(model, protocol=5)
    key = "sklearn-aidetect-model-" + hashlib.sha256(payload).hexdigest()[:20]
    if client is None:
        _MODELS.put(key, model)  # computed here: no copy, no unpickling
        shipped = None
    else:
        _prepared(client)
        shipped = client.scatter(payload, broadcast=True, hash=False)
    columns = [c for c in ("id", "label") if c in texts.columns]
    meta = _scores_meta(model, columns, with_word_counts)
    return texts.map_partitions(
        _score_partition,
        shipped,
        key,
        columns,
        with_word_counts,
        meta=meta,
        enforce_metadata=False,
        align_dataframes=False,
    )


def _fitted_model(model):
    from sklearn.exceptions import NotFittedError
    from sklearn.utils.validation import check_is_fitted

    from ..persistence import load_model

    if isinstance(model, str | os.PathLike):
        model = load_model(model)
    if not hasattr(model, "predict_proba"):
        raise ValueError(
            f"{type(model).__name__} has no predict_proba; pass a fitted detector."
        )
    try:
        check_is_fitted(model)
    except NotFittedError as exc:
        raise never_trained(exc) from None
    check_two_classes(model)
    return model


def _scores_meta(model, columns, with_word_counts=False):
    import pandas as pd

    frame = pd.DataFrame({"probability": pd.Series([], dtype=np.float64)})
    for column in columns:
        frame[column] = pd.Series([], dtype=np.int64 if column == "label" else object)
    if with_word_counts:
        frame["n_words"] = pd.Series([], dtype=np.int64)
    return frame


class _ModelCache:
    """The detector most recently used in this process, unpickled once."""

    def __init__(self):
        self._lock = threading.Lock()
        self._key = self._model = None
        self.loads = {}  # key -> times unpickled in this process

    def put(self, key, model):
        with self._lock:
            self._key, self._model = key, model

    def get(self, key, payload):
        with self._lock:
            if self._key != key:
                if payload is None:
                    raise RuntimeError(
                        "predict_partitions(client=None) scores in the process that "
                        "called it; to score on a Dask cluster, pass client=."
                    )
                model = pickle.loads(payload)
                self._key, self._model = key, model
                self.loads[key] = self.loads.get(key, 0) + 1
            return self._model


_MODELS = _ModelCache()


def _score_partition(part, payload, key, columns, with_word_counts=False):
    import pandas as pd

    if len(part):
        model = _MODELS.get(key, payload)
        scores = machine_probability(model, part["text"].tolist())
    else:
        scores = np.zeros(0)
    frame = pd.DataFrame({"probability": scores}, index=part.index)
    for column in columns:
        frame[column] = part[column]
    if with_word_counts:  # for abstention on short texts
        frame["n_words"] = count_words(part["text"].tolist())
    return frame


def score_file(
    model,
    data,
    out,
    *,
    client=None,
    text_column="text",
    label_column="auto",
    id_column="auto",
    blocksize=None,
    kaggle=False,
    min_words=MIN_WORDS,
    overwrite=False,
    progress=None,
):
    """Score a CSV or Parquet file in partitions and write one probability per row.

    The output is what ``aidetect predict`` writes for a file read in memory, row
    for row: ``id,probability`` (or ``row,probability`` with row numbers from 1 when
    the file has no ids; ``id,generated`` with ``kaggle=True``), six decimals, in
    input order. Partitions are scored in parallel on the cluster and written as
    they arrive, in order, so neither this process nor any worker holds the whole
    file. The output is written through a temporary file renamed at the end.

    Parameters
    ----------
    model : estimator or str or os.PathLike
        A fitted detector, or the path of a saved one.
    data : str, os.PathLike or dask.dataframe.DataFrame
        A CSV (``.csv``, ``.csv.gz``) or Parquet file, as :func:`read_texts` reads
        it, or what :func:`read_texts` returned (then the next three parameters
        are not used).
    out : str or os.PathLike
        The CSV file to write.
    client : distributed.Client or None, default=None
        The cluster to score on; None scores the partitions one after the other in
        this process (the memory of one partition, not of the file).
    text_column, label_column, id_column : str or None
        As for :func:`read_texts`.
    blocksize : int, str or None, default=None
        Bytes per partition, as for :func:`read_texts`; not used for a data frame.
    kaggle : bool, default=False
        Write ``id,generated`` (the Kaggle submission format); needs an id column.
    min_words : int, default=MIN_WORDS
        With a model that has a decision threshold (trained with
        ``--target-fpr``), a ``decision`` column is written, as ``aidetect
        predict`` writes it: 1, 0, or ``abstain`` for texts with fewer words.
    overwrite : bool, default=False
        Replace an existing ``out``.
    progress : callable or None, default=None
        Called with a one-line message after each partition.

    Returns
    -------
    result : :class:`~sklearn.utils.Bunch`
        ``n_texts``, ``n_partitions``, ``scores`` (ndarray, input order), ``target``
        (labels, or None when the file has none), ``decisions`` and ``threshold``
        (None unless a decision column was written) and ``path`` (of ``out``).

    Raises
    ------
    ImportError
        If Dask is not installed.
    FileExistsError
        If ``out`` exists and ``overwrite`` is False (checked before any work).
    ValueError
        If the file or the model is not valid (see :func:`read_texts`), or
        ``kaggle=True`` and the file has no ids.

    Examples
    --------
    >>> import csv, tempfile
    >>> from pathlib import Path
    >>> from sklearn_aidetect import make_detector, make_essays
    >>> from sklearn_aidetect.cluster import score_file
    >>> texts, labels = make_essays(60, random_state=0)
    >>> detector = make_detector("tfidf-logistic").fit(texts, labels)
    >>> folder = Path(tempfile.mkdtemp())
    >>> with open(folder / "essays.csv", "w", newline="", encoding="utf-8") as f:
    ...     csv.writer(f).writerows(
    ...         [["id", "text"], *([f"e{i}", t] for i, t in enumerate(texts))])
    >>> result = score_file(
    ...     detector, folder / "essays.csv", folder / "scores.csv", blocksize=4000)
    >>> result.n_texts, result.n_partitions > 1
    (60, True)
    >>> rows = (folder / "scores.csv").read_text().splitlines()
    >>> rows[0], rows[1].startswith("e0,0."), len(rows)
    ('id,probability', True, 61)
    """
    _require_dask("score_file")
    from sklearn.utils import Bunch

    from .._io import atomic_output, check_writable

    out = check_writable(out, overwrite=overwrite)
    if hasattr(data, "npartitions"):  # already read by read_texts
        texts = data
    else:
        texts = read_texts(
            data, text_column, label_column, id_column=id_column, blocksize=blocksize
        )
    has_ids = "id" in texts.columns
    if kaggle and not has_ids:
        what = "the texts have" if hasattr(data, "npartitions") else f"{data} has"
        raise ValueError(
            f"kaggle=True writes id,generated but {what} no id column; name it with "
            "id_column=."
        )
    from ..thresholds import decision_threshold

    model = _fitted_model(model)
    threshold, _ = decision_threshold(model)
    decide = threshold is not None and not kaggle
    scored = _map_scores(model, texts, client, with_word_counts=decide)
    parts = scored.to_delayed()
    header = prediction_header(kaggle=kaggle, has_ids=has_ids, decisions=decide)
    scores, labels, decided = [], [], []
    n_texts = 0
    with atomic_output(out, overwrite=overwrite) as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for number, frame in enumerate(_in_order(parts, client), start=1):
            probability = frame["probability"].to_numpy()
            ids = frame["id"].tolist() if has_ids else None
            decisions = None
            if decide:
                decisions = decisions_from_counts(
                    probability, frame["n_words"], threshold, min_words
                )
            writer.writerows(
                prediction_rows(
                    ids, probability, first_row=n_texts + 1, decisions=decisions
                )
            )
            if decide:
                decided.append(decisions)
            scores.append(probability)
            if "label" in frame.columns:
                labels.append(frame["label"].to_numpy())
            n_texts += len(frame)
            if progress is not None:
                progress(
                    f"scored partition {number}/{len(parts)} ({n_texts:,} texts so far)"
                )
        if not n_texts:
            raise ValueError(f"read_texts: {data} has no data rows; nothing to score.")
    target = None
    if "label" in scored.columns:
        target = np.concatenate(labels).astype(np.int64)
    return Bunch(
        n_texts=n_texts,
        n_partitions=len(parts),
        scores=np.concatenate(scores),
        target=target,
        decisions=np.concatenate(decided) if decide else None,
        threshold=threshold if decide else None,
        path=Path(out),
    )


def _in_order(parts, client):
    """Computed partitions, in order: all at once on a cluster, else one by one."""
    import dask
    from dask.local import get_sync

    if client is None:
        for part in parts:
            # The function, not the name "sync": here on purpose, even when a
            # distributed client is active (which the name would warn about).
            (frame,) = dask.compute(part, scheduler=get_sync)
            yield frame
        return
    futures = client.compute(parts)
    try:
        for index, future in enumerate(futures):
            yield future.result()
            futures[index] = None  # lets the cluster forget the result
            future.release()
    finally:
        client.cancel([future for future in futures if future is not None])
