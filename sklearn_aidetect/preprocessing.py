"""Token preprocessing: what happens to token lists between tokenizer and vectorizer.

- :class:`StopWordRemover` drops stop words (scikit-learn's English list or yours).
- :class:`VocabularyFilter` keeps the tokens seen in enough, but not too many,
  documents (gensim ``Dictionary.filter_extremes`` rules) and drops or replaces the
  rest.

Both take token lists (``output="tokens"`` of any tokenizer of this library) or raw
strings, which they split with :class:`~sklearn_aidetect.WordTokenizer` at its
defaults.
"""

from collections import Counter
from itertools import chain
from numbers import Integral, Real

from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
from sklearn.utils.validation import check_is_fitted

from ._base import (
    Interval,
    StrOptions,
    TextTransformerMixin,
    _fit_context,
    format_token_lists,
)
from ._validation import check_token_lists

__all__ = ["StopWordRemover", "VocabularyFilter"]

# Byte-level (GPT-2) and metaspace (SentencePiece) tokenizers mark the start of a word
# with these signs; "Ġthe" is the word "the".
_WORD_START_MARKERS = "\u0120\u2581"


class StopWordRemover(TextTransformerMixin, TransformerMixin, BaseEstimator):
    """Remove stop words from token lists.

    A token is a stop word when it equals one of ``stop_words`` (ignoring case unless
    ``case_sensitive``), after a leading word-start marker (``"Ġ"`` of byte-level
    tokenizers, ``"▁"`` of metaspace ones) is set aside, so it also works after
    :class:`BPETokenizer` and :class:`UnigramTokenizer`. Word pieces that continue a
    word (``"##ing"``) are never stop words.

    The remover learns nothing: ``fit`` only validates the parameters.

    Parameters
    ----------
    stop_words : "english" or list of str, default="english"
        ``"english"`` is scikit-learn's built-in list
        (``sklearn.feature_extraction.text.ENGLISH_STOP_WORDS``, 318 words); or give
        your own words.
    case_sensitive : bool, default=False
        Match case exactly. By default ``"The"`` is removed like ``"the"``.
    output : {"tokens", "text"}, default="tokens"
        ``"tokens"``: a list of tokens per document; ``"text"``: one string per
        document with the tokens joined by single spaces.

    See Also
    --------
    VocabularyFilter : Drop tokens by document frequency.

    Notes
    -----
    Function words are among the strongest signals that separate human from machine
    text; remove them only when a model should see content words alone.

    Examples
    --------
    >>> from sklearn_aidetect import StopWordRemover
    >>> StopWordRemover().fit_transform([["The", "cat", "sat", "on", "the", "mat"]])
    [['cat', 'sat', 'mat']]
    >>> StopWordRemover(stop_words=["cat"], output="text").transform(["The cat sat"])
    ['The sat']
    """

    _parameter_constraints: dict = {
        "stop_words": [StrOptions({"english"}), list, tuple, set, frozenset],
        "case_sensitive": ["boolean"],
        "output": [StrOptions({"tokens", "text"})],
    }

    def __init__(self, *, stop_words="english", case_sensitive=False, output="tokens"):
        self.stop_words = stop_words
        self.case_sensitive = case_sensitive
        self.output = output

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X=None, y=None):
        """Validate the parameters; there is nothing to learn.

        Parameters
        ----------
        X : iterable, default=None
            Ignored.
        y : None
            Ignored.

        Returns
        -------
        self : StopWordRemover
        """
        self._stop_word_set()
        return self

    def transform(self, X):
        """Remove the stop words of each document.

        Parameters
        ----------
        X : iterable of list of str, or iterable of str
            Token lists, or raw documents.

        Returns
        -------
        tokens : list of list of str, or list of str
            One entry per document, as chosen by ``output``.
        """
        self._validate_params()
        stop_words = self._stop_word_set()
        token_lists = check_token_lists(X, estimator=self)
        if self.case_sensitive:
            kept = [
                [t for t in tokens if t.lstrip(_WORD_START_MARKERS) not in stop_words]
                for tokens in token_lists
            ]
        else:
            kept = [
                [
                    t
                    for t in tokens
                    if t.lstrip(_WORD_START_MARKERS).lower() not in stop_words
                ]
                for tokens in token_lists
            ]
        return format_token_lists(kept, self.output)

    def _stop_word_set(self):
        words = ENGLISH_STOP_WORDS if self.stop_words == "english" else self.stop_words
        for position, word in enumerate(words):
            if not isinstance(word, str):
                raise TypeError(
                    f"StopWordRemover: stop_words[{position}] is "
                    f"{type(word).__name__} ({word!r}); every stop word must be a str."
                )
        if self.case_sensitive:
            return frozenset(words)
        return frozenset(word.lower() for word in words)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        return tags


