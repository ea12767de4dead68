"""Scale out on a Dask cluster: hyperparameter search and scoring of large files.

Nothing here is a scheduler of its own: the search runs through joblib's Dask backend,
which scikit-learn's :class:`~sklearn.model_selection.GridSearchCV` and
:class:`~sklearn.model_selection.RandomizedSearchCV` already use for their ``n_jobs``,
and large files are scored in partitions with :mod:`dask.dataframe`.

- :func:`dask_client` connects to a running cluster (``scheduler="tcp://host:8786"``)
  or starts a local one of ``n_workers`` processes, and prepares each worker
  (:func:`prepare_workers`): its threads are capped, so that workers sharing a
  machine do not fight for its cores, and its trainings are as reproducible as in
  one process.
- :func:`search_on_cluster` is :func:`~sklearn_aidetect.search_detector` on the
  cluster. Any search (``GridSearchCV``, ``RandomizedSearchCV``, of any detector)
  runs there the same way, inside ``joblib.parallel_config(backend="dask")``; the
  scores are those of ``n_jobs=1``.
- :func:`read_texts` reads a CSV or Parquet file lazily, in partitions, with the
  columns and checks of :func:`~sklearn_aidetect.load_csv`;
  :func:`predict_partitions` scores such partitions with a fitted detector, which is
  sent to each worker once; :func:`score_file` writes the scores to a CSV file in
  input order, as ``aidetect predict`` does.

Under joblib's Dask backend, a step's own ``n_jobs=None`` means every core of the
cluster, not one: a Doc2Vec or fastText vectorizer would then train with several gensim
threads, and its vectors would change from run to run. :func:`search_on_cluster` sets
those to 1; with a search of your own, pass ``vectorizer__n_jobs=1`` to such
detectors.

Dask is an optional dependency: ``pip install "sklearn_aidetect[dask]"``. Importing
:mod:`sklearn_aidetect` does not import it, and every function here raises an
:class:`ImportError` naming that command when it is missing.

Examples
--------
The search of any detector runs on the workers of the active Dask client through
joblib (a 1-worker cluster inside this process here; ``dask_client(n_workers=4)``
starts four worker processes, ``dask_client("tcp://host:8786")`` connects to a
running scheduler):

>>> import joblib
>>> from sklearn.model_selection import GridSearchCV
>>> from sklearn_aidetect import make_detector, make_essays
>>> from sklearn_aidetect.cluster import dask_client
>>> texts, labels = make_essays(120, random_state=0)
>>> search = GridSearchCV(
...     make_detector("tfidf-logistic"), {"classifier__C": [1.0, 10.0]},
...     cv=3, scoring="roc_auc")
>>> with dask_client(n_workers=1, processes=False) as client:
...     with joblib.parallel_config(backend="dask"):
...         search = search.fit(texts, labels)
>>> sorted(search.best_params_)
['classifier__C']
"""

import contextlib
import csv
import hashlib
import io
import itertools
import os
import pickle
import re
import socket
import threading
from pathlib import Path

import numpy as np

__all__ = [
    "dask_client",
    "predict_partitions",
    "prepare_workers",
    "read_texts",
    "score_file",
    "search_on_cluster",
]

_INSTALL_HINT = 'pip install "sklearn_aidetect[dask]"'
# Seconds to wait for a scheduler to answer; a mistyped address fails in that time.
_CONNECT_TIMEOUT = 5
_PARQUET_SUFFIXES = (".parquet", ".parq", ".pq")
_PLUGIN_NAME = "sklearn-aidetect-prepare-workers"
_DEFAULT_BLOCKSIZE = 64 * 2**20


def _require_dask(feature="this"):
    """Import what the cluster functions need, or say how to install it."""
    try:
        import dask.dataframe  # noqa: F401
        import distributed  # noqa: F401
    except ImportError as exc:
        raise ImportError(
            f"{feature} needs Dask, an optional dependency of sklearn_aidetect that "
            f"is not installed ({exc}); install it with: {_INSTALL_HINT}"
        ) from exc


# --------------------------------------------------------------------------------------
# Clients and workers
# --------------------------------------------------------------------------------------


