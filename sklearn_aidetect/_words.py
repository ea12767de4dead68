"""The word patterns of :class:`~sklearn_aidetect.WordTokenizer`.

In a module of their own, below both the tokenizers and the input checks: the checks
split a raw string into words the way ``WordTokenizer()`` does, without importing the
tokenizers (which import the checks).
"""

import re

# CJK ideographs carry no spaces between words; like BERT's basic tokenizer we make one
# token per ideograph rather than one token per sentence.
_CJK = (
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\U00020000-\U0002a6df\U0002a700-\U0002ebef\U0002f800-\U0002fa1f"
    "\U00030000-\U0003134f"
)
# Zero-width and direction-control characters are invisible to a reader: they separate
# tokens but are never tokens themselves.
_INVISIBLE = "\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
_WORD = rf"[^\W{_CJK}]+"
_WORD_PATTERN = rf"""
    (?:https?://|www\.)\S+?(?=[.,;:!?)\]'"]*(?:\s|$))  # URL, without the final stop
  | [\w.+-]+@[\w-]+(?:\.[\w-]+)+                      # e-mail address
  | \d+(?:[.,:/]\d+)+                                  # 3.14  1,000  10:30  12/05/2024
  | [{_CJK}]                                           # one CJK ideograph
  | {_WORD}(?:['’]{_WORD})*(?:-{_WORD}(?:['’]{_WORD})*)*  # don't, well-known, COVID-19
"""
_PUNCTUATION_PATTERN = rf"""
  | \.\.\.|[^\w\s{_INVISIBLE}]                         # "..." or one other symbol
"""
WORDS_ONLY = re.compile(_WORD_PATTERN, re.VERBOSE)
# Invisible characters, to drop before counting words: a soft hyphen or zero-width
# space inside a word (text pasted from a PDF, or an evasion) must not split it.
INVISIBLE = re.compile(f"[{_INVISIBLE}]")
WORDS_AND_PUNCTUATION = re.compile(_WORD_PATTERN + _PUNCTUATION_PATTERN, re.VERBOSE)

# Below this many words (WORDS_ONLY matches), `decide` and `aidetect predict` abstain
# by default. From benchmarks/results/length.md: cut to 50 words, the benchmarked
# detectors lose 0.01-0.04 ROC AUC against whole texts on outfox-clean and
# hc3-grouped (0.06-0.10 on transfer-m4); cut to 25, 0.04-0.07 (0.10-0.14). Here,
# not in abstention.py, so that the command line's parser can show it without
# importing scikit-learn.
MIN_WORDS = 50
