"""Pretrained transformers from keras-hub: document vectors and fine-tuning.

- :class:`PretrainedTransformerVectorizer`: documents -> fixed-size vectors from a
  pretrained encoder (BERT and kin), for any scikit-learn classifier (embed stage).
- :class:`PretrainedTransformerClassifier`: the encoder fine-tuned with a
  classification head, trained like the other Keras classifiers (model stage).

Both read a local keras-hub preset directory and never download. This package
imports TensorFlow and keras-hub (the ``hub`` extra); ``import sklearn_aidetect``
imports it only when one of these classes is first used.
"""

from .._optional import import_optional

import_optional("keras_hub", "sklearn_aidetect.hub (the pretrained transformers)")

# neural first: importing it caps TensorFlow's threads before keras-hub runs anything.
from .. import neural  # noqa: E402, F401
from ._classifier import PretrainedTransformerClassifier  # noqa: E402
from ._vectorizer import PretrainedTransformerVectorizer  # noqa: E402

__all__ = ["PretrainedTransformerClassifier", "PretrainedTransformerVectorizer"]
