"""Parse throughput on 1,000 generated bulletins (run by hand; prints figures, asserts nothing on time).

.venv/bin/python tests/bench/bench_parse.py [--count 1000] [--seed 1]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.conftest import generate_bulletins
from viewer.model import parse_bytes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    raws = [raw.encode("utf-8") for raw, _doc in generate_bulletins(args.count, args.seed)]
    chars = sum(len(r.decode("utf-8")) for r in raws)
    runs = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        for data in raws:
            parse_bytes(data)
        runs.append(time.perf_counter() - start)
    best, median = min(runs), statistics.median(runs)
    print(f"parse: {args.count} bulletins, {chars:,} chars, {sum(map(len, raws)) / 1e6:.1f} MB")
    print(
        f"parse: best {best:.3f} s ({chars / best:,.0f} chars/s, {args.count / best:,.0f} bulletins/s); "
        f"median {median:.3f} s over {args.repeat} runs"
    )


def test_bench_parse() -> None:  # so `make bench` (pytest tests/bench) runs it too
    sys.argv = [sys.argv[0]]
    main()


if __name__ == "__main__":
    main()
