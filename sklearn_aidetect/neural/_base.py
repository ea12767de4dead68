"""The base class of every Keras classifier: the one module that trains a network.

:class:`KerasBinaryClassifier` is a plain scikit-learn classifier (``ClassifierMixin``
first, then ``BaseEstimator``) that builds a Keras 3 model at fit time, trains it
under a fixed seed with TensorFlow's deterministic operations, on a stratified
validation split with early stopping on its ROC AUC, and predicts in large batches.
A fitted classifier pickles through Keras's own model pickling (a ``.keras`` archive
in memory). The classifiers of :mod:`sklearn_aidetect.neural` only describe their
networks.

Until version 0.1 this class was built over scikeras's ``BaseWrapper``; scikeras is
archived upstream and globally replaces ``keras.Model.__reduce__`` when imported.
:func:`unpack_legacy_keras_model` reads the models those versions pickled (see
:mod:`sklearn_aidetect.persistence`).

TensorFlow threads. TensorFlow sizes its thread pools from the number of cores, so
two training processes on two cores (``GridSearchCV(n_jobs=2)``) would each start
two compute threads. Importing this module caps both pools at ``OMP_NUM_THREADS``
when that variable is set, the way numpy's BLAS reads it; joblib sets it to
``cpu_count() // n_jobs`` in its worker processes, so each worker trains on its
share of the cores.
"""

import io
import os
import random
from contextlib import contextmanager
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.validation import _check_sample_weight, _num_samples, check_is_fitted

from .._base import Interval, StrOptions, _fit_context
from .._validation import check_binary_target

__all__ = ["KerasBinaryClassifier", "limit_tensorflow_threads"]


def limit_tensorflow_threads(n_threads):
    """Cap TensorFlow's intra-op and inter-op thread pools of this process.

    TensorFlow fixes its thread pools when it runs its first operation; after that
    the call has no effect and returns False.

    Parameters
    ----------
    n_threads : int
        Threads for each pool; 1 makes training use one core.

    Returns
    -------
    applied : bool
        Whether the limit was set.

    Examples
    --------
    Call it first thing in a worker process, before any model is trained (not run
    here: it would slow down the rest of this process):

    >>> from sklearn_aidetect import limit_tensorflow_threads
    >>> limit_tensorflow_threads(1)  # doctest: +SKIP
    True
    """
    import tensorflow as tf

    try:
        tf.config.threading.set_intra_op_parallelism_threads(n_threads)
        tf.config.threading.set_inter_op_parallelism_threads(n_threads)
    except RuntimeError:  # the runtime is already initialized
        return False
    return True


def _threads_from_environment():
    value = os.environ.get("OMP_NUM_THREADS", "")
    return int(value) if value.isdigit() and int(value) > 0 else None


if (_n_threads := _threads_from_environment()) is not None:
    limit_tensorflow_threads(_n_threads)

import keras  # noqa: E402  (after the thread limit, which must precede any TF op)

_OPTIMIZERS = {
    "adam": keras.optimizers.Adam,
    "adamw": keras.optimizers.AdamW,
    "rmsprop": keras.optimizers.RMSprop,
    "sgd": keras.optimizers.SGD,
}

# Rows per call of the network at predict time: large batches are faster, and the
# prediction of a row does not depend on the batch it is in.
_PREDICT_BATCH_SIZE = 512

# Parameters every Keras classifier of the library shares (their docstring entries
# are in TRAINING_DOC below).
TRAINING_PARAMETERS = {
    "learning_rate": [Interval(Real, 0, None, closed="neither")],
    "optimizer": [StrOptions(set(_OPTIMIZERS))],
    "epochs": [Interval(Integral, 1, None, closed="left")],
    "batch_size": [Interval(Integral, 1, None, closed="left"), StrOptions({"full"})],
    "validation_split": [Interval(Real, 0, 1, closed="left")],
    "patience": [Interval(Integral, 1, None, closed="left"), None],
    "class_weight": [dict, StrOptions({"balanced"}), None],
    "random_state": ["random_state"],
    "verbose": ["verbose"],
}

