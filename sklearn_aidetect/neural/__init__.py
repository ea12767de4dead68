"""Neural classifiers: Keras networks as scikit-learn classifiers, the third stage.

- :class:`DenseClassifier`: a feed-forward network over a feature matrix (document
  vectors from :mod:`sklearn_aidetect.embeddings`, or a sparse TF-IDF matrix).
- :class:`CNNClassifier`: token embeddings, 1-D convolutions, global max pooling.
- :class:`RNNClassifier`: token embeddings and stacked, optionally bidirectional,
  LSTM or GRU layers.
- :class:`TransformerClassifier`: a small transformer encoder trained from scratch.

The three sequence models read token ids (the ``output="ids"`` of a tokenizer of this
library), documents of any length, padded or truncated to ``maxlen`` inside. Every
classifier is binary, returns ``predict_proba`` of shape ``(n, 2)`` in ``classes_``
order, and shares the training parameters of
:class:`~sklearn_aidetect.neural._base.KerasBinaryClassifier`: optimizer, epochs,
batch size, a stratified validation split with early stopping on its ROC AUC,
``class_weight`` and ``random_state``.

This package imports TensorFlow; ``import sklearn_aidetect`` imports it only when one
of these classes is first used. Importing it caps TensorFlow's threads at
``OMP_NUM_THREADS`` when that is set (see ``docs/neural.rst``).
"""

from .._optional import import_optional

# Say which extra to install before anything imports a missing backend.
import_optional("tensorflow", "sklearn_aidetect.neural (the Keras classifiers)")
import_optional("keras", "sklearn_aidetect.neural (the Keras classifiers)")

# _base first: importing it caps TensorFlow's threads before Keras runs anything.
from ._base import limit_tensorflow_threads  # noqa: E402
from ._dense import DenseClassifier  # noqa: E402
from ._sequence import CNNClassifier, RNNClassifier, TransformerClassifier  # noqa: E402

__all__ = [
    "CNNClassifier",
    "DenseClassifier",
    "RNNClassifier",
    "TransformerClassifier",
    "limit_tensorflow_threads",
]
