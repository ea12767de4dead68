"""The token-id classifiers: CNN, RNN and a small transformer encoder.

They read token ids (the ``output="ids"`` of a tokenizer of this library), documents
of any length, padded or truncated to ``maxlen`` inside.
"""

from numbers import Integral, Real

import keras
import numpy as np
from keras import layers
from sklearn.base import BaseEstimator, TransformerMixin

from .._base import Interval, StrOptions
from .._validation import check_token_ids
from ._base import KerasBinaryClassifier, fill_doc

__all__ = ["CNNClassifier", "RNNClassifier", "TransformerClassifier"]

# Row 0 of every embedding is padding, row 1 stands for token ids not kept at fit.
_PADDING, _OUT_OF_VOCABULARY = 0, 1
_N_RESERVED = 2


class _TokenIdEncoder(TransformerMixin, BaseEstimator):
    """Token-id sequences to a padded matrix of embedding rows.

    Keeps the ``vocab_size`` most frequent ids seen at fit (all of them when None)
    and numbers them from 2; any other id, at fit or later, becomes 1 (out of
    vocabulary); 0 pads. Each document keeps its first ``maxlen`` tokens.
    """

    def __init__(self, *, maxlen, vocab_size):
        self.maxlen = maxlen
        self.vocab_size = vocab_size

    def fit(self, sequences, y=None):
        counts = np.bincount(np.concatenate(list(sequences)))
        seen = np.flatnonzero(counts)
        by_frequency = seen[np.lexsort((seen, -counts[seen]))]  # ties: lower id first
        kept = by_frequency[: self.vocab_size]
        self.index_ = np.full(len(counts), _OUT_OF_VOCABULARY, dtype=np.int32)
        self.index_[kept] = np.arange(_N_RESERVED, _N_RESERVED + len(kept))
        self.vocab_size_ = len(kept)
        return self

    def transform(self, sequences):
        out = np.full((len(sequences), self.maxlen), _PADDING, dtype=np.int32)
        index = self.index_
        for row, ids in enumerate(sequences):
            ids = ids[: self.maxlen]
            known = ids < len(index)
            out[row, : len(ids)] = np.where(
                known, index[np.where(known, ids, 0)], _OUT_OF_VOCABULARY
            )
        return out


# Prediction batches are padded to a multiple of this many tokens: a few widths
# cover every batch, and each new width costs the network a trace.
_WIDTH_STEP = 32


