"""The network both estimators share: stacked inputs -> backbone -> one vector.

The encoder (:class:`~sklearn_aidetect.hub._preset.PresetTextEncoder`) stacks the
backbone's inputs into one int32 array of shape ``(n, k, length)``; the network
splits it back into the backbone's named inputs, runs the backbone and pools its
token vectors into one vector per document.
"""

import keras
import numpy as np
from keras import layers, ops

POOLINGS = ("mean", "cls")

# A batch is cut to its longest document rounded up to this many tokens: fewer
# distinct widths (each costs a trace) for nearly all of the saving.
_WIDTH_STEP = 32


@keras.saving.register_keras_serializable(package="sklearn_aidetect")
class MaskedMeanPooling(layers.Layer):
    """Mean of the token vectors where the padding mask is set."""

    def call(self, sequence, mask):
        weights = ops.expand_dims(ops.cast(mask, sequence.dtype), -1)
        total = ops.sum(sequence * weights, axis=1)
        return total / ops.maximum(ops.sum(weights, axis=1), 1.0)


def mixed_precision_dtype(mixed_precision):
    """The backbone's dtype policy: bfloat16 compute when asked (or on a GPU)."""
    if mixed_precision == "auto":
        import tensorflow as tf

        mixed_precision = bool(tf.config.list_physical_devices("GPU"))
    return "mixed_bfloat16" if mixed_precision else None


def backbone_input_names(backbone):
    inputs = backbone.input
    if not isinstance(inputs, dict):
        raise ValueError(
            f"the preset's backbone ({type(backbone).__name__}) does not take named "
            "text inputs (token_ids, padding_mask); only text backbones are supported."
        )
    if "token_ids" not in inputs or "padding_mask" not in inputs:
        raise ValueError(
            f"the preset's backbone ({type(backbone).__name__}) takes "
            f"{sorted(inputs)}, not token_ids and padding_mask: not a text encoder."
        )
    return sorted(inputs)


def pooled_network(backbone, input_names, pooling):
    """The stacked-input model's input and its pooled document vectors.

    ``"cls"`` takes the backbone's own pooled output where it has one (BERT's
    pooler, pretrained for that, and what keras-hub's classifiers read), else the
    first token's vector; ``"mean"`` averages the token vectors over the mask, and
    leaves out a pooler it would not use (so that training finds no variable
    without a gradient).
    """
    stacked = keras.Input(shape=(len(input_names), None), dtype="int32")
    named = {name: stacked[:, index] for index, name in enumerate(input_names)}
    outputs = backbone.output
    if isinstance(outputs, dict):
        if pooling == "cls" and "pooled_output" in outputs:
            return stacked, backbone(named)["pooled_output"]
        encoder = keras.Model(backbone.input, outputs["sequence_output"])
    else:
        encoder = backbone
    sequence = encoder(named)
    if pooling == "cls":
        return stacked, sequence[:, 0]
    return stacked, MaskedMeanPooling()(sequence, named["padding_mask"])


def predict_trimmed(model, stacked, mask_row, batch_size):
    """``model``'s outputs for ``stacked``, each batch cut to its longest document.

    Documents are taken shortest first, so that a batch holds similar lengths and
    is cut to the longest of them: the same outputs (padding is masked), in less
    time when most documents are shorter than ``max_length``.
    """
    lengths = np.count_nonzero(stacked[:, mask_row], axis=1)
    order = np.argsort(lengths, kind="stable")
    outputs = None
    for start in range(0, len(order), batch_size):
        rows = order[start : start + batch_size]
        width = -(-max(int(lengths[rows].max()), 1) // _WIDTH_STEP) * _WIDTH_STEP
        batch = ops.convert_to_numpy(
            model.predict_on_batch(stacked[rows, :, : min(width, stacked.shape[2])])
        ).astype(np.float32)
        if outputs is None:
            outputs = np.empty((len(stacked), *batch.shape[1:]), np.float32)
        outputs[rows] = batch
    if outputs is None:  # no documents
        outputs = np.empty((0, *model.output.shape[1:]), np.float32)
    return outputs
