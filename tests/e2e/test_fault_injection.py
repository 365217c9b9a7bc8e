"""Killing the program half-way loses nothing it had stored and leaves nothing half-made.

``python -m viewer import`` of a batch of generated documents (plain text, and Markdown,
which also stores the lines its reader extracted) is killed with SIGKILL at random moments
while it writes. After each kill: every ``<id>.json`` present is whole and valid, its
checksums hold, and its original is there, byte for byte the file imported; after the next
start's clean-up no temp file or orphan file is left; and the archive lists exactly the
complete entries, including every one stored before. (The search index's half of this is
tested with the index.)
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli, write_bulletins
from viewer.store import Archive

pytestmark = [pytest.mark.slow, pytest.mark.skipif(os.name != "posix", reason="SIGKILL")]

ROUNDS = 20
FILES_PER_ROUND = 12
_PAYLOAD_KEY = b'"bulletin": '


def _batch(folder: Path, seed: int) -> list[Path]:
    files = write_bulletins(folder, FILES_PER_ROUND, seed=seed)
    for n, path in enumerate(files):
        if n % 2:
            files[n] = path.rename(path.with_suffix(".md"))
    return files


#: The program on a slow disk: each fsync takes 10 ms longer, so that the moments a kill can
#: leave something half-done (a temp file written, an original stored before its metadata)
#: are a good part of the time, not a sliver of it.
_SLOW_DISK = """
import os, runpy, sys, time
_fsync = os.fsync
def fsync(fd):
    time.sleep(0.01)
    _fsync(fd)
os.fsync = fsync
sys.argv = ["viewer", *sys.argv[1:]]
runpy.run_module("viewer", run_name="__main__")
"""


def _start_import(home: Path, files: list[Path]) -> subprocess.Popen:
    env = dict(os.environ, BULLETIN_VIEWER_HOME=str(home))
    return subprocess.Popen(
        [sys.executable, "-c", _SLOW_DISK, "-v", "import", *map(str, files)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )


def _complete_entries(root: Path, sources: dict[str, bytes]) -> set[str]:
    """The ids of the entries whose ``<id>.json`` exists, each checked to be whole: valid,
    its parse and its original matching their checksums, the original the file imported."""
    ids = set()
    for meta_path in root.glob("*.json"):
        raw = meta_path.read_bytes()
        meta = json.loads(raw)  # whole: never half a file
        assert meta["format"] == 3 and meta["bulletin"]["id"] == meta_path.stem
        payload = raw[raw.rindex(_PAYLOAD_KEY) + len(_PAYLOAD_KEY) : -1]
        assert hashlib.sha256(payload).hexdigest() == meta["bulletin_sha256"]
        original = (root / meta["original"]).read_bytes()  # its original exists
        assert hashlib.sha256(original).hexdigest() == meta["original_sha256"]
        assert original == sources[meta["source"]]  # not stale: the very file imported
        if meta["kind"] != "txt":
            assert (root / f"{meta_path.stem}.extracted.txt").is_file()
        ids.add(meta_path.stem)
    return ids


def _age_everything(root: Path, seconds: float = 120.0) -> None:
    """As if the next start came two minutes later (the clean-up spares younger files)."""
    then = time.time() - seconds
    for path in root.iterdir():
        os.utime(path, (then, then))


def test_imports_killed_at_random_moments_lose_nothing_and_leave_nothing(tmp_path):
    home = tmp_path / "home"
    root = home / "data" / "archive"
    rnd = random.Random(1009)
    sources: dict[str, bytes] = {}

    # A whole import, to know how long its writing lasts on this machine.
    files = _batch(tmp_path / "in-0", seed=500)
    sources.update({f.name: f.read_bytes() for f in files})
    with _start_import(home, files) as proc:
        assert proc.stderr.readline().startswith("viewer.store: imported")
        started = time.monotonic()
        proc.communicate(timeout=120)
        writing = time.monotonic() - started
    assert proc.returncode == 0
    stored = _complete_entries(root, sources)
    assert len(stored) == FILES_PER_ROUND

    kills = rounds_with_leftovers = 0
    for n in range(1, ROUNDS + 1):
        files = _batch(tmp_path / f"in-{n}", seed=500 + n)
        sources.update({f.name: f.read_bytes() for f in files})
        with _start_import(home, files) as proc:
            first = proc.stderr.readline()  # its first document is stored: it is writing now
            time.sleep(rnd.uniform(0.0, writing))
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                kills += 1
            proc.communicate(timeout=120)
        assert first.startswith("viewer.store: imported"), first

        complete = _complete_entries(root, sources)
        assert stored <= complete  # nothing stored before is lost
        left = [p.name for p in root.iterdir() if p.name.split(".")[0] + ".json" not in os.listdir(root)]
        rounds_with_leftovers += bool(left)
        _age_everything(root)
        archive = Archive(root, include_bundled=False)  # the next start: clears the leftovers
        assert set(archive.ids()) == complete  # lists exactly the complete entries
        for path in root.iterdir():
            assert not path.name.endswith(".tmp"), f"round {n}: temp file {path.name} left"
            assert (root / f"{path.name.split('.')[0]}.json").exists(), f"round {n}: orphan {path.name}"
        assert all(archive.get(i).char_count() > 0 for i in complete)
        stored = complete
    assert kills >= ROUNDS // 2  # most rounds were killed while writing, not after
    assert rounds_with_leftovers >= 3  # and some kills did leave half-done work to clear

    listed = run_cli("list", "--json", home=home)  # the real program agrees
    assert listed.returncode == 0, listed.stderr
    assert {r["id"] for r in json.loads(listed.stdout) if not r["bundled"]} == stored


def _read_only_bind(folder: Path) -> bool:
    """Make ``folder`` a read-only bind mount of itself (root with CAP_SYS_ADMIN only)."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or not Path("/bin/mount").exists():
        return False
    bind = subprocess.run(["mount", "--bind", str(folder), str(folder)], capture_output=True)
    if bind.returncode != 0:
        return False
    remount = subprocess.run(["mount", "-o", "remount,ro,bind", str(folder)], capture_output=True)
    if remount.returncode != 0:
        subprocess.run(["umount", str(folder)], capture_output=True)
        return False
    return True