@contextlib.contextmanager
def dask_client(
    scheduler=None,
    *,
    n_workers=None,
    threads_per_worker=1,
    processes=True,
    timeout=None,
    prepare=True,
    **cluster_kwargs,
):
    """A Dask client, on a running cluster or on a new local one, closed on exit.

    With ``scheduler``, connects to that scheduler; without, starts a
    :class:`distributed.LocalCluster` of ``n_workers`` worker processes on the
    loopback interface, and shuts it down when the ``with`` block ends. Either way,
    every worker is prepared with :func:`prepare_workers` (unless ``prepare=False``),
    and the client is the default one of this process while the block runs, which
    is the one ``joblib.parallel_config(backend="dask")`` uses.

    Parameters
    ----------
    scheduler : str or None, default=None
        The address of a running scheduler, such as ``"tcp://10.0.0.5:8786"`` (what
        ``dask scheduler`` prints). None starts a local cluster.
    n_workers : int or None, default=None
        Worker processes of the local cluster; None means one per core. Only
        without ``scheduler``.
    threads_per_worker : int, default=1
        Tasks each local worker runs at once. One, the default, lets each worker
        process train one candidate on one core; TensorFlow, tokenizers and BLAS are
        capped at this many threads too.
    processes : bool, default=True
        Local workers in separate processes. False runs them as threads of this
        process (quick to start, for small examples): the thread caps are then not
        applied, since they would apply to this whole process.
    timeout : float or None, default=None
        Seconds to wait for ``scheduler`` to answer; None means 5.
    prepare : bool, default=True
        Cap each worker's threads and keep its trainings reproducible, with
        :func:`prepare_workers`.
    **cluster_kwargs
        Passed to :class:`distributed.LocalCluster`, such as
        ``dashboard_address=":8787"`` to serve the dashboard (off by default) or
        ``memory_limit="4GiB"``.

    Yields
    ------
    client : distributed.Client

    Raises
    ------
    ImportError
        If Dask is not installed (``pip install "sklearn_aidetect[dask]"``).
    ConnectionError
        If no scheduler answers at ``scheduler`` within ``timeout`` seconds, or the
        address is not valid.
    ValueError
        If both ``scheduler`` and ``n_workers`` are given.

    See Also
    --------
    search_on_cluster : A hyperparameter search on the client's workers.
    score_file : Score a large file on them.

    Examples
    --------
    >>> from sklearn_aidetect.cluster import dask_client
    >>> with dask_client(n_workers=1, processes=False) as client:
    ...     print(len(client.scheduler_info()["workers"]))
    1
    """
    _require_dask("dask_client")
    from distributed import Client, LocalCluster

    if scheduler is not None and n_workers is not None:
        raise ValueError(
            "dask_client: give either scheduler (the address of a running cluster) "
            "or n_workers (to start a local one), not both."
        )
    _check_positive_int("n_workers", n_workers, allow_none=True)
    _check_positive_int("threads_per_worker", threads_per_worker)
    with contextlib.ExitStack() as stack:
        if scheduler is None:
            options = {
                "n_workers": n_workers or _cpu_count(),
                "threads_per_worker": threads_per_worker,
                "processes": processes,
                **cluster_kwargs,
            }
            if "dashboard_address" not in cluster_kwargs:
                # No dashboard; the scheduler's HTTP server (health checks) on a
                # free loopback port, since the default, 8787, may be another
                # cluster's (which only warns).
                options["dashboard_address"] = None
                options["scheduler_kwargs"] = {
                    "dashboard_address": "127.0.0.1:0",
                    **cluster_kwargs.get("scheduler_kwargs", {}),
                }
            if processes:  # loopback only; threads talk in memory (inproc://)
                options.setdefault("host", "127.0.0.1")
            with _environment_kept():
                cluster = stack.enter_context(LocalCluster(**options))
            client = stack.enter_context(Client(cluster))
        else:
            client = stack.enter_context(_connect(scheduler, timeout))
        if prepare:
            prepare_workers(client)
        yield client


def _cpu_count():
    """The cores this process may use (its CPU affinity and cgroup quota)."""
    import joblib

    return joblib.cpu_count()


@contextlib.contextmanager
def _environment_kept():
    """Undo what a LocalCluster does to this process's environment.

    Its nannies set ``OMP_NUM_THREADS=1`` and the other variables meant for the
    worker processes in the environment of the process that starts them, this one,
    and leave them there: TensorFlow, imported here afterwards, would train the
    search's refit on one thread.
    """
    import dask

    names = [*dask.config.get("distributed.nanny.pre-spawn-environ", {})]
    saved = {name: os.environ.get(name) for name in [*names, "PYTHONHASHSEED"]}
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _connect(address, timeout):
    from distributed import Client

    seconds = _CONNECT_TIMEOUT if timeout is None else timeout
    try:
        return Client(address, timeout=seconds)
    except (OSError, ValueError, TypeError) as exc:
        raise ConnectionError(
            f"cannot connect to a Dask scheduler at {address!r} "
            f"({' '.join(str(exc).split()) or type(exc).__name__}); check the "
            "address (such as tcp://10.0.0.5:8786, as 'dask scheduler' prints it) "
            "and that the scheduler is running and reachable from here."
        ) from None


