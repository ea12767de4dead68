"""A small OpenAI-compatible chat-completions server, for the generation tests.

Run as ``python fake_openai_server.py LOG.jsonl [--die-after N] [--key KEY]``: it
listens on 127.0.0.1 (a free port, printed on stdout as the first line) and answers
``POST /v1/chat/completions`` with a text made from the request, logging every
request it receives to LOG.jsonl. Faults are asked for in the user message itself,
so that they happen to the same requests whatever order they arrive in:

- ``[429xN]``: the first N requests with this message get 429 with Retry-After;
- ``[500xN]``: ... get a 500;
- ``[slowxN]``: ... are answered after 3 s (longer than the tests' client timeout);
- ``[badjsonxN]``: ... get a 200 whose body is not JSON;
- ``[oddxN]``: ... get a 200 whose JSON has ``"choices": null``;
- ``[pause]``: the answer comes after 0.3 s; the log records how many requests
  were in flight when each arrived (``in_flight``);
- ``[empty]``: the answer is empty; ``[length]``: finish_reason is "length";
- ``[preamble]``: the answer starts with "Sure, here is an essay:".

``--die-after N`` ends the process (as a crash would) after N answers.
"""

import argparse
import json
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FAULT = re.compile(r"\[(429|500|slow|badjson|odd)x(\d+)\]")
LOCK = threading.Lock()
SEEN = {}  # (fault, message) -> times seen
ANSWERED = [0]
IN_FLIGHT = [0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("log")
    parser.add_argument("--die-after", type=int)
    parser.add_argument("--key")
    args = parser.parse_args()
    log = open(args.log, "a", encoding="utf-8")  # noqa: SIM115 - lives as long as the server

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_):
            pass

        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            user = body["messages"][-1]["content"]
            with LOCK:
                IN_FLIGHT[0] += 1
                entry = {"path": self.path, "body": body, "in_flight": IN_FLIGHT[0]}
                log.write(json.dumps(entry) + "\n")
                log.flush()
            try:
                self._answer(body, user)
            finally:
                with LOCK:
                    IN_FLIGHT[0] -= 1

        def _answer(self, body, user):
            if args.key and self.headers.get("Authorization") != f"Bearer {args.key}":
                return self._json(401, {"error": {"message": "bad key"}})
            if not self.path.endswith("/chat/completions"):
                return self._json(404, {"error": {"message": "no such path"}})
            fault = FAULT.search(user)
            if fault:
                kind, times = fault.group(1), int(fault.group(2))
                with LOCK:
                    seen = SEEN.get((kind, user), 0)
                    SEEN[(kind, user)] = seen + 1
                if seen < times:
                    if kind == "429":
                        return self._json(
                            429,
                            {"error": {"message": "slow down"}},
                            {"Retry-After": "0.1"},
                        )
                    if kind == "500":
                        return self._json(500, {"error": {"message": "oops"}})
                    if kind == "slow":
                        time.sleep(3)
                    if kind == "badjson":
                        return self._raw(200, b"{not json")
                    if kind == "odd":
                        return self._json(200, {"id": "x", "choices": None})
            if "[pause]" in user:
                time.sleep(0.3)
            text = f"An essay by {body['model']} at {body.get('temperature')}: {user}"
            if "[preamble]" in user:
                text = "Sure, here is an essay:\n\n" + text
            if "[empty]" in user:
                text = ""
            finish = "length" if "[length]" in user else "stop"
            self._json(200, _completion(body["model"], text, finish))
            with LOCK:
                ANSWERED[0] += 1
                if args.die_after and ANSWERED[0] >= args.die_after:
                    log.close()
                    threading.Thread(target=lambda: (time.sleep(0.05), _die())).start()

        def _json(self, status, payload, headers=None):
            self._raw(status, json.dumps(payload).encode(), headers)

        def _raw(self, status, data, headers=None):
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


def _die():
    import os

    os._exit(3)


def _completion(model, text, finish):
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "finish_reason": finish,
            }
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


if __name__ == "__main__":
    sys.exit(main())
