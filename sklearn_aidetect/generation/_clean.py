"""Cleaning of generated texts: what chat models add around the text asked for.

Generated training sets are known to carry artefacts a detector learns instead of
the writing: leading whitespace, a chat preamble ("Sure, here is an essay on...:"),
a closing offer ("Let me know if you would like..."), a Markdown title. A detector
trained on them finds the preamble, not the machine. :func:`clean_generated_text`
removes those and flags what cannot be fixed: an empty answer, a refusal, or one
cut off by the length limit (``finish_reason == "length"``).
"""

import re

__all__ = ["clean_generated_text"]

# A first line that only announces the text and ends with a colon: "Sure! Here's
# an essay about X:", "Certainly, here is the letter:". An essay's own first line
# ("Okay, so phones...", "Here is why cars...") does not end with a colon.
_PREAMBLE = re.compile(
    r"""\A\s*(?:
        (?:sure|certainly|of\ course|absolutely|okay|ok|great)[!,.]?\s[^\n]{0,200}
      | (?:here\ is|here's|here\ are|below\ is|the\ following\ is)\b[^\n]{0,200}
    ):[ \t]*(?:\n+|\Z)""",
    re.IGNORECASE | re.VERBOSE,
)
# A last paragraph that talks to the user about the answer itself.
_CLOSING = re.compile(
    r"""\n+[ \t]*(?:
        i\ hope\ (?:this|that)\ (?:helps|was\ helpful|is\ helpful|meets)\b
      | i\ hope\ you\ (?:find|enjoy|like)\b
      | let\ me\ know\ if\b
      | feel\ free\ to\b
      | (?:if\ you\ (?:would|'d)\ like|would\ you\ like)\ (?:me\ to|any|more|a\ )
    )[^\n]*\s*\Z""",
    re.IGNORECASE | re.VERBOSE,
)
# A Markdown heading or a bold title line at the very start.
_TITLE = re.compile(r"\A\s*(?:#{1,6}[ \t][^\n]*|\*\*[^\n*]{1,200}\*\*)[ \t]*\n+")
# An answer that declines to write at all.
_REFUSAL = re.compile(
    r"\A\s*(?:I'm\ sorry|I\ am\ sorry|I\ apologi[sz]e|I\ can(?:'|no)t|I\ cannot"
    r"|As\ an\ AI\b)[^\n]{0,200}\b(?:can(?:'|no)t|unable|not\ able|won't)",
    re.IGNORECASE | re.VERBOSE,
)


def clean_generated_text(text, finish_reason=None):
    """Strip a generated text of chat artefacts, and say what was done or is wrong.

    Parameters
    ----------
    text : str
        The model's answer.
    finish_reason : str or None, default=None
        The server's ``finish_reason``; ``"length"`` means the answer was cut off.

    Returns
    -------
    cleaned : str
        The text without a leading preamble ("Sure, here is..."), a Markdown title
        or a closing offer ("Let me know if..."), stripped at both ends.
    flags : list of str
        ``"preamble"``, ``"title"``, ``"closing"`` (removed), ``"truncated"`` (kept
        but incomplete), ``"empty"`` (nothing left, such as an answer that was only
        a preamble) and ``"refusal"`` ("I'm sorry, but I can't..."): those two are
        not usable.

    Examples
    --------
    >>> from sklearn_aidetect.generation import clean_generated_text
    >>> clean_generated_text("Sure! Here is an essay on phones:\\n\\nPhones distract.")
    ('Phones distract.', ['preamble'])
    >>> clean_generated_text("Phones are", finish_reason="length")
    ('Phones are', ['truncated'])
    """
    flags = []
    cleaned = (text or "").replace("\r\n", "\n")
    if _REFUSAL.match(cleaned):
        return cleaned.strip(), ["refusal"]
    for name, pattern in (("preamble", _PREAMBLE), ("title", _TITLE)):
        stripped = pattern.sub("", cleaned, count=1)
        if stripped != cleaned:
            flags.append(name)
            cleaned = stripped
    stripped = _CLOSING.sub("", cleaned, count=1)
    if stripped != cleaned and stripped.strip():
        flags.append("closing")
        cleaned = stripped
    cleaned = cleaned.strip()
    if finish_reason == "length":
        flags.append("truncated")
    if not cleaned:
        flags.append("empty")
    return cleaned, flags
