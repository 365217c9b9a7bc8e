"""Exports hold quote, citation and note; JSON comes back in as the same bookmarks."""

from __future__ import annotations

import csv
import io
import json

import pytest

from viewer.model import HEADLINE
from viewer.store import BookmarkError, BookmarkStore
from viewer.store.bookmark_export import (
    CSV_FIELDS,
    parse_import,
    read_import,
    render,
    to_markdown,
    write_export,
)


@pytest.fixture
def kept(bulletin):
    with BookmarkStore() as store:
        store.add_selection(bulletin, "东城", 0, 0, 30, note="第一条\n第二行", tags=["资金", "urgent"])
        store.add_selection(bulletin, "海淀", HEADLINE, note="科技")
        store.add_selection(bulletin, "", 0)  # the lead
        yield store.list()


def test_markdown_holds_quote_citation_and_note(kept, bulletin):
    text = to_markdown(kept)
    first = kept[0]
    assert f"> {first.quote}\n" in text
    assert f"— {bulletin.title} · {bulletin.column} · 东城 · paragraph 1\n" in text
    assert "第一条\n第二行" in text
    assert "Tags: 资金, urgent" in text
    assert f"{bulletin.title} · {bulletin.column} · 海淀 · headline" in text
    assert "lead · paragraph 1" in text
    # The quote comes first, then the citation, then the note.
    assert text.index(first.quote) < text.index("东城 · paragraph 1") < text.index("第一条")


def test_markdown_quote_cannot_turn_into_markup(bulletin):
    from viewer.model import Bookmark

    tricky = Bookmark(bulletin_id="b", district="东城", paragraph=0, quote="# 1. *重点* [链接]")
    text = to_markdown([tricky])
    assert "> \\# 1. \\*重点\\* \\[链接\\]" in text


@pytest.mark.parametrize("number", ["1.", "2)", "10."])
def test_a_quote_opening_with_a_number_is_no_list_item_in_commonmark(number):
    from markdown_it import MarkdownIt

    from viewer.model import Bookmark

    quote = f"{number} 全面落实防控措施"
    text = to_markdown([Bookmark(bulletin_id="b", district="东城", paragraph=0, quote=quote)])
    assert f"> {number[:-1]}\\{number[-1]} 全面落实防控措施\n" in text  # the delimiter escaped
    md = MarkdownIt("commonmark")
    types = [token.type for token in md.parse(text)]
    assert "ordered_list_open" not in types and "list_item_open" not in types
    assert f"<blockquote>\n<p>{quote}</p>\n</blockquote>" in md.render(text)  # shown as written


def test_csv_has_a_bom_and_reads_back_with_the_csv_module(kept):
    data = render(kept, "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert tuple(rows[0]) == CSV_FIELDS
    assert [r["quote"] for r in rows] == [b.quote for b in kept]
    assert rows[0]["note"] == "第一条\n第二行"  # a newline inside a field survives
    assert rows[0]["tags"] == "资金; urgent"
    assert rows[0]["citation"] == kept[0].citation()
    assert rows[1]["paragraph"] == str(HEADLINE)


def test_json_round_trips_through_a_fresh_home(kept, tmp_path, monkeypatch):
    target = tmp_path / "out" / "bookmarks.json"
    write_export(kept, "json", target)
    assert read_import(target) == kept
    monkeypatch.setenv("BULLETIN_VIEWER_HOME", str(tmp_path / "fresh"))
    with BookmarkStore() as fresh:
        report = fresh.merge(read_import(target))
        assert report.added == kept and report.duplicates == []
        assert fresh.list() == kept  # same ids, times, notes and tags
        again = fresh.merge(read_import(target))
        assert again.added == [] and len(again.duplicates) == len(kept)
        assert fresh.list() == kept


def test_import_into_a_store_that_used_the_ids_renumbers(kept, bulletin):
    with BookmarkStore() as store:
        for b in kept:
            store.remove(b.id)
        store.add_selection(bulletin, "朝阳", 0)
        report = store.merge(parse_import(render(kept, "json")))
        assert len(report.added) == len(kept)
        assert all(b.id > max(k.id for k in kept) for b in report.added)
        assert [b.quote for b in report.added] == [b.quote for b in kept]


def test_import_accepts_the_list_json_shape(kept):
    rows = [
        {k: b.to_dict()[k] for k in ("id", "bulletin", "district", "paragraph", "quote", "note", "tags")}
        for b in kept
    ]
    parsed = parse_import(json.dumps(rows, ensure_ascii=False).encode())
    assert [(b.quote, b.note, b.tags) for b in parsed] == [(b.quote, b.note, b.tags) for b in kept]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b"{not json", "not JSON"),
        (b'{"a": 1}', "not a Bulletin Viewer export"),
        (b'{"format": "bulletin-viewer-bookmarks", "version": 9, "bookmarks": []}', "newer"),
        (b'"text"', "expected a list"),
        (b"[1]", "bookmark 1 is not a JSON object"),
        (b'[{"bulletin": "b", "district": "x", "paragraph": 0}]', "'quote' is missing"),
        (b'[{"bulletin": "b", "district": "x", "paragraph": "0", "quote": "q"}]', "whole number"),
        (b'[{"bulletin": "b", "district": "x", "paragraph": 0, "quote": "q", "tags": "t"}]', "tags"),
    ],
)
def test_a_bad_import_file_is_refused_with_the_reason(data, reason):
    with pytest.raises(BookmarkError, match=reason):
        parse_import(data)


def test_unknown_format_is_refused(kept):
    with pytest.raises(BookmarkError, match="unknown export format"):
        render(kept, "pdf")


def test_a_notice_s_bookmarks_carry_date_number_and_heading_through_every_format(tmp_path):
    from viewer.model import parse_text

    notice = parse_text(
        "关于加强防控的通知\n京政发〔2020〕3号\n一、总体要求\n坚持预防为主，做好消毒工作。\n"
        "北京市人民政府\n2020年2月3日\n"
    )
    with BookmarkStore() as store:
        saved = store.add_selection(notice, 0, 0, 0, 6, note="n")
    assert (saved.date, saved.number, saved.heading, saved.section) == (
        "2020-02-03",
        "京政发〔2020〕3号",
        "一、总体要求",
        0,
    )
    citation = "关于加强防控的通知 · 2020-02-03 · 京政发〔2020〕3号 · 一、总体要求 · paragraph 1"
    assert f"— {citation}\n" in to_markdown([saved])
    row = next(csv.DictReader(io.StringIO(render([saved], "csv").decode("utf-8-sig"), newline="")))
    assert (row["citation"], row["date"], row["number"], row["heading"]) == (
        citation,
        "2020-02-03",
        "京政发〔2020〕3号",
        "一、总体要求",
    )
    path = tmp_path / "kept.json"
    write_export([saved], "json", path)
    (back,) = parse_import(path.read_bytes())
    assert (back.section, back.heading, back.date, back.number) == (
        0,
        "一、总体要求",
        "2020-02-03",
        "京政发〔2020〕3号",
    )
