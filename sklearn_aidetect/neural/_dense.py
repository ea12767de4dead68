"""DenseClassifier: a feed-forward network over a feature matrix."""

from numbers import Real

import keras
import numpy as np
import scipy.sparse as sp
from keras import layers
from sklearn.utils.validation import validate_data

from .._base import Interval, StrOptions
from .._validation import check_feature_matrix
from ._base import KerasBinaryClassifier, fill_doc

__all__ = ["DenseClassifier"]


@fill_doc(learning_rate=0.001, epochs=30, batch_size=32)
class DenseClassifier(KerasBinaryClassifier):
    """A feed-forward network over a feature matrix, as a binary classifier.

    Reads a 2-D float matrix: document vectors (:class:`Doc2VecVectorizer`, ...) or
    a scipy sparse matrix such as ``TfidfVectorizer``'s output, which is fed to the
    network in sparse batches and never densified as a whole.

    Parameters
    ----------
    hidden_layer_sizes : tuple of int, default=(64,)
        Units of each hidden layer; ``()`` gives logistic regression.
    activation : {"relu", "gelu", "tanh", "sigmoid"}, default="relu"
        Activation of the hidden layers.
    dropout : float, default=0.2
        Dropout rate after each hidden layer.
    l2 : float, default=0.0
        L2 penalty on every weight matrix.
    {training_parameters}

    Attributes
    ----------
    {attributes}
    n_features_in_ : int
        Columns of ``X`` seen at fit.

    See Also
    --------
    CNNClassifier : A convolutional network over token ids.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn_aidetect import DenseClassifier
    >>> X, y = make_classification(n_samples=200, random_state=0)
    >>> clf = DenseClassifier(epochs=5, random_state=0).fit(X, y)
    >>> clf.predict_proba(X[:2]).shape
    (2, 2)
    """

    _parameter_constraints: dict = {
        **KerasBinaryClassifier._parameter_constraints,
        "hidden_layer_sizes": [tuple, list],
        "activation": [StrOptions({"relu", "gelu", "tanh", "sigmoid"})],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "l2": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(
        self,
        *,
        hidden_layer_sizes=(64,),
        activation="relu",
        dropout=0.2,
        l2=0.0,
        learning_rate=0.001,
        optimizer="adam",
        epochs=30,
        batch_size=32,
        validation_split=0.1,
        patience=3,
        class_weight=None,
        random_state=None,
        verbose=0,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.dropout = dropout
        self.l2 = l2
        self.learning_rate = learning_rate
        self.optimizer = optimizer
        self.epochs = epochs
        self.batch_size = batch_size
        self.validation_split = validation_split
        self.patience = patience
        self.class_weight = class_weight
        self.random_state = random_state
        self.verbose = verbose

    def _check_features(self, X, reset):
        check_feature_matrix(X, estimator=self)
        X = validate_data(
            self,
            X,
            accept_sparse="csr",
            dtype=np.float32,
            reset=reset,
        )
        if reset:
            self.sparse_input_ = sp.issparse(X)
        elif sp.issparse(X) and not self.sparse_input_:
            X = X.toarray()  # the network was built for dense input
        elif not sp.issparse(X) and self.sparse_input_:
            X = sp.csr_matrix(X)
        return X

    def _build_network(self):
        regularizer = keras.regularizers.L2(self.l2) if self.l2 else None
        inputs = keras.Input(shape=(self.n_features_in_,), sparse=self.sparse_input_)
        x = inputs
        for units in self.hidden_layer_sizes:
            x = layers.Dense(
                units, activation=self.activation, kernel_regularizer=regularizer
            )(x)
            if self.dropout:
                x = layers.Dropout(self.dropout)(x)
        outputs = layers.Dense(1, activation="sigmoid", kernel_regularizer=regularizer)(
            x
        )
        return keras.Model(inputs, outputs, name="dense_classifier")

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags
