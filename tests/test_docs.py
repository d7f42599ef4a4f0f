"""Every shell command and Python block in README.md and docs/*.md runs, as written, or says why it cannot.

Each fenced ``bash`` or ``python`` block is one test. An HTML comment on the line before a block (invisible
when rendered) may say how the block is run:

- ``<!-- doc-test: skip REASON -->``: not run here; the reason is required (a GPU, a cluster, a remote
  server, an illustration of an API shape).
- ``<!-- doc-test: override OLD => NEW -->`` (repeatable, ``;``-separated): run with a small override, for
  commands that would take long. The doc must show the override in its text too (the test checks that
  what NEW adds to OLD appears in the doc outside the comment), so a reader knows the quick form.
- ``<!-- doc-test: stdin TEXT -->``: the block reads TEXT on stdin (``\\n`` for newlines), for ``play``.

Shell blocks run line by line in a temporary working directory holding copies of the repository's
``train/`` configs and links to ``tests/`` and ``benchmarks/``, so relative outputs (``runs/``, ``data/``,
``outputs/``) never land in the clone; ``envfactory`` is this environment's. Python blocks run in a fresh
interpreter in the same directory. A block fails the test when any command exits non-zero.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(\w*)\s*$")
DIRECTIVE = re.compile(r"^<!--\s*doc-test:\s*(\w+)\s*(.*?)\s*-->\s*$")
RUNNABLE = {"bash", "sh", "shell", "python"}


@dataclass
class Block:
    path: Path
    line: int
    language: str
    code: str
    directives: list[tuple[str, str]] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def collect(path: Path) -> list[Block]:
    blocks: list[Block] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    number = 0
    while number < len(lines):
        match = FENCE.match(lines[number])
        if not match:
            number += 1
            continue
        start, language = number, match.group(1)
        end = next(i for i in range(number + 1, len(lines)) if lines[i].startswith("```"))
        directives = []
        above = start - 1
        while above >= 0 and (directive := DIRECTIVE.match(lines[above])):
            directives.insert(0, (directive.group(1), directive.group(2)))
            above -= 1
        if language in RUNNABLE:
            blocks.append(Block(path, start + 1, language, "\n".join(lines[start + 1 : end]), directives))
        number = end + 1
    return blocks


BLOCKS = [block for path in DOCS for block in collect(path)]


def test_every_doc_has_runnable_blocks_and_unknown_fences_are_flagged() -> None:
    assert len(BLOCKS) > 20
    for path in DOCS:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            directive = DIRECTIVE.match(line)
            if line.startswith("<!--") and "doc-test" in line:
                assert directive and directive.group(1) in {"skip", "override", "stdin"}, f"{path}:{number}: {line}"


def commands(code: str) -> list[str]:
    """Shell lines, with backslash continuations joined and comments dropped."""
    joined = re.sub(r"\\\n\s*", " ", code)
    result = []
    for line in joined.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        result.append(line)
    return result


def inserted(old: str, new: str) -> str:
    """What an override adds: the inserted words when NEW is OLD with words inserted, else all of NEW."""
    before, after = old.split(), new.split()
    head = 0
    while head < min(len(before), len(after)) and before[head] == after[head]:
        head += 1
    tail = len(before) - head
    if tail and before[head:] == after[len(after) - tail :]:
        return " ".join(after[head : len(after) - tail])
    return new if tail else " ".join(after[head:])


@pytest.fixture
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("docs")
    shutil.copytree(ROOT / "train", directory / "train", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("tests", "benchmarks"):
        (directory / name).symlink_to(ROOT / name)
    return directory


def _env(workdir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.update(COLUMNS="200", WANDB_MODE="offline", WANDB_DIR=str(workdir), TOKEN="doc-test-token")
    env["PYTHONPATH"] = str(ROOT)  # `tests.fixtures` and friends, as from the clone's root
    return env


@pytest.mark.slow
@pytest.mark.parametrize("document", DOCS, ids=[str(d.relative_to(ROOT)) for d in DOCS])
def test_documented_blocks_run(document: Path, workdir: Path) -> None:
    """Every block of a document, in order, in one working directory: a block may use what an earlier one
    wrote (an import, then an eval of the imported file), so a document's blocks never split across workers."""
    blocks = [block for block in BLOCKS if block.path == document]
    skipped = [reason for block in blocks if (reason := _run_block(block, workdir)) is not None]
    if skipped and len(skipped) == len(blocks):
        pytest.skip("; ".join(skipped))


def _run_block(block: Block, workdir: Path) -> str | None:
    """Run one block (asserting it succeeds); the skip reason instead when it is marked to skip."""
    options = dict(block.directives)
    if "skip" in options:
        assert options["skip"].strip(), f"{block.id}: a skipped block must say why"
        return f"{block.id}: {options['skip']}"
    code = block.code
    for kind, value in block.directives:
        if kind != "override":
            continue
        for pair in value.split(";"):
            old, _, new = (part.strip() for part in pair.partition("=>"))
            assert old in code, f"{block.id}: override {old!r} is not in the block"
            text = block.path.read_text(encoding="utf-8")
            shown = "\n".join(line for line in text.splitlines() if not DIRECTIVE.match(line))
            added = inserted(old, new)
            assert added in shown, f"{block.id}: the doc must show the override {added!r} in its text"
            code = code.replace(old, new)
    stdin = options.get("stdin", "").replace("\\n", "\n")
    env = _env(workdir)
    if block.language == "python":
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=workdir,
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, f"{block.id}\n{code}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        return None
    for command in commands(code):
        result = subprocess.run(
            ["bash", "-c", command], cwd=workdir, env=env, input=stdin, capture_output=True, text=True, timeout=600
        )
        assert result.returncode == 0, f"{block.id}: {command}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return None
