"""PretrainedTransformerClassifier: a pretrained keras-hub encoder, fine-tuned.

The training loop is :class:`~sklearn_aidetect.neural._base.KerasBinaryClassifier`'s,
as for every Keras classifier of the library; this module describes the network (the
preset's backbone, pooling, dropout, one sigmoid unit) and the optimizer's
per-layer learning rates.
"""

import os
from numbers import Integral, Real

import keras
from keras import layers

from .._base import Interval, StrOptions
from .._validation import check_documents
from ..neural._base import _OPTIMIZERS, KerasBinaryClassifier, fill_doc
from ._network import (
    POOLINGS,
    backbone_input_names,
    mixed_precision_dtype,
    pooled_network,
    predict_trimmed,
)
from ._preset import PresetTextEncoder, load_backbone
from ._vectorizer import check_max_length

__all__ = ["PretrainedTransformerClassifier"]

# Documents per call of the network at predict time (a transformer's activations
# grow with the batch times max_length squared, so smaller than the other models').
_PREDICT_BATCH_SIZE = 64


def _with_learning_rate_multipliers(optimizer_class):
    """``optimizer_class`` with one learning-rate factor per trainable variable.

    Keras 3 optimizers have one learning rate; layer-wise decay needs one per
    variable. ``update_step`` is called once per variable with the current rate,
    so scaling it there applies the factor, under any schedule.
    """

    name = f"Layerwise{optimizer_class.__name__}"

    @keras.saving.register_keras_serializable(package="sklearn_aidetect", name=name)
    class Scaled(optimizer_class):
        def __init__(self, *args, learning_rate_multipliers=(), **kwargs):
            super().__init__(*args, **kwargs)
            self.learning_rate_multipliers = [
                float(m) for m in learning_rate_multipliers
            ]

        def update_step(self, gradient, variable, learning_rate):
            factor = self.learning_rate_multipliers[self._get_variable_index(variable)]
            return super().update_step(gradient, variable, learning_rate * factor)

        def get_config(self):
            return {
                **super().get_config(),
                "learning_rate_multipliers": self.learning_rate_multipliers,
            }

    Scaled.__name__ = Scaled.__qualname__ = name
    return Scaled


_LAYERWISE_OPTIMIZERS = {
    name: _with_learning_rate_multipliers(cls) for name, cls in _OPTIMIZERS.items()
}


def layerwise_multipliers(model, backbone, decay):
    """The learning-rate factor of each of ``model``'s trainable variables.

    The head learns at the full rate, the backbone's last transformer layer at
    ``decay`` times it, the one below at ``decay**2``, ..., and the embeddings (and
    anything else of the backbone's outside its transformer layers) at
    ``decay**(n_layers + 1)``.
    """
    stack = getattr(backbone, "transformer_layers", None)
    if not stack:
        raise ValueError(
            f"layerwise_decay needs a backbone with transformer_layers; "
            f"{type(backbone).__name__} has none. Use layerwise_decay=1.0."
        )
    depth = {}
    for index, layer in enumerate(stack):
        for variable in layer.trainable_variables:
            depth[id(variable)] = len(stack) - index
    in_backbone = {id(variable) for variable in backbone.trainable_variables}
    factors = []
    for variable in model.trainable_variables:
        if id(variable) in depth:
            factors.append(decay ** depth[id(variable)])
        elif id(variable) in in_backbone:
            factors.append(decay ** (len(stack) + 1))
        else:
            factors.append(1.0)
    return factors