def prepare_workers(client, n_threads=None):
    """Cap the threads of the workers of ``client``; keep their trainings reproducible.

    Registers a worker plugin, which runs in every worker now and in every worker
    that joins later. In each worker process it

    - caps TensorFlow's intra-op and inter-op thread pools, OpenMP and BLAS
      (``OMP_NUM_THREADS``, ``MKL_NUM_THREADS``, ``OPENBLAS_NUM_THREADS``, and the
      libraries already loaded, through threadpoolctl) and the ``tokenizers`` Rust
      pool (``RAYON_NUM_THREADS``; ``TOKENIZERS_PARALLELISM=false`` for one thread)
      at ``n_threads``. Without it, each TensorFlow process sizes its pools from all
      the machine's cores, and two workers on two cores run four busy threads. The
      limits must be set before TensorFlow runs its first operation in the worker,
      which is the case in a new worker; a worker that has already trained a network
      keeps its pools. Workers running inside the client's own process
      (``processes=False``) keep the process's settings.
    - gives Dask's size estimates (``dask.sizeof``) a random generator of their own.
      A worker samples what it holds with Python's global ``random`` from another
      thread, while Keras draws the default seeds of its layers from that generator
      during a fit: without this, a network trained on a worker would depend on
      timing, not only on ``random_state``.

    :func:`dask_client` and :func:`search_on_cluster` call this function
    themselves. gensim's training threads are a parameter of each vectorizer
    (``n_jobs``, one by default); :func:`search_on_cluster` keeps them at one.

    Parameters
    ----------
    client : distributed.Client
        A connected client.
    n_threads : int or None, default=None
        Threads per worker process; None means the worker's own number of threads
        (``threads_per_worker``), so that each task has one core.

    Returns
    -------
    settings : dict
        For each worker address, the thread settings now in effect in that worker's
        process.

    Raises
    ------
    ImportError
        If Dask is not installed.

    Examples
    --------
    A worker in this process keeps its thread settings (a worker process would
    report 1):

    >>> from sklearn_aidetect.cluster import dask_client, prepare_workers
    >>> with dask_client(n_workers=1, processes=False, prepare=False) as client:
    ...     settings = prepare_workers(client)
    >>> [sorted(one) for one in settings.values()]  # doctest: +NORMALIZE_WHITESPACE
    [['OMP_NUM_THREADS', 'RAYON_NUM_THREADS', 'TOKENIZERS_PARALLELISM',
      'in_client_process']]
    """
    _require_dask("prepare_workers")
    _check_positive_int("n_threads", n_threads, allow_none=True)
    plugin = _worker_plugin_class()(n_threads, _this_process())
    client.register_plugin(plugin, name=plugin.name)
    return client.run(_thread_settings, _this_process())


def _prepared(client):
    """Make sure the workers of ``client`` are prepared, as dask_client does."""
    if not client.run_on_scheduler(_has_worker_plugin, _PLUGIN_NAME):
        prepare_workers(client)


def _has_worker_plugin(name, dask_scheduler=None):
    return name in dask_scheduler.worker_plugins


def _this_process():
    return socket.gethostname(), os.getpid()


def __getattr__(name):
    # The worker plugin subclasses distributed's WorkerPlugin, so it is defined on
    # first use, and importing this module does not import Dask (PEP 562). Pickles
    # name it by module and name, and a worker defines it the same way.
    if name == "_PrepareWorkers":
        return _worker_plugin_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _worker_plugin_class():
    if "_PrepareWorkers" in globals():
        return globals()["_PrepareWorkers"]
    from distributed import WorkerPlugin

    class _PrepareWorkers(WorkerPlugin):
        """What prepare_workers does, in each worker, when it starts (or now)."""

        name = _PLUGIN_NAME

        def __init__(self, n_threads, client_process):
            self.n_threads = n_threads
            self.client_process = client_process

        def setup(self, worker):
            _keep_dask_off_the_global_random()
            if _this_process() == tuple(self.client_process):
                return  # a thread of the client's process: its limits are the user's
            _limit_process_threads(self.n_threads or worker.state.nthreads)

    _PrepareWorkers.__qualname__ = "_PrepareWorkers"
    globals()["_PrepareWorkers"] = _PrepareWorkers
    return _PrepareWorkers


def _keep_dask_off_the_global_random():
    """Give ``dask.sizeof`` a random generator of its own.

    A worker measures the data it holds, from its event-loop thread, with
    ``dask.sizeof``, which samples long lists with Python's global ``random``. Keras
    draws the default seeds of its layers (dropout, for one) from that same global
    generator, which scikeras seeds at the start of each fit: a draw by the worker's
    thread in the middle of a fit changes the network that is trained, and the
    scores would then depend on timing, not on ``random_state``. The sizes dask
    estimates are the same with a generator of its own.
    """
    import random

    import dask.sizeof

    if getattr(dask.sizeof, "random", None) is random:
        dask.sizeof.random = random.Random(0)


def _limit_process_threads(n_threads):
    """Cap TensorFlow, OpenMP/BLAS and tokenizers at ``n_threads`` in this process."""
    import sys

    value = str(n_threads)
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[name] = value
    # Read by tokenizers when it first encodes in parallel.
    os.environ["RAYON_NUM_THREADS"] = value
    os.environ["TOKENIZERS_PARALLELISM"] = "false" if n_threads == 1 else "true"
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=n_threads)  # BLAS and OpenMP libraries already loaded
    if "tensorflow" in sys.modules:
        # Otherwise sklearn_aidetect's Keras wrapper reads OMP_NUM_THREADS when it
        # first imports TensorFlow, in this worker.
        from ._keras_wrapper import limit_tensorflow_threads

        limit_tensorflow_threads(n_threads)


def _thread_settings(client_process):
    return {
        "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS"),
        "RAYON_NUM_THREADS": os.environ.get("RAYON_NUM_THREADS"),
        "TOKENIZERS_PARALLELISM": os.environ.get("TOKENIZERS_PARALLELISM"),
        "in_client_process": _this_process() == tuple(client_process),
    }


# --------------------------------------------------------------------------------------
# Hyperparameter search
# --------------------------------------------------------------------------------------


def search_on_cluster(
    detector,
    X,
    y,
    param_grid,
    *,
    client=None,
    n_iter=None,
    cv=5,
    random_state=0,
    verbose=0,
):
    """:func:`~sklearn_aidetect.search_detector` with the candidates on a Dask cluster.

    Each candidate and fold is a joblib task, sent to the cluster's workers by
    joblib's Dask backend (``joblib.parallel_config(backend="dask")``); the texts
    are sent to the workers once. Best parameters and scores are those of the same
    search with ``n_jobs=1``. The refit of the best candidate on all the data runs
    here, in this process. Workers not yet prepared by :func:`prepare_workers` are
    prepared first.

    Parameters
    ----------
    detector : estimator
        An unfitted detector, such as one from
        :func:`~sklearn_aidetect.make_detector`; it is not modified.
    X : sequence of str
        The texts.
    y : array-like of shape (n_samples,)
        Two classes.
    param_grid : dict or list of dict
        Parameter names to lists of values, as for
        :class:`~sklearn.model_selection.GridSearchCV`.
    client : distributed.Client or None, default=None
        The cluster to run on; None means the default client (the last one
        created, such as that of an enclosing :func:`dask_client` block).
    n_iter : int or None, default=None
        None tries every combination (``GridSearchCV``); an int samples that many
        (``RandomizedSearchCV``).
    cv : int, default=5
        Stratified folds, shuffled with ``random_state``.
    random_state : int or None, default=0
        Seed of the fold shuffle and of the randomized sampling.
    verbose : int, default=0
        scikit-learn's search verbosity.

    Returns
    -------
    search : GridSearchCV or RandomizedSearchCV
        Fitted, as :func:`~sklearn_aidetect.search_detector` returns it.

    Raises
    ------
    ImportError
        If Dask is not installed.
    ValueError
        If there is no client, or for the reasons
        :func:`~sklearn_aidetect.search_detector` gives.

    Notes
    -----
    Under the Dask backend, a joblib call inside a task (a step's own ``n_jobs``)
    would spread over every core of the cluster, and gensim would train with as
    many threads, which makes its vectors differ from run to run. The ``n_jobs``
    of this library's steps (vectorizers) left at None, which means one job, is
    therefore set to 1 explicitly; ``best_estimator_`` shows it.

    Examples
    --------
    >>> from sklearn_aidetect import make_detector, make_essays
    >>> from sklearn_aidetect.cluster import dask_client, search_on_cluster
    >>> texts, labels = make_essays(120, random_state=0)
    >>> with dask_client(n_workers=1, processes=False) as client:
    ...     search = search_on_cluster(
    ...         make_detector("tfidf-logistic"), texts, labels,
    ...         {"classifier__C": [1.0, 10.0]}, client=client, cv=3)
    >>> len(search.cv_results_["params"])
    2
    """
    _require_dask("search_on_cluster")
    import joblib
    from sklearn.base import clone

    from .evaluation import search_detector

    if client is None:
        from distributed import get_client

        try:
            client = get_client()
        except ValueError:
            raise ValueError(
                "search_on_cluster: no Dask client; pass client=, or run inside "
                "`with dask_client(...):`."
            ) from None
    _prepared(client)
    detector = _single_threaded(clone(detector))
    with joblib.parallel_config(backend="dask", client=client):
        return search_detector(
            detector,
            X,
            y,
            param_grid,
            n_iter=n_iter,
            cv=cv,
            random_state=random_state,
            verbose=verbose,
        )


