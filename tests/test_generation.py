"""aidetect generate against a real HTTP server on 127.0.0.1 (fake_openai_server.py).

The server is a separate process the tests start, answer by answer as an
OpenAI-compatible one would, with faults asked for in the prompt text: 429 with
Retry-After, 500s, timeouts, malformed JSON, and a crash mid-run. Nothing here
touches the network beyond 127.0.0.1.
"""

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from sklearn_aidetect import load_csv
from sklearn_aidetect.cli import main
from sklearn_aidetect.generation import (
    ResponseCache,
    clean_generated_text,
    load_prompts,
    plan_requests,
)

pytest.importorskip("openai")

SERVER = Path(__file__).with_name("fake_openai_server.py")
FAST = ["--timeout", "1", "--max-retries", "2", "--concurrency", "4", "-q"]


class Server:
    """The fake server in a process of its own; ``log`` lists what it received."""

    def __init__(self, folder, *options):
        self.log_path = Path(folder) / "server-log.jsonl"
        self.process = subprocess.Popen(
            [sys.executable, str(SERVER), str(self.log_path), *map(str, options)],
            stdout=subprocess.PIPE,
            text=True,
        )
        self.url = f"http://127.0.0.1:{self.process.stdout.readline().strip()}/v1"

    def log(self):
        if not self.log_path.exists():
            return []
        lines = self.log_path.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]

    def stop(self):
        self.process.kill()
        self.process.wait(timeout=10)
        self.process.stdout.close()


@pytest.fixture
def server(tmp_path):
    running = Server(tmp_path)
    yield running
    running.stop()


def write_prompts(path, prompts):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["prompt_id", "prompt"])
        writer.writerows([f"p{i}", text] for i, text in enumerate(prompts))
    return path


def read_rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def generate(capsys, server_url, prompts, out, *extra):
    status = main(
        ["generate", str(prompts), "--out", str(out), "--base-url", server_url,
         "--model", "m1", *FAST, *map(str, extra)]
    )  # fmt: skip
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_a_run_writes_a_file_that_train_reads(capsys, server, tmp_path):
    prompts = write_prompts(tmp_path / "prompts.csv", ["Phones at school?", "Homework"])
    out = tmp_path / "generated.csv"
    status, stdout, err = generate(
        capsys, server.url, prompts, out,
        "--model", "m2", "--temperature", 0.7, "--temperature", 1.2, "--samples", 2,
    )  # fmt: skip
    assert status == 0, err
    rows = read_rows(out)
    assert len(rows) == 2 * 2 * 2 * 2  # prompts x models x temperatures x samples
    assert {row["generator"] for row in rows} == {"m1", "m2"}
    assert {row["temperature"] for row in rows} == {"0.7", "1.2"}
    assert {row["label"] for row in rows} == {"1"}
    assert "wrote 16 generated texts" in stdout
    bodies = [entry["body"] for entry in server.log()]
    assert len(bodies) == 16
    assert {b["temperature"] for b in bodies} == {0.7, 1.2}
    assert "Phones at school?" in bodies[0]["messages"][-1]["content"]
    data = load_csv(out, require_labels=False)  # what `aidetect train` reads
    assert len(data.data) == 16


def test_a_rerun_sends_nothing_and_writes_the_same_file(capsys, server, tmp_path):
    prompts = write_prompts(tmp_path / "prompts.csv", ["One", "Two", "Three"])
    out = tmp_path / "generated.csv"
    assert generate(capsys, server.url, prompts, out)[0] == 0
    first = out.read_bytes()
    sent = len(server.log())
    status, stdout, _ = generate(capsys, server.url, prompts, out, "--force")
    assert status == 0
    assert len(server.log()) == sent  # every answer came from the cache
    assert "0 new answers, 3 from the cache" in stdout
    assert out.read_bytes() == first


