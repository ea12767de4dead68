"""Tokenization: the first stage of a detector.

Every tokenizer here is a scikit-learn transformer that takes an iterable of documents
(strings) and returns, per document, a list of tokens, a list of token ids or one
space-joined string (``output="tokens" | "ids" | "text"``). The ``"text"`` output feeds
scikit-learn's own vectorizers with no custom code::

    make_pipeline(BPETokenizer(output="text"),
                  TfidfVectorizer(token_pattern=r"\\S+", lowercase=False))

- :class:`WordTokenizer`: words, numbers, contractions and punctuation, by rules that
  need no downloaded data.
- :class:`BPETokenizer`, :class:`WordPieceTokenizer`, :class:`UnigramTokenizer`:
  subword tokenizers trained in ``fit`` with HuggingFace ``tokenizers``.
- :class:`PretrainedTokenizer`: a ``tokenizer.json`` file saved earlier, loaded as a
  ready tokenizer.
"""

import json
import os
from itertools import chain
from numbers import Integral, Real
from operator import itemgetter
from pathlib import Path

from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from ._base import (
    Interval,
    StrOptions,
    TextTransformerMixin,
    _fit_context,
    format_token_lists,
    has_whitespace,
)
from ._io import atomic_write_text
from ._validation import check_documents
from ._words import WORDS_AND_PUNCTUATION, WORDS_ONLY

__all__ = [
    "BPETokenizer",
    "PretrainedTokenizer",
    "UnigramTokenizer",
    "WordPieceTokenizer",
    "WordTokenizer",
]

# --------------------------------------------------------------------------------------
# Word tokenizer
# --------------------------------------------------------------------------------------

_OUTPUT_NO_IDS = [StrOptions({"tokens", "text"})]
_OUTPUT = [StrOptions({"tokens", "ids", "text"})]