def _single_threaded(estimator):
    """Set the ``n_jobs`` of this library's steps that is None to 1."""
    params = estimator.get_params(deep=True)
    one = {}
    for key, value in params.items():
        owner, _, name = key.rpartition("__")
        step = params[owner] if owner else estimator
        ours = type(step).__module__.startswith(__package__ + ".")
        if name == "n_jobs" and value is None and ours:
            one[key] = 1
    return estimator.set_params(**one) if one else estimator


# --------------------------------------------------------------------------------------
# Reading texts in partitions
# --------------------------------------------------------------------------------------


def read_texts(
    path,
    text_column="text",
    label_column="auto",
    *,
    id_column="auto",
    blocksize=None,
):
    """Read a CSV or Parquet file of texts lazily, as a Dask DataFrame.

    Each partition is read and checked when it is computed (on a worker, when a
    client is active), with the rules of :func:`~sklearn_aidetect.load_csv`: UTF-8,
    a strict CSV dialect, quoted fields that may span lines, no empty text, labels
    spelled as :func:`~sklearn_aidetect.load_csv` accepts them. Partitions follow
    the file's order.

    - A CSV file is split every ``blocksize`` bytes, at the first record boundary
      after each split point: one pass over the file here finds them, following
      quotes, so a text that spans lines is never cut in two.
    - A gzip-compressed CSV file (``.gz``) cannot be split: it is one partition.
      Decompress it, or convert it to Parquet, to read a large one in parts.
    - A Parquet file (``.parquet``, ``.parq``, ``.pq``) or a folder of them is read
      with :func:`dask.dataframe.read_parquet`, by row group.

    The workers read the file themselves: on a cluster of several machines, give a
    path every worker can read (a shared file system, or a URL such as
    ``s3://...`` for Parquet).

    Parameters
    ----------
    path : str or os.PathLike
        The CSV (``.csv``, ``.csv.gz``) or Parquet file, or a folder of Parquet
        files.
    text_column : str, default="text"
        The column of texts.
    label_column : str, "auto" or None, default="auto"
        The column of labels, if any: ``"auto"`` takes ``"label"``, else
        ``"generated"``, if the file has one; None reads none.
    id_column : str, "auto" or None, default="auto"
        The column of ids: ``"auto"`` takes ``"id"`` if the file has it; None reads
        none.
    blocksize : int, str or None, default=None
        Bytes per partition, such as ``64_000_000`` or ``"64MiB"``; None means 64 MiB
        for CSV and Dask's default for Parquet.

    Returns
    -------
    texts : dask.dataframe.DataFrame
        Columns ``text`` (str), ``id`` (str, when the file has ids) and ``label``
        (int64, 0 = human, 1 = machine, when it has labels), whatever the file's
        own column names.

    Raises
    ------
    ImportError
        If Dask is not installed.
    FileNotFoundError
        If there is no file at ``path``.
    ValueError
        If the header lacks a column, repeats a name or has no data rows. A wrong
        row raises when its partition is computed, naming its line.

    See Also
    --------
    sklearn_aidetect.load_csv : Read a whole CSV file into memory.

    Examples
    --------
    >>> import csv, tempfile
    >>> from pathlib import Path
    >>> from sklearn_aidetect.cluster import read_texts
    >>> path = Path(tempfile.mkdtemp()) / "essays.csv"
    >>> with open(path, "w", newline="", encoding="utf-8") as f:
    ...     csv.writer(f).writerows(
    ...         [["id", "text", "label"]]
    ...         + [[f"e{i}", f"essay {i},\\nover two lines", i % 2] for i in range(6)])
    >>> texts = read_texts(path, blocksize=40)
    >>> texts.npartitions, list(texts.columns)
    (3, ['text', 'id', 'label'])
    >>> texts.partitions[1].compute()["id"].tolist()
    ['e2', 'e3']
    """
    _require_dask("read_texts")
    from .datasets import _check_column_parameter, _check_path

    _check_column_parameter("text_column", text_column, auto=False)
    _check_column_parameter("label_column", label_column)
    _check_column_parameter("id_column", id_column)
    blocksize = _parse_blocksize(blocksize)
    if _is_parquet(path):
        return _read_parquet(path, text_column, label_column, id_column, blocksize)
    path = _check_path(path)
    return _read_csv_partitions(path, text_column, label_column, id_column, blocksize)


