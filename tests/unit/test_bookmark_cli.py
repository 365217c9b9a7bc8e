"""``bulletin-viewer bookmarks …``: shapes and exit statuses other tools rely on."""

from __future__ import annotations

import csv
import io
import json
import os

from tests.conftest import run_cli
from viewer import paths
from viewer.store import Archive

LIST_KEYS = {"id", "bulletin", "district", "paragraph", "quote", "note", "tags", "created"}
DONGCHENG_QUOTE = "将对疫情防控期间稳定市场供应的社会企业给予奖励和支持"


def _bundled_id() -> str:
    (record,) = Archive().records()
    return record.id


def test_add_list_export_remove(tmp_path):
    added = run_cli("bookmarks", "add", "--quote", DONGCHENG_QUOTE, "--note", "奖励", "--tag", "a", "--tag=b")
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("added bookmark 1:")
    headline = run_cli("bookmarks", "add", "--quote", "智慧家医远程服务", "--district", "丰台区")
    assert headline.returncode == 0, headline.stderr

    listed = run_cli("bookmarks", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert [set(row) for row in rows] == [LIST_KEYS, LIST_KEYS]
    assert rows[0] | {"created": ""} == {
        "id": 1,
        "bulletin": _bundled_id(),
        "district": "东城",
        "paragraph": 0,
        "quote": DONGCHENG_QUOTE,
        "note": "奖励",
        "tags": ["a", "b"],
        "created": "",
    }
    assert rows[0]["created"].startswith("20")
    assert (rows[1]["district"], rows[1]["paragraph"]) == ("丰台", -1)

    plain = run_cli("bookmarks", "list")
    assert plain.returncode == 0 and "东城 · paragraph 1" in plain.stdout

    markdown = run_cli("bookmarks", "export", "--format", "markdown")
    assert markdown.returncode == 0
    assert f"> {DONGCHENG_QUOTE}" in markdown.stdout
    assert "监管动态 · 东城 · paragraph 1" in markdown.stdout and "奖励" in markdown.stdout

    out = tmp_path / "marks.csv"
    exported = run_cli("bookmarks", "export", "--format", "csv", "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"), newline="")))
    assert rows[0]["quote"] == DONGCHENG_QUOTE

    assert run_cli("bookmarks", "remove", "1").returncode == 0
    assert [r["id"] for r in json.loads(run_cli("bookmarks", "list", "--json").stdout)] == [2]
    again = run_cli("bookmarks", "remove", "1")
    assert again.returncode == 2 and again.stderr == "error: there is no bookmark 1\n"


def test_an_ambiguous_quote_exits_2_and_lists_where():
    result = run_cli("bookmarks", "add", "--quote", "疫情防控")
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith("error: the quote occurs in ")
    assert "Traceback" not in result.stderr
    places = [line.split() for line in lines[1:] if not line.strip().startswith("…")]
    assert len(places) >= 10
    bulletin = _bundled_id()
    assert all(p[0] == bulletin for p in places)
    assert {"东城", "海淀"} <= {p[1] for p in places}
    assert ["东城", "paragraph", "0"] in [p[1:4] for p in places]
    assert json.loads(run_cli("bookmarks", "list", "--json").stdout) == []


def test_quote_not_found_and_usage_errors_exit_2():
    missing = run_cli("bookmarks", "add", "--quote", "公报里没有这句话")
    assert missing.returncode == 2 and missing.stderr.startswith("error: the quote was not found")
    wrong_district = run_cli("bookmarks", "add", "--quote", DONGCHENG_QUOTE, "--district", "海淀")
    assert wrong_district.returncode == 2
    for args in (("bookmarks",), ("bookmarks", "remove", "x"), ("bookmarks", "export", "--format", "pdf")):
        result = run_cli(*args)
        assert result.returncode == 2 and "error:" in result.stderr and "Traceback" not in result.stderr


def test_import_summarises_and_refuses_bad_files(tmp_path, viewer_home):
    assert run_cli("bookmarks", "add", "--quote", DONGCHENG_QUOTE).returncode == 0
    export = tmp_path / "marks.json"
    assert run_cli("bookmarks", "export", "--format", "json", "-o", str(export)).returncode == 0

    fresh = tmp_path / "fresh-home"
    first = run_cli("bookmarks", "import", str(export), home=fresh)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "1 added, 0 duplicates"
    second = run_cli("bookmarks", "import", str(export), home=fresh)
    assert second.stdout.strip() == "0 added, 1 duplicates"
    assert (
        run_cli("bookmarks", "list", "--json", home=fresh).stdout
        == run_cli("bookmarks", "list", "--json").stdout
    )

    bad = tmp_path / "bad.json"
    bad.write_text("[{", encoding="utf-8")
    result = run_cli("bookmarks", "import", str(bad))
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {bad}: not a bookmarks file")
    missing = run_cli("bookmarks", "import", str(tmp_path / "nope.json"))
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_a_damaged_store_is_replaced_and_the_user_told(viewer_home):
    path = paths.bookmarks_path()
    path.parent.mkdir(parents=True, exist_ok=True)  # asking for a folder does not make it
    garbage = os.urandom(8192)
    path.write_bytes(garbage)
    result = run_cli("bookmarks", "list", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []
    warnings = result.stderr.splitlines()
    assert len(warnings) == 1 and warnings[0].startswith("warning: the bookmark file was damaged")
    (kept,) = path.parent.glob("bookmarks.sqlite3.damaged-*")
    assert str(kept) in warnings[0]
    assert kept.read_bytes() == garbage
    assert run_cli("bookmarks", "add", "--quote", DONGCHENG_QUOTE).returncode == 0
    assert run_cli("bookmarks", "list").stderr == ""
