"""Training data from LLMs: machine-written texts for the prompts of human ones.

``aidetect generate PROMPTS.csv --out generated.csv --model NAME`` asks any
OpenAI-compatible chat-completions server (OpenAI, vLLM, a llama.cpp server,
Ollama; the official ``openai`` client, ``pip install "sklearn_aidetect[generate]"``)
for a text per prompt, model, sampling setting, persona and sample, and writes a
CSV file that ``aidetect train`` reads as it is (``text``, ``label`` = 1,
``prompt_id``, ``generator``, the settings), optionally merged with the human file.

- :func:`load_prompts` and :func:`plan_requests` say what to ask for; each
  :class:`Request` has a key that names it in the cache.
- :func:`generate_responses` sends them, ``concurrency`` at a time, retrying 429,
  5xx and timeouts with exponential backoff (the client's own), within a
  ``max_requests`` budget; every answer is appended at once to a JSONL
  :class:`ResponseCache`, so a rerun after Ctrl-C, a crash or a network fault sends
  no request twice and loses none that finished.
- :func:`clean_generated_text` strips what chat models add (leading whitespace,
  "Sure, here is..." preambles, closing offers, Markdown titles) and flags empty and
  truncated answers; :func:`generated_rows` and :func:`write_rows` make the file.
"""

from ._cache import ResponseCache
from ._clean import clean_generated_text
from ._output import generated_rows, write_rows
from ._requests import Request, load_prompts, plan_requests
from ._run import GenerationResult, generate_responses

__all__ = [
    "GenerationResult",
    "Request",
    "ResponseCache",
    "clean_generated_text",
    "generate_responses",
    "generated_rows",
    "load_prompts",
    "plan_requests",
    "write_rows",
]
