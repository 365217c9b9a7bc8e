"""Search figures on generated bulletins (run by hand; prints figures, asserts nothing on time).

.venv/bin/python tests/bench/bench_search.py [--count 1000] [--seed 7] [--queries 300]

1. imports COUNT generated bulletins into a fresh archive (timed apart);
2. indexes them in a child process, sampling the resident memory of that process and
   of its worker processes together (peak of the sum);
3. types words one character at a time as the window searches them (the top 60, an
   exact total and counts; 1-character queries match thousands of passages), then
4. runs a realistic query mix (measures people look for, literal pieces of 1-6
   characters cut from the text, two-word queries, OR, exclusions, district filters,
   traditional characters, full-width Latin) for the top 20 with snippets and an
   exact total, and prints p50/p95/max latency.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.conftest import write_bulletins  # noqa: E402

MEASURES = [
    "消毒",
    "房租",
    "体温检测",
    "机关干部下沉",
    "租金减免",
    "疫情防控",
    "口罩",
    "社区",
    "防控 措施",
    "共享单车 消毒",
    "EMS",
    "ＥＭＳ邮寄",
    "東城區",
    "防疫 OR 消毒",
    "疫情 -口罩",
    '"打好疫情防控阻击战"',
    "district:朝阳 社区",
    "district:海淀 科技",
    "物资供应",
    "新型冠状病毒",
]

_INDEX_CHILD = """
import json, sys, time
from pathlib import Path
from viewer.store import Archive
from viewer.search import SearchIndex
archive = Archive()
archive.ids()
start = time.perf_counter()
report = SearchIndex().sync(archive)
elapsed = time.perf_counter() - start
print(json.dumps({"seconds": elapsed, "chars": report.chars, "documents": report.documents,
                  "added": report.added}))
"""


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, in kB (Linux /proc)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/status", encoding="ascii") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as handle:
                    todo.extend(int(c) for c in handle.read().split())
        except (OSError, ValueError):
            continue
    return total


def _index_in_child(env: dict) -> tuple[dict, int]:
    import json

    proc = subprocess.Popen(
        [sys.executable, "-c", _INDEX_CHILD], env=env, cwd=str(ROOT), stdout=subprocess.PIPE, text=True
    )
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss_kb(proc.pid))
        time.sleep(0.02)
    out = proc.stdout.read() if proc.stdout else ""
    if proc.returncode != 0:
        raise SystemExit(f"indexing child failed with status {proc.returncode}")
    return json.loads(out.strip().splitlines()[-1]), peak


#: The words bench_startup.py types into the window, and the window's page size.
TYPED = [
    "疫情",
    "防控",
    "消毒",
    "口罩",
    "社区",
    "企业",
    "复工复产",
    "街道",
    "物资",
    "隔离",
    "防护",
    "商务楼宇",
]
WINDOW_LIMIT = 60


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[int(0.95 * (len(ordered) - 1))]


def _query_mix(texts: list[str], count: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    queries = list(MEASURES)
    while len(queries) < count:
        text = rnd.choice(texts)
        kind = rnd.random()
        if kind < 0.6:
            size = rnd.randint(1, 6)
            start = rnd.randrange(max(1, len(text) - size))
            queries.append(text[start : start + size])
        else:
            a, b = (rnd.randrange(max(1, len(text) - 3)) for _ in range(2))
            queries.append(f"{text[a : a + 2]} {text[b : b + 3]}")
    return queries[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
        home = Path(tmp) / "home"
        env = dict(os.environ, BULLETIN_VIEWER_HOME=str(home))
        os.environ["BULLETIN_VIEWER_HOME"] = str(home)
        from viewer.search import SearchIndex
        from viewer.store import Archive

        files = write_bulletins(Path(tmp) / "src", args.count, args.seed)
        archive = Archive()
        start = time.perf_counter()
        archive.import_files(files)
        import_s = time.perf_counter() - start
        chars = sum(b.char_count() for b in archive.bulletins())
        print(f"search: {len(archive)} bulletins, {chars:,} chars; import {import_s:.1f} s")

        stats, peak_kb = _index_in_child(env)
        print(
            f"search: indexing {stats['documents']:,} passages, {stats['chars']:,} chars in "
            f"{stats['seconds']:.1f} s = {stats['chars'] / stats['seconds']:,.0f} chars/s "
            f"(passage text); {chars / stats['seconds']:,.0f} chars/s of bulletin text; "
            f"peak memory {peak_kb / 1024:.0f} MB (indexing process and its workers)"
        )
        print(
            f"search: import + index {import_s + stats['seconds']:.1f} s = "
            f"{chars / (import_s + stats['seconds']):,.0f} chars/s end to end"
        )

        index = SearchIndex()
        start = time.perf_counter()
        index.sync(archive)
        print(f"search: sync with nothing to do {1000 * (time.perf_counter() - start):.1f} ms")
        texts = [p.text for b in archive.bulletins() for s in b.sections for p in s.paragraphs]
        queries = _query_mix(texts, args.queries, args.seed)
        start = time.perf_counter()
        stale = index.needs_sync(archive)
        print(f"search: needs_sync (answer {stale}) {1000 * (time.perf_counter() - start):.1f} ms")
        start = time.perf_counter()
        index.search("预热")  # the first search loads the folded text of every passage
        print(f"search: first search (loads the corpus) {1000 * (time.perf_counter() - start):.0f} ms")
        typed = [word[:n] for word in TYPED for n in range(1, len(word) + 1)]
        typing, totals = [], []
        for query in typed:
            start = time.perf_counter()
            result = index.search(query, limit=WINDOW_LIMIT)
            typing.append(1000 * (time.perf_counter() - start))
            totals.append(result.total)
        print(
            f"search: typing {len(TYPED)} words ({len(typed)} queries), top {WINDOW_LIMIT} + exact total "
            f"and counts: p50 {statistics.median(typing):.1f} ms, p95 {_p95(typing):.1f} ms, "
            f"max {max(typing):.1f} ms; median total {statistics.median(totals):,.0f} passages"
        )
        latencies, totals = [], []
        for query in queries:
            start = time.perf_counter()
            result = index.search(query, limit=20)
            latencies.append(1000 * (time.perf_counter() - start))
            totals.append(result.total)
        p95 = _p95(latencies)
        print(
            f"search: {len(queries)} queries, top 20 + exact total: "
            f"p50 {statistics.median(latencies):.1f} ms, "
            f"p95 {p95:.1f} ms, max {max(latencies):.1f} ms; median total {statistics.median(totals):,.0f} "
            f"passages"
        )
        slowest = sorted(zip(latencies, queries, strict=True))[-5:]
        print("search: slowest " + ", ".join(f"{q!r} {ms:.0f} ms" for ms, q in slowest))
        index.close()


def test_bench_search() -> None:  # so `make bench` (pytest tests/bench) runs it too
    sys.argv = [sys.argv[0]]
    main()


if __name__ == "__main__":
    main()
