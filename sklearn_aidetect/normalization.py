"""Text normalisation: undo the character-level edits that make detectors fail.

:class:`TextNormalizer` is the first step of every ready-made detector. It folds what
an evasion or a word processor changes in a text without changing what it says: other
Unicode forms of the same letters (NFKC), look-alike letters of other scripts
(homoglyphs), invisible format characters and odd whitespace. It reports how much it
changed, since a text full of homoglyphs is itself suspicious.
"""

import re
import unicodedata
from functools import cache
from numbers import Real

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from ._base import Interval, TextTransformerMixin, _fit_context
from ._confusables import to_latin
from ._validation import check_documents

__all__ = ["TextNormalizer"]

# The columns of TextNormalizer.count_changes, in the order the steps run.
CHANGE_KINDS = ("invisible", "nfkc", "confusables", "whitespace")

# Whitespace that ends a line; U+2029 (paragraph separator) ends a paragraph.
_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028"
_WHITESPACE_RUN = re.compile(r"\s+")
# A run of whitespace inside a text that is not one space, one line break or two
# contains one of these: a quick test that skips three texts in four.
_ODD_WHITESPACE = re.compile(r"[^\S \n]|  | \n|\n |\n\n\n")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# The ASCII bytes that are not letters: deleting them leaves a text's Latin letters.
_NOT_LETTERS = bytes(code for code in range(128) if not chr(code).isalpha())


@cache
def _invisible_pattern():
    """Characters that show nothing: Unicode format characters (zero-width space and
    joiners, soft hyphen, byte-order mark, bidirectional marks...), variation
    selectors, the combining grapheme joiner, Hangul fillers, and control characters
    other than whitespace."""
    # Every format and control character is in planes 0-1 or among plane 14's tags;
    # looking only there builds the pattern in a tenth of the time.
    codes = [*range(0x20000), *range(0xE0000, 0xE1000)]
    invisible = [
        char
        for char in map(chr, codes)
        if unicodedata.category(char) in ("Cf", "Cc") and not char.isspace()
    ]
    invisible += map(chr, range(0xFE00, 0xFE10))  # variation selectors
    invisible += map(chr, range(0xE0100, 0xE01F0))
    invisible += ["\u034f", "\u115f", "\u1160", "\u3164", "\uffa0"]
    return _character_class(invisible)


@cache
def _confusable_table():
    """``to_latin()`` for ``str.translate``."""
    return {ord(character): letter for character, letter in to_latin().items()}


def _character_class(chars):
    """A pattern matching any of ``chars``, written as ranges: ``re`` scans a class
    of hundreds of single characters one by one, thirty times slower."""
    ranges = []
    for code in sorted(set(map(ord, chars))):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return re.compile(
        "["
        + "".join(
            re.escape(chr(low)) + ("" if low == high else "-" + re.escape(chr(high)))
            for low, high in ranges
        )
        + "]"
    )


def _canonical_whitespace(run, at_start, at_end):
    """One space, or one or two line breaks; nothing at either end of the text."""
    if at_start or at_end:
        return ""
    run = run.replace("\r\n", "\n")
    breaks = sum(char in _LINE_BREAKS for char in run) + 2 * run.count("\u2029")
    return " " if not breaks else "\n" if breaks == 1 else "\n\n"


