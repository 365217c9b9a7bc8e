"""Search figures on generated bulletins, ours and two peers (run by hand; asserts nothing on time).

.venv/bin/python tests/bench/bench_search.py [--bulletins 1000] [--seed 7] [--queries 300]
    [--repeats 3] [--peers tantivy,xapian | --peers none] [--cache DIR]

1. generates BULLETINS bulletins and imports them into an archive, once: the archive is
   kept in a cache folder (default /tmp/bulletin-viewer-bench) and reused by later runs
   with the same count, seed and generator;
2. indexes them with the viewer's SearchIndex in a child process, sampling the resident
   memory of that process and of its worker processes together (peak of the sum);
3. types words one character at a time as the window searches them (the top 60, an
   exact total and counts; 1-character queries match thousands of passages);
4. when the peers are installed (the ``bench`` extra: tantivy, libzim), builds a tantivy
   index and a Xapian index (libzim's writer) of the same passages — every passage of
   ``Bulletin.passages()``, folded by ``viewer.search.fold`` — each in a child process
   (see tests/bench/peers.py for how a literal piece is put to each engine);
5. runs a realistic query mix (measures people look for, literal pieces of 1-6
   characters cut from the text, two-word queries, OR, exclusions, district filters,
   traditional characters, full-width Latin) for the top 20 and the total, REPEATS
   times per engine, each time in a fresh process: first query (open + search), p50,
   p95 and max latency, resident memory while serving; ranges are over the repeats;
6. checks every engine's totals against the exact literal answer (a scan of the folded
   text) and the peers' full result lists for recall and precision.

At 10,000 bulletins (~33 M characters, 343k passages) a run takes about 11 minutes on
this 2-core machine once the archive is cached (3.5 of them libzim's build; ``--peers
tantivy`` or ``--repeats 2`` for less); making the archive takes another minute, once.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench import peers  # noqa: E402
from tests.conftest import CORPUS, SEED_EXPECTED, write_bulletins  # noqa: E402

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

DEFAULT_CACHE = Path(tempfile.gettempdir()) / "bulletin-viewer-bench"
PEERS_SCRIPT = Path(peers.__file__).resolve()

_INDEX_CHILD = """
import json, sys, time
from pathlib import Path
from viewer.store import Archive
from viewer.search import SearchIndex
archive = Archive(Path(sys.argv[1]))
archive.ids()
start = time.perf_counter()
report = SearchIndex(Path(sys.argv[2])).sync(archive)
elapsed = time.perf_counter() - start
print(json.dumps({"seconds": elapsed, "chars": getattr(report, "chars", None),
                  "documents": getattr(report, "documents", None), "added": report.added}))
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


def _run_child(argv: list[str], env: dict, what: str) -> tuple[str, int]:
    """Run a child to its end; its stdout and the peak resident memory of its tree (kB)."""
    with (
        tempfile.TemporaryFile("w+", encoding="utf-8") as out,
        tempfile.TemporaryFile("w+", encoding="utf-8") as err,
    ):
        with subprocess.Popen(argv, env=env, cwd=str(ROOT), stdout=out, stderr=err) as proc:
            peak = 0
            while proc.poll() is None:
                peak = max(peak, _tree_rss_kb(proc.pid))
                time.sleep(0.02)
        if proc.returncode != 0:
            err.seek(0)
            raise SystemExit(f"{what} failed with status {proc.returncode}:\n{err.read()[-3000:]}")
        out.seek(0)
        return out.read(), peak


def _index_in_child(env: dict, archive_root: Path, index_dir: Path) -> tuple[dict, int]:
    out, peak = _run_child(
        [sys.executable, "-c", _INDEX_CHILD, str(archive_root), str(index_dir)], env, "indexing child"
    )
    return json.loads(out.strip().splitlines()[-1]), peak


def _peer_child(command: str, args: list[str], env: dict) -> tuple[dict, int]:
    out_file = args[-1] if command == "build" else args[3]
    _out, peak = _run_child([sys.executable, str(PEERS_SCRIPT), command, *args], env, f"{command} {args[0]}")
    return json.loads(Path(out_file).read_text(encoding="utf-8")), peak


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
LIMIT = 20


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