def test_429_and_500_are_retried_and_bad_answers_fail_then_resume(
    capsys, server, tmp_path
):
    prompts = write_prompts(
        tmp_path / "prompts.csv",
        ["Busy [429x2]", "Broken [500x2]", "Garbled [badjsonx1]", "Slow [slowx1]",
         "Fine"],
    )  # fmt: skip
    out = tmp_path / "generated.csv"
    status, _, err = generate(capsys, server.url, prompts, out)
    # 429 (with Retry-After), 500 and the timeout were retried by the client and
    # then answered; a malformed answer is not retried: that request failed.
    assert status == 1
    assert "1 of 5 requests failed after retries" in err
    assert "not valid JSON" in err
    assert "Run the same command again with --force" in err
    answered = {row["prompt_id"] for row in read_rows(out)}
    assert answered == {"p0", "p1", "p3", "p4"}
    log = [e["body"]["messages"][-1]["content"] for e in server.log()]
    assert sum("Busy" in m for m in log) == 3  # two 429s, then the answer
    assert sum("Broken" in m for m in log) == 3

    before = len(server.log())
    status, _, err = generate(capsys, server.url, prompts, out, "--force")
    assert status == 0, err
    assert len(server.log()) == before + 1  # only the failed request is sent again
    assert len(read_rows(out)) == 5


def test_a_crashed_server_loses_no_answer_and_repeats_none(capsys, tmp_path):
    prompts = write_prompts(
        tmp_path / "prompts.csv", [f"Prompt {i}" for i in range(12)]
    )
    out = tmp_path / "generated.csv"
    (tmp_path / "first").mkdir()
    first = Server(tmp_path / "first", "--die-after", 5)
    try:
        status, _, err = generate(capsys, first.url, prompts, out)
    finally:
        first.stop()
    assert status == 1  # the requests after the crash failed
    cache = ResponseCache(tmp_path / "generated.csv.cache.jsonl")
    done_first = {record["prompt_id"] for record in cache.records.values()}
    assert len(done_first) >= 5
    (tmp_path / "second").mkdir()
    second = Server(tmp_path / "second")
    try:
        status, _, err = generate(capsys, second.url, prompts, out, "--force")
    finally:
        second.stop()
    assert status == 0, err
    asked_again = {e["body"]["messages"][-1]["content"] for e in second.log()}
    assert not any(f"Prompt {p[1:]}\n" in m for p in done_first for m in asked_again)
    assert len(second.log()) == 12 - len(done_first)
    assert len(read_rows(out)) == 12


def test_max_requests_is_a_budget_per_run(capsys, server, tmp_path):
    prompts = write_prompts(tmp_path / "prompts.csv", [f"P {i}" for i in range(5)])
    out = tmp_path / "generated.csv"
    status, _, err = generate(capsys, server.url, prompts, out, "--max-requests", 2)
    assert status == 0
    assert len(server.log()) == 2
    assert "3 requests were left for the next run" in err
    status, *_ = generate(capsys, server.url, prompts, out, "--force")
    assert status == 0
    assert len(server.log()) == 5
    assert len(read_rows(out)) == 5


def test_cleaning_and_flags_in_the_output(capsys, server, tmp_path):
    prompts = write_prompts(
        tmp_path / "prompts.csv", ["Chatty [preamble]", "Cut [length]", "Void [empty]"]
    )
    out = tmp_path / "generated.csv"
    status, stdout, _ = generate(capsys, server.url, prompts, out)
    assert status == 0
    rows = {row["prompt_id"]: row for row in read_rows(out)}
    assert set(rows) == {"p0", "p1"}  # the empty answer is left out
    assert not rows["p0"]["text"].startswith("Sure")
    assert rows["p0"]["flags"] == "preamble"
    assert rows["p1"]["flags"] == "truncated"
    assert "2 flagged, 1 empty answers or refusals left out" in stdout


def test_merged_with_the_human_file(capsys, server, tmp_path):
    prompts = write_prompts(tmp_path / "prompts.csv", ["A prompt"])
    human = tmp_path / "human.csv"
    human.write_text("text,prompt_id\nMy own essay.,p0\nAnother one.,p0\n")
    out = tmp_path / "train.csv"
    status, *_ = generate(capsys, server.url, prompts, out, "--human", human)
    assert status == 0
    data = load_csv(out)
    assert data.target.tolist() == [0, 0, 1]
    rows = read_rows(out)
    assert [row["generator"] for row in rows] == ["human", "human", "m1"]
    assert [row["prompt_id"] for row in rows] == ["p0", "p0", "p0"]


