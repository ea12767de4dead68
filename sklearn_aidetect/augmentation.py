"""Augmentation of training texts: typos and case noise, in ``fit`` only.

Kaggle's winning teams of "LLM - Detect AI Generated Text" added character-level
noise to their machine-written training essays: the hidden test set's human essays
carried typos, and a detector that learnt "no typo means machine" failed there.
:class:`TypoAugmenter` does that inside a pipeline, with the seeded edits of
:mod:`sklearn_aidetect.perturbation` (swapped, dropped, doubled and slipped
letters; swapped case).

How it behaves: ``fit_transform`` (what ``Pipeline.fit`` calls on the training
texts) returns the texts with the noise; ``transform`` (what ``predict``,
``predict_proba`` and ``score`` call) returns them unchanged. So the noise reaches
the model's training only: the texts scored, in cross-validation folds too, are
never edited. Texts are edited whatever their label unless ``only_label`` says
which class to edit.
"""

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils import check_random_state

from ._base import Interval, TextTransformerMixin, _fit_context
from ._validation import check_documents
from .perturbation import change_case, insert_typos

__all__ = ["TypoAugmenter"]


class TypoAugmenter(TextTransformerMixin, TransformerMixin, BaseEstimator):
    """Add typos and case noise to the training texts, and to nothing else.

    Put it after the :class:`TextNormalizer` of a pipeline (the normaliser would
    not undo typos, but it runs first on every text). ``fit_transform`` edits,
    ``transform`` does not: see :mod:`sklearn_aidetect.augmentation`.

    Parameters
    ----------
    typo_rate : float, default=0.05
        Share of each text's words that get one typo
        (:func:`~sklearn_aidetect.perturbation.insert_typos`).
    case_rate : float, default=0.0
        Share of each text's letters whose case is swapped
        (:func:`~sklearn_aidetect.perturbation.change_case`).
    only_label : int or None, default=None
        Edit only the training texts of this label (1: the machine-written ones,
        as the Kaggle teams did, so that typos stop being a sign of a human);
        None edits every text. Needs ``y`` in ``fit_transform``.
    random_state : int, RandomState instance or None, default=None
        Seeds the edits: the same seed gives the same texts.

    Examples
    --------
    >>> from sklearn_aidetect import TypoAugmenter
    >>> augmenter = TypoAugmenter(typo_rate=0.5, random_state=0)
    >>> augmenter.fit_transform(["the essay was written"])
    ['the eessay was writte']
    >>> augmenter.transform(["the essay was written"])  # at prediction: unchanged
    ['the essay was written']
    """

    _parameter_constraints: dict = {
        "typo_rate": [Interval(Real, 0, 1, closed="both")],
        "case_rate": [Interval(Real, 0, 1, closed="both")],
        "only_label": [Integral, None],
        "random_state": ["random_state"],
    }

    def __init__(self, *, typo_rate=0.05, case_rate=0.0, only_label=None,
                 random_state=None):  # fmt: skip
        self.typo_rate = typo_rate
        self.case_rate = case_rate
        self.only_label = only_label
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X=None, y=None):
        """Validate the parameters; there is nothing to learn.

        Parameters
        ----------
        X : iterable of str, default=None
            Checked when given, and otherwise unused.
        y : None
            Ignored.

        Returns
        -------
        self : TypoAugmenter
        """
        if X is not None:
            check_documents(X, estimator=self)
        return self

    def fit_transform(self, X, y=None):
        """The training texts with typos and case noise.

        Parameters
        ----------
        X : iterable of str
            The training texts.
        y : array-like of shape (n_texts,), default=None
            Their labels; needed with ``only_label``.

        Returns
        -------
        documents : list of str
            The edited texts, in order (those of other labels as they were).
        """
        self.fit(X)
        texts = check_documents(X, estimator=self)
        chosen = np.ones(len(texts), dtype=bool)
        if self.only_label is not None:
            if y is None:
                raise ValueError(
                    f"only_label={self.only_label} edits the texts of one label, so "
                    "fit_transform needs y: fit the pipeline with labels."
                )
            chosen = np.asarray(y) == self.only_label
            if len(chosen) != len(texts):
                raise ValueError(
                    f"y has {len(chosen)} labels for {len(texts)} texts; give one "
                    "label per text."
                )
            if not chosen.any():
                raise ValueError(
                    f"only_label={self.only_label!r} matches none of the labels "
                    f"{sorted(set(np.asarray(y).tolist()))[:5]}: give the label of the "
                    "texts to edit as y holds it (1, not '1')."
                )
        rng = check_random_state(self.random_state)
        edited = [texts[i] for i in np.flatnonzero(chosen)]
        # Two seeds drawn from one generator: the same random_state, the same texts.
        typo_seed, case_seed = rng.randint(np.iinfo(np.int32).max, size=2)
        if self.typo_rate:
            edited = insert_typos(edited, rate=self.typo_rate, random_state=typo_seed)
        if self.case_rate:
            edited = change_case(edited, rate=self.case_rate, random_state=case_seed)
        out = list(texts)
        for i, text in zip(np.flatnonzero(chosen), edited):
            out[i] = text
        return out

    def transform(self, X):
        """The texts unchanged: augmentation is for training only.

        Parameters
        ----------
        X : iterable of str
            Texts to score.

        Returns
        -------
        documents : list of str
            The same texts.
        """
        self._validate_params()
        return list(check_documents(X, estimator=self))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        return tags