@fill_doc(learning_rate=2e-5, epochs=3, batch_size=16, optimizer="adamw")
class PretrainedTransformerClassifier(KerasBinaryClassifier):
    """A pretrained keras-hub encoder fine-tuned with a classification head.

    Documents are tokenized by the preset's own tokenizer and truncated to their
    first ``max_length`` tokens; the backbone's token vectors are pooled (mean over
    the attention mask, or the ``[CLS]`` token), then dropout and one sigmoid unit
    give the probability of ``classes_[1]``. The whole network is trained (or only
    the head, with ``freeze_backbone=True``) by the training loop every Keras
    classifier of the library shares: stratified validation split, early stopping
    on its ROC AUC, ``class_weight``, ``random_state``.

    Needs the ``hub`` extra (``pip install "sklearn_aidetect[hub]"``). Weights are
    read from a local preset directory only; nothing is downloaded. The fitted
    classifier holds the whole network and tokenizer: it pickles and loads without
    the preset. On a CPU, fine-tuning a real-size encoder takes hours for a few
    thousand essays; see the user guide's "Pretrained transformers".

    Parameters
    ----------
    preset : str or path-like
        A keras-hub preset directory, as ``save_to_preset`` writes it
        (``config.json``, ``model.weights.h5``, ``tokenizer.json``, ``assets/``).
    max_length : int, default=256
        Tokens read per document, special tokens included; longer documents keep
        their first ``max_length`` tokens. At most the model's
        ``max_sequence_length``.
    pooling : {"mean", "cls"}, default="cls"
        ``"cls"``: the first token's vector, through the backbone's pretrained
        pooler where it has one (BERT's); ``"mean"``: the mean of the token
        vectors, padding excluded.
    dropout : float, default=0.1
        Dropout rate before the output unit.
    freeze_backbone : bool, default=False
        Train the head only; the pretrained weights stay as they are.
    layerwise_decay : float, default=1.0
        Layer-wise learning-rate decay: the head learns at ``learning_rate``, the
        last transformer layer at ``learning_rate * layerwise_decay``, each layer
        below at another factor ``layerwise_decay`` less, the embeddings least.
        1.0 trains every layer at the same rate.
    mixed_precision : bool or "auto", default="auto"
        Compute the backbone in bfloat16 (weights stay float32); ``"auto"`` does
        on a GPU only.
    {training_parameters}

    Attributes
    ----------
    {attributes}
    feature_encoder_ : PresetTextEncoder
        The preset's tokenizer, fitted and kept with the model.

    See Also
    --------
    PretrainedTransformerVectorizer : The same encoder's vectors, not trained.
    TransformerClassifier : A small transformer trained from scratch.

    Examples
    --------
    Build a tiny random BERT preset (a real one is made the same way, from
    pretrained weights), then fine-tune it:

    >>> import tempfile, keras_hub
    >>> from sklearn_aidetect import PretrainedTransformerClassifier
    >>> vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "in",
    ...               "conclusion", "lol", "i", "think"]
    >>> preset = tempfile.mkdtemp()
    >>> keras_hub.models.BertBackbone(
    ...     vocabulary_size=len(vocabulary), num_layers=1, num_heads=1,
    ...     hidden_dim=8, intermediate_dim=16, max_sequence_length=32,
    ... ).save_to_preset(preset)
    >>> keras_hub.models.BertTokenizer(vocabulary=vocabulary).save_to_preset(preset)
    >>> texts = ["in conclusion", "i think lol", "conclusion in", "lol i think"] * 4
    >>> labels = [1, 0, 1, 0] * 4
    >>> classifier = PretrainedTransformerClassifier(
    ...     preset, max_length=8, pooling="mean", learning_rate=0.01, epochs=20,
    ...     validation_split=0.0, patience=None, random_state=0,
    ... ).fit(texts, labels)
    >>> classifier.predict(["in conclusion", "i think"])
    array([1, 0])
    """

    _parameter_constraints: dict = {
        **KerasBinaryClassifier._parameter_constraints,
        "preset": [str, os.PathLike, None],
        "max_length": [Interval(Integral, 2, None, closed="left")],
        "pooling": [StrOptions(set(POOLINGS))],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "freeze_backbone": ["boolean"],
        "layerwise_decay": [Interval(Real, 0, 1, closed="right")],
        "mixed_precision": ["boolean", StrOptions({"auto"})],
    }

    def __init__(
        self,
        preset=None,
        *,
        max_length=256,
        pooling="cls",
        dropout=0.1,
        freeze_backbone=False,
        layerwise_decay=1.0,
        mixed_precision="auto",
        learning_rate=2e-5,
        optimizer="adamw",
        epochs=3,
        batch_size=16,
        validation_split=0.1,
        patience=3,
        class_weight=None,
        random_state=None,
        verbose=0,
    ):
        self.preset = preset
        self.max_length = max_length
        self.pooling = pooling
        self.dropout = dropout
        self.freeze_backbone = freeze_backbone
        self.layerwise_decay = layerwise_decay
        self.mixed_precision = mixed_precision
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
        documents = check_documents(X, estimator=self, fitting=reset)
        if not documents:  # refused, as scikit-learn's classifiers refuse 0 rows
            raise ValueError(
                f"{type(self).__name__} needs at least one document; got an empty "
                "corpus."
            )
        return documents

    @property
    def feature_encoder(self):
        return PresetTextEncoder(
            self.preset, max_length=self.max_length, owner=type(self).__name__
        )

    def _build_network(self):
        # Called after the encoder is fitted: it learns the backbone's inputs here.
        owner = type(self).__name__
        backbone = load_backbone(
            self.preset, owner, dtype=mixed_precision_dtype(self.mixed_precision)
        )
        check_max_length(backbone, self.max_length, owner)
        self.feature_encoder_.set_input_names(backbone_input_names(backbone))
        backbone.trainable = not self.freeze_backbone
        names = self.feature_encoder_.input_names_
        stacked, pooled = pooled_network(backbone, names, self.pooling)
        if self.dropout:
            pooled = layers.Dropout(self.dropout)(pooled)
        output = layers.Dense(1, activation="sigmoid", dtype="float32")(pooled)
        model = keras.Model(stacked, output)
        if self.layerwise_decay != 1.0 and not self.freeze_backbone:
            # Read by _make_optimizer, which compiles the model next.
            self._learning_rate_factors = layerwise_multipliers(
                model, backbone, self.layerwise_decay
            )
        return model

    def _make_optimizer(self, model):
        factors = self.__dict__.pop("_learning_rate_factors", None)
        if factors is None:
            return super()._make_optimizer(model)
        return _LAYERWISE_OPTIMIZERS[self.optimizer](
            learning_rate=self.learning_rate, learning_rate_multipliers=factors
        )

    def _predict_network(self, X, batch_size):
        mask_row = self.feature_encoder_.input_names_.index("padding_mask")
        return predict_trimmed(self.model_, X, mask_row, _PREDICT_BATCH_SIZE)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags
