"""Dask clients and workers: connect or start a cluster, prepare its workers.

:func:`dask_client` connects to a running scheduler or starts a local cluster, and
:func:`prepare_workers` registers a worker plugin that caps each worker's threads
(TensorFlow, OpenMP/BLAS, tokenizers) and keeps ``dask.sizeof`` off Python's global
``random``, so that trainings on a worker are as reproducible as in one process.
:func:`_require_dask`, which the other modules of the package (and the command line)
call first, says what to install when Dask is missing.
"""

import contextlib
import os
import socket

import numpy as np

__all__ = ["dask_client", "prepare_workers"]

_INSTALL_HINT = 'pip install "sklearn_aidetect[dask]"'
# Seconds to wait for a scheduler to answer; a mistyped address fails in that time.
_CONNECT_TIMEOUT = 5
_PLUGIN_NAME = "sklearn-aidetect-prepare-workers"


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
    generator, which the neural classifiers seed at the start of each fit: a draw by
    the worker's thread in the middle of a fit changes the network that is trained,
    and the scores would then depend on timing, not on ``random_state``. The sizes dask
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
        from ..neural import limit_tensorflow_threads

        limit_tensorflow_threads(n_threads)


def _thread_settings(client_process):
    return {
        "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS"),
        "RAYON_NUM_THREADS": os.environ.get("RAYON_NUM_THREADS"),
        "TOKENIZERS_PARALLELISM": os.environ.get("TOKENIZERS_PARALLELISM"),
        "in_client_process": _this_process() == tuple(client_process),
    }


def _check_positive_int(name, value, *, allow_none=False):
    if value is None and allow_none:
        return
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}.")