def _is_parquet(path):
    path = Path(path)
    if path.is_dir():
        return True
    return path.suffix.lower() in _PARQUET_SUFFIXES


def _parse_blocksize(blocksize):
    if blocksize is None:
        return None
    if isinstance(blocksize, str):
        from dask.utils import parse_bytes

        try:
            blocksize = parse_bytes(blocksize)
        except ValueError:
            raise ValueError(
                f"blocksize must be a number of bytes, such as 64000000 or '64MiB', "
                f"got {blocksize!r}."
            ) from None
    _check_positive_int("blocksize", blocksize)
    return int(blocksize)


def _check_positive_int(name, value, *, allow_none=False):
    if value is None and allow_none:
        return
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}.")


def _resolve_columns(header, text_column, label_column, id_column, filename):
    """The source columns to read, resolved from the header, after load_csv's checks."""
    from .datasets import _check_unique_columns, _column_index

    _check_unique_columns(header, filename)
    _column_index(header, text_column, "text_column", filename)
    if label_column == "auto":
        label_column = next((c for c in ("label", "generated") if c in header), None)
    elif label_column is not None:
        _column_index(header, label_column, "label_column", filename)
    if id_column == "auto":
        id_column = "id" if "id" in header else None
    elif id_column is not None:
        _column_index(header, id_column, "id_column", filename)
    return label_column, id_column


def _empty_frame(has_ids, has_labels):
    import pandas as pd

    columns = {"text": pd.Series([], dtype=object)}
    if has_ids:
        columns["id"] = pd.Series([], dtype=object)
    if has_labels:
        columns["label"] = pd.Series([], dtype=np.int64)
    return pd.DataFrame(columns)


def _frame(texts, ids, labels):
    import pandas as pd

    columns = {"text": pd.Series(texts, dtype=object)}
    if ids is not None:
        columns["id"] = pd.Series(ids, dtype=object)
    if labels is not None:
        columns["label"] = pd.Series(labels, dtype=np.int64)
    return pd.DataFrame(columns)


# --- CSV ---


def _read_csv_partitions(path, text_column, label_column, id_column, blocksize):
    import dask.dataframe as dd

    filename = str(path)
    compressed = path.name.lower().endswith(".gz")
    if compressed:
        header_text, header = _gzip_header(path)
        parts = [None]  # the whole file: gzip cannot be read from the middle
    else:
        header_text, header, parts = _split_csv(path, blocksize or _DEFAULT_BLOCKSIZE)
    label_column, id_column = _resolve_columns(
        header, text_column, label_column, id_column, filename
    )
    if not parts:
        raise ValueError(
            f"read_texts: {filename} has a header ({header}) but no data rows. Check "
            "that this is the file you meant to read."
        )
    reader = _CsvPart(
        filename, header_text, text_column, label_column, id_column, compressed
    )
    return dd.from_map(
        reader,
        parts,
        meta=_empty_frame(id_column is not None, label_column is not None),
        label="read-texts-csv",
        enforce_metadata=False,
    )


def _decode(data, filename, where):
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(
            f"read_texts: {filename} is not UTF-8 text (byte {where + exc.start}). "
            "Re-save the file as UTF-8: in Excel, Save As > 'CSV UTF-8'."
        ) from None


def _header_fields(header_text, filename):
    try:
        header = next(csv.reader(io.StringIO(header_text, newline="")), None)
    except csv.Error as exc:
        raise ValueError(
            f"read_texts: {filename} is not a valid CSV file: its header: {exc}."
        ) from None
    if not header:
        raise ValueError(
            f"read_texts: {filename} is empty: it has no header row. A CSV file of "
            "texts starts with a header naming its columns, e.g. text,label."
        )
    return [name.strip() for name in header]


def _gzip_header(path):
    import gzip
    import zlib

    try:
        with gzip.open(path, "rb") as handle:
            head = handle.read(1 << 20)
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise ValueError(
            f"read_texts: {path} is not a valid gzip file ({exc}). A file whose name "
            "ends in .gz is read as gzip-compressed."
        ) from None
    end = _first_record_end(head)
    header_text = _decode(head[:end], path, 0).removeprefix("\ufeff")
    return header_text, _header_fields(header_text, path)


def _first_record_end(data):
    """The offset just after the first newline outside quotes (or the length)."""
    quotes = 0
    start = 0
    while (newline := data.find(b"\n", start)) != -1:
        quotes += data.count(b'"', start, newline)
        if quotes % 2 == 0:
            return newline + 1
        start = newline + 1
    return len(data)


