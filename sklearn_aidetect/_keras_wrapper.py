"""The base class of every Keras classifier, and the only module that knows scikeras.

scikeras supplies the wrapper machinery: building the Keras model at fit time,
training it under a fixed seed with TensorFlow's deterministic ops, collecting the
history, pickling the model. Its own ``KerasClassifier`` is not usable as it stands on
scikit-learn >= 1.6: it is declared ``KerasClassifier(BaseWrapper, ClassifierMixin)``,
so ``is_classifier`` is False, ``cv=5`` stops stratifying and ``scoring="roc_auc"``
gives NaN. :class:`KerasBinaryClassifier` is declared ``ClassifierMixin`` first, over
scikeras's ``BaseWrapper``, and does the classifier part itself.

Should scikeras have to go, this module is what gets rewritten; the classifiers in
:mod:`sklearn_aidetect.neural` only describe their networks.

TensorFlow threads. TensorFlow sizes its thread pools from the number of cores, so
two training processes on two cores (``GridSearchCV(n_jobs=2)``) would each start
two compute threads. Importing this module caps both pools at ``OMP_NUM_THREADS``
when that variable is set, the way numpy's BLAS reads it; joblib sets it to
``cpu_count() // n_jobs`` in its worker processes, so each worker trains on its
share of the cores.
"""

import os
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.model_selection import train_test_split
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.validation import _check_sample_weight, _num_samples, check_is_fitted

from ._base import Interval, StrOptions
from ._validation import check_binary_target

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
from scikeras.wrappers import BaseWrapper  # noqa: E402

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
    optimizer : {{"adam", "adamw", "rmsprop", "sgd"}}, default="adam"
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


class _BinaryTargetEncoder(BaseEstimator):
    """Labels to 0.0/1.0 in ``classes_`` order (scikeras's target-encoder hook)."""

    def fit(self, y):
        self.classes_ = np.unique(y)
        return self

    def transform(self, y):
        return np.searchsorted(self.classes_, y).astype("float32")

    def get_metadata(self):
        return {"classes_": self.classes_, "n_classes_": len(self.classes_)}