class WordTokenizer(TextTransformerMixin, TransformerMixin, BaseEstimator):
    """Split documents into words, numbers and punctuation, by rules.

    Works offline: unlike NLTK's ``word_tokenize`` it needs no downloaded model.
    Contractions and hyphenated words stay whole (``"don't"``, ``"well-known"``),
    numbers keep their separators (``"3.14"``, ``"1,000"``), URLs and e-mail addresses
    are single tokens, each CJK ideograph is a token, and each punctuation mark is a
    token (``"..."`` is one). Zero-width and direction-control characters separate
    tokens but never appear in them.

    The tokenizer learns nothing: ``fit`` only validates the parameters.

    Parameters
    ----------
    lowercase : bool, default=False
        Lowercase tokens. Case is kept by default because capitalisation is itself
        evidence of who wrote a text.
    punctuation : bool, default=True
        Keep punctuation marks and symbols as tokens. If False they are dropped.
    output : {"tokens", "text"}, default="tokens"
        ``"tokens"``: a list of token strings per document; ``"text"``: one string per
        document with the tokens joined by single spaces.

    See Also
    --------
    BPETokenizer : A subword tokenizer trained on the corpus.
    StopWordRemover : Drops stop words from token lists.

    Examples
    --------
    >>> from sklearn_aidetect import WordTokenizer
    >>> WordTokenizer().fit_transform(["I don't think it's 3.14, is it?"])
    [['I', "don't", 'think', "it's", '3.14', ',', 'is', 'it', '?']]
    >>> WordTokenizer(lowercase=True, punctuation=False, output="text").transform(
    ...     ["Hello, World!"])
    ['hello world']
    """

    _parameter_constraints: dict = {
        "lowercase": ["boolean"],
        "punctuation": ["boolean"],
        "output": _OUTPUT_NO_IDS,
    }

    def __init__(self, *, lowercase=False, punctuation=True, output="tokens"):
        self.lowercase = lowercase
        self.punctuation = punctuation
        self.output = output

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
        self : WordTokenizer
        """
        if X is not None:
            check_documents(X, estimator=self)
        return self

    def transform(self, X):
        """Tokenize each document.

        Parameters
        ----------
        X : iterable of str
            The documents.

        Returns
        -------
        tokens : list of list of str, or list of str
            One entry per document, as chosen by ``output``.
        """
        self._validate_params()
        documents = check_documents(X, estimator=self)
        # No pattern of the tokenizer matches whitespace, so no token holds any.
        return format_token_lists(
            [self.tokenize(doc) for doc in documents],
            self.output,
            tokens_may_have_spaces=False,
        )

    def tokenize(self, document):
        """Return the tokens of one document as a list of str.

        Parameters
        ----------
        document : str
            One document.

        Returns
        -------
        tokens : list of str
            Its tokens, lowercased if ``lowercase`` is True.

        Examples
        --------
        >>> from sklearn_aidetect import WordTokenizer
        >>> WordTokenizer(lowercase=True).tokenize("It's 9:30, hurry!")
        ["it's", '9:30', ',', 'hurry', '!']
        """
        if self.lowercase:
            document = document.lower()
        pattern = WORDS_AND_PUNCTUATION if self.punctuation else WORDS_ONLY
        return pattern.findall(document)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        return tags


# --------------------------------------------------------------------------------------
# Subword tokenizers (HuggingFace tokenizers)
# --------------------------------------------------------------------------------------

_TRAINING_BATCH = 1000  # documents per batch handed to the Rust trainer


class _HuggingFaceTokenizer(TextTransformerMixin, TransformerMixin, BaseEstimator):
    """Encoding, saving and the fitted attributes shared by every subword tokenizer.

    Subclasses set ``tokenizer_`` (a ``tokenizers.Tokenizer``) and ``vocabulary_`` in
    ``fit``; ``transform`` encodes with the batched, multi-threaded Rust path.
    """

    def transform(self, X):
        """Encode each document.

        Parameters
        ----------
        X : iterable of str
            The documents. An empty document gives an empty token list.

        Returns
        -------
        encoded : list of list of str, list of list of int, or list of str
            One entry per document: tokens, token ids or space-joined tokens, as chosen
            by ``output``; at most ``max_length`` tokens each.
        """
        check_is_fitted(self)
        self._validate_params()
        documents = check_documents(X, estimator=self)
        if not documents:
            return []
        encodings = _encode_batch(
            self,
            documents,
            add_special_tokens=getattr(self, "add_special_tokens", False),
        )
        if self.max_length is None:
            ids = [encoding.ids for encoding in encodings]
        else:
            ids = [encoding.ids[: self.max_length] for encoding in encodings]
        if self.output == "ids":
            return ids
        # Looking ids up in Python is about 3x faster than asking tokenizers for the
        # token strings (Encoding.tokens), and gives the same strings.
        id_to_token = _id_to_token(self.tokenizer_)
        lookup = id_to_token.__getitem__
        if self.output == "text" and not has_whitespace(id_to_token):
            return [_joined_tokens(document_ids, id_to_token) for document_ids in ids]
        tokens = [list(map(lookup, document_ids)) for document_ids in ids]
        return format_token_lists(tokens, self.output)

    def save(self, path, *, overwrite=True):
        """Write the fitted tokenizer to a ``tokenizer.json`` file.

        The file is written to a temporary name and renamed, so an interrupted save
        never leaves a half-written file. :class:`PretrainedTokenizer` loads it back.

        Parameters
        ----------
        path : str or os.PathLike
            Where to write.
        overwrite : bool, default=True
            If False, refuse to replace an existing file.

        Returns
        -------
        path : pathlib.Path
        """
        check_is_fitted(self)
        return atomic_write_text(
            path, self.tokenizer_.to_str(pretty=True), overwrite=overwrite
        )


def _encode_batch(estimator, documents, *, add_special_tokens):
    tokenizer = estimator.tokenizer_
    # encode_batch_fast skips character offsets (and token strings), which we do not
    # use; tokenizers older than 0.21 lack it.
    encode = getattr(tokenizer, "encode_batch_fast", tokenizer.encode_batch)
    try:
        return encode(documents, add_special_tokens=add_special_tokens)
    except TypeError:
        # Only text that cannot be UTF-8 encoded (lone surrogates) gets here, since
        # check_documents already proved that every document is a str.
        for index, document in enumerate(documents):
            try:
                document.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise ValueError(
                    f"{type(estimator).__name__}: document {index} is not valid "
                    f"Unicode text ({exc.reason} at position {exc.start}), as left by "
                    "decoding bytes with errors='surrogateescape'. Decode the file "
                    "with errors='replace' instead."
                ) from None
        raise


def _joined_tokens(ids, id_to_token):
    """The tokens of ``ids`` joined by spaces (itemgetter: one C call per document)."""
    if len(ids) > 1:
        return " ".join(itemgetter(*ids)(id_to_token))
    return id_to_token[ids[0]] if ids else ""


def _id_to_token(tokenizer):
    vocabulary = tokenizer.get_vocab(with_added_tokens=True)
    table = [""] * (max(vocabulary.values(), default=-1) + 1)
    for token, index in vocabulary.items():
        table[index] = token
    return table


_SUBWORD_PARAMETERS = {
    "vocab_size": [Interval(Integral, 1, None, closed="left")],
    "lowercase": ["boolean"],
    "normalization": [StrOptions({"NFC", "NFD", "NFKC", "NFKD"}), None],
    "strip_accents": ["boolean"],
    "pre_tokenizer": [StrOptions({"whitespace", "byte-level", "bert", "metaspace"})],
    "max_length": [Interval(Integral, 1, None, closed="left"), None],
    "unk_token": [str],
    "output": _OUTPUT,
}

_SUBWORD_PARAMETERS_DOC = """
    vocab_size : int, default={vocab_size}
        The size of the vocabulary to learn, special tokens included.{min_frequency}
    lowercase : bool, default=False
        Lowercase the text before tokenizing. Case is kept by default because
        capitalisation is itself evidence of who wrote a text.
    normalization : {{"NFC", "NFD", "NFKC", "NFKD"}} or None, default="NFC"
        Unicode normalization applied first, so that the same character written two
        ways (``"é"`` or ``"e"`` + combining accent) is one token.
    strip_accents : bool, default=False
        Remove accents (``"café"`` becomes ``"cafe"``).
    pre_tokenizer : {{"byte-level", "whitespace", "bert", "metaspace"}}, \
