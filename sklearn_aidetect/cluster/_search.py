"""Hyperparameter search on a Dask cluster: :func:`search_on_cluster`.

Any search of :func:`~sklearn_aidetect.search_detector` runs its candidates and folds
as joblib tasks on the workers of a Dask client, through joblib's Dask backend, with
the scores of ``n_jobs=1``; this library's steps whose ``n_jobs`` is None are set to
one job first, so that gensim trains with one thread on each worker.
"""

from ._client import _prepared, _require_dask

__all__ = ["search_on_cluster"]

_LIBRARY = __name__.partition(".")[0]  # sklearn_aidetect


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

    from ..evaluation import search_detector

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
        ours = type(step).__module__.startswith(_LIBRARY + ".")
        if name == "n_jobs" and value is None and ours:
            one[key] = 1
    return estimator.set_params(**one) if one else estimator