class VocabularyFilter(TextTransformerMixin, TransformerMixin, BaseEstimator):
    """Keep the tokens seen in enough, but not too many, training documents.

    The rules are gensim's ``Dictionary.filter_extremes``: a token is kept when it
    appears in at least ``no_below`` documents and in at most ``no_above`` (a
    fraction) of them; of those, the ``keep_n`` most frequent are kept. Tokens outside
    the vocabulary are dropped, or replaced by ``unknown_token``.

    Parameters
    ----------
    no_below : int, default=2
        Keep tokens that appear in at least this many documents. gensim's default is
        5; 2 drops the one-off tokens only.
    no_above : float, default=1.0
        Keep tokens that appear in at most this fraction of the documents, counted as
        ``int(no_above * n_documents)`` like gensim. gensim's default is 0.5, which
        removes the function words that tell human and machine text apart.
    keep_n : int or None, default=None
        Keep only this many tokens, the most frequent by document frequency (ties by
        token text). None keeps all.
    unknown_token : str or None, default=None
        Replace tokens outside the vocabulary by this token, which gets the last id of
        ``vocabulary_``. None drops them.
    output : {"tokens", "ids", "text"}, default="tokens"
        ``"tokens"``: a list of tokens per document; ``"ids"``: their ids in
        ``vocabulary_``; ``"text"``: one string of space-joined tokens.

    Attributes
    ----------
    vocabulary_ : dict of str to int
        Kept token to id, most frequent first (``unknown_token`` last, if set).
    document_frequency_ : dict of str to int
        For each kept token, the number of training documents it appears in.
    n_documents_ : int
        The number of training documents.

    See Also
    --------
    StopWordRemover : Drop a fixed list of words.

    Examples
    --------
    >>> from sklearn_aidetect import VocabularyFilter
    >>> docs = [["a", "b", "c"], ["a", "b"], ["a", "d"]]
    >>> f = VocabularyFilter(no_below=2, no_above=0.9).fit(docs)
    >>> f.vocabulary_
    {'b': 0}
    >>> VocabularyFilter(no_below=2, unknown_token="<unk>", output="ids").fit_transform(
    ...     docs)
    [[0, 1, 2], [0, 1], [0, 2]]
    """

    _parameter_constraints: dict = {
        "no_below": [Interval(Integral, 1, None, closed="left")],
        "no_above": [Interval(Real, 0, 1, closed="right")],
        "keep_n": [Interval(Integral, 1, None, closed="left"), None],
        "unknown_token": [str, None],
        "output": [StrOptions({"tokens", "ids", "text"})],
    }

    def __init__(
        self,
        *,
        no_below=2,
        no_above=1.0,
        keep_n=None,
        unknown_token=None,
        output="tokens",
    ):
        self.no_below = no_below
        self.no_above = no_above
        self.keep_n = keep_n
        self.unknown_token = unknown_token
        self.output = output

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Count document frequencies and choose the vocabulary.

        Parameters
        ----------
        X : iterable of list of str, or iterable of str
            Token lists, or raw documents.
        y : None
            Ignored.

        Returns
        -------
        self : VocabularyFilter
        """
        token_lists = check_token_lists(X, estimator=self, fitting=True)
        n_documents = len(token_lists)
        document_frequency = Counter(chain.from_iterable(map(set, token_lists)))
        most = int(self.no_above * n_documents)
        kept = [
            (token, count)
            for token, count in document_frequency.items()
            if self.no_below <= count <= most
        ]
        kept.sort(key=lambda item: (-item[1], item[0]))
        if self.keep_n is not None:
            kept = kept[: self.keep_n]
        if not kept:
            raise ValueError(
                f"VocabularyFilter kept no token of {n_documents} document(s): none "
                f"appears in at least no_below={self.no_below} and at most "
                f"no_above={self.no_above} ({most}) of them. Lower no_below or raise "
                "no_above."
            )
        self.vocabulary_ = {token: index for index, (token, _) in enumerate(kept)}
        if self.unknown_token is not None:
            self.vocabulary_.setdefault(self.unknown_token, len(self.vocabulary_))
        self.document_frequency_ = dict(kept)
        self.n_documents_ = n_documents
        return self

    def transform(self, X):
        """Filter each document through the vocabulary.

        Parameters
        ----------
        X : iterable of list of str, or iterable of str
            Token lists, or raw documents.

        Returns
        -------
        filtered : list of list of str, list of list of int, or list of str
            One entry per document, as chosen by ``output``.
        """
        check_is_fitted(self)
        self._validate_params()
        token_lists = check_token_lists(X, estimator=self)
        vocabulary = self.vocabulary_
        unknown = self.unknown_token
        if unknown is not None and unknown not in vocabulary:
            raise ValueError(
                f"VocabularyFilter: unknown_token={unknown!r} was set after fit; "
                "fit again so that it gets an id."
            )
        if unknown is None:
            kept = [[t for t in tokens if t in vocabulary] for tokens in token_lists]
        else:
            kept = [
                [t if t in vocabulary else unknown for t in tokens]
                for tokens in token_lists
            ]
        if self.output == "ids":
            return [[vocabulary[t] for t in tokens] for tokens in kept]
        return format_token_lists(kept, self.output)
