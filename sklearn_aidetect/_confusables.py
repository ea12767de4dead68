"""Look-alike characters of the Latin letters, from Unicode's confusables table.

The table is Unicode's ``confusables.txt`` (UTS #39, the data of browsers' and
registrars' spoofing checks) as the ``confusable_homoglyphs`` package ships it. Two
views of it serve two stages: :class:`~sklearn_aidetect.TextNormalizer` maps each
look-alike back to its Latin letter, and
:func:`~sklearn_aidetect.perturbation.insert_homoglyphs` puts look-alikes in, to
measure what the attack does to a detector.
"""

import json
import string
import unicodedata
from functools import cache
from importlib import resources

_LATIN_LETTERS = frozenset(string.ascii_letters)


@cache
def _table():
    # The package's own loader reads the file at import time, from $CONFUSABLE_DATA
    # when that is set, and opens it in the locale's encoding; the file read here is
    # the one that ships in its wheel, as UTF-8, whatever the environment says.
    text = (
        resources.files("confusable_homoglyphs")
        .joinpath("confusables.json")
        .read_text(encoding="utf-8")
    )
    return json.loads(text)


@cache
def to_latin():
    """``{look-alike: Latin letter}`` for every non-ASCII character that Unicode lists
    as confusable with exactly one ASCII letter (1,225 characters: Cyrillic ``а``,
    Greek ``ο``, fullwidth ``ａ``, mathematical ``𝐚``...).

    Unicode's prototype of ``I`` is ``l``; an upper-case look-alike of it (Cyrillic
    ``І``, Greek ``Ι``) maps to ``I``, what it stands for in Latin text.
    """
    mapping = {}
    for character, glyphs in _table().items():
        if character in _LATIN_LETTERS:  # "a": [its look-alikes]
            for glyph in glyphs:
                if len(glyph["c"]) == 1 and not glyph["c"].isascii():
                    mapping.setdefault(glyph["c"], set()).add(character)
        elif len(character) == 1 and not character.isascii():  # "а": ["a"]
            for glyph in glyphs:
                if glyph["c"] in _LATIN_LETTERS:
                    mapping.setdefault(character, set()).add(glyph["c"])
    table = {}
    for character, letters in mapping.items():
        if len(letters) != 1:
            continue  # no single Latin reading
        (letter,) = letters
        if letter == "l" and character.isupper():
            letter = "I"
        table[character] = letter
    return table


@cache
def lookalikes():
    """``{Latin letter: look-alikes}`` that Unicode NFKC leaves as they are.

    These are the letters of other scripts (Cyrillic ``а`` for ``a``, Greek ``ο`` for
    ``o``) that an evasion uses: fullwidth and mathematical letters are folded back by
    NFKC already, so they make no attack worth measuring.
    """
    found = {}
    for character, letter in to_latin().items():
        if unicodedata.normalize("NFKC", character) != character:
            continue
        if not unicodedata.name(character, "").startswith(("CYRILLIC", "GREEK")):
            continue
        found.setdefault(letter, []).append(character)
    return {letter: tuple(sorted(chars)) for letter, chars in sorted(found.items())}
