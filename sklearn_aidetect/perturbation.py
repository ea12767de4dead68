"""Character-level edits that evade detectors, to measure how a detector stands them.

Each function takes documents and returns edited copies, in order, with a seeded
random generator: the same ``random_state`` gives the same edits. ``rate`` is the
share of the units each edit works on (letters, characters, spaces or words, as each
function says) that are changed; a text with none of them is returned as it is.

These are the attacks of the RAID benchmark (Dugan et al., ACL 2024) that need no
model: homoglyphs, zero-width characters, extra whitespace, typos and case changes.
:class:`~sklearn_aidetect.TextNormalizer` undoes the first three; ``benchmarks/
bench_attacks.py`` measures the detectors under each, with and without it.
"""

import re
from numbers import Real

from sklearn.utils import check_random_state

from ._base import Interval, validate_params
from ._confusables import lookalikes
from ._validation import check_documents

__all__ = [
    "change_case",
    "insert_homoglyphs",
    "insert_typos",
    "insert_whitespace",
    "insert_zero_width",
]

# Characters that show nothing; an attacker varies them so that no single one can be
# filtered out.
ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
# Spaces that look like one ordinary space, or a little more.
SPACES = (" ", "  ", "\u00a0", "\u2009", "\u2002", "\u3000", "\t")
# Neighbours of each letter on a QWERTY keyboard, for typos that a person could make.
_QWERTY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_NEIGHBOURS = {
    letter: "".join(row[j] for j in (i - 1, i + 1) if 0 <= j < len(row))
    for row in _QWERTY_ROWS
    for i, letter in enumerate(row)
}
_TYPOS = ("swap", "drop", "double", "neighbour")
_WORD = re.compile(r"[A-Za-z]{2,}")

_RATE = {
    "documents": ["array-like"],
    "rate": [Interval(Real, 0, 1, closed="both")],
    "random_state": ["random_state"],
}


def _edit(documents, rate, random_state, function, edit):
    texts = check_documents(documents, estimator=function)
    rng = check_random_state(random_state)
    return [edit(text, rate, rng) for text in texts]


def _chosen(candidates, rate, rng):
    """``round(rate * len(candidates))`` of ``candidates``, drawn without repeats."""
    n = round(rate * len(candidates))
    if not n:
        return []
    return sorted(rng.choice(len(candidates), size=n, replace=False).tolist())


@validate_params(_RATE, prefer_skip_nested_validation=True)
def insert_homoglyphs(documents, *, rate=0.1, random_state=None):
    """Replace letters by look-alike letters of other scripts.

    ``rate`` is the share of each text's letters that are replaced, drawn among the
    letters that have a look-alike (Cyrillic ``а`` for ``a``, Greek ``ο`` for
    ``o``: 41 of the 52 ASCII letters, from Unicode's confusables table; fullwidth
    and mathematical letters are left out, as NFKC alone folds them back).

    Parameters
    ----------
    documents : iterable of str
        The texts.
    rate : float, default=0.1
        Share of the letters replaced, between 0 and 1.
    random_state : int, RandomState instance or None, default=None
        Seeds the choice of letters and look-alikes.

    Returns
    -------
    documents : list of str
        The edited texts, in input order.

    Examples
    --------
    >>> from sklearn_aidetect.perturbation import insert_homoglyphs
    >>> [edited] = insert_homoglyphs(["a cool essay"], rate=0.5, random_state=0)
    >>> edited == "a cool essay", len(edited)
    (False, 12)
    """
    table = lookalikes()

    def edit(text, rate, rng):
        letters = sum(char.isascii() and char.isalpha() for char in text)
        eligible = [i for i, char in enumerate(text) if char in table]
        n = min(round(rate * letters), len(eligible))
        if not n:
            return text
        chars = list(text)
        for i in rng.choice(len(eligible), size=n, replace=False):
            position = eligible[i]
            options = table[chars[position]]
            chars[position] = options[rng.randint(len(options))]
        return "".join(chars)

    return _edit(documents, rate, random_state, "insert_homoglyphs", edit)


@validate_params(_RATE, prefer_skip_nested_validation=True)
def insert_zero_width(documents, *, rate=0.1, random_state=None):
    """Insert zero-width characters after characters of the text.

    After ``rate`` of each text's characters (other than whitespace) comes one of
    the zero-width space, non-joiner, joiner, word joiner or byte-order mark, at
    random: the text looks the same and its words are no longer the same strings.

    Parameters
    ----------
    documents : iterable of str
        The texts.
    rate : float, default=0.1
        Share of the characters followed by a zero-width one, between 0 and 1.
    random_state : int, RandomState instance or None, default=None
        Seeds the positions and the characters.

    Returns
    -------
    documents : list of str
        The edited texts, in input order.

    Examples
    --------
    >>> from sklearn_aidetect.perturbation import insert_zero_width
    >>> [edited] = insert_zero_width(["an essay"], rate=0.5, random_state=0)
    >>> len(edited), edited.replace("\\u200b", "").isascii()
    (12, False)
    """

    def edit(text, rate, rng):
        positions = [i for i, char in enumerate(text) if not char.isspace()]
        chosen = {positions[i] for i in _chosen(positions, rate, rng)}
        if not chosen:
            return text
        return "".join(
            char + ZERO_WIDTH[rng.randint(len(ZERO_WIDTH))] if i in chosen else char
            for i, char in enumerate(text)
        )

    return _edit(documents, rate, random_state, "insert_zero_width", edit)


