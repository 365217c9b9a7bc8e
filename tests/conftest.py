"""Shared fixtures. Nothing a test does may touch the real user's folders."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import random
import signal
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent / "corpus"
BUNDLED_TXT = ROOT / "data" / "beijing-districts-bulletin.txt"
SEED_EXPECTED = CORPUS / "seed-expected.json"


def _load_generator():
    spec = importlib.util.spec_from_file_location("make_archive", CORPUS / "make_archive.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_archive = _load_generator()


def full_expected(expected: dict) -> dict:
    """An expected structure in the seed's form (title, column, lead, sections) extended to
    the whole ``parse --json`` shape: a district bulletin has no date, number, issuer or
    closing, and its sections are all at level 1."""
    return {
        "title": expected["title"],
        "column": expected["column"],
        "date": expected.get("date", ""),
        "number": expected.get("number", ""),
        "issuer": expected.get("issuer", ""),
        "lead": expected["lead"],
        "sections": [
            {
                "district": s["district"],
                "headline": s["headline"],
                "level": s.get("level", 1),
                "paragraphs": s["paragraphs"],
            }
            for s in expected["sections"]
        ],
        "closing": expected.get("closing", []),
    }


def generate_bulletins(count: int, seed: int = 1) -> list[tuple[str, dict]]:
    """``count`` synthetic bulletins as (raw text, expected structure in the whole
    ``parse --json`` shape), in memory."""
    pool = json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))
    rnd = random.Random(seed)
    made = (make_archive.make_one(pool, rnd, n) for n in range(count))
    return [(raw, full_expected(doc)) for raw, doc in made]


def write_bulletins(directory: Path, count: int, seed: int = 1) -> list[Path]:
    """Write ``count`` synthetic bulletins as files; return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    files = []
    for n, (raw, _doc) in enumerate(generate_bulletins(count, seed)):
        path = directory / f"bulletin-{seed}-{n:05d}.txt"
        path.write_text(raw, encoding="utf-8")
        files.append(path)
    return files


def indexed_archive(root: Path, count: int, seed: int):
    """An archive under ``root`` holding ``count`` generated bulletins (and the bundled
    one), and a SearchIndex of it under ``root``, synced; the caller closes the index."""
    from viewer.search import SearchIndex
    from viewer.store import Archive

    archive = Archive(root / "archive")
    archive.import_files(write_bulletins(root / "src", count, seed))
    index = SearchIndex(root / "index")
    index.sync(archive)
    return archive, index


@pytest.fixture(autouse=True)
def viewer_home(tmp_path_factory, monkeypatch) -> Path:
    """Every test gets its own BULLETIN_VIEWER_HOME."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("BULLETIN_VIEWER_HOME", str(home))
    return home


@pytest.fixture
def bundled_text() -> str:
    return BUNDLED_TXT.read_text(encoding="utf-8")


@pytest.fixture
def bulletin(bundled_text):
    """The bundled bulletin, parsed."""
    from viewer.model import parse_text

    return parse_text(bundled_text)


@pytest.fixture
def seed_expected() -> dict:
    return json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))


def fresh_python(code: str) -> list[str]:
    """Run ``code`` in a new interpreter (to see what a new process imports or compiles);
    the lines it printed."""
    import subprocess

    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return done.stdout.splitlines()


def run_cli(*args: str, env: dict | None = None, home: Path | None = None):
    """Run ``python -m viewer ARGS`` in a subprocess; return the CompletedProcess."""
    import subprocess

    full_env = dict(os.environ)
    if home is not None:
        full_env["BULLETIN_VIEWER_HOME"] = str(home)
    if env:
        full_env.update(env)
    return subprocess.run(
        [sys.executable, "-m", "viewer", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=full_env,
        cwd=str(ROOT),
        timeout=120,
    )


@contextlib.contextmanager
def fails_instead_of_hanging(seconds: int = 10):
    """A block that would wait for ever (a read of a pipe) raises TimeoutError after
    ``seconds`` and fails the test, instead of hanging the run."""

    def interrupt(_signum, _frame):
        raise TimeoutError(f"still waiting after {seconds} s")

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def settle(folder: Path) -> None:
    """Age a folder's time as if its last change were long ago (the archive's one-stat
    check trusts only a settled folder: viewer.store.fingerprint)."""
    import time

    from viewer.store.fingerprint import SETTLED_S

    then = time.time() - 10 * SETTLED_S
    os.utime(folder, (then, then))
