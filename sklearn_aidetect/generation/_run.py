"""Sending the requests: the official ``openai`` client, async, resumable.

Any OpenAI-compatible chat-completions server works (OpenAI, vLLM, a llama.cpp
server, Ollama): ``base_url`` points at it. The client's own retries handle
429 (honouring ``Retry-After``), 5xx, timeouts and dropped connections with
exponential backoff; a request that still fails is counted and reported, not
cached, so the next run asks for it again. A refused key (401/403) stops the run
at once: every other request would fail the same way.
"""

import asyncio
import json
import time
from dataclasses import dataclass, field

from .._optional import import_optional

__all__ = ["GenerationResult", "generate_responses"]

# The key sent when none is set: local servers (vLLM, llama.cpp, Ollama) ignore it.
NO_KEY = "EMPTY"


@dataclass
class GenerationResult:
    """What a run of :func:`generate_responses` did.

    Parameters
    ----------
    n_planned : int, default=0
        The requests of the plan.
    n_cached : int, default=0
        Those the cache had an answer for already: not sent.
    n_answered : int, default=0
        Those answered in this run (now in the cache).
    n_failed : int, default=0
        Those that failed after the client's retries (not cached: the next run
        asks again).
    n_over_budget : int, default=0
        Those left for the next run by ``max_requests``.
    failures : list of (Request, str), default=[]
        Each failed request and why.
    seconds : float, default=0.0
        How long the run took.

    Examples
    --------
    >>> from sklearn_aidetect.generation import GenerationResult
    >>> result = GenerationResult(n_planned=10, n_cached=4, n_answered=6)
    >>> result.n_planned - result.n_cached - result.n_answered
    0
    """

    n_planned: int = 0
    n_cached: int = 0
    n_answered: int = 0
    n_failed: int = 0
    n_over_budget: int = 0
    failures: list = field(default_factory=list)
    seconds: float = 0.0


class FatalServerError(RuntimeError):
    """The server refused the API key (401/403): every request would fail so."""


def generate_responses(
    requests,
    cache,
    *,
    base_url=None,
    api_key=None,
    concurrency=8,
    max_requests=None,
    timeout=120.0,
    max_retries=5,
    progress=None,
):
    """Ask for every request the cache has no answer for, and cache each answer.

    Requests are sent ``concurrency`` at a time with the official client's
    ``AsyncOpenAI``; each answer is appended to ``cache`` as soon as it arrives.
    The client retries 429 (after ``Retry-After``), 5xx, timeouts and dropped
    connections with exponential backoff, ``max_retries`` times; a request that
    still fails, or whose answer is not valid JSON, is counted in the result and
    asked for again by the next run.

    Parameters
    ----------
    requests : list of Request
        From :func:`plan_requests`.
    cache : ResponseCache
        The answers so far; answered requests are not sent.
    base_url : str or None, default=None
        The server, such as ``"http://127.0.0.1:8000/v1"``; None is OpenAI's.
    api_key : str or None, default=None
        The key; None sends a placeholder, which local servers accept.
    concurrency : int, default=8
        Requests in flight at once.
    max_requests : int or None, default=None
        Send at most this many requests in this run; the rest are left over.
    timeout : float, default=120.0
        Seconds per attempt (the client's timeout; a request makes up to
        ``max_retries + 1`` attempts).
    max_retries : int, default=5
        Retries of an attempt that failed in a way worth retrying.
    progress : callable or None, default=None
        Called with a one-line message now and then (every 1%, failures).

    Returns
    -------
    GenerationResult
        The counts of cached, answered, failed and left-over requests.

    Raises
    ------
    FatalServerError
        If the server refuses the key (401/403): every request would fail so.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from sklearn_aidetect.generation import (
    ...     ResponseCache, generate_responses, plan_requests)
    >>> prompts = [{"prompt_id": "p1", "prompt": "Phones at school?",
    ...             "instructions": "", "persona": ""}]
    >>> [request] = plan_requests(prompts, ["m1"])
    >>> cache = ResponseCache(Path(tempfile.mkdtemp()) / "cache.jsonl")
    >>> cache.append({"key": request.key, "text": "An essay.",
    ...               "finish_reason": "stop"})
    >>> result = generate_responses([request], cache)  # answered: nothing sent
    >>> result.n_cached, result.n_answered
    (1, 0)
    """
    openai = import_optional("openai", "aidetect generate")
    result = GenerationResult(n_planned=len(requests))
    pending, seen = [], set()
    for request in requests:
        if request.key in cache:
            result.n_cached += 1
        elif request.key not in seen:  # the same request twice in a plan: ask once
            seen.add(request.key)
            pending.append(request)
    if max_requests is not None and len(pending) > max_requests:
        result.n_over_budget = len(pending) - max_requests
        pending = pending[:max_requests]
    started = time.perf_counter()
    if pending:
        client = openai.AsyncOpenAI(
            base_url=base_url,
            api_key=api_key or NO_KEY,
            timeout=timeout,
            max_retries=max_retries,
        )
        asyncio.run(_send_all(openai, client, pending, cache, concurrency, result,
                              progress))  # fmt: skip
    result.seconds = time.perf_counter() - started
    return result


