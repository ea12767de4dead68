"""What to ask for: prompts, request templates, and the plan of requests.

Every request is one chat completion for one prompt, model, sampling setting,
persona and sample index. Its :attr:`Request.key` (a hash of all of that and of the
messages sent) names it in the cache, so a rerun knows which requests have an
answer already.
"""

import csv
import gzip
import hashlib
import itertools
import json
import string
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "DEFAULT_TEMPLATE",
    "Request",
    "load_prompts",
    "load_template",
    "plan_requests",
]

# The user message for an essay, with the prompt's own instructions when it has any.
DEFAULT_TEMPLATE = (
    "Write an essay in response to the following prompt.\n\n"
    "Prompt: {prompt}\n\n{instructions}"
    "Answer with the essay only: no title, no introduction, no comment."
)
# The system message, where a persona is given.
PERSONA_TEMPLATE = "You are {persona}. Write as that person would."
_FIELDS = {"prompt", "instructions", "persona", "prompt_id"}


@dataclass(frozen=True)
class Request:
    """One chat completion to ask for, and what identifies it.

    Made by :func:`plan_requests`; :attr:`key` names it in the cache.

    Parameters
    ----------
    prompt_id : str
        The prompt's id (its row number when the prompts file has none).
    prompt : str
        The prompt's text.
    model : str
        The model to ask.
    temperature : float or None
        The sampling temperature; None leaves it to the server.
    top_p : float or None
        Nucleus sampling; None leaves it to the server.
    persona : str
        Who writes ("" for nobody in particular).
    sample : int
        Which of the texts asked for with the same settings (from 0).
    messages : tuple
        The chat messages, each a tuple of ``(name, value)`` pairs.
    max_tokens : int or None, default=None
        The longest answer, in tokens; None leaves it to the server.

    Examples
    --------
    >>> from sklearn_aidetect.generation import plan_requests
    >>> prompts = [{"prompt_id": "p1", "prompt": "Should phones be banned?",
    ...             "instructions": "", "persona": ""}]
    >>> [request] = plan_requests(prompts, ["llama-3-8b"], temperatures=[0.7])
    >>> request.model, request.temperature, len(request.key)
    ('llama-3-8b', 0.7, 64)
    """

    prompt_id: str
    prompt: str
    model: str
    temperature: float | None
    top_p: float | None
    persona: str
    sample: int
    messages: tuple = field(repr=False)
    max_tokens: int | None = None

    @property
    def key(self):
        """A hash of everything that makes this request what it is."""
        identity = {
            "prompt_id": self.prompt_id,
            "model": self.model,
            "messages": [dict(m) for m in self.messages],
            "temperature": self.temperature,
            "top_p": self.top_p,
            "max_tokens": self.max_tokens,
            "sample": self.sample,
        }
        text = json.dumps(identity, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_prompts(path):
    """Read a CSV file of prompts.

    Parameters
    ----------
    path : str or os.PathLike
        A CSV (or ``.csv.gz``) file with a ``prompt`` column and optionally
        ``prompt_id``, ``instructions`` (added to the request) and ``persona``
        (who writes, for that prompt) columns.

    Returns
    -------
    list of dict
        One per row, with the keys ``prompt_id`` (the row number from 1 where the
        file has none), ``prompt``, ``instructions`` and ``persona`` ("" if absent).

    Raises
    ------
    ValueError
        If the file has no ``prompt`` column, an empty prompt, a repeated
        ``prompt_id`` or no rows; the message names the file and the line.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from sklearn_aidetect.generation import load_prompts
    >>> path = Path(tempfile.mkdtemp()) / "prompts.csv"
    >>> _ = path.write_text("prompt_id,prompt\\ncar,Should cars be banned?\\n")
    >>> [prompt] = load_prompts(path)
    >>> prompt["prompt_id"], prompt["prompt"], prompt["persona"]
    ('car', 'Should cars be banned?', '')
    """
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            if "prompt" not in header:
                raise ValueError(
                    f"{path}: no 'prompt' column (the header is {header}); the file "
                    "needs one prompt per row in a column named 'prompt'."
                )
            prompts, seen = [], set()
            for number, row in enumerate(reader, start=1):
                prompt = (row.get("prompt") or "").strip()
                if not prompt:
                    raise ValueError(
                        f"{path}: prompt {number} (line {reader.line_num}) is empty; "
                        "fill it in or remove the row."
                    )
                prompt_id = (row.get("prompt_id") or "").strip() or str(number)
                if prompt_id in seen:
                    raise ValueError(
                        f"{path}: prompt_id {prompt_id!r} appears twice (line "
                        f"{reader.line_num}); each prompt needs its own id."
                    )
                seen.add(prompt_id)
                prompts.append(
                    {
                        "prompt_id": prompt_id,
                        "prompt": prompt,
                        "instructions": (row.get("instructions") or "").strip(),
                        "persona": (row.get("persona") or "").strip(),
                    }
                )
    except FileNotFoundError:
        raise FileNotFoundError(f"{path}: no such file of prompts.") from None
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not UTF-8 text ({exc.reason}).") from None
    if not prompts:
        raise ValueError(f"{path}: has a header but no prompts.")
    return prompts


def load_template(path):
    """Read a request template: text with ``{prompt}`` and optionally
    ``{instructions}``, ``{persona}``, ``{prompt_id}``; ValueError otherwise."""
    path = Path(path)
    try:
        template = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FileNotFoundError(f"{path}: no such template file.") from None
    check_template(template, str(path))
    return template


def check_template(template, where="the template"):
    """Raise ValueError unless ``template`` uses ``{prompt}`` and known fields only."""
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    except ValueError as exc:
        raise ValueError(
            f"{where} is not a valid template ({exc}); write a literal brace as "
            "'{{' or '}}'."
        ) from None
    unknown = sorted(names - _FIELDS)
    if unknown:
        raise ValueError(f"{where} uses {unknown}; the fields are {sorted(_FIELDS)}.")
    if "prompt" not in names:
        raise ValueError(f"{where} does not use {{prompt}}: every request needs it.")


def plan_requests(
    prompts,
    models,
    *,
    temperatures=(None,),
    top_ps=(None,),
    personas=("",),
    n_samples=1,
    template=DEFAULT_TEMPLATE,
    max_tokens=None,
):
    """Every request of a run, in a fixed order.

    Prompts x models x temperatures x top_p values x samples x personas. A
    persona, when there is one, is the system message ("You are {persona}. Write
    as that person would."); the template makes the user message.

    Parameters
    ----------
    prompts : list of dict
        As :func:`load_prompts` returns them. A prompt's own ``persona`` replaces
        ``personas`` for that prompt.
    models : list of str
        The models to ask.
    temperatures : sequence of float or None, default=(None,)
        Sampling temperatures; None leaves it to the server.
    top_ps : sequence of float or None, default=(None,)
        Nucleus sampling values; None leaves it to the server.
    personas : sequence of str, default=("",)
        Who writes; "" for nobody in particular.
    n_samples : int, default=1
        Texts per prompt and setting.
    template : str, default=DEFAULT_TEMPLATE
        The user message, with ``{prompt}`` and optionally ``{instructions}``,
        ``{persona}`` and ``{prompt_id}``.
    max_tokens : int or None, default=None
        The longest answer, in tokens.

    Returns
    -------
    list of Request
        The requests, each with its cache key.

    Examples
    --------
    >>> from sklearn_aidetect.generation import plan_requests
    >>> prompts = [{"prompt_id": "p1", "prompt": "Phones at school?",
    ...             "instructions": "", "persona": ""}]
    >>> requests = plan_requests(prompts, ["m1", "m2"], temperatures=[0.7, 1.0],
    ...                          n_samples=2)
    >>> len(requests), len({request.key for request in requests})
    (8, 8)
    """
    check_template(template)
    if not models:
        raise ValueError("give at least one model (--model NAME).")
    requests = []
    for prompt, model, temperature, top_p, sample in itertools.product(
        prompts, models, temperatures, top_ps, range(n_samples)
    ):
        for persona in [prompt["persona"]] if prompt["persona"] else personas:
            values = {**prompt, "persona": persona}
            if values["instructions"]:
                values["instructions"] = values["instructions"].rstrip() + "\n\n"
            messages = []
            if persona:
                system = PERSONA_TEMPLATE.format(persona=persona)
                messages.append((("role", "system"), ("content", system)))
            user = template.format(**values)
            messages.append((("role", "user"), ("content", user)))
            requests.append(
                Request(
                    prompt_id=prompt["prompt_id"],
                    prompt=prompt["prompt"],
                    model=model,
                    temperature=temperature,
                    top_p=top_p,
                    persona=persona,
                    sample=sample,
                    messages=tuple(messages),
                    max_tokens=max_tokens,
                )
            )
    return requests