TRAINING_DOC = """\
    learning_rate : float, default={learning_rate}
        Step size of the optimizer.
    optimizer : {{"adam", "adamw", "rmsprop", "sgd"}}, default="{optimizer}"
        The Keras optimizer.
    epochs : int, default={epochs}
        The most passes over the training set (fewer when early stopping ends
        training).
    batch_size : int or "full", default={batch_size}
        Documents per gradient step; ``"full"`` uses the whole training set in each
        step (full-batch gradient descent).
    validation_split : float, default=0.1
        Share of the training set held out, stratified by class, to measure ROC AUC
        after each epoch (``history_["val_auc"]``). 0 trains on everything.
    patience : int or None, default=3
        Early stopping: end training when the validation ROC AUC has not improved
        for ``patience`` epochs, and keep the weights of the best epoch. None trains
        for all ``epochs`` and keeps the last weights. Needs ``validation_split > 0``.
    class_weight : dict, "balanced" or None, default=None
        Weights of the classes in the loss, as ``{{label: weight}}``; ``"balanced"``
        weighs each class inversely to its frequency, so that the minority class
        counts as much as the majority. Multiplies ``sample_weight``.
    random_state : int, RandomState instance or None, default=None
        Seeds the weights, the shuffling, dropout and the validation split, and makes
        TensorFlow use deterministic operations: on CPU, two fits with the same int
        give identical predictions, in any process on the same machine and
        releases (another processor or release may round differently and train
        other weights).
    verbose : int, default=0
        0 is silent; 1 shows Keras's progress bar per epoch, 2 one line per epoch.
"""


_FITTED_ATTRIBUTES = """\
    model_ : keras.Model
        The trained network.
    history_ : dict of list
        ``"loss"`` and ``"auc"`` (training ROC AUC) per epoch, and ``"val_loss"``,
        ``"val_auc"`` on the validation split when there is one.
    best_epoch_ : int
        The epoch (from 0) whose weights were kept.
    classes_ : ndarray of shape (2,)
        The two labels; ``predict_proba`` columns follow this order.
"""

_SEQUENCE_DOC = """\
    maxlen : int, default={maxlen}
        Tokens read per document: longer documents keep their first ``maxlen``
        tokens, shorter ones are padded.
    vocab_size : int or None, default=None
        Token ids with an embedding: the most frequent ``vocab_size`` ids of the
        training documents. None keeps every id seen in training. Any other id,
        including one first seen at predict time, shares one out-of-vocabulary
        embedding.
    embedding_dim : int, default={embedding_dim}
        Width of the token embeddings.
"""


def fill_doc(*, maxlen=None, embedding_dim=None, optimizer="adam", **training_defaults):
    """Fill a classifier docstring's placeholders with the shared entries.

    ``{training_parameters}`` and ``{attributes}`` are in every classifier's
    docstring, ``{sequence_parameters}`` in the token-id classifiers' only.
    """

    def decorate(cls):
        doc = cls.__doc__.replace(
            "    {training_parameters}\n",
            TRAINING_DOC.format(optimizer=optimizer, **training_defaults),
        ).replace("    {attributes}\n", _FITTED_ATTRIBUTES)
        if maxlen is not None:
            doc = doc.replace(
                "    {sequence_parameters}\n",
                _SEQUENCE_DOC.format(maxlen=maxlen, embedding_dim=embedding_dim),
            )
        cls.__doc__ = doc
        return cls

    return decorate


