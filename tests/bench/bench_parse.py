"""Parse throughput on 1,000 generated bulletins, and on 1,000 generated official documents
in the other paragraph conventions (run by hand; prints figures, asserts nothing on time).

Three paths: the structure parser alone (``parse_bytes``), and the import path
(``parse_document``: the plain-text reader with its character repairs, then the parser).

.venv/bin/python tests/bench/bench_parse.py [--count 1000] [--seed 1]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import importlib.util
import random

from tests.conftest import CORPUS, generate_bulletins
from viewer.model import parse_bytes
from viewer.store import parse_document


def _official(count: int, seed: int) -> list[bytes]:
    spec = importlib.util.spec_from_file_location("make_official", CORPUS / "make_official.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rnd = random.Random(seed)
    out = []
    for n in range(count):
        doc, extra = module.make(rnd)
        out.append(module.render(doc, extra, module.LAYOUTS[n % len(module.LAYOUTS)], rnd).encode("utf-8"))
    return out


def _time(label: str, raws: list[bytes], parse, repeat: int) -> None:
    chars = sum(len(r.decode("utf-8")) for r in raws)
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        for data in raws:
            parse(data)
        runs.append(time.perf_counter() - start)
    best, median = min(runs), statistics.median(runs)
    print(
        f"{label}: {len(raws)} documents, {chars:,} chars: best {best:.3f} s ({chars / best:,.0f} chars/s, "
        f"{len(raws) / best:,.0f}/s); median {median:.3f} s over {repeat} runs"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    raws = [raw.encode("utf-8") for raw, _doc in generate_bulletins(args.count, args.seed)]
    official = _official(args.count, args.seed)
    _time("district bulletins, parse_bytes", raws, parse_bytes, args.repeat)
    _time("district bulletins, parse_document", raws, lambda d: parse_document(d, "b.txt"), args.repeat)
    _time("official documents (5 layouts), parse_bytes", official, parse_bytes, args.repeat)
    _time("official documents, parse_document", official, lambda d: parse_document(d, "d.txt"), args.repeat)


def test_bench_parse() -> None:  # so `make bench` (pytest tests/bench) runs it too
    sys.argv = [sys.argv[0]]
    main()


if __name__ == "__main__":
    main()