# -- the cached archive -------------------------------------------------------------------


def _generator_tag() -> str:
    digest = hashlib.sha256()
    for path in (CORPUS / "make_archive.py", SEED_EXPECTED, ROOT / "tests" / "conftest.py"):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def cached_archive(count: int, seed: int, cache: Path) -> tuple[Path, dict, bool]:
    """The archive root of ``count`` generated bulletins, made once per (count, seed,
    generator) under ``cache``; also what making it took, and whether this run made it."""
    from viewer.store import Archive

    folder = cache / f"archive-{count}-seed{seed}-{_generator_tag()}"
    ready = folder / "ready.json"
    if ready.is_file():
        return folder / "archive", json.loads(ready.read_text(encoding="utf-8")), False
    cache.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"making-{count}-", dir=cache))
    try:
        start = time.perf_counter()
        files = write_bulletins(work / "src", count, seed)
        generate_s = time.perf_counter() - start
        start = time.perf_counter()
        Archive(work / "archive").import_files(files)
        import_s = time.perf_counter() - start
        shutil.rmtree(work / "src")
        made = {"count": count, "seed": seed, "generate_s": generate_s, "import_s": import_s}
        (work / "ready.json").write_text(json.dumps(made), encoding="utf-8")
        if folder.exists():  # an older, unfinished one
            shutil.rmtree(folder)
        work.rename(folder)
    finally:
        if work.exists():
            shutil.rmtree(work)
    return folder / "archive", made, True


# -- reporting ------------------------------------------------------------------------


def _num(value: float) -> str:
    return f"{value:.2f}" if value < 1 else f"{value:.1f}" if value < 100 else f"{value:.0f}"


def _range(values: list[float]) -> str:
    lo, hi = _num(min(values)), _num(max(values))
    return lo if lo == hi else f"{lo}–{hi}"


def _mb(kb: float) -> float:
    return kb / 1024


