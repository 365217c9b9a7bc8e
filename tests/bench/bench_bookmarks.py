"""Bookmark store figures (run by hand; prints figures, asserts nothing on time).

.venv/bin/python tests/bench/bench_bookmarks.py [--bulletins 1000] [--bookmarks 1000]

Adds bookmarks one transaction each (as the window does), lists them, re-anchors them
against an unchanged archive and against one whose paragraphs were all merged, and
renders every export format.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.conftest import generate_bulletins
from viewer.model import Paragraph, make_bookmark, parse_text
from viewer.store.bookmark_export import render
from viewer.store.export_formats import FORMATS


def _merged(bulletin):
    sections = tuple(
        replace(s, paragraphs=(Paragraph(0, "".join(p.text for p in s.paragraphs)),)) if s.paragraphs else s
        for s in bulletin.sections
    )
    return replace(bulletin, sections=sections)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bulletins", type=int, default=1000)
    parser.add_argument("--bookmarks", type=int, default=1000)
    args = parser.parse_args()
    os.environ["BULLETIN_VIEWER_HOME"] = tempfile.mkdtemp(prefix="bench-bookmarks-")
    from viewer.store import BookmarkStore, DuplicateBookmarkError

    bulletins = [parse_text(raw) for raw, _doc in generate_bulletins(args.bulletins, 7)]
    rnd = random.Random(7)
    wanted = []
    while len(wanted) < args.bookmarks:
        bulletin = rnd.choice(bulletins)
        section = rnd.choice(bulletin.sections)
        if not section.paragraphs:
            continue
        para = rnd.choice(section.paragraphs)
        start = rnd.randrange(max(1, len(para.text) - 12))
        wanted.append(make_bookmark(bulletin, section.district, para.index, start, start + 12))

    with BookmarkStore() as store:
        t = time.perf_counter()
        added = 0
        for bookmark in wanted:
            try:
                store.add(bookmark)
                added += 1
            except DuplicateBookmarkError:
                pass
        add_s = time.perf_counter() - t
        print(f"add: {added} bookmarks, one transaction each: {add_s:.2f} s ({added / add_s:,.0f}/s)")

        t = time.perf_counter()
        kept = store.list()
        print(f"list: {len(kept)} bookmarks in {1000 * (time.perf_counter() - t):.1f} ms")

        t = time.perf_counter()
        orphans = store.reanchor(bulletins)
        took = time.perf_counter() - t
        print(f"reanchor (unchanged archive of {len(bulletins)}): {took:.2f} s, {orphans} orphans")

        merged = [_merged(b) for b in bulletins]
        t = time.perf_counter()
        orphans = store.reanchor(merged)
        took = time.perf_counter() - t
        print(f"reanchor (every section's paragraphs merged): {took:.2f} s, {orphans} orphans")

        kept = store.list()
        for fmt in FORMATS:
            t = time.perf_counter()
            size = len(render(kept, fmt))
            print(f"export {fmt}: {1000 * (time.perf_counter() - t):.1f} ms, {size / 1e3:,.0f} kB")
        print(f"store file: {store.path.stat().st_size / 1e3:,.0f} kB")
    t = time.perf_counter()
    BookmarkStore().close()
    print(f"open (integrity check, schema check): {1000 * (time.perf_counter() - t):.1f} ms")


def test_bench_bookmarks() -> None:  # so `make bench` (pytest tests/bench) runs it too
    sys.argv = [sys.argv[0]]
    main()


if __name__ == "__main__":
    main()