class KerasBinaryClassifier(ClassifierMixin, BaseEstimator):
    """Base of the library's Keras classifiers: a binary classifier over Keras 3.

    A subclass declares its parameters in ``__init__`` (each stored as is), adds its
    own entries to ``_parameter_constraints``, and implements:

    - ``_check_features(X, reset)``: validate ``X`` (and record what fit saw when
      ``reset``), returning an array-like indexable by rows; ``X=None`` must raise
      an error that says what ``X`` should be;
    - ``feature_encoder`` (optional): a transformer fitted on the checked training
      ``X`` that turns it into the network's input (by default ``X`` as it is);
    - ``_build_network()``: the uncompiled ``keras.Model`` whose one output is the
      probability of ``classes_[1]``.

    Everything else (labels, class weights, the stratified validation split, early
    stopping on validation ROC AUC, seeding, prediction, tags) is here.
    """

    _parameter_constraints: dict = dict(TRAINING_PARAMETERS)

    @property
    def feature_encoder(self):
        return FunctionTransformer()

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Build the network and train it.

        Parameters
        ----------
        X : see the class's description
            Training documents.
        y : array-like of shape (n_samples,)
            Two classes, of any label type (``0``/``1``, ``"human"``/``"ai"``...).
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each document in the loss (multiplied by ``class_weight``).
            Documents of weight 0 are left out of training.

        Returns
        -------
        self : object
        """
        if self.patience is not None and self.validation_split == 0:
            raise ValueError(
                f"{type(self).__name__}: early stopping (patience={self.patience}) "
                "watches the ROC AUC of a validation split, but validation_split=0. "
                "Set validation_split > 0 (e.g. 0.1), or patience=None to train for "
                "all epochs."
            )
        X = self._check_features(X, reset=True)
        y = check_binary_target(y, estimator=self, n_samples=_num_samples(X))
        self.classes_ = np.unique(y)
        y = np.searchsorted(self.classes_, y).astype(np.float32)
        seed = self._seed()
        self.feature_encoder_ = self.feature_encoder.fit(X)
        with _seeded(seed):
            self.model_ = self._compiled_network()
        if sample_weight is not None:
            X, y, sample_weight = _without_zero_weights(X, y, sample_weight)
        X = self.feature_encoder_.transform(X)
        self._train(X, y, self._training_weights(y, sample_weight), seed)
        return self

    @property
    def partial_fit(self):
        # Not offered: each fit holds out its own validation split, which
        # incremental training would leak. A property that raises makes
        # hasattr(est, "partial_fit") False, as scikit-learn expects.
        raise AttributeError(
            f"{type(self).__name__} has no partial_fit: refit on all the data, or "
            "raise epochs."
        )

    def predict_proba(self, X):
        """Probability of each class, in ``classes_`` order.

        Parameters
        ----------
        X : see the class's description
            Documents.

        Returns
        -------
        proba : ndarray of shape (n_samples, 2)
            Column 1 is the probability of ``classes_[1]`` (by scikit-learn's
            convention, the positive class that ROC AUC scores).
        """
        check_is_fitted(self)
        X = self.feature_encoder_.transform(self._check_features(X, reset=False))
        positive = np.ravel(self._predict_network(X, _PREDICT_BATCH_SIZE))
        positive = positive.astype(np.float64)
        return np.column_stack([1.0 - positive, positive])

    def predict(self, X):
        """The class of each document: ``classes_[1]`` where its probability > 0.5.

        Parameters
        ----------
        X : see the class's description
            Documents.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        check_is_fitted(self)
        return self.classes_[(self.predict_proba(X)[:, 1] > 0.5).astype(int)]

    def __sklearn_is_fitted__(self):
        return hasattr(self, "model_")

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        tags.target_tags.single_output = True
        tags.target_tags.multi_output = False
        # Without a random_state, two fits start from other weights.
        tags.non_deterministic = self.random_state is None
        return tags

    # --- training ----------------------------------------------------------------

    def _seed(self):
        """The int that seeds the fit, or None: a RandomState is read, not advanced."""
        if isinstance(self.random_state, np.random.RandomState):
            copy = np.random.RandomState()
            copy.set_state(self.random_state.get_state())
            return int(copy.randint(np.iinfo(np.int32).max))
        return self.random_state

    def _make_optimizer(self, model):
        """The optimizer of ``model``; a subclass may set per-variable rates."""
        return _OPTIMIZERS[self.optimizer](learning_rate=self.learning_rate)

    def _compiled_network(self):
        model = self._build_network()
        model.compile(
            optimizer=self._make_optimizer(model),
            loss="binary_crossentropy",
            metrics=[keras.metrics.AUC(name="auc")],
        )
        # Keras's TensorFlow trainer creates the optimizer's variables while it
        # traces the first training step, and a tf.function that creates variables
        # is traced twice. Creating them here saves that second trace: seconds per
        # fit, the same weights.
        model.optimizer.build(model.trainable_variables)
        return model

    def _train(self, X, y, weights, seed):
        train, validation = self._validation_split(y, seed)
        fit_kwargs = {"verbose": self.verbose, "shuffle": True, "callbacks": []}
        early_stopping = None
        if validation is not None:
            fit_kwargs["validation_data"] = (
                X[validation],
                y[validation],
                weights[validation],
            )
            X, y, weights = X[train], y[train], weights[train]
            if self.patience is not None:
                early_stopping = keras.callbacks.EarlyStopping(
                    monitor="val_auc",
                    mode="max",
                    patience=self.patience,
                    restore_best_weights=True,
                )
                fit_kwargs["callbacks"].append(early_stopping)
        fit_kwargs["batch_size"] = (
            y.shape[0] if self.batch_size == "full" else self.batch_size
        )
        with _seeded(seed):
            history = self.model_.fit(
                X, y, sample_weight=weights, epochs=self.epochs, **fit_kwargs
            )
        self.history_ = {
            key: [float(value) for value in values]
            for key, values in history.history.items()
        }
        self.best_epoch_ = len(self.history_["loss"]) - 1
        if early_stopping is not None and early_stopping.best_weights is not None:
            # Not every supported Keras 3 release restores the best weights when
            # training runs to its last epoch; restoring them here always does.
            self.model_.set_weights(early_stopping.best_weights)
            self.best_epoch_ = int(np.argmax(self.history_["val_auc"]))

    def _predict_network(self, X, batch_size):
        """The network's outputs for the encoded rows ``X``."""
        return self.model_.predict(X, batch_size=batch_size, verbose=0)

    # --- checks and helpers ----------------------------------------------------------

    def _training_weights(self, y, sample_weight):
        weights = _check_sample_weight(sample_weight, y, dtype=np.float32)
        if self.class_weight is not None:
            class_weight = self.class_weight
            if isinstance(class_weight, dict):
                class_weight = self._encode_class_weight(class_weight)
            weights = weights * compute_sample_weight(class_weight, y)
        return weights.astype(np.float32)

    def _encode_class_weight(self, class_weight):
        unknown = set(class_weight) - set(self.classes_.tolist())
        if unknown:
            raise ValueError(
                f"{type(self).__name__}: class_weight names {sorted(map(str, unknown))}"
                f", which are not classes of y ({self.classes_.tolist()}). Key the "
                "dict by the labels of y."
            )
        return {
            float(index): class_weight.get(label, 1.0)
            for index, label in enumerate(self.classes_.tolist())
        }

    def _validation_split(self, y, seed):
        if self.validation_split == 0:
            return None, None
        indices = np.arange(y.shape[0])
        try:
            return train_test_split(
                indices,
                test_size=self.validation_split,
                stratify=y,
                random_state=seed,
            )
        except ValueError as error:
            raise ValueError(
                f"{type(self).__name__}: cannot hold out a stratified "
                f"validation_split={self.validation_split} of {y.shape[0]} documents "
                f"({error}). Use more documents, a larger validation_split, or "
                "validation_split=0 with patience=None."
            ) from None


