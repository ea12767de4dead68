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

from ._client import dask_client, prepare_workers
from ._read import read_texts
from ._score import predict_partitions, score_file
from ._search import search_on_cluster

__all__ = [
    "dask_client",
    "predict_partitions",
    "prepare_workers",
    "read_texts",
    "score_file",
    "search_on_cluster",
]


def __getattr__(name):
    # The worker plugin class is defined on first use, so that importing this
    # package does not import Dask (PEP 562); see _client.__getattr__.
    if name == "_PrepareWorkers":
        from ._client import _worker_plugin_class

        return _worker_plugin_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