def test_a_read_only_home_still_lists_and_refuses_writes_plainly(tmp_path):
    """A real read-only file system (where the test may mount one): reading works from what
    is there, writing fails with one plain line naming the folder."""
    home = tmp_path / "home"
    files = write_bulletins(tmp_path / "in", 3)
    assert run_cli("import", *map(str, files[:2]), home=home).returncode == 0
    added = run_cli("bookmarks", "add", "--quote", "织密基层防控网络", home=home)
    assert added.returncode == 0, added.stderr
    listed_before = run_cli("list", "--json", home=home)
    if not _read_only_bind(home):
        pytest.skip("cannot mount a read-only file system here (needs root with CAP_SYS_ADMIN)")
    try:
        listed = run_cli("list", "--json", home=home)
        assert listed.returncode == 0, listed.stderr
        assert listed.stdout == listed_before.stdout
        marks = run_cli("bookmarks", "list", "--json", home=home)
        assert marks.returncode == 0, marks.stderr
        assert [b["quote"] for b in json.loads(marks.stdout)] == ["织密基层防控网络"]
        bundled = next(r["id"] for r in json.loads(listed.stdout) if r["bundled"])
        again = run_cli(
            "bookmarks", "add", "--quote", "出台16项措施打好疫情防控战", "--bulletin", bundled, home=home
        )
        assert again.returncode == 2 and "read-only file system" in again.stderr
        imported = run_cli("import", str(files[2]), home=home)
        archive = home / "data" / "archive"
        assert imported.returncode == 2
        assert f"error: cannot write to {archive}: read-only file system" in imported.stderr
        removed = run_cli("remove", json.loads(listed.stdout)[1]["id"], home=home)
        assert removed.returncode == 2 and "read-only file system" in removed.stderr
        assert "Traceback" not in imported.stderr + removed.stderr + marks.stderr + again.stderr
    finally:
        subprocess.run(["umount", str(home)], check=True)
