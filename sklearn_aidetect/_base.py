"""Pieces every text estimator of the library shares.

scikit-learn's parameter-validation helpers are private (``sklearn.utils.
_param_validation``, ``sklearn.base._fit_context``); they are imported here and only
here, so a change on their side is mended in one place.
"""

import re

import numpy as np
from sklearn.base import _fit_context
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    RealNotInt,
    StrOptions,
    validate_params,
)
from sklearn.utils.validation import check_is_fitted

__all__ = [
    "HasMethods",
    "Interval",
    "NamedFeaturesMixin",
    "RealNotInt",
    "StrOptions",
    "TextTransformerMixin",
    "_fit_context",
    "format_token_lists",
    "has_whitespace",
    "select_features",
    "validate_estimator_params",
    "validate_params",
]

# A token that itself contains whitespace would split in two when the "text" output is
# read back by TfidfVectorizer(token_pattern=r"\S+"); it is joined by this sign instead.
_SPACE_SUBSTITUTE = "\u2581"  # "▁", the sign SentencePiece uses for the same purpose
_WHITESPACE = re.compile(r"\s")


class TextTransformerMixin:
    """Tags for transformers whose input is a sequence of documents, not a 2-D array.

    scikit-learn skips its numeric common checks for estimators that declare string
    input; ``tests/test_api.py`` runs the checks that still apply.
    """

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.transformer_tags.preserves_dtype = []
        return tags


def format_token_lists(token_lists, output, *, tokens_may_have_spaces=True):
    """Return token lists as ``"tokens"`` (unchanged) or ``"text"`` (space-joined).

    In ``"text"`` output each token keeps its identity: whitespace inside a token is
    replaced by ``"▁"``, so splitting the string on whitespace gives the tokens back.
    A caller that knows no token holds whitespace says so with
    ``tokens_may_have_spaces=False`` and skips that check.
    """
    if output == "tokens":
        return token_lists
    if output == "text":
        if not tokens_may_have_spaces:
            return [" ".join(tokens) for tokens in token_lists]
        return [_join_tokens(tokens) for tokens in token_lists]
    raise ValueError(f"output={output!r} cannot be made from token strings")


def has_whitespace(tokens):
    """Whether any of ``tokens`` contains a whitespace character."""
    return _WHITESPACE.search("".join(tokens)) is not None


def _join_tokens(tokens):
    joined = " ".join(tokens)
    # Fast path: every whitespace character but the ASCII space is non-printable, so
    # this proves that the only whitespace is the separators just added.
    if joined.isprintable() and joined.count(" ") == len(tokens) - 1:
        return joined
    return " ".join(_WHITESPACE.sub(_SPACE_SUBSTITUTE, token) for token in tokens)


class NamedFeaturesMixin:
    """``get_feature_names_out`` for vectorizers whose ``features`` picks columns.

    The class lists every feature it can make in ``_all_feature_names()``; ``fit``
    sets ``columns_`` with :func:`select_features`.
    """

    def get_feature_names_out(self, input_features=None):
        """The names of the features ``transform`` returns, in order.

        Parameters
        ----------
        input_features : None
            Ignored (the input is text).

        Returns
        -------
        names : ndarray of str
        """
        check_is_fitted(self, "columns_")
        return np.asarray(self._all_feature_names(), dtype=object)[self.columns_]


def select_features(estimator, names, wanted):
    """The positions of the ``wanted`` feature names among ``names`` (all if None).

    For the vectorizers whose ``features`` parameter picks columns by name; an
    unknown name fails with the list of valid ones.
    """
    if wanted is None:
        return np.arange(len(names))
    wanted = list(wanted)
    unknown = [name for name in wanted if name not in names]
    if unknown or not wanted or len(set(wanted)) != len(wanted):
        problem = (
            f"has no feature(s) {unknown}"
            if unknown
            else "needs a non-empty list of distinct feature names"
        )
        raise ValueError(
            f"The 'features' parameter of {type(estimator).__name__} {problem}; "
            f"choose from {names}, or pass features=None for all."
        )
    position = {name: index for index, name in enumerate(names)}
    return np.array([position[name] for name in wanted], dtype=np.intp)


def validate_estimator_params(estimator):
    """Check ``estimator``'s parameters against its ``_parameter_constraints`` now.

    Estimators check them at ``fit``; a ready-made detector checks them when it is
    built, so that a wrong value fails before a long training run.
    """
    if hasattr(estimator, "_parameter_constraints"):
        estimator._validate_params()