def _predict_shortest_first(model, padded, batch_size):
    """``model``'s outputs for the rows of ``padded``, each batch cut to its width.

    ``padded`` holds right-padded token rows (padding is 0). The rows are taken
    shortest first, so that a batch holds documents of similar length and is cut
    to the longest of them, rounded up to ``_WIDTH_STEP``. Only for networks that
    mask padding: their output for a row does not depend on the padding's width.
    """
    lengths = np.count_nonzero(padded != _PADDING, axis=1)
    order = np.argsort(lengths, kind="stable")
    outputs = np.empty(len(padded), dtype=np.float32)
    for start in range(0, len(order), batch_size):
        rows = order[start : start + batch_size]
        width = -(-int(lengths[rows].max()) // _WIDTH_STEP) * _WIDTH_STEP
        batch = padded[rows, : min(width, padded.shape[1])]
        outputs[rows] = np.ravel(model.predict_on_batch(batch))
    return outputs


class _SequenceClassifier(KerasBinaryClassifier):
    """What the token-id classifiers share: input checks and the id encoding."""

    _parameter_constraints: dict = {
        **KerasBinaryClassifier._parameter_constraints,
        "maxlen": [Interval(Integral, 1, None, closed="left")],
        "vocab_size": [Interval(Integral, 1, None, closed="left"), None],
        "embedding_dim": [Interval(Integral, 1, None, closed="left")],
        "dropout": [Interval(Real, 0, 1, closed="left")],
    }

    def _check_features(self, X, reset):
        return check_token_ids(X, estimator=self)

    @property
    def feature_encoder(self):
        return _TokenIdEncoder(maxlen=self.maxlen, vocab_size=self.vocab_size)

    # True where the network masks padding, so that a document's prediction does not
    # depend on how much padding follows it (the RNN and the transformer; the CNN's
    # max pooling sees padding).
    _masks_padding = False

    def _token_inputs(self):
        """The network's input and the number of embedding rows it needs."""
        self.vocab_size_ = self.feature_encoder_.vocab_size_
        width = None if self._masks_padding else self.maxlen
        inputs = keras.Input(shape=(width,), dtype="int32")
        return inputs, self.vocab_size_ + _N_RESERVED

    def _predict_network(self, X, batch_size):
        # A network that takes any width (one that masks padding) predicts shortest
        # documents first, each batch padded only to its longest document: the same
        # probabilities, in less time when most documents are shorter than maxlen.
        # A fixed-width network (the CNN, or one saved before this change) is fed
        # maxlen tokens, as it was built for.
        if self.model_.inputs[0].shape[-1] is not None:
            return super()._predict_network(X, batch_size)
        return _predict_shortest_first(self.model_, X, batch_size)

    def _output(self, x):
        if self.dropout:
            x = layers.Dropout(self.dropout)(x)
        return layers.Dense(1, activation="sigmoid")(x)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        return tags


@fill_doc(maxlen=512, embedding_dim=64, learning_rate=0.001, epochs=10, batch_size=32)
class CNNClassifier(_SequenceClassifier):
    """A 1-D convolutional network over token ids, as a binary classifier.

    Token embeddings, one convolution per kernel size (in parallel, as in Kim's
    sentence CNN), global max pooling over the document, dropout, and a sigmoid
    output. Reads token-id sequences of any length.

    Parameters
    ----------
    {sequence_parameters}
    filters : int, default=128
        Filters of each convolution.
    kernel_sizes : tuple of int, default=(3, 5)
        Width, in tokens, of each convolution.
    dropout : float, default=0.3
        Dropout rate before the output.
    {training_parameters}

    Attributes
    ----------
    {attributes}
    vocab_size_ : int
        Token ids with their own embedding.

    See Also
    --------
    RNNClassifier, TransformerClassifier : The other sequence models.

    Examples
    --------
    >>> from sklearn_aidetect import CNNClassifier
    >>> X = [[5, 6, 7, 8], [5, 6, 9], [1, 2, 3], [1, 2, 4, 3]] * 5
    >>> y = [1, 1, 0, 0] * 5
    >>> clf = CNNClassifier(maxlen=8, epochs=3, validation_split=0, patience=None,
    ...                     random_state=0).fit(X, y)
    >>> clf.predict_proba([[5, 6, 7], [1, 2, 99]]).shape
    (2, 2)
    """

    _parameter_constraints: dict = {
        **_SequenceClassifier._parameter_constraints,
        "filters": [Interval(Integral, 1, None, closed="left")],
        "kernel_sizes": [tuple, list],
    }

    def __init__(
        self,
        *,
        maxlen=512,
        vocab_size=None,
        embedding_dim=64,
        filters=128,
        kernel_sizes=(3, 5),
        dropout=0.3,
        learning_rate=0.001,
        optimizer="adam",
        epochs=10,
        batch_size=32,
        validation_split=0.1,
        patience=3,
        class_weight=None,
        random_state=None,
        verbose=0,
    ):
        self.maxlen = maxlen
        self.vocab_size = vocab_size
        self.embedding_dim = embedding_dim
        self.filters = filters
        self.kernel_sizes = kernel_sizes
        self.dropout = dropout
        self.learning_rate = learning_rate
        self.optimizer = optimizer
        self.epochs = epochs
        self.batch_size = batch_size
        self.validation_split = validation_split
        self.patience = patience
        self.class_weight = class_weight
        self.random_state = random_state
        self.verbose = verbose

    def _build_network(self):
        inputs, n_embeddings = self._token_inputs()
        x = layers.Embedding(n_embeddings, self.embedding_dim)(inputs)
        pooled = [
            layers.GlobalMaxPooling1D()(
                layers.Conv1D(self.filters, size, activation="relu", padding="same")(x)
            )
            for size in self.kernel_sizes
        ]
        x = pooled[0] if len(pooled) == 1 else layers.Concatenate()(pooled)
        return keras.Model(inputs, self._output(x), name="cnn_classifier")


@fill_doc(maxlen=256, embedding_dim=64, learning_rate=0.002, epochs=10, batch_size=32)
class RNNClassifier(_SequenceClassifier):
    """A recurrent network (LSTM or GRU) over token ids, as a binary classifier.

    Token embeddings (padding masked), ``num_layers`` stacked recurrent layers,
    each optionally bidirectional, the last state of the last layer, dropout, and a
    sigmoid output. Reads token-id sequences of any length.

    Parameters
    ----------
    {sequence_parameters}
    cell : {"lstm", "gru"}, default="gru"
        The recurrent unit.
    units : int, default=64
        Units of each recurrent layer (per direction).
    num_layers : int, default=1
        Stacked recurrent layers.
    bidirectional : bool, default=True
        Read each document in both directions.
    dropout : float, default=0.3
        Dropout rate before the output.
    {training_parameters}

    Attributes
    ----------
    {attributes}
    vocab_size_ : int
        Token ids with their own embedding.

    See Also
    --------
    CNNClassifier, TransformerClassifier : The other sequence models.

    Examples
    --------
    >>> from sklearn_aidetect import RNNClassifier
    >>> X = [[5, 6, 7, 8], [5, 6, 9], [1, 2, 3], [1, 2, 4, 3]] * 5
    >>> y = ["ai", "ai", "human", "human"] * 5
    >>> clf = RNNClassifier(maxlen=8, units=8, epochs=3, validation_split=0,
    ...                     patience=None, random_state=0).fit(X, y)
    >>> clf.classes_
    array(['ai', 'human'], dtype='<U5')
    """

    _parameter_constraints: dict = {
        **_SequenceClassifier._parameter_constraints,
        "cell": [StrOptions({"lstm", "gru"})],
        "units": [Interval(Integral, 1, None, closed="left")],
        "num_layers": [Interval(Integral, 1, None, closed="left")],
        "bidirectional": ["boolean"],
    }

    _masks_padding = True

    def __init__(
        self,
        *,
        maxlen=256,
        vocab_size=None,
        embedding_dim=64,
        cell="gru",
        units=64,
        num_layers=1,
        bidirectional=True,
        dropout=0.3,
        learning_rate=0.002,
        optimizer="adam",
        epochs=10,
        batch_size=32,
        validation_split=0.1,
        patience=3,
        class_weight=None,
        random_state=None,
        verbose=0,
    ):
        self.maxlen = maxlen
        self.vocab_size = vocab_size
        self.embedding_dim = embedding_dim
        self.cell = cell
        self.units = units
        self.num_layers = num_layers
        self.bidirectional = bidirectional
        self.dropout = dropout
        self.learning_rate = learning_rate
        self.optimizer = optimizer
        self.epochs = epochs
        self.batch_size = batch_size
        self.validation_split = validation_split
        self.patience = patience
        self.class_weight = class_weight
        self.random_state = random_state
        self.verbose = verbose

    def _build_network(self):
        inputs, n_embeddings = self._token_inputs()
        x = layers.Embedding(n_embeddings, self.embedding_dim, mask_zero=True)(inputs)
        recurrent = layers.LSTM if self.cell == "lstm" else layers.GRU
        for depth in range(self.num_layers):
            layer = recurrent(self.units, return_sequences=depth < self.num_layers - 1)
            x = (layers.Bidirectional(layer) if self.bidirectional else layer)(x)
        return keras.Model(inputs, self._output(x), name="rnn_classifier")


@keras.saving.register_keras_serializable(package="sklearn_aidetect")
class PositionalEmbedding(layers.Layer):
    """Token embedding plus a learned position embedding."""

    def __init__(self, input_dim, output_dim, maxlen, **kwargs):
        super().__init__(**kwargs)
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.maxlen = maxlen
        self.tokens = layers.Embedding(input_dim, output_dim)
        self.positions = layers.Embedding(maxlen, output_dim)

    def build(self, input_shape):
        self.tokens.build(input_shape)
        self.positions.build((self.maxlen,))
        super().build(input_shape)

    def call(self, inputs):
        positions = keras.ops.arange(keras.ops.shape(inputs)[-1])
        return self.tokens(inputs) + self.positions(positions)

    def get_config(self):
        return {
            **super().get_config(),
            "input_dim": self.input_dim,
            "output_dim": self.output_dim,
            "maxlen": self.maxlen,
        }


@keras.saving.register_keras_serializable(package="sklearn_aidetect")
class TokenMask(layers.Layer):
    """True where a token is, False on padding (id 0).

    Passed to attention and pooling explicitly: Keras's implicit mask propagation
    warns, in some supported releases, that the attention's inner layers drop it.
    """

    def call(self, inputs):
        return keras.ops.not_equal(inputs, _PADDING)


@fill_doc(maxlen=256, embedding_dim=64, learning_rate=0.001, epochs=10, batch_size=32)
class TransformerClassifier(_SequenceClassifier):
    """A small transformer encoder over token ids, trained from scratch.

    Token and learned position embeddings, ``num_layers`` encoder blocks (multi-head
    self-attention and a feed-forward layer, each with a residual connection and
    layer normalization, padding masked), the mean over the document's tokens,
    dropout, and a sigmoid output. Reads token-id sequences of any length.

    No pretrained weights are loaded: the model learns from the training set alone,
    which is why it is small.

    Parameters
    ----------
    {sequence_parameters}
    num_layers : int, default=1
        Encoder blocks.
    num_heads : int, default=2
        Attention heads per block; ``embedding_dim`` is split between them.
    ff_dim : int, default=128
        Width of each block's feed-forward layer.
    dropout : float, default=0.1
        Dropout rate inside the blocks and before the output.
    {training_parameters}

    Attributes
    ----------
    {attributes}
    vocab_size_ : int
        Token ids with their own embedding.

    See Also
    --------
    CNNClassifier, RNNClassifier : The other sequence models.

    Examples
    --------
    >>> from sklearn_aidetect import TransformerClassifier
    >>> X = [[5, 6, 7, 8], [5, 6, 9], [1, 2, 3], [1, 2, 4, 3]] * 5
    >>> y = [1, 1, 0, 0] * 5
    >>> clf = TransformerClassifier(maxlen=8, embedding_dim=8, ff_dim=8, epochs=3,
    ...                             validation_split=0, patience=None,
    ...                             random_state=0).fit(X, y)
    >>> clf.predict([[5, 6, 7]])
    array([...])
    """

    _parameter_constraints: dict = {
        **_SequenceClassifier._parameter_constraints,
        "num_layers": [Interval(Integral, 1, None, closed="left")],
        "num_heads": [Interval(Integral, 1, None, closed="left")],
        "ff_dim": [Interval(Integral, 1, None, closed="left")],
    }

    _masks_padding = True

    def __init__(
        self,
        *,
        maxlen=256,
        vocab_size=None,
        embedding_dim=64,
        num_layers=1,
        num_heads=2,
        ff_dim=128,
        dropout=0.1,
        learning_rate=0.001,
        optimizer="adam",
        epochs=10,
        batch_size=32,
        validation_split=0.1,
        patience=3,
        class_weight=None,
        random_state=None,
        verbose=0,
    ):
        self.maxlen = maxlen
        self.vocab_size = vocab_size
        self.embedding_dim = embedding_dim
        self.num_layers = num_layers
        self.num_heads = num_heads
        self.ff_dim = ff_dim
        self.dropout = dropout
        self.learning_rate = learning_rate
        self.optimizer = optimizer
        self.epochs = epochs
        self.batch_size = batch_size
        self.validation_split = validation_split
        self.patience = patience
        self.class_weight = class_weight
        self.random_state = random_state
        self.verbose = verbose

    def _build_network(self):
        if self.embedding_dim % self.num_heads:
            raise ValueError(
                f"TransformerClassifier: embedding_dim={self.embedding_dim} must be "
                f"a multiple of num_heads={self.num_heads}, which split it evenly."
            )
        inputs, n_embeddings = self._token_inputs()
        x = PositionalEmbedding(n_embeddings, self.embedding_dim, self.maxlen)(inputs)
        mask = TokenMask()(inputs)
        for _ in range(self.num_layers):
            attention = layers.MultiHeadAttention(
                self.num_heads,
                key_dim=self.embedding_dim // self.num_heads,
                dropout=self.dropout,
            )(x, x, query_mask=mask, value_mask=mask)
            x = layers.LayerNormalization(epsilon=1e-6)(
                layers.Add()([x, layers.Dropout(self.dropout)(attention)])
            )
            feed_forward = layers.Dense(self.ff_dim, activation="gelu")(x)
            feed_forward = layers.Dense(self.embedding_dim)(feed_forward)
            x = layers.LayerNormalization(epsilon=1e-6)(
                layers.Add()([x, layers.Dropout(self.dropout)(feed_forward)])
            )
        x = layers.GlobalAveragePooling1D()(x, mask=mask)  # padding is left out
        return keras.Model(inputs, self._output(x), name="transformer_classifier")
