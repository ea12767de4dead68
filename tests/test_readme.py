"""The README's examples work: Python blocks run, command lines parse, tables agree."""

import re
import shlex
from pathlib import Path

from sklearn_aidetect import list_detectors
from sklearn_aidetect.cli import _build_parser

README = Path(__file__).resolve().parents[1] / "README.md"
TEXT = README.read_text(encoding="utf-8")


def test_readme_code_blocks_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the examples save files where they run
    blocks = re.findall(r"```python\n(.*?)```", TEXT, re.S)
    assert len(blocks) >= 3
    namespace = {"__name__": "readme"}
    for block in blocks:
        exec(compile(block, str(README), "exec"), namespace)


def test_readme_command_lines_are_valid():
    blocks = re.findall(r"```bash\n(.*?)```", TEXT, re.S)
    commands = [
        shlex.split(line.split("#")[0])
        for block in blocks
        for line in block.replace("\\\n", " ").splitlines()
        if line.startswith("aidetect ")
    ]
    assert len(commands) >= 5
    parser = _build_parser()
    for command in commands:
        parser.parse_args(command[1:])  # exits (fails the test) on a wrong option


def test_readme_lists_every_detector_with_its_description():
    for info in list_detectors():
        assert f"| `{info.name}` | {info.description} |" in TEXT