def test_a_refused_key_stops_at_once_and_the_key_is_never_shown(
    capsys, tmp_path, monkeypatch
):
    running = Server(tmp_path, "--key", "right-key")
    try:
        monkeypatch.setenv("MY_KEY", "wrong-key-123")
        prompts = write_prompts(tmp_path / "prompts.csv", [f"P {i}" for i in range(6)])
        status, stdout, err = generate(
            capsys, running.url, prompts, tmp_path / "g.csv", "--api-key-env", "MY_KEY"
        )
        assert status == 1
        assert "refused the API key" in err
        assert "wrong-key-123" not in stdout + err
        assert not (tmp_path / "g.csv").exists()
        monkeypatch.setenv("MY_KEY", "right-key")
        status, _, err = generate(
            capsys, running.url, prompts, tmp_path / "g.csv", "--api-key-env", "MY_KEY"
        )
        assert status == 0, err
    finally:
        running.stop()


def test_bad_input_is_one_clear_line(capsys, tmp_path):
    no_prompt = tmp_path / "bad.csv"
    no_prompt.write_text("id,text\n1,hello\n")
    out = tmp_path / "g.csv"
    status, _, err = generate(capsys, "http://127.0.0.1:9/v1", no_prompt, out)
    assert status == 1
    assert "no 'prompt' column" in err
    template = tmp_path / "t.txt"
    template.write_text("Write about {topic}")
    prompts = write_prompts(tmp_path / "p.csv", ["x"])
    status, _, err = generate(
        capsys, "http://127.0.0.1:9/v1", prompts, out, "--template", template
    )
    assert status == 1
    assert "uses ['topic']" in err
    out.write_text("keep me")
    status, _, err = generate(capsys, "http://127.0.0.1:9/v1", prompts, out)
    assert status == 1
    assert "--force" in err
    assert out.read_text() == "keep me"


def test_plan_and_cache_keys():
    prompts = [{"prompt_id": "a", "prompt": "P", "instructions": "", "persona": ""}]
    requests = plan_requests(
        prompts, ["m"], temperatures=[0.5, 1.0], personas=["", "a pupil"], n_samples=2
    )
    assert len(requests) == 8
    assert len({r.key for r in requests}) == 8
    again = plan_requests(
        prompts, ["m"], temperatures=[0.5, 1.0], personas=["", "a pupil"], n_samples=2
    )
    assert [r.key for r in again] == [r.key for r in requests]
    with_persona = [r for r in requests if r.persona]
    assert with_persona[0].messages[0][1] == ("content", "You are a pupil. Write as "
                                              "that person would.")  # fmt: skip


def test_a_cache_cut_short_by_a_crash_is_read_and_repaired(tmp_path):
    path = tmp_path / "cache.jsonl"
    cache = ResponseCache(path)
    cache.append({"key": "a", "text": "one"})
    cache.append({"key": "b", "text": "two"})
    with open(path, "ab") as handle:
        handle.write(b'{"key": "c", "te')  # the write a crash interrupted
    cache = ResponseCache(path)
    assert sorted(cache.records) == ["a", "b"]
    cache.append({"key": "d", "text": "four"})
    assert sorted(ResponseCache(path).records) == ["a", "b", "d"]
    path.write_text('{"key": "a"}\nnot json\n{"key": "b"}\n')
    with pytest.raises(ValueError, match="line 2 is not a cache record"):
        ResponseCache(path)


@pytest.mark.parametrize(
    ("raw", "finish", "expected", "flags"),
    [
        ("  Sure, here is an essay on phones:\n\nPhones are...", "stop",
         "Phones are...", ["preamble"]),
        ("## Phones at school\n\nPhones are...", "stop", "Phones are...", ["title"]),
        ("Phones are...\n\nI hope this helps! Let me know.", "stop", "Phones are...",
         ["closing"]),
        ("Phones are", "length", "Phones are", ["truncated"]),
        ("   ", "stop", "", ["empty"]),
        ("Sure, phones are fine.", "stop", "Sure, phones are fine.", []),
        ("Okay, so phones are a disaster.\nTeachers see it.", "stop",
         "Okay, so phones are a disaster.\nTeachers see it.", []),
        ("Here is why cars should go.\n\nFirst...", "stop",
         "Here is why cars should go.\n\nFirst...", []),
        ("Essay.\n\nI hope that schools will ban them.", "stop",
         "Essay.\n\nI hope that schools will ban them.", []),
        ("Sure! Here's an essay on phones:\n", "stop", "", ["preamble", "empty"]),
        ("I'm sorry, but I can't write that.", "stop",
         "I'm sorry, but I can't write that.", ["refusal"]),
    ],
)  # fmt: skip
def test_clean_generated_text(raw, finish, expected, flags):
    assert clean_generated_text(raw, finish) == (expected, flags)


