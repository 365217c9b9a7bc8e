"""A search-index sync killed at random moments loses nothing and serves nothing stale.

Each round imports more bulletins, starts a sync in a child process and SIGKILLs it after
a random delay (before, during or after its commit and manifest). Then, in a fresh
process as the next program run would: what the index serves is a committed state (every
bulletin it lists has all its passages, none it lacks), it is not taken for damaged, and
the next sync brings it exactly in line with the archive.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

from tests.conftest import ROOT, write_bulletins
from viewer import paths
from viewer.search import SearchIndex
from viewer.store import Archive

_SYNC = """
from viewer.search import SearchIndex
from viewer.store import Archive
SearchIndex().sync(Archive())
"""
ROUNDS = 20


def _unique_piece(bulletin) -> str:
    """A stretch of a bulletin's longest paragraph, to find that bulletin by."""
    longest = max((p.text for s in bulletin.sections for p in s.paragraphs), key=len)
    return longest[10:40]


def test_a_sync_killed_at_20_random_moments_keeps_a_committed_state(tmp_path):
    rnd = random.Random(2026)
    archive = Archive()
    SearchIndex().sync(archive)
    env = dict(os.environ)
    for round_ in range(ROUNDS):
        archive.import_files(write_bulletins(tmp_path / f"round{round_}", 2, seed=100 + round_))
        if round_ % 5 == 4:  # removals are committed too
            removable = [r.id for r in archive.records() if not r.bundled]
            archive.remove(rnd.choice(removable))
        proc = subprocess.Popen([sys.executable, "-c", _SYNC], cwd=str(ROOT), env=env)
        time.sleep(rnd.uniform(0.0, 1.2))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)

        archive.reload()
        index = SearchIndex()  # the next run of the program
        indexed = index.indexed_ids()
        assert not (paths.index_dir() / "viewer-index.damaged").exists(), round_
        for bulletin_id in indexed:  # a bulletin is there whole, or not at all
            bulletin = archive.get(bulletin_id) if bulletin_id in archive.ids() else None
            if bulletin is None or not bulletin.sections:
                continue
            result = index.search(f'"{_unique_piece(bulletin)}"', limit=0)
            assert bulletin_id in result.bulletin_counts, (round_, bulletin_id)
        report = index.sync(archive)
        assert not report.rebuilt, (round_, report.reason)
        assert index.indexed_ids() == set(archive.ids())
        assert not index.needs_sync(archive)
        index.close()
    assert not [p for p in paths.index_dir().iterdir() if p.name.endswith(".tmp")]