def _split_csv(path, blocksize):
    """The header and the partitions ``(start, stop, first_line)`` of a CSV file.

    One pass over the bytes: a newline ends a record when the double quotes before
    it are even in number (a quote inside a quoted field is written doubled), so
    each partition starts on a record boundary, the first one at or after a
    multiple of ``blocksize``.
    """
    chunk_size = 1 << 22
    boundaries = []  # (offset, line) where a record starts, from the header's end
    target = 0  # the header ends at the first record boundary
    quotes = 0  # double quotes before the chunk
    lines = 1  # the line number of the chunk's start
    offset = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(chunk_size):
            start = 0
            counted = chunk_quotes = chunk_lines = 0  # in chunk[:counted]
            while True:
                start = max(start, target - offset)
                if start >= len(chunk):
                    break
                newline = chunk.find(b"\n", start)
                if newline == -1:
                    break
                chunk_quotes += chunk.count(b'"', counted, newline)
                chunk_lines += chunk.count(b"\n", counted, newline)
                counted = newline
                if (quotes + chunk_quotes) % 2 == 0:
                    record = offset + newline + 1
                    boundaries.append((record, lines + chunk_lines + 1))
                    target = record + blocksize
                start = newline + 1
            quotes += chunk.count(b'"')
            lines += chunk.count(b"\n")
            offset += len(chunk)
    size = offset
    if not boundaries:  # a header without a newline, or an empty file
        boundaries.append((size, lines))
    header_end = boundaries[0][0]
    with open(path, "rb") as handle:
        header_text = _decode(handle.read(header_end), path, 0).removeprefix("\ufeff")
    header = _header_fields(header_text, path)
    if not header_text.endswith(("\n", "\r")):
        header_text += "\r\n"
    starts = [*boundaries, (size, None)]
    parts = [
        (begin, end, line)
        for (begin, line), (end, _) in itertools.pairwise(starts)
        if end > begin
    ]
    return header_text, header, parts


class _CsvPart:
    """Reads and checks one partition of a CSV file (a picklable callable)."""

    def __init__(
        self, filename, header_text, text_column, label_column, id_column, compressed
    ):
        self.filename = filename
        self.header_text = header_text
        self.text_column = text_column
        self.label_column = label_column
        self.id_column = id_column
        self.compressed = compressed

    def __call__(self, part):
        if part is None:  # the whole (gzip-compressed) file
            from .datasets import load_csv

            data = load_csv(
                self.filename,
                self.text_column,
                self.label_column,
                id_column=self.id_column,
                require_labels=False,
            )
            return _frame(data.data, data.ids, data.target)
        begin, end, first_line = part
        with open(self.filename, "rb") as handle:
            handle.seek(begin)
            body = _decode(handle.read(end - begin), self.filename, begin)
        if not body.strip():  # blank lines only
            return _empty_frame(
                self.id_column is not None, self.label_column is not None
            )
        from .datasets import _read_csv

        header_lines = self.header_text.count("\n") or 1
        try:
            data = _read_csv(
                io.StringIO(self.header_text + body, newline=""),
                self.filename,
                self.text_column,
                self.label_column,
                self.id_column,
                False,
            )
        except ValueError as exc:
            shift = first_line - header_lines - 1
            raise ValueError(_shift_lines(str(exc), shift, header_lines)) from None
        return _frame(data.data, data.ids, data.target)


def _shift_lines(message, shift, header_lines):
    """A load_csv message about a partition, with the file's own line numbers.

    The partition's data rows are counted from its start, so "data row N" goes.
    """

    def line(match):
        number = int(next(group for group in match.groups() if group))
        return f"line {number + shift if number > header_lines else number}"

    message = re.sub(r"^load_csv: ", "read_texts: ", message)
    return re.sub(
        r"data row \d+ \(line (\d+)\)|line (\d+) \(data row \d+\)|\bline (\d+)",
        line,
        message,
    )


# --- Parquet ---


def _read_parquet(path, text_column, label_column, id_column, blocksize):
    import dask.dataframe as dd

    filename = str(path)
    if "://" not in filename and not Path(path).exists():  # local, not a URL
        raise FileNotFoundError(f"read_texts: no file or folder at {path}.")
    options = {} if blocksize is None else {"blocksize": blocksize}
    frame = dd.read_parquet(path, **options)
    header = list(frame.columns)
    label_column, id_column = _resolve_columns(
        header, text_column, label_column, id_column, filename
    )
    columns = [c for c in (text_column, id_column, label_column) if c is not None]
    check = _ParquetPart(filename, text_column, label_column, id_column)
    return frame[columns].map_partitions(
        check,
        meta=_empty_frame(id_column is not None, label_column is not None),
        enforce_metadata=False,
        align_dataframes=False,
    )


