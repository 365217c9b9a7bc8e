"""At scale, search totals are the exact counts: 100 literal pieces on 3,000 bulletins,
each compared with a brute-force scan of every passage (folded as search folds)."""

from __future__ import annotations

import random
import re

from tests.conftest import write_bulletins
from viewer.search import SearchIndex
from viewer.search.normalize import fold
from viewer.store import Archive

BULLETINS = 3000
PIECES = 100
_RUN = re.compile(r"[^\W_]+")


def test_totals_equal_a_brute_force_count(tmp_path):
    archive = Archive(tmp_path / "archive")
    archive.import_files(write_bulletins(tmp_path / "src", BULLETINS, seed=31))
    index = SearchIndex(tmp_path / "index")
    index.sync(archive)
    passages = [fold(text) for b in archive.bulletins() for _s, _p, text in b.passages()]
    assert len(passages) > 90_000
    rng = random.Random(5)
    pieces: list[str] = []
    while len(pieces) < PIECES:
        runs = _RUN.findall(rng.choice(passages))
        if not runs:
            continue
        run = rng.choice(runs)
        size = rng.randint(1, min(8, len(run)))
        start = rng.randint(0, len(run) - size)
        pieces.append(run[start : start + size])
    pieces[:3] = ["机关干部下沉", "1450处", "没有这样的话"]  # a measure, a figure, a miss
    wrong = []
    for piece in pieces:
        expected = sum(piece in text for text in passages)
        result = index.search(f'"{piece}"', limit=5)
        if result.total != expected or len(result.hits) != min(5, expected):
            wrong.append((piece, result.total, expected))
    index.close()
    assert not wrong, wrong