class TextNormalizer(TextTransformerMixin, TransformerMixin, BaseEstimator):
    """Normalise Unicode, homoglyphs, invisible characters and whitespace.

    Four steps, in this order, each of which can be turned off:

    1. ``invisible``: remove characters that show nothing (zero-width space and
       joiners, soft hyphen, byte-order mark, bidirectional marks and the other
       Unicode format characters, variation selectors, control characters other
       than whitespace). An attacker puts them inside words so that a detector no
       longer recognises them.
    2. ``nfkc``: Unicode normalisation form NFKC: fullwidth ``ａ``, mathematical
       ``𝐚``, ligatures ``ﬁ``, superscripts and composed accents become their
       ordinary forms.
    3. ``confusables``: letters of other scripts that look like Latin ones
       (Cyrillic ``а``, Greek ``ο``...) become the Latin letter, from Unicode's
       confusables table (UTS #39, as the ``confusable_homoglyphs`` package ships
       it). Only in a text whose letters are mostly Latin (at least
       ``min_latin_share``): a Russian or Greek text is left as it is.
    4. ``whitespace``: every run of whitespace becomes one space, or one line
       break, or two (a paragraph break) when it held two or more; whitespace at
       the start and the end of the text is removed. Non-breaking, thin and other
       Unicode spaces, tabs and ``\\r\\n`` line ends are folded the same way.

    It protects against character-level edits, not against paraphrase or changed
    wording: see the user guide's section on attacks. It learns nothing: ``fit``
    only validates the parameters.

    Parameters
    ----------
    invisible : bool, default=True
        Remove invisible characters.
    nfkc : bool, default=True
        Apply Unicode NFKC.
    confusables : bool, default=True
        Map look-alike letters to Latin ones in mostly-Latin texts.
    whitespace : bool, default=True
        Normalise whitespace.
    min_latin_share : float, default=0.5
        The share of a text's letters that must be ASCII Latin letters (after the
        steps before) for ``confusables`` to apply to it.

    See Also
    --------
    sklearn_aidetect.perturbation : The edits this undoes, to measure a detector.

    Examples
    --------
    >>> from sklearn_aidetect import TextNormalizer
    >>> normalizer = TextNormalizer()
    >>> # Cyrillic е and а, a zero-width space, fullwidth i, extra spaces:
    >>> text = "Th\\u0435 ess\\u0430y\\u200b  is   m\\uff49ne."
    >>> normalizer.fit_transform([text])
    ['The essay is mine.']
    >>> normalizer.count_changes([text])
    array([[1, 1, 2, 2]])
    >>> normalizer.get_change_names()
    array(['invisible', 'nfkc', 'confusables', 'whitespace'], dtype=object)
    """

    _parameter_constraints: dict = {
        "invisible": ["boolean"],
        "nfkc": ["boolean"],
        "confusables": ["boolean"],
        "whitespace": ["boolean"],
        "min_latin_share": [Interval(Real, 0, 1, closed="both")],
    }

    def __init__(
        self,
        *,
        invisible=True,
        nfkc=True,
        confusables=True,
        whitespace=True,
        min_latin_share=0.5,
    ):
        self.invisible = invisible
        self.nfkc = nfkc
        self.confusables = confusables
        self.whitespace = whitespace
        self.min_latin_share = min_latin_share

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X=None, y=None):
        """Validate the parameters; there is nothing to learn.

        Parameters
        ----------
        X : iterable of str, default=None
            Checked like in ``transform`` when given, and otherwise unused.
        y : None
            Ignored.

        Returns
        -------
        self : TextNormalizer
        """
        if X is not None:
            check_documents(X, estimator=self)
        return self

    def transform(self, X):
        """Normalise each document.

        Parameters
        ----------
        X : iterable of str
            Documents.

        Returns
        -------
        documents : list of str
            The normalised documents, in order.
        """
        return [self._normalize(text)[0] for text in self._documents(X)]

    def count_changes(self, X):
        """How many characters or whitespace runs each step changed, per document.

        Usable as features (``FunctionTransformer(normalizer.count_changes)`` in a
        ``FeatureUnion``) or as a warning: an ordinary text has zeros in the first
        three columns.

        Parameters
        ----------
        X : iterable of str
            Documents.

        Returns
        -------
        counts : ndarray of shape (n_documents, 4), dtype=int64
            Columns ``invisible`` (characters removed), ``nfkc`` (characters that
            NFKC changed), ``confusables`` (letters mapped to Latin) and
            ``whitespace`` (runs of whitespace rewritten); a step that is turned
            off counts 0.
        """
        counts = [self._normalize(text)[1] for text in self._documents(X)]
        return np.array(counts, dtype=np.int64).reshape(-1, len(CHANGE_KINDS))

    def get_change_names(self):
        """The names of :meth:`count_changes`'s columns.

        Returns
        -------
        names : ndarray of str objects
        """
        return np.array(CHANGE_KINDS, dtype=object)

    def _documents(self, X):
        self._validate_params()  # stateless: transform works without fit
        return check_documents(X, estimator=self)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        return tags

    def _normalize(self, text):
        n_invisible = n_nfkc = n_confusables = n_whitespace = 0
        if self.invisible:
            text, n_invisible = _invisible_pattern().subn("", text)
        if not text.isascii():
            if self.nfkc and not unicodedata.is_normalized("NFKC", text):
                n_nfkc = sum(
                    unicodedata.normalize("NFKC", char) != char
                    for char in _NON_ASCII.findall(text)
                )
                text = unicodedata.normalize("NFKC", text)
            if self.confusables:
                text, n_confusables = self._map_confusables(text)
        if self.whitespace:
            text, n_whitespace = self._normalize_whitespace(text)
        return text, (n_invisible, n_nfkc, n_confusables, n_whitespace)

    def _map_confusables(self, text):
        # Look-alikes are never ASCII: a check of the non-ASCII characters alone is
        # twenty times faster than a pattern of all 1,225 over the whole text.
        others = _NON_ASCII.findall(text)
        table = to_latin()
        n_confusables = sum(char in table for char in others)
        if not n_confusables:
            return text, 0
        latin = len(text.encode("ascii", "ignore").translate(None, _NOT_LETTERS))
        letters = latin + sum(char.isalpha() for char in others)
        if latin < self.min_latin_share * letters:
            return text, 0  # a text of another script: its letters are its own
        return text.translate(_confusable_table()), n_confusables

    @staticmethod
    def _normalize_whitespace(text):
        ends = text[:1].isspace() or text[-1:].isspace()
        if not ends and not _ODD_WHITESPACE.search(text):
            return text, 0
        changed = 0

        def canonical(match):
            nonlocal changed
            run = match.group()
            new = _canonical_whitespace(
                run, at_start=match.start() == 0, at_end=match.end() == len(text)
            )
            changed += new != run
            return new

        text = _WHITESPACE_RUN.sub(canonical, text)
        return text, changed