class KerasBinaryClassifier(ClassifierMixin, BaseWrapper):
    """Base of the library's Keras classifiers: a binary classifier over scikeras.

    A subclass declares its parameters in ``__init__`` (each stored as is), adds its
    own entries to ``_parameter_constraints``, and implements:

    - ``_check_features(X, reset)``: validate ``X`` (and record what fit saw when
      ``reset``), returning an array-like indexable by rows; ``X=None`` must raise
      an error that says what ``X`` should be;
    - ``feature_encoder`` (optional): a transformer fitted on the checked training
      ``X`` that turns it into the network's input;
    - ``_build_network(meta)``: the uncompiled ``keras.Model`` whose one output is
      the probability of ``classes_[1]``.

    Everything else (labels, class weights, the stratified validation split, early
    stopping on validation ROC AUC, seeding, prediction, tags) is here.
    """

    _parameter_constraints: dict = dict(TRAINING_PARAMETERS)

    # scikeras reads these class attributes. Nothing is routed from parameters by
    # name (each fit argument is passed explicitly), and there is no warm start.
    _fit_kwargs = frozenset()
    _predict_kwargs = frozenset()
    _routing_prefixes = frozenset()
    warm_start = False

    # scikeras finds parameters in __dict__ and has its own repr and set_params;
    # scikit-learn's own read the __init__ signature, as every estimator's should.
    _get_param_names = classmethod(BaseEstimator._get_param_names.__func__)
    set_params = BaseEstimator.set_params
    __repr__ = BaseEstimator.__repr__

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

        Returns
        -------
        self : object
        """
        self._validate_params()
        if self.patience is not None and self.validation_split == 0:
            raise ValueError(
                f"{type(self).__name__}: early stopping (patience={self.patience}) "
                "watches the ROC AUC of a validation split, but validation_split=0. "
                "Set validation_split > 0 (e.g. 0.1), or patience=None to train for "
                "all epochs."
            )
        if X is None:  # scikeras would skip checking a missing X
            self._check_features(X, reset=True)
        if y is None:  # ... and a missing y
            check_binary_target(y, estimator=self)
        self.classes_ = None  # read by _BinaryTargetEncoder's scikeras set-up
        self._fit(
            X,
            y,
            sample_weight=sample_weight,
            warm_start=False,
            epochs=self.epochs,
            initial_epoch=0,
        )
        return self

    @property
    def partial_fit(self):
        # Inherited from scikeras but not offered: each fit holds out its own
        # validation split, which incremental training would leak. A property that
        # raises makes hasattr(est, "partial_fit") False, as scikit-learn expects.
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
        if X is None:  # scikeras would skip checking a missing X
            self._check_features(X, reset=False)
        positive = np.ravel(
            self._predict_raw(X, batch_size=_PREDICT_BATCH_SIZE, verbose=0)
        ).astype(np.float64)
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
        return tags

    # --- hooks scikeras calls --------------------------------------------------------

    @property
    def target_encoder(self):
        return _BinaryTargetEncoder()

    def _validate_data(self, X=None, y=None, reset=False):
        # scikeras passes X=None (or y=None) for "not given"; fit and predict_proba
        # refuse a None that the user passed before it gets here.
        if X is not None:
            X = self._check_features(X, reset=reset)
        if y is not None:
            n_samples = None if X is None else _num_samples(X)
            y = check_binary_target(y, estimator=self, n_samples=n_samples)
        return X, y

    def _check_model_param(self):
        return self._keras_build_fn

    def _keras_build_fn(self, meta):
        model = self._build_network(meta)
        model.compile(
            optimizer=_OPTIMIZERS[self.optimizer](learning_rate=self.learning_rate),
            loss="binary_crossentropy",
            metrics=[keras.metrics.AUC(name="auc")],
        )
        # Keras's TensorFlow trainer creates the optimizer's variables while it
        # traces the first training step, and a tf.function that creates variables
        # is traced twice. Creating them here saves that second trace: seconds per
        # fit, the same weights.
        model.optimizer.build(model.trainable_variables)
        return model

    def _fit_keras_model(
        self, X, y, sample_weight, warm_start, epochs, initial_epoch, **kwargs
    ):
        weights = self._training_weights(y, sample_weight)
        train, validation = self._validation_split(y)
        fit_kwargs = {"verbose": self.verbose, "shuffle": True}
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
        fit_kwargs["batch_size"] = (
            y.shape[0] if self.batch_size == "full" else self.batch_size
        )
        # scikeras passes the callbacks it finds in _fit_callbacks; they hold the
        # model and must not outlive the fit (or be pickled with the estimator).
        self._fit_callbacks = [] if early_stopping is None else [early_stopping]
        try:
            super()._fit_keras_model(
                X,
                y,
                sample_weight=weights,
                warm_start=warm_start,
                epochs=epochs,
                initial_epoch=initial_epoch,
                **fit_kwargs,
            )
        finally:
            self._fit_callbacks = []
        # Keras's own history: scikeras renames the metrics ("auc" to "a_u_c").
        self.history_ = {
            key: [float(value) for value in values]
            for key, values in self.model_.history.history.items()
        }
        self.best_epoch_ = len(self.history_["loss"]) - 1
        if early_stopping is not None and early_stopping.best_weights is not None:
            # Not every supported Keras 3 release restores the best weights when
            # training runs to its last epoch; restoring them here always does.
            self.model_.set_weights(early_stopping.best_weights)
            self.best_epoch_ = int(np.argmax(self.history_["val_auc"]))

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

    def _validation_split(self, y):
        if self.validation_split == 0:
            return None, None
        indices = np.arange(y.shape[0])
        try:
            return train_test_split(
                indices,
                test_size=self.validation_split,
                stratify=y,
                random_state=self._random_state,
            )
        except ValueError as error:
            raise ValueError(
                f"{type(self).__name__}: cannot hold out a stratified "
                f"validation_split={self.validation_split} of {y.shape[0]} documents "
                f"({error}). Use more documents, a larger validation_split, or "
                "validation_split=0 with patience=None."
            ) from None
