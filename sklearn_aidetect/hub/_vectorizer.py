"""PretrainedTransformerVectorizer: a pretrained encoder's document vectors."""

import os
from numbers import Integral

import keras
import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from .._base import Interval, StrOptions, TextTransformerMixin, _fit_context
from .._validation import check_documents
from ._network import (
    POOLINGS,
    backbone_input_names,
    mixed_precision_dtype,
    pooled_network,
    predict_trimmed,
)
from ._preset import PresetTextEncoder, load_backbone

__all__ = ["PretrainedTransformerVectorizer"]


class PretrainedTransformerVectorizer(
    TextTransformerMixin, TransformerMixin, BaseEstimator
):
    """Documents -> fixed-size vectors from a pretrained keras-hub encoder.

    Each document is tokenized by the preset's own tokenizer, truncated to its
    first ``max_length`` tokens (the model's special tokens included), run through
    the pretrained backbone (BERT, DistilBERT, RoBERTa, DeBERTa-v3...) and pooled
    into one vector: the mean of its token vectors over the attention mask, or the
    vector of its first (``[CLS]``) token. The weights are not trained: ``fit``
    loads them, so the vectors feed any scikit-learn classifier. To train the
    encoder as well, see :class:`PretrainedTransformerClassifier`.

    Needs the ``hub`` extra (``pip install "sklearn_aidetect[hub]"``). Weights are
    read from a local preset directory only; nothing is downloaded (the user guide,
    "Pretrained transformers", says how to get a preset onto the machine).

    Parameters
    ----------
    preset : str or path-like
        A keras-hub preset directory, as ``save_to_preset`` writes it
        (``config.json``, ``model.weights.h5``, ``tokenizer.json``, ``assets/``).
    max_length : int, default=256
        Tokens read per document, special tokens included; longer documents keep
        their first ``max_length`` tokens. At most the model's
        ``max_sequence_length``.
    pooling : {"mean", "cls"}, default="mean"
        ``"mean"``: the mean of the token vectors, padding excluded; ``"cls"``:
        the first token's vector, through the backbone's pretrained pooler where
        it has one (BERT's).
    batch_size : int, default=32
        Documents per call of the network.
    mixed_precision : bool or "auto", default="auto"
        Compute in bfloat16 (weights stay float32); ``"auto"`` does on a GPU only.

    Attributes
    ----------
    model_ : keras.Model
        The backbone and the pooling, from stacked inputs to vectors.
    encoder_ : PresetTextEncoder
        The preset's tokenizer, kept with the model (it pickles on its own).
    n_features_out_ : int
        Width of the vectors (the backbone's hidden size).

    See Also
    --------
    PretrainedTransformerClassifier : Fine-tunes the encoder with a head.
    Doc2VecVectorizer : Document vectors trained on your own corpus.

    Examples
    --------
    Build a tiny random BERT preset (a real one is made the same way, from
    pretrained weights), then read document vectors from it:

    >>> import tempfile, keras_hub
    >>> from sklearn_aidetect import PretrainedTransformerVectorizer
    >>> vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "essay"]
    >>> preset = tempfile.mkdtemp()
    >>> keras_hub.models.BertBackbone(
    ...     vocabulary_size=len(vocabulary), num_layers=1, num_heads=1,
    ...     hidden_dim=8, intermediate_dim=16, max_sequence_length=32,
    ... ).save_to_preset(preset)
    >>> keras_hub.models.BertTokenizer(vocabulary=vocabulary).save_to_preset(preset)
    >>> vectorizer = PretrainedTransformerVectorizer(preset, max_length=16)
    >>> vectorizer.fit_transform(["the essay", "an essay about the essay"]).shape
    (2, 8)
    """

    _parameter_constraints: dict = {
        "preset": [str, os.PathLike, None],
        "max_length": [Interval(Integral, 2, None, closed="left")],
        "pooling": [StrOptions(set(POOLINGS))],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "mixed_precision": ["boolean", StrOptions({"auto"})],
    }

    def __init__(
        self,
        preset=None,
        *,
        max_length=256,
        pooling="mean",
        batch_size=32,
        mixed_precision="auto",
    ):
        self.preset = preset
        self.max_length = max_length
        self.pooling = pooling
        self.batch_size = batch_size
        self.mixed_precision = mixed_precision

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X=None, y=None):
        """Load the preset's tokenizer and backbone (``X`` is checked, not learnt).

        Parameters
        ----------
        X : iterable of str or None, default=None
            Documents; only checked, as the weights are pretrained.
        y : None
            Ignored.

        Returns
        -------
        self : object
        """
        if X is not None:
            check_documents(X, estimator=self)
        name = type(self).__name__
        self.encoder_ = PresetTextEncoder(
            self.preset, max_length=self.max_length, owner=name
        ).fit()
        backbone = load_backbone(
            self.preset, name, dtype=mixed_precision_dtype(self.mixed_precision)
        )
        check_max_length(backbone, self.max_length, name)
        names = backbone_input_names(backbone)
        self.encoder_.set_input_names(names)
        stacked, pooled = pooled_network(backbone, names, self.pooling)
        self.model_ = keras.Model(stacked, keras.ops.cast(pooled, "float32"))
        self.n_features_out_ = int(pooled.shape[-1])
        return self

    def transform(self, X):
        """The document vectors.

        Parameters
        ----------
        X : iterable of str
            Documents.

        Returns
        -------
        vectors : ndarray of shape (n_documents, hidden_size), float32
        """
        check_is_fitted(self)
        stacked = self.encoder_.transform(check_documents(X, estimator=self))
        mask_row = self.encoder_.input_names_.index("padding_mask")
        vectors = predict_trimmed(self.model_, stacked, mask_row, self.batch_size)
        return vectors.reshape(len(stacked), self.n_features_out_)

    def get_feature_names_out(self, input_features=None):
        """The names of the vector's dimensions.

        Parameters
        ----------
        input_features : None
            Ignored (the input is documents).

        Returns
        -------
        names : ndarray of str
            ``pretrainedtransformervectorizer0``, ``...1``, one per dimension.
        """
        check_is_fitted(self)
        return np.asarray(
            [
                f"pretrainedtransformervectorizer{i}"
                for i in range(self.n_features_out_)
            ],
            dtype=object,
        )

    def __sklearn_is_fitted__(self):
        return hasattr(self, "model_")


def check_max_length(backbone, max_length, owner):
    limit = getattr(backbone, "max_sequence_length", None)
    if limit is not None and max_length > limit:
        raise ValueError(
            f"{owner}: max_length={max_length} is longer than the preset's model "
            f"reads (max_sequence_length={limit}). Set max_length <= {limit}."
        )