def _without_zero_weights(X, y, sample_weight):
    """Leave out the documents of weight 0, as scikit-learn's estimators ignore them."""
    sample_weight = _check_sample_weight(sample_weight, y, dtype=np.float32)
    if not np.any(sample_weight):
        raise ValueError(
            "sample_weight is 0 for every document, so there is nothing to train "
            "on. Give some documents a positive weight."
        )
    kept = sample_weight != 0
    return X[kept], y[kept], sample_weight[kept]


@contextmanager
def _seeded(seed):
    """Seed Python, NumPy and TensorFlow, with deterministic ops, then restore them.

    ``seed=None`` changes nothing. The global states are put back afterwards, so
    that a seeded fit does not make the rest of the program's randomness repeat.
    """
    if seed is None:
        yield
        return
    import tensorflow as tf
    from tensorflow.python.eager import context
    from tensorflow.python.framework import config

    saved_environment = os.environ.get("TF_DETERMINISTIC_OPS")
    # Keras and TensorFlow draw from the legacy global NumPy generator.
    saved_python, saved_numpy = random.getstate(), np.random.get_state()  # noqa: NPY002
    saved_tensorflow = context.global_seed()
    determinism_was_on = config.is_op_determinism_enabled()
    try:
        os.environ["TF_DETERMINISTIC_OPS"] = "1"
        random.seed(seed)
        np.random.seed(seed)  # noqa: NPY002
        tf.random.set_seed(seed)
        config.enable_op_determinism()
        yield
    finally:
        if saved_environment is None:
            os.environ.pop("TF_DETERMINISTIC_OPS", None)
        else:
            os.environ["TF_DETERMINISTIC_OPS"] = saved_environment
        random.setstate(saved_python)
        np.random.set_state(saved_numpy)  # noqa: NPY002
        tf.random.set_seed(saved_tensorflow)
        if not determinism_was_on:
            config.disable_op_determinism()


# --- models saved by version 0.1 (scikeras) ------------------------------------------


class LegacyBinaryTargetEncoder(BaseEstimator):
    """The label encoder that version 0.1 pickled with every neural classifier.

    Only unpickled from old model files (it is no longer used); kept so that they
    load without scikeras.
    """

    def fit(self, y):
        self.classes_ = np.unique(y)
        return self

    def transform(self, y):
        return np.searchsorted(self.classes_, y).astype("float32")


def unpack_legacy_keras_model(packed):
    """A Keras model from the bytes that scikeras 0.13 pickled (version 0.1's models).

    :func:`~sklearn_aidetect.load_model` maps scikeras's
    ``_saving_utils.unpack_keras_model`` here, so those files load without scikeras.
    """
    from keras.src.saving.saving_lib import load_model

    return load_model(io.BytesIO(packed), compile=True)