@validate_params(_RATE, prefer_skip_nested_validation=True)
def insert_whitespace(documents, *, rate=0.2, random_state=None):
    """Widen the spaces between words with extra or unusual whitespace.

    ``rate`` of each text's spaces become one of: two spaces, a no-break space, a
    thin space, an en space, an ideographic space or a tab, followed by one more
    space half of the time. Line breaks are left as they are.

    Parameters
    ----------
    documents : iterable of str
        The texts.
    rate : float, default=0.2
        Share of the spaces replaced, between 0 and 1.
    random_state : int, RandomState instance or None, default=None
        Seeds the spaces chosen and what replaces them.

    Returns
    -------
    documents : list of str
        The edited texts, in input order.

    Examples
    --------
    >>> from sklearn_aidetect.perturbation import insert_whitespace
    >>> insert_whitespace(["one two three"], rate=1.0, random_state=0)[0].split()
    ['one', 'two', 'three']
    """

    def edit(text, rate, rng):
        positions = [i for i, char in enumerate(text) if char == " "]
        chosen = {positions[i] for i in _chosen(positions, rate, rng)}
        if not chosen:
            return text
        chars = list(text)
        for position in chosen:
            space = SPACES[1 + rng.randint(len(SPACES) - 1)]
            chars[position] = space + (" " if rng.random() < 0.5 else "")
        return "".join(chars)

    return _edit(documents, rate, random_state, "insert_whitespace", edit)


@validate_params(_RATE, prefer_skip_nested_validation=True)
def insert_typos(documents, *, rate=0.05, random_state=None):
    """Make one typo in some of the words: a swap, a drop, a doubled letter or a slip.

    ``rate`` of each text's words of two letters or more get one typo, of one of
    four kinds at random: two neighbouring letters swapped, a letter dropped, a
    letter doubled, or a letter replaced by its neighbour on a QWERTY keyboard (in
    the same case). These are the typos that Kaggle's winning teams added to their
    training data.

    Parameters
    ----------
    documents : iterable of str
        The texts.
    rate : float, default=0.05
        Share of the words with a typo, between 0 and 1.
    random_state : int, RandomState instance or None, default=None
        Seeds the words, the kinds of typo and the letters.

    Returns
    -------
    documents : list of str
        The edited texts, in input order.

    Examples
    --------
    >>> from sklearn_aidetect.perturbation import insert_typos
    >>> insert_typos(["the essay was written"], rate=0.5, random_state=0)
    ['the essay wss writteen']
    """

    def typo(text, rng):
        i = int(rng.randint(len(text)))
        kind = _TYPOS[rng.randint(len(_TYPOS))]
        if kind == "swap":
            i = min(i, len(text) - 2)
            return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        if kind == "drop":
            return text[:i] + text[i + 1 :]
        if kind == "double":
            return text[: i + 1] + text[i] + text[i + 1 :]
        neighbours = _NEIGHBOURS[text[i].lower()]
        slip = neighbours[rng.randint(len(neighbours))]
        slip = slip.upper() if text[i].isupper() else slip
        return text[:i] + slip + text[i + 1 :]

    def edit(text, rate, rng):
        words = [match.span() for match in _WORD.finditer(text)]
        chosen = _chosen(words, rate, rng)
        if not chosen:
            return text
        pieces, end = [], 0
        for i in chosen:
            start, stop = words[i]
            pieces += [text[end:start], typo(text[start:stop], rng)]
            end = stop
        pieces.append(text[end:])
        return "".join(pieces)

    return _edit(documents, rate, random_state, "insert_typos", edit)


@validate_params(_RATE, prefer_skip_nested_validation=True)
def change_case(documents, *, rate=0.05, random_state=None):
    """Swap the case of some letters (``essay`` becomes ``esSay``).

    Parameters
    ----------
    documents : iterable of str
        The texts.
    rate : float, default=0.05
        Share of the letters whose case is swapped, between 0 and 1.
    random_state : int, RandomState instance or None, default=None
        Seeds the letters chosen.

    Returns
    -------
    documents : list of str
        The edited texts, in input order.

    Examples
    --------
    >>> from sklearn_aidetect.perturbation import change_case
    >>> change_case(["an essay"], rate=1.0, random_state=0)
    ['AN ESSAY']
    """

    def edit(text, rate, rng):
        positions = [i for i, char in enumerate(text) if char.isalpha()]
        chosen = _chosen(positions, rate, rng)
        if not chosen:
            return text
        chars = list(text)
        for i in chosen:
            chars[positions[i]] = chars[positions[i]].swapcase()
        return "".join(chars)

    return _edit(documents, rate, random_state, "change_case", edit)


# The attacks by name, with the rates benchmarks/bench_attacks.py applies.
ATTACKS = {
    "homoglyphs": (insert_homoglyphs, 0.1),
    "zero-width": (insert_zero_width, 0.1),
    "whitespace": (insert_whitespace, 0.2),
    "typos": (insert_typos, 0.05),
    "case": (change_case, 0.05),
}