class _ParquetPart:
    """Checks one partition of a Parquet file as load_csv checks a CSV row."""

    def __init__(self, filename, text_column, label_column, id_column):
        self.filename = filename
        self.text_column = text_column
        self.label_column = label_column
        self.id_column = id_column

    def __call__(self, part, partition_info=None):
        import pandas as pd

        from .datasets import _ACCEPTED_LABELS, _LABELS

        number = (partition_info or {}).get("number", 0) + 1
        where = f"{self.filename}, partition {number}"
        texts = part[self.text_column].tolist()
        for row, text in enumerate(texts, 1):
            if not isinstance(text, str) or not text or text.isspace():
                raise ValueError(
                    f"read_texts: {where}, row {row}: no text in column "
                    f"{self.text_column!r} ({text!r}). Remove that row or fill it "
                    "in: every document must hold some text."
                )
        labels = None
        if self.label_column is not None:
            labels = []
            for row, value in enumerate(part[self.label_column].tolist(), 1):
                missing = value is None or bool(pd.isna(value))
                label = None if missing else _LABELS.get(str(value).strip().lower())
                if label is None:
                    raise ValueError(
                        f"read_texts: {where}, row {row}: {value!r} in column "
                        f"{self.label_column!r} is not a human/machine label. "
                        f"Accepted labels are {_ACCEPTED_LABELS}."
                    )
                labels.append(label)
        ids = None
        if self.id_column is not None:
            ids = [str(value) for value in part[self.id_column].tolist()]
        return _frame(texts, ids, labels)


# --------------------------------------------------------------------------------------
# Scoring in partitions
# --------------------------------------------------------------------------------------


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
    model = _fitted_model(model)
    payload = pickle.dumps(model, protocol=5)
    key = "sklearn-aidetect-model-" + hashlib.sha256(payload).hexdigest()[:20]
    if client is None:
        _MODELS.put(key, model)  # computed here: no copy, no unpickling
        shipped = None
    else:
        _prepared(client)
        shipped = client.scatter(payload, broadcast=True, hash=False)
    columns = [c for c in ("id", "label") if c in texts.columns]
    meta = _scores_meta(model, columns)
    return texts.map_partitions(
        _score_partition,
        shipped,
        key,
        columns,
        meta=meta,
        enforce_metadata=False,
        align_dataframes=False,
    )


def _fitted_model(model):
    from sklearn.exceptions import NotFittedError
    from sklearn.utils.validation import check_is_fitted

    from .persistence import load_model

    if isinstance(model, str | os.PathLike):
        model = load_model(model)
    if not hasattr(model, "predict_proba"):
        raise ValueError(
            f"{type(model).__name__} has no predict_proba; pass a fitted detector."
        )
    try:
        check_is_fitted(model)
    except NotFittedError as exc:
        raise ValueError(
            f"the model holds a detector that was never trained ({exc}). Train and "
            "save one with 'aidetect train'."
        ) from None
    classes = list(getattr(model, "classes_", [0, 1]))
    if len(classes) != 2:
        raise ValueError(f"the model has {len(classes)} classes; expected two.")
    return model


def _scores_meta(model, columns):
    import pandas as pd

    frame = pd.DataFrame({"probability": pd.Series([], dtype=np.float64)})
    for column in columns:
        frame[column] = pd.Series([], dtype=np.int64 if column == "label" else object)
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


def _score_partition(part, payload, key, columns):
    import pandas as pd

    if len(part):
        model = _MODELS.get(key, payload)
        scores = model.predict_proba(part["text"].tolist())[:, 1]
    else:
        scores = np.zeros(0)
    frame = pd.DataFrame({"probability": scores}, index=part.index)
    for column in columns:
        frame[column] = part[column]
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
    overwrite : bool, default=False
        Replace an existing ``out``.
    progress : callable or None, default=None
        Called with a one-line message after each partition.

    Returns
    -------
    result : :class:`~sklearn.utils.Bunch`
        ``n_texts``, ``n_partitions``, ``scores`` (ndarray, input order), ``target``
        (labels, or None when the file has none) and ``path`` (of ``out``).

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

    from ._io import atomic_output, check_writable

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
    scored = predict_partitions(model, texts, client=client)
    parts = scored.to_delayed()
    header = ["id", "generated"] if kaggle else ["id" if has_ids else "row"]
    header = header if kaggle else [*header, "probability"]
    scores, labels = [], []
    n_texts = 0
    with atomic_output(out, overwrite=overwrite) as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for number, frame in enumerate(_in_order(parts, client), start=1):
            probability = frame["probability"].to_numpy()
            if has_ids:
                keys = frame["id"].tolist()
            else:
                keys = range(n_texts + 1, n_texts + len(frame) + 1)
            writer.writerows(
                [key, f"{score:.6f}"] for key, score in zip(keys, probability)
            )
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
