"""``aidetect generate``: its options and what it runs (registered by the CLI)."""

import os
import sys
from pathlib import Path

from .._io import check_writable
from ._cache import ResponseCache
from ._output import generated_rows, human_rows, write_rows
from ._requests import DEFAULT_TEMPLATE, load_prompts, load_template, plan_requests
from ._run import generate_responses

__all__ = ["add_generate_arguments", "run_generate"]

HELP = "ask an OpenAI-compatible server for machine-written training texts"
EPILOG = (
    "The API key is read from the environment variable named by --api-key-env "
    "(default OPENAI_API_KEY), never from the command line; local servers (vLLM, "
    "llama.cpp, Ollama) need none. Every answer is appended at once to the cache "
    "(OUT.cache.jsonl): after Ctrl-C, a crash or failed requests, run the same "
    "command again with --force and only the missing requests are sent."
)


def add_generate_arguments(sub, *, positive_int, fraction):
    """The options of ``aidetect generate`` on the subparser ``sub``."""
    sub.add_argument("prompts", metavar="PROMPTS.csv", help="a 'prompt' column, and "
                     "optionally prompt_id, instructions, persona")  # fmt: skip
    sub.add_argument("--out", required=True, metavar="GENERATED.csv")
    sub.add_argument(
        "--model",
        action="append",
        required=True,
        metavar="NAME",
        help="a model the server serves; repeat for several",
    )
    sub.add_argument(
        "--base-url",
        default=os.environ.get("OPENAI_BASE_URL"),
        metavar="URL",
        help="the server, such as http://127.0.0.1:8000/v1 (default: "
        "$OPENAI_BASE_URL, else OpenAI's own)",
    )
    sub.add_argument(
        "--api-key-env",
        default="OPENAI_API_KEY",
        metavar="VAR",
        help="the environment variable holding the API key (default: OPENAI_API_KEY)",
    )
    sub.add_argument(
        "--temperature",
        type=float,
        action="append",
        metavar="T",
        help="sampling temperature; repeat for several (default: the server's)",
    )
    sub.add_argument(
        "--top-p",
        type=fraction,
        action="append",
        metavar="P",
        help="nucleus sampling; repeat for several (default: the server's)",
    )
    sub.add_argument(
        "--persona",
        action="append",
        metavar="TEXT",
        help="who writes, such as 'a 10th-grade student'; repeat for several "
        "(a prompt's own persona column takes precedence)",
    )
    sub.add_argument(
        "--samples", type=positive_int, default=1, metavar="N",
        help="texts per prompt and setting (default: 1)",
    )  # fmt: skip
    sub.add_argument(
        "--template",
        metavar="FILE",
        help="the user message, with {prompt} and optionally {instructions}, "
        "{persona}, {prompt_id}; default: an essay request",
    )
    sub.add_argument("--max-tokens", type=positive_int, metavar="N")
    sub.add_argument(
        "--concurrency", type=positive_int, default=8, metavar="N",
        help="requests in flight at once (default: 8)",
    )  # fmt: skip
    sub.add_argument(
        "--max-requests",
        type=positive_int,
        metavar="N",
        help="send at most N requests in this run (a budget); rerun for the rest",
    )
    sub.add_argument(
        "--timeout", type=_seconds, default=120.0, metavar="S",
        help="seconds per attempt of a request (default: 120)",
    )  # fmt: skip
    sub.add_argument(
        "--max-retries", type=positive_int, default=5, metavar="N",
        help="retries of a request on 429, 5xx, timeouts (default: 5)",
    )  # fmt: skip
    sub.add_argument(
        "--cache",
        metavar="FILE.jsonl",
        help="the answers received so far (default: OUT.cache.jsonl)",
    )
    sub.add_argument(
        "--human",
        metavar="HUMAN.csv",
        help="merge these human-written texts (label 0) into the output",
    )
    sub.add_argument(
        "--no-clean",
        action="store_true",
        help="keep answers as they came (default: strip chat preambles and the like)",
    )


def _seconds(text):
    import argparse

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be above 0, got {text}")
    return value


def run_generate(args, progress):
    """Run ``aidetect generate``; a user error is a ValueError (one line)."""
    out = Path(args.out)
    try:
        check_writable(out, overwrite=args.force)
    except FileExistsError:
        raise ValueError(
            f"{out} already exists; pass --force to replace it, or choose another "
            "--out."
        ) from None
    template = load_template(args.template) if args.template else DEFAULT_TEMPLATE
    prompts = load_prompts(args.prompts)
    human = human_rows(args.human) if args.human else []
    requests = plan_requests(
        prompts,
        args.model,
        temperatures=args.temperature or [None],
        top_ps=args.top_p or [None],
        personas=args.persona or [""],
        n_samples=args.samples,
        template=template,
        max_tokens=args.max_tokens,
    )
    cache_path = (
        Path(args.cache) if args.cache else out.with_name(out.name + ".cache.jsonl")
    )
    cache = ResponseCache(cache_path)
    api_key = os.environ.get(args.api_key_env)
    if not api_key and not args.base_url:
        raise ValueError(
            f"no API key: set the environment variable {args.api_key_env} (or name "
            "another with --api-key-env), or point --base-url at a local server."
        )
    where = args.base_url or "OpenAI"
    progress(
        f"{len(requests)} requests ({len(prompts)} prompts x {len(args.model)} "
        f"models x settings x samples) to {where}; {len(cache)} answers in "
        f"{cache_path}"
    )
    result = generate_responses(
        requests,
        cache,
        base_url=args.base_url,
        api_key=api_key,
        concurrency=args.concurrency,
        max_requests=args.max_requests,
        timeout=args.timeout,
        max_retries=args.max_retries,
        progress=progress,
    )
    rows, n_empty = generated_rows(requests, cache, clean=not args.no_clean)
    if not rows:
        reason = (
            f" (the first failure: {result.failures[0][1]})" if result.failures else ""
        )
        raise ValueError(
            f"no request was answered with a usable text{reason}; {out} was not "
            f"written. {result.n_failed} failed, {n_empty} answers were empty or "
            "refusals."
        )
    write_rows(out, human + rows, overwrite=args.force)
    flagged = sum(1 for row in rows if row["flags"])
    print(
        f"wrote {len(rows)} generated texts"
        + (f" and {len(human)} human ones" if human else "")
        + f" to {out} ({result.n_answered} new answers, {result.n_cached} from "
        f"the cache; {flagged} flagged, {n_empty} empty answers or refusals left "
        "out)"
    )
    missing = result.n_failed + result.n_over_budget
    if result.n_over_budget:
        print(
            f"{result.n_over_budget} requests were left for the next run by "
            "--max-requests; run the same command again with --force to send them "
            "(the answers so far are cached).",
            file=sys.stderr,
        )
    if result.n_failed:
        _, reason = result.failures[0]
        raise ValueError(
            f"{result.n_failed} of {result.n_planned} requests failed after retries "
            f"(the first: {reason}); {out} holds the {len(rows)} answered so far. "
            f"Run the same command again with --force to ask for the {missing} "
            "missing ones (the answers so far are cached)."
        )
