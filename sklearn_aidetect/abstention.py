"""Abstention: no decision on a text too short to judge.

A detector's score for a ten-word text says little (the length benchmark,
``benchmarks/results/length.md``: at 10 words the benchmarked detectors find 12-29%
of the OUTFOX and HC3 machine texts at 1% false positives, against 84-98% whole, and a
threshold chosen on whole essays flags up to 40% of ten-word human ones). Rather
than a 0 or 1 that looks like a judgement, :func:`decide` gives NaN, "no decision",
to every text with fewer than ``min_words`` words. Words are counted as
:class:`~sklearn_aidetect.WordTokenizer` counts them (punctuation aside), whatever
tokenizer the detector itself uses, so the rule means the same for every model.
"""

from numbers import Integral, Real

import numpy as np

from ._base import Interval, validate_params
from ._words import INVISIBLE, MIN_WORDS, WORDS_ONLY

__all__ = ["MIN_WORDS", "count_words", "decide", "first_words"]


def _check_texts(texts):
    texts = list(texts) if not isinstance(texts, str) else None
    if texts is None or any(not isinstance(text, str) for text in texts):
        raise TypeError(
            "texts must be a list of strings, one per document; "
            "wrap a single text in a list."
        )
    return texts


@validate_params({"texts": ["array-like"]}, prefer_skip_nested_validation=True)
def count_words(texts):
    """The number of words of each text.

    Words as :class:`~sklearn_aidetect.WordTokenizer` finds them with
    ``punctuation=False``: "don't", "well-known" and "3.14" are one word each.
    Invisible characters (soft hyphens, zero-width spaces) are dropped first, so
    that they never split a word, as a detector's TextNormalizer drops them.

    Parameters
    ----------
    texts : array-like of str
        Documents.

    Returns
    -------
    ndarray of int of shape (n_texts,)
        The number of words of each text.

    Examples
    --------
    >>> from sklearn_aidetect import count_words
    >>> count_words(["Don't stop, it's well-known.", ""]).tolist()
    [4, 0]
    """
    texts = _check_texts(texts)
    return np.fromiter(
        (sum(1 for _ in WORDS_ONLY.finditer(INVISIBLE.sub("", t))) for t in texts),
        dtype=np.int64,
        count=len(texts),
    )


@validate_params(
    {"text": [str], "n_words": [Interval(Integral, 0, None, closed="left")]},
    prefer_skip_nested_validation=True,
)
def first_words(text, n_words):
    """The start of ``text`` up to the end of its ``n_words``-th word.

    The text as written (spacing and punctuation inside kept); the whole text when
    it has no more than ``n_words`` words. What a reader of the first ``n_words``
    words would see: the length benchmark scores texts cut this way.

    Parameters
    ----------
    text : str
        A document.
    n_words : int
        How many words to keep (:func:`count_words` counts them).

    Returns
    -------
    str
        The start of the text.

    Examples
    --------
    >>> from sklearn_aidetect import first_words
    >>> first_words("One, two; three four.", 3)
    'One, two; three'
    """
    if n_words == 0:
        return ""
    for index, match in enumerate(WORDS_ONLY.finditer(text), start=1):
        if index == n_words:
            return text[: match.end()]
    return text


@validate_params(
    {
        "scores": ["array-like"],
        "texts": ["array-like"],
        "threshold": [Real],
        "min_words": [Interval(Integral, 0, None, closed="left")],
    },
    prefer_skip_nested_validation=True,
)
def decide(scores, texts, *, threshold=0.5, min_words=MIN_WORDS):
    """Turn scores into decisions: 1 (machine), 0 (human) or NaN (too short to judge).

    Parameters
    ----------
    scores : array-like of shape (n_texts,)
        The probability that each text is machine-written.
    texts : array-like of str of shape (n_texts,)
        The texts the scores are for; only their lengths are used.
    threshold : float, default=0.5
        Scores at or above it are decided 1. A model's own, chosen for a
        false-positive budget, is given by :func:`decision_threshold`.
    min_words : int, default=MIN_WORDS
        Texts with fewer words (:func:`count_words`) get NaN. 0 decides every text.

    Returns
    -------
    ndarray of float of shape (n_texts,)
        1.0, 0.0 or NaN.

    Examples
    --------
    >>> from sklearn_aidetect import decide
    >>> decide([0.9, 0.2, 0.9], ["word " * 60, "word " * 60, "Too short."])
    array([ 1.,  0., nan])
    """
    scores = np.asarray(scores, dtype=float)
    texts = _check_texts(texts)
    if scores.ndim != 1 or len(scores) != len(texts):
        raise ValueError(
            f"scores must be one number per text: got shape {scores.shape} for "
            f"{len(texts)} texts."
        )
    return decisions_from_counts(scores, count_words(texts), threshold, min_words)


def decisions_from_counts(scores, n_words, threshold, min_words):
    """:func:`decide` for texts whose words were counted already (in partitions)."""
    decisions = (np.asarray(scores) >= threshold).astype(float)
    if min_words:
        decisions[np.asarray(n_words) < min_words] = np.nan
    return decisions