default="{pre_tokenizer}"
        How text is split into words before subwords are learned:
        ``"byte-level"`` (GPT-2: every byte has a token, so no text is ever unknown;
        a word's tokens start with ``"Ġ"`` where a space preceded it),
        ``"whitespace"`` (words and runs of punctuation),
        ``"bert"`` (whitespace, and every punctuation mark on its own),
        ``"metaspace"`` (SentencePiece: spaces kept as ``"▁"``).
    max_length : int or None, default=None
        Keep at most this many tokens of each document (its beginning).
    unk_token : str, default="[UNK]"
        The token (id 0) that stands for text the vocabulary cannot represent, in
        every output.
    output : {{"tokens", "ids", "text"}}, default="tokens"
        What ``transform`` returns per document: a list of token strings, a list of
        token ids (indices into ``vocabulary_``), or one string of space-joined tokens
        (for ``TfidfVectorizer(token_pattern=r"\\S+", lowercase=False)``).
"""

_MIN_FREQUENCY_DOC = """
    min_frequency : int, default=2
        Merges of pairs seen fewer times than this in the corpus are not learned."""

_SUBWORD_ATTRIBUTES_DOC = """
    Attributes
    ----------
    tokenizer_ : tokenizers.Tokenizer
        The trained HuggingFace tokenizer; ``tokenizer_.save(path)`` or
        :meth:`save` write it as a ``tokenizer.json`` file.
    vocabulary_ : dict of str to int
        Token to id.
"""


class _TrainedTokenizer(_HuggingFaceTokenizer):
    """``fit`` for the tokenizers learned from the corpus; subclasses pick the model."""

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn the subword vocabulary from the documents.

        Parameters
        ----------
        X : iterable of str
            The training documents; unlabelled texts (a test set, say) are fine.
        y : None
            Ignored.

        Returns
        -------
        self
        """
        from tokenizers import Tokenizer

        documents = check_documents(X, estimator=self, fitting=True)
        tokenizer = Tokenizer(self._model())
        normalizer = self._normalizer()
        if normalizer is not None:
            tokenizer.normalizer = normalizer
        tokenizer.pre_tokenizer, decoder = _pre_tokenizer(self.pre_tokenizer)
        decoder = self._decoder(decoder)
        if decoder is not None:
            tokenizer.decoder = decoder
        trainer = self._trainer(documents, normalizer)
        batches = (
            documents[start : start + _TRAINING_BATCH]
            for start in range(0, len(documents), _TRAINING_BATCH)
        )
        try:
            tokenizer.train_from_iterator(
                batches, trainer=trainer, length=len(documents)
            )
        except Exception as exc:  # the Rust trainers raise bare Exception
            raise ValueError(
                f"{type(self).__name__} could not learn a vocabulary from "
                f"{len(documents)} document(s): {exc}. A larger corpus or a smaller "
                "vocab_size usually helps."
            ) from exc
        self.tokenizer_ = self._finish(tokenizer)
        self.vocabulary_ = self.tokenizer_.get_vocab()
        return self

    def _normalizer(self):
        from tokenizers import normalizers

        steps = []
        if self.strip_accents:
            steps += [normalizers.NFD(), normalizers.StripAccents()]
        if self.normalization is not None:
            steps.append(getattr(normalizers, self.normalization)())
        if self.lowercase:
            steps.append(normalizers.Lowercase())
        return normalizers.Sequence(steps) if steps else None

    def _initial_alphabet(self):
        from tokenizers import pre_tokenizers

        if self.pre_tokenizer == "byte-level":
            return pre_tokenizers.ByteLevel.alphabet()
        return []

    def _decoder(self, decoder):
        return decoder

    def _finish(self, tokenizer):
        return tokenizer


def _pre_tokenizer(name):
    """The ``tokenizers`` pre-tokenizer called ``name``, and its matching decoder."""
    from tokenizers import decoders, pre_tokenizers

    if name == "byte-level":
        # A prefix space gives a document's first word the same tokens as any other.
        return pre_tokenizers.ByteLevel(add_prefix_space=True), decoders.ByteLevel()
    if name == "metaspace":
        return pre_tokenizers.Metaspace(), decoders.Metaspace()
    if name == "bert":
        return pre_tokenizers.BertPreTokenizer(), None
    return pre_tokenizers.Whitespace(), None


def _edited(tokenizer, edit):
    """A copy of ``tokenizer`` whose JSON form was changed by ``edit(dict)``."""
    from tokenizers import Tokenizer

    state = json.loads(tokenizer.to_str())
    edit(state)
    return Tokenizer.from_str(json.dumps(state))


class BPETokenizer(_TrainedTokenizer):
    __doc__ = (
        """Byte-pair-encoding subword tokenizer, trained on the corpus in ``fit``.

    Learns merges of frequent character pairs with the HuggingFace ``tokenizers``
    BPE trainer (the tokenizer of the Kaggle "LLM - Detect AI Generated Text" public
    recipe). Training and encoding run in Rust on all cores; the same corpus and
    parameters always give the same vocabulary.

    Parameters
    ----------"""
        + _SUBWORD_PARAMETERS_DOC.format(
            vocab_size=30000,
            min_frequency=_MIN_FREQUENCY_DOC,
            pre_tokenizer="byte-level",
        )
        + _SUBWORD_ATTRIBUTES_DOC
        + """
    See Also
    --------
    WordPieceTokenizer : The BERT subword scheme.
    UnigramTokenizer : The SentencePiece subword scheme.
    PretrainedTokenizer : Load a ``tokenizer.json`` saved earlier.

    Notes
    -----
    ``tokenizers`` runs on as many threads as there are cores. Set the environment
    variable ``RAYON_NUM_THREADS`` before the first use to cap it, or
    ``TOKENIZERS_PARALLELISM=false`` to use one thread (for instance in each worker of
    a parallel grid search on a small machine).

    Examples
    --------
    >>> from sklearn_aidetect import BPETokenizer
    >>> corpus = ["the cat sat on the mat", "the dog sat on the log"] * 5
    >>> tokenizer = BPETokenizer(vocab_size=300, output="text").fit(corpus)
    >>> tokenizer.transform(["the cat sat"])
    ['Ġthe Ġcat Ġsat']
    >>> tokenizer.set_params(output="tokens").transform(["the cat sat"])
    [['Ġthe', 'Ġcat', 'Ġsat']]
    """
    )

    _parameter_constraints: dict = {
        **_SUBWORD_PARAMETERS,
        "min_frequency": [Interval(Integral, 0, None, closed="left")],
    }

    def __init__(
        self,
        *,
        vocab_size=30000,
        min_frequency=2,
        lowercase=False,
        normalization="NFC",
        strip_accents=False,
        pre_tokenizer="byte-level",
        max_length=None,
        unk_token="[UNK]",
        output="tokens",
    ):
        self.vocab_size = vocab_size
        self.min_frequency = min_frequency
        self.lowercase = lowercase
        self.normalization = normalization
        self.strip_accents = strip_accents
        self.pre_tokenizer = pre_tokenizer
        self.max_length = max_length
        self.unk_token = unk_token
        self.output = output

    def _model(self):
        from tokenizers import models

        return models.BPE(unk_token=self.unk_token)

    def _trainer(self, documents, normalizer):
        from tokenizers import trainers

        return trainers.BpeTrainer(
            vocab_size=self.vocab_size,
            min_frequency=self.min_frequency,
            special_tokens=[self.unk_token],
            initial_alphabet=self._initial_alphabet(),
            show_progress=False,
        )


class WordPieceTokenizer(_TrainedTokenizer):
    __doc__ = (
        """WordPiece subword tokenizer (the BERT scheme), trained in ``fit``.

    Pieces that continue a word start with ``"##"``. Training uses the HuggingFace
    ``tokenizers`` WordPiece trainer; the same corpus and parameters always give the
    same vocabulary (see Notes).

    Parameters
    ----------"""
        + _SUBWORD_PARAMETERS_DOC.format(
            vocab_size=30000, min_frequency=_MIN_FREQUENCY_DOC, pre_tokenizer="bert"
        )
        + _SUBWORD_ATTRIBUTES_DOC
        + """
    See Also
    --------
    BPETokenizer : Byte-pair encoding.
    UnigramTokenizer : The SentencePiece subword scheme.

    Notes
    -----
    The ``tokenizers`` WordPiece trainer alone is not deterministic: it numbers the
    ``"##"`` continuation pieces in hash-map order, and those numbers break ties
    between equally frequent merges (huggingface/tokenizers issue 1794). ``fit``
    therefore registers every continuation piece of the corpus's alphabet up front, in
    sorted order, which makes the result the same in every run and process. These
    pieces count towards ``vocab_size``.

    Examples
    --------
    >>> from sklearn_aidetect import WordPieceTokenizer
    >>> corpus = ["unbelievable results", "believable claims", "unreal results"] * 5
    >>> tokenizer = WordPieceTokenizer(vocab_size=50).fit(corpus)
    >>> tokenizer.transform(["unbelievable", "unreal", "believe"])
    [['un', '##believable'], ['un', '##real'], ['b', '##eliev', '##e']]
    """
    )

    _parameter_constraints: dict = {
        **_SUBWORD_PARAMETERS,
        "min_frequency": [Interval(Integral, 0, None, closed="left")],
    }

    def __init__(
        self,
        *,
        vocab_size=30000,
        min_frequency=2,
        lowercase=False,
        normalization="NFC",
        strip_accents=False,
        pre_tokenizer="bert",
        max_length=None,
        unk_token="[UNK]",
        output="tokens",
    ):
        self.vocab_size = vocab_size
        self.min_frequency = min_frequency
        self.lowercase = lowercase
        self.normalization = normalization
        self.strip_accents = strip_accents
        self.pre_tokenizer = pre_tokenizer
        self.max_length = max_length
        self.unk_token = unk_token
        self.output = output

    _PREFIX = "##"

    def _model(self):
        from tokenizers import models

        return models.WordPiece(unk_token=self.unk_token)

    def _decoder(self, decoder):
        from tokenizers import decoders

        return decoder if decoder is not None else decoders.WordPiece(self._PREFIX)

    def _trainer(self, documents, normalizer):
        from tokenizers import trainers

        return trainers.WordPieceTrainer(
            vocab_size=self.vocab_size,
            min_frequency=self.min_frequency,
            special_tokens=[
                self.unk_token,
                *self._continuations(documents, normalizer),
            ],
            initial_alphabet=self._initial_alphabet(),
            continuing_subword_prefix=self._PREFIX,
            show_progress=False,
        )

    def _continuations(self, documents, normalizer):
        """``"##c"`` for every character c that can continue a word, sorted."""
        alphabet = self._initial_alphabet()
        if not alphabet:
            characters = "\n".join(sorted(set(chain.from_iterable(documents))))
            if normalizer is not None:
                characters = normalizer.normalize_str(characters)
            alphabet = set(characters) - set("\n")
            if self.pre_tokenizer == "metaspace":
                alphabet.add("\u2581")
        return [self._PREFIX + c for c in sorted(alphabet) if not c.isspace()]

    def _finish(self, tokenizer):
        # The continuation pieces were passed as special tokens only to fix their ids;
        # as special tokens they would also be matched in raw text, so drop that role.
        def drop_continuations(state):
            state["added_tokens"] = [
                token
                for token in state["added_tokens"]
                if token["content"] == self.unk_token
                or not token["content"].startswith(self._PREFIX)
            ]

        return _edited(tokenizer, drop_continuations)


_SCORE_DECIMALS = 6


class UnigramTokenizer(_TrainedTokenizer):
    __doc__ = (
        """Unigram language-model subword tokenizer (the SentencePiece scheme).

    Starts from a large set of candidate pieces and prunes those that least reduce
    the likelihood of the corpus, with the HuggingFace ``tokenizers`` Unigram trainer.
    The trainer has no frequency threshold, so there is no ``min_frequency``.

    Parameters
    ----------"""
        + _SUBWORD_PARAMETERS_DOC.format(
            vocab_size=30000, min_frequency="", pre_tokenizer="metaspace"
        )
        + """    max_piece_length : int, default=16
        The longest piece, in characters.
    shrinking_factor : float, default=0.75
        The share of pieces kept at each pruning step.
"""
        + _SUBWORD_ATTRIBUTES_DOC
        + """
    See Also
    --------
    BPETokenizer : Byte-pair encoding.
    WordPieceTokenizer : The BERT subword scheme.

    Notes
    -----
    The ``tokenizers`` Unigram trainer sums probabilities in hash-map order, so the
    scores of pieces differ in their last digits from run to run (about 1e-13), which
    flips the split of words whose segmentations tie; it also numbers pieces by
    score. ``fit`` therefore rounds scores to 6 decimals and numbers the pieces in
    sorted order after ``unk_token``, so that the same corpus and parameters give the
    same ``vocabulary_`` and the same tokens. One case stays outside this: characters
    the trainer keeps only for coverage get scores in hash-map order, which can change
    how a word containing such a rare character is split.

    Examples
    --------
    >>> from sklearn_aidetect import UnigramTokenizer
    >>> corpus = ["the cat sat on the mat", "the dog sat on the log",
    ...           "then the cats and the dogs sat together"] * 20
    >>> tokenizer = UnigramTokenizer(vocab_size=25).fit(corpus)
    >>> tokenizer.transform(["the cat"])
    [['▁the', '▁cat']]
    """
    )

    _parameter_constraints: dict = {
        **_SUBWORD_PARAMETERS,
        "max_piece_length": [Interval(Integral, 1, None, closed="left")],
        "shrinking_factor": [Interval(Real, 0, 1, closed="neither")],
    }

    def __init__(
        self,
        *,
        vocab_size=30000,
        lowercase=False,
        normalization="NFC",
        strip_accents=False,
        pre_tokenizer="metaspace",
        max_length=None,
        unk_token="[UNK]",
        max_piece_length=16,
        shrinking_factor=0.75,
        output="tokens",
    ):
        self.vocab_size = vocab_size
        self.lowercase = lowercase
        self.normalization = normalization
        self.strip_accents = strip_accents
        self.pre_tokenizer = pre_tokenizer
        self.max_length = max_length
        self.unk_token = unk_token
        self.max_piece_length = max_piece_length
        self.shrinking_factor = shrinking_factor
        self.output = output

    def _model(self):
        from tokenizers import models

        return models.Unigram()

    def _trainer(self, documents, normalizer):
        from tokenizers import trainers

        return trainers.UnigramTrainer(
            vocab_size=self.vocab_size,
            special_tokens=[self.unk_token],
            unk_token=self.unk_token,
            initial_alphabet=self._initial_alphabet(),
            max_piece_length=self.max_piece_length,
            shrinking_factor=self.shrinking_factor,
            show_progress=False,
        )

    def _finish(self, tokenizer):
        unk_token = self.unk_token

        def renumber(state):
            model = state["model"]
            # Scores rounded far above the float noise (about 1e-13) and far below any
            # difference that matters, so equal pieces tie the same way in every run.
            pieces = sorted(
                [piece, round(score, _SCORE_DECIMALS)]
                for piece, score in model["vocab"]
                if piece != unk_token
            )
            unk_score = dict(model["vocab"])[unk_token]
            model["vocab"] = [[unk_token, unk_score], *pieces]
            ids = {piece: index for index, (piece, _) in enumerate(model["vocab"])}
            model["unk_id"] = 0
            for token in state["added_tokens"]:
                token["id"] = ids[token["content"]]

        return _edited(tokenizer, renumber)


class PretrainedTokenizer(_HuggingFaceTokenizer):
    """A tokenizer saved earlier as a ``tokenizer.json`` file, used as a transformer.

    Any file written by HuggingFace ``tokenizers`` (``Tokenizer.save``), by a
    ``transformers`` fast tokenizer's ``save_pretrained`` (the ``tokenizer.json`` in
    that folder), or by :meth:`BPETokenizer.save` works. Nothing is downloaded.

    ``fit`` loads the file and learns nothing from ``X``, so in a Pipeline or a grid
    search the tokenizer stays exactly as saved. :meth:`from_file` returns one that is
    already fitted. Padding and truncation settings stored in the file are turned off:
    documents keep their own lengths, cut by ``max_length`` only.

    Parameters
    ----------
    path : str or os.PathLike, default=None
        The ``tokenizer.json`` file, or a folder holding one. Required.
    max_length : int or None, default=None
        Keep at most this many tokens of each document (its beginning).
    add_special_tokens : bool, default=False
        Add the special tokens of the file's post-processor (BERT's ``[CLS]`` and
        ``[SEP]``, say) around each document.
    output : {"tokens", "ids", "text"}, default="tokens"
        What ``transform`` returns per document: token strings, token ids, or one
        string of space-joined tokens.

    Attributes
    ----------
    tokenizer_ : tokenizers.Tokenizer
        The loaded tokenizer.
    vocabulary_ : dict of str to int
        Token to id, added tokens included.

    See Also
    --------
    BPETokenizer : Train a tokenizer on your corpus, and ``save`` it.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from sklearn_aidetect import BPETokenizer, PretrainedTokenizer
    >>> corpus = ["the cat sat on the mat", "the dog sat on the log"] * 5
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "tokenizer.json"
    >>> _ = BPETokenizer(vocab_size=300).fit(corpus).save(path)
    >>> PretrainedTokenizer.from_file(path).transform(["the dog"])
    [['Ġthe', 'Ġdog']]
    """

    _parameter_constraints: dict = {
        "path": [str, os.PathLike, None],
        "max_length": [Interval(Integral, 1, None, closed="left"), None],
        "add_special_tokens": ["boolean"],
        "output": _OUTPUT,
    }

    def __init__(
        self, path=None, *, max_length=None, add_special_tokens=False, output="tokens"
    ):
        self.path = path
        self.max_length = max_length
        self.add_special_tokens = add_special_tokens
        self.output = output

    @classmethod
    def from_file(cls, path, **params):
        """Load ``path`` and return a fitted ``PretrainedTokenizer``.

        Parameters
        ----------
        path : str or os.PathLike
            The ``tokenizer.json`` file, or a folder holding one.
        **params
            Other parameters of the tokenizer (``output``, ``max_length``, ...).

        Returns
        -------
        tokenizer : PretrainedTokenizer
        """
        return cls(path, **params).fit()

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X=None, y=None):
        """Load the tokenizer file; ``X`` is not used.

        Parameters
        ----------
        X : iterable of str, default=None
            Ignored: a pretrained tokenizer is not trained again.
        y : None
            Ignored.

        Returns
        -------
        self : PretrainedTokenizer
        """
        from tokenizers import Tokenizer

        name = type(self).__name__
        if self.path is None:
            raise ValueError(
                f"{name} needs path=, the tokenizer.json file to load "
                "(or a folder holding one)."
            )
        path = Path(self.path)
        if path.is_dir():
            path = path / "tokenizer.json"
        if not path.is_file():
            raise FileNotFoundError(
                f"{name}: no tokenizer file at {path}. Give the path of a "
                "tokenizer.json written by tokenizers (Tokenizer.save) or by "
                "BPETokenizer.save."
            )
        try:
            tokenizer = Tokenizer.from_file(str(path))
        except Exception as exc:  # tokenizers raises bare Exception on bad JSON
            raise ValueError(
                f"{name}: {path} is not a tokenizers JSON file ({exc}). A "
                "transformers folder holds it as tokenizer.json; slow "
                "(vocab.txt-only) tokenizers must be converted first."
            ) from exc
        tokenizer.no_padding()
        tokenizer.no_truncation()
        self.tokenizer_ = tokenizer
        self.vocabulary_ = tokenizer.get_vocab(with_added_tokens=True)
        return self