def test_load_prompts_reports_duplicates_and_empty_prompts(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("prompt_id,prompt\na,One\na,Two\n")
    with pytest.raises(ValueError, match="appears twice"):
        load_prompts(path)
    path.write_text('prompt\nOne\n""\n')
    with pytest.raises(ValueError, match=r"prompt 2 .* is empty"):
        load_prompts(path)


def test_an_odd_answer_fails_one_request_not_the_run(capsys, server, tmp_path):
    prompts = write_prompts(
        tmp_path / "prompts.csv", ["Odd [oddx9]", "Fine one", "Fine two"]
    )
    out = tmp_path / "generated.csv"
    status, _, err = generate(capsys, server.url, prompts, out, "--concurrency", 1)
    assert status == 1
    assert "1 of 3 requests failed" in err
    assert "holds no message" in err
    assert {row["prompt_id"] for row in read_rows(out)} == {"p1", "p2"}


def test_a_rerun_without_force_says_how_to_resume(capsys, server, tmp_path):
    prompts = write_prompts(tmp_path / "prompts.csv", ["A [badjsonx1]", "B"])
    out = tmp_path / "generated.csv"
    assert generate(capsys, server.url, prompts, out)[0] == 1
    written = out.read_bytes()
    status, _, err = generate(capsys, server.url, prompts, out)
    assert status == 1
    assert "pass --force" in err
    assert out.read_bytes() == written


def test_nothing_usable_writes_no_file(capsys, server, tmp_path):
    prompts = write_prompts(tmp_path / "prompts.csv", ["Void [empty]"])
    out = tmp_path / "generated.csv"
    status, _, err = generate(capsys, server.url, prompts, out)
    assert status == 1
    assert "no request was answered with a usable text" in err
    assert not out.exists()


def test_the_concurrency_limit_holds(capsys, server, tmp_path):
    prompts = write_prompts(
        tmp_path / "prompts.csv", [f"Wait {i} [pause]" for i in range(8)]
    )
    out = tmp_path / "generated.csv"
    status, *_ = generate(capsys, server.url, prompts, out, "--concurrency", 3)
    assert status == 0
    in_flight = [entry["in_flight"] for entry in server.log()]
    assert max(in_flight) == 3  # three at once, never more


def test_the_same_prompt_under_two_ids_is_asked_for_twice(capsys, server, tmp_path):
    path = tmp_path / "prompts.csv"
    path.write_text("prompt_id,prompt\nx1,Same text\nx2,Same text\n")
    out = tmp_path / "generated.csv"
    status, *_ = generate(capsys, server.url, path, out)
    assert status == 0
    assert [row["prompt_id"] for row in read_rows(out)] == ["x1", "x2"]


def test_a_cache_whose_last_record_has_no_newline_stays_readable(tmp_path):
    path = tmp_path / "cache.jsonl"
    path.write_text('{"key": "a", "text": "one"}\n{"key": "b", "text": "two"}')
    cache = ResponseCache(path)
    cache.append({"text": "three", "key": "c"})
    assert sorted(ResponseCache(path).records) == ["a", "b", "c"]
    notes = tmp_path / "notes.txt"
    notes.write_text("my own notes, not a cache")
    with pytest.raises(ValueError, match="not a cache"):
        ResponseCache(notes)
    assert notes.read_text() == "my own notes, not a cache"


def test_two_writers_of_one_cache_keep_each_others_records(tmp_path):
    path = tmp_path / "cache.jsonl"
    first, second = ResponseCache(path), ResponseCache(path)
    first.append({"key": "a1"})
    first.append({"key": "a2"})
    second.append({"key": "b1"})
    assert sorted(ResponseCache(path).records) == ["a1", "a2", "b1"]