async def _send_all(openai, client, pending, cache, concurrency, result, progress):
    queue = asyncio.Queue()
    for request in pending:
        queue.put_nowait(request)
    report = _Reporter(len(pending), result, progress)

    async def worker():
        while True:
            try:
                request = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            try:
                record = await _ask(client, request)
            except (openai.AuthenticationError, openai.PermissionDeniedError) as exc:
                raise FatalServerError(
                    f"the server refused the API key ({_reason(exc)}); set the "
                    "right one in the environment variable named by --api-key-env."
                ) from None
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # one odd answer fails one request, not the run
                result.n_failed += 1
                result.failures.append((request, _reason(exc)))
                report.failed(request, _reason(exc))
                continue
            cache.append(record)
            result.n_answered += 1
            report.answered()

    workers = [
        asyncio.create_task(worker()) for _ in range(min(concurrency, len(pending)))
    ]
    try:
        await asyncio.gather(*workers)
    finally:
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
        await client.close()


async def _ask(client, request):
    options = {}
    if request.temperature is not None:
        options["temperature"] = request.temperature
    if request.top_p is not None:
        options["top_p"] = request.top_p
    if request.max_tokens is not None:
        options["max_tokens"] = request.max_tokens
    response = await client.chat.completions.create(
        model=request.model,
        messages=[dict(message) for message in request.messages],
        **options,
    )
    choices = getattr(response, "choices", None)
    if not choices or getattr(choices[0], "message", None) is None:
        raise ValueError(f"the answer holds no message ({str(response)[:100]!r})")
    choice = choices[0]
    content = choice.message.content
    if content is not None and not isinstance(content, str):
        raise ValueError(f"the answer's content is a {type(content).__name__}")
    return {
        "key": request.key,
        "prompt_id": request.prompt_id,
        "model": request.model,
        "served_by": getattr(response, "model", None),
        "temperature": request.temperature,
        "top_p": request.top_p,
        "max_tokens": request.max_tokens,
        "persona": request.persona,
        "sample": request.sample,
        "text": content or "",
        "finish_reason": choice.finish_reason,
    }


def _reason(exc):
    if isinstance(exc, json.JSONDecodeError):
        return f"the answer is not valid JSON ({exc.msg} at character {exc.pos})"
    status = getattr(exc, "status_code", None)
    text = " ".join(str(exc).split())[:200]
    name = type(exc).__name__
    return f"HTTP {status}: {text}" if status else f"{name}: {text}"


class _Reporter:
    """Progress lines: every 1% of the requests (at most one a second), failures."""

    def __init__(self, total, result, progress):
        self.total, self.result, self.progress = total, result, progress
        self.step = max(1, total // 100)
        self.last = 0.0

    def _done(self):
        return self.result.n_answered + self.result.n_failed

    def answered(self):
        done = self._done()
        now = time.monotonic()
        if done == self.total or (done % self.step == 0 and now - self.last >= 1):
            self.last = now
            self._line()

    def failed(self, request, reason):
        if self.progress is not None and self.result.n_failed <= 5:
            self.progress(
                f"request failed after retries ({request.model}, prompt "
                f"{request.prompt_id}, sample {request.sample}): {reason}"
            )
        if self._done() == self.total:
            self._line()

    def _line(self):
        if self.progress is not None:
            r = self.result
            self.progress(
                f"[{self._done()}/{self.total}] {r.n_answered} answered, "
                f"{r.n_failed} failed ({r.n_cached} were cached already)"
            )