def _ratio(a: float, b: float) -> str:
    if not b:
        return "–"
    r = a / b
    return f"{r:.2g}×" if r < 10 else f"{r:.0f}×"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bulletins", "--count", dest="bulletins", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3, help="serving runs per engine, each a new process")
    parser.add_argument(
        "--peers", default="auto", help="comma-separated: tantivy,xapian; 'none'; default every one installed"
    )
    parser.add_argument(
        "--cache", type=Path, default=DEFAULT_CACHE, help="where the generated archive is kept"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    installed = peers.available()
    if args.peers == "auto":
        chosen = installed
    elif args.peers == "none":
        chosen = []
    else:
        chosen = [p.strip() for p in args.peers.split(",") if p.strip()]
        missing = [p for p in chosen if p not in installed]
        if missing:
            raise SystemExit(f"not installed: {', '.join(missing)} (pip install -e .[bench])")
    if not chosen and args.peers == "auto":
        print("search: peers not installed (pip install -e .[bench]): only our own figures")

    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp_name:
        tmp = Path(tmp_name)
        home = tmp / "home"
        env = dict(os.environ, BULLETIN_VIEWER_HOME=str(home), QT_QPA_PLATFORM="offscreen")
        os.environ["BULLETIN_VIEWER_HOME"] = str(home)
        from viewer.search import SearchIndex, fold, load_segmenter
        from viewer.store import Archive

        start = time.perf_counter()
        archive_root, made, fresh = cached_archive(args.bulletins, args.seed, args.cache)
        archive = Archive(archive_root)
        bulletins = archive.bulletins()
        read_s = time.perf_counter() - start
        chars = sum(b.char_count() for b in bulletins)
        origin = (
            f"generated {made['generate_s']:.1f} s, import {made['import_s']:.1f} s"
            if fresh
            else f"cached in {archive_root.parent} (import took {made['import_s']:.1f} s when made)"
        )
        print(f"search: {len(bulletins)} bulletins, {chars:,} chars; {origin}; read {read_s:.1f} s")

        # The same passages for every engine, folded the same way.
        passages: list[peers.Passage] = []
        for b in bulletins:
            for section, _paragraph, text in b.passages():
                passages.append((len(passages), peers.district_of(b.district_of(section)), fold(text)))
        passage_chars = sum(len(t) for _p, _d, t in passages)
        passages_file = tmp / "passages.pickle"
        with open(passages_file, "wb") as handle:
            pickle.dump(passages, handle, protocol=pickle.HIGHEST_PROTOCOL)

        ours_dir = tmp / "ours-index"
        stats, peak_kb = _index_in_child(env, archive_root, ours_dir)
        indexed_chars = stats["chars"] or passage_chars
        print(
            f"search: indexing {len(passages):,} passages, {indexed_chars:,} chars in "
            f"{stats['seconds']:.1f} s = {indexed_chars / stats['seconds']:,.0f} chars/s "
            f"(passage text); {chars / stats['seconds']:,.0f} chars/s of bulletin text; "
            f"peak memory {peak_kb / 1024:.0f} MB (indexing process and its workers)"
        )
        if fresh:
            total_s = made["import_s"] + stats["seconds"]
            print(f"search: import + index {total_s:.1f} s = {chars / total_s:,.0f} chars/s end to end")
        builds = {
            "ours": {
                "seconds": stats["seconds"],
                "peak_kb": peak_kb,
                "bytes": peers.dir_bytes(ours_dir),
                "version": "",
            }
        }

        index = SearchIndex(ours_dir)
        start = time.perf_counter()
        index.sync(archive)
        print(f"search: sync with nothing to do {1000 * (time.perf_counter() - start):.1f} ms")
        start = time.perf_counter()
        stale = index.needs_sync(archive)
        print(f"search: needs_sync (answer {stale}) {1000 * (time.perf_counter() - start):.1f} ms")
        start = time.perf_counter()
        load_segmenter()  # as the window does when it opens the index, in the background
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
        index.close()
        del index

        texts = [p.text for b in bulletins for s in b.sections for p in s.paragraphs]
        queries = _query_mix(texts, args.queries, args.seed)
        del texts, bulletins, archive
        queries_file = tmp / "queries.json"
        queries_file.write_text(
            json.dumps({"queries": queries, "first": MEASURES[0], "limit": LIMIT}), encoding="utf-8"
        )
        start = time.perf_counter()
        folded = [t for _p, _d, t in passages]
        districts = [d for _p, d, _t in passages]
        scan = peers.LiteralScan(folded, districts)
        truth = [scan.ids(peers.plan(q)) for q in queries]
        truth_file = tmp / "truth.pickle"
        with open(truth_file, "wb") as handle:
            pickle.dump(truth, handle, protocol=pickle.HIGHEST_PROTOCOL)
        truth_s = time.perf_counter() - start
        del passages, folded, districts, scan

        for name in chosen:
            directory = tmp / f"{name}-index"
            build_args = [name, str(passages_file), str(directory), str(tmp / f"build-{name}.json")]
            report, peak = _peer_child("build", build_args, env)
            size = report.get("index_bytes") or report["bytes"]
            builds[name] = {
                "seconds": report["seconds"],
                "peak_kb": peak,
                "before_kb": report["rss_before_kb"],
                "bytes": size,
                "file_bytes": report["bytes"],
                "version": report["version"],
            }
            print(
                f"search: {name} ({report['version']}) build {report['seconds']:.1f} s = "
                f"{passage_chars / report['seconds']:,.0f} chars/s; index {size / 2**20:.1f} MB"
                + (f" (ZIM file {report['bytes'] / 2**20:.1f} MB)" if "index_bytes" in report else "")
                + f"; peak memory {_mb(peak):.0f} MB ({_mb(report['rss_before_kb']):.0f} MB of it "
                f"the passages read in)"
            )

        engines = ["ours", *chosen]
        serving: dict[str, list[dict]] = {name: [] for name in engines}
        for repeat in range(args.repeats):
            for name in engines:
                directory = ours_dir if name == "ours" else tmp / f"{name}-index"
                extra = [str(truth_file)] if repeat == 0 and name != "ours" else []
                out = tmp / f"serve-{name}-{repeat}.json"
                report, _peak = _peer_child(
                    "serve", [name, str(directory), str(queries_file), str(out), *extra], env
                )
                serving[name].append(report)

        _report(engines, builds, serving, queries, truth, passage_chars, truth_s)
        _end_to_end(engines, ours_dir, archive_root, tmp, env, args.repeats)
        checks = ", ".join(f"{n} {serving[n][0]['check_s']:.0f} s" for n in chosen)
        print(
            f"search: the whole run {time.perf_counter() - started:.0f} s"
            + (f" (recall checks, untimed: {checks})" if checks else "")
        )


#: Queries of the end-to-end runs: one and two characters need no word segmentation,
#: longer ones are cut into words (with only the dictionary words they hold).
ONCE_QUERIES = ["口罩", "消毒", "体温检测", "机关干部下沉"]


def _end_to_end(engines, ours_dir: Path, archive_root: Path, tmp: Path, env: dict, repeats: int) -> None:
    """``bulletin-viewer search QUERY --json`` in a new process, against each peer's one-shot
    process (import, open, one query), interleaved; wall time from launch to exit."""
    home = tmp / "cli-home"
    (home / "data").mkdir(parents=True, exist_ok=True)
    (home / "cache").mkdir(parents=True, exist_ok=True)
    for link, target in ((home / "data" / "archive", archive_root), (home / "cache" / "index", ours_dir)):
        if not link.exists():
            link.symlink_to(target)
    cli_env = dict(env, BULLETIN_VIEWER_HOME=str(home))
    ours = [sys.executable, "-m", "viewer", "search"]
    subprocess.run([*ours, "预热", "--json"], env=cli_env, cwd=str(ROOT), capture_output=True, check=True)
    times: dict[tuple[str, str], list[float]] = {}
    for _ in range(max(5, repeats)):
        for query in ONCE_QUERIES:
            for name in engines:
                if name == "ours":
                    argv, child_env = [*ours, query, "--json"], cli_env
                else:
                    directory = tmp / f"{name}-index"
                    argv = [sys.executable, str(PEERS_SCRIPT), "once", name, str(directory), query]
                    argv.append(str(LIMIT))
                    child_env = env
                start = time.perf_counter()
                subprocess.run(argv, env=child_env, cwd=str(ROOT), capture_output=True, check=True)
                times.setdefault((name, query), []).append(time.perf_counter() - start)
    print("search: end to end in a new process (import, open, one query, exit), range (median) over runs:")
    for query in ONCE_QUERIES:
        row = ", ".join(
            f"{name} {_range(times[(name, query)])} s ({statistics.median(times[(name, query)]):.2f})"
            for name in engines
        )
        print(f"  {query}: {row}")


def _report(engines, builds, serving, queries, truth, passage_chars, truth_s) -> None:
    n = len(queries)
    exact_totals = [len(t) for t in truth]
    print(
        f"search: {n} queries, top {LIMIT} + total, {len(serving['ours'])} serving runs per engine, "
        f"each a new process (ranges over the runs); exact literal answers by scanning the "
        f"folded text in {truth_s:.1f} s, median {statistics.median(exact_totals):,.0f} passages"
    )
    rows = {}
    for name in engines:
        runs = serving[name]
        build = builds[name]
        rows[name] = {
            "build_s": build["seconds"],
            "cps": passage_chars / build["seconds"],
            "peak_mb": _mb(build["peak_kb"]),
            "size_mb": build["bytes"] / 2**20,
            "first": [r["first_ms"] for r in runs],
            "import": [r["import_ms"] for r in runs],
            "p50": [statistics.median(r["latencies"]) for r in runs],
            "p95": [_p95(r["latencies"]) for r in runs],
            "max": [max(r["latencies"]) for r in runs],
            "rss": [_mb(r["rss_kb"]) for r in runs],
            "rss_delta": [_mb(r["rss_kb"] - r["base_kb"]) for r in runs],
        }
    header = (
        "| engine | build | chars/s | peak MB building | index MB | first query ms | p50 ms | p95 ms | "
        "max ms | RSS MB serving (over the harness) | totals = exact literal | recall / precision |"
    )
    print(header)
    print("|" + " --- |" * (header.count("|") - 1))
    for name in engines:
        row, runs = rows[name], serving[name]
        same = sum(t == e for t, e in zip(runs[0]["totals"], exact_totals, strict=True))
        if name == "ours":
            more = sum(t > e for t, e in zip(runs[0]["totals"], exact_totals, strict=True))
            fewer = sum(t < e for t, e in zip(runs[0]["totals"], exact_totals, strict=True))
            quality = f"+ word matches on {more} queries, fewer than literal on {fewer}"
        else:
            checks = runs[0]["checks"]
            found = sum(c[0] for c in checks)
            exact = sum(c[1] for c in checks)
            both = sum(c[2] for c in checks)
            missed = sum(c[2] < c[1] for c in checks)
            extra = sum(c[0] > c[2] for c in checks)
            estimated = sum(t != c[0] for t, c in zip(runs[0]["totals"], checks, strict=True))
            quality = (
                f"{both / exact if exact else 1:.4f} / {both / found if found else 1:.4f} "
                f"({missed} queries miss, {extra} over; total ≠ its own full list on {estimated})"
            )
        label = name if name == "ours" else f"{name} ({builds[name]['version']})"
        print(
            f"| {label} | {row['build_s']:.1f} s | {row['cps'] / 1000:,.0f}k | {row['peak_mb']:.0f} | "
            f"{row['size_mb']:.1f} | {_range(row['first'])} | {_range(row['p50'])} | "
            f"{_range(row['p95'])} | {_range(row['max'])} | "
            f"{_range(row['rss'])} ({_range(row['rss_delta'])}) | "
            f"{same}/{len(exact_totals)} | {quality} |"
        )
    for name in engines[1:]:
        o, p = rows["ours"], rows[name]
        med = statistics.median
        emulated = serving[name][0].get("emulated", 0)
        print(
            f"search: ours/{name}: build time {_ratio(o['build_s'], p['build_s'])}, "
            f"index size {_ratio(o['size_mb'], p['size_mb'])}, "
            f"peak memory building {_ratio(o['peak_mb'], p['peak_mb'])}, "
            f"first query {_ratio(med(o['first']), med(p['first']))}, "
            f"p50 {_ratio(med(o['p50']), med(p['p50']))}, p95 {_ratio(med(o['p95']), med(p['p95']))}, "
            f"max {_ratio(med(o['max']), med(p['max']))}, RSS serving {_ratio(med(o['rss']), med(p['rss']))} "
            f"(over the harness {_ratio(med(o['rss_delta']), med(p['rss_delta']))})"
            + (f" ({name}: {emulated} queries combined from several searches)" if emulated else "")
        )
    for name in engines:
        runs = serving[name]
        lat = [ms for r in runs for ms in r["latencies"]]
        per_query = [statistics.median(r["latencies"][i] for r in runs) for i in range(len(queries))]
        slowest = sorted(zip(per_query, queries, strict=True))[-5:]
        print(
            f"search: {name} over all runs: p50 {statistics.median(lat):.2f} ms, p95 {_p95(lat):.2f} ms; "
            "slowest " + ", ".join(f"{q!r} {ms:.1f} ms" for ms, q in slowest)
        )
    print(
        "search: imports before the first query (ms): "
        + ", ".join(f"{name} {_range(rows[name]['import'])}" for name in engines)
    )


def test_bench_search() -> None:  # so `make bench` (pytest tests/bench) runs it too
    sys.argv = [sys.argv[0]]
    main()


if __name__ == "__main__":
    main()
