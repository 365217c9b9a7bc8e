"""The command line: its JSON shapes and its exit statuses are interfaces other tools use."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import BUNDLED_TXT, full_expected, run_cli, write_bulletins


def test_parse_json_prints_the_expected_structure(seed_expected):
    result = run_cli("parse", str(BUNDLED_TXT), "--json")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    got = json.loads(lines[0])
    assert set(got) == {"title", "column", "date", "number", "issuer", "lead", "sections", "closing"}
    assert {"district", "headline", "level", "paragraphs"} == set(got["sections"][0])
    assert re.sub(r"\s", "", json.dumps(got, ensure_ascii=False)) == re.sub(
        r"\s", "", json.dumps(full_expected(seed_expected), ensure_ascii=False)
    )
    assert got["sections"][0]["district"] == "东城"


def test_parse_several_files_prints_one_line_each(tmp_path):
    files = write_bulletins(tmp_path, 3)
    result = run_cli("parse", *map(str, files), "--json")
    assert result.returncode == 0
    assert len(result.stdout.splitlines()) == 3


@pytest.mark.parametrize("kind", ["empty", "binary", "blank", "missing", "directory"])
def test_bad_files_exit_2_with_a_one_line_reason(tmp_path, kind):
    path = tmp_path / f"{kind}.txt"
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "binary":
        path.write_bytes(bytes(range(256)))
    elif kind == "blank":
        path.write_text("\n  \n\t\n", encoding="utf-8")
    elif kind == "directory":
        path.mkdir()
    for command in ("parse", "import"):
        result = run_cli(command, str(path))
        assert result.returncode == 2
        errors = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(errors) == 1, result.stderr
        assert errors[0].startswith("error: ")
        assert "Traceback" not in result.stderr


def test_import_list_remove_round_trip(tmp_path, viewer_home):
    files = write_bulletins(tmp_path / "in", 2)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    result = run_cli("import", *map(str, files), str(bad), str(files[0]))
    assert result.returncode == 2  # one file failed; the others are still imported
    assert "2 imported, 1 already present, 1 failed" in result.stdout
    listed = json.loads(run_cli("list", "--json").stdout)
    assert len(listed) == 3
    assert listed[0]["bundled"] is True
    new_id = listed[1]["id"]
    assert run_cli("remove", new_id).returncode == 0
    assert len(json.loads(run_cli("list", "--json").stdout)) == 2
    again = run_cli("remove", new_id)
    assert again.returncode == 2
    assert again.stderr.startswith("error: no bulletin")


def test_usage_errors_exit_2_with_error_line():
    result = run_cli("parse")
    assert result.returncode == 2
    assert "error:" in result.stderr
    assert "Traceback" not in result.stderr


def test_version():
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("bulletin-viewer ")


def test_help_still_lists_every_command_and_options_before_a_command_still_work(viewer_home):
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("parse", "import", "list", "remove", "search", "bookmarks", "measures"):
        assert command in result.stdout
    listed = run_cli("-v", "list", "--json")  # a window option, then a command: the command runs
    assert listed.returncode == 0 and json.loads(listed.stdout)
    unknown = run_cli("--no-such-option")
    assert unknown.returncode == 2 and "unrecognized arguments: --no-such-option" in unknown.stderr


def test_opening_the_window_does_not_build_the_commands(monkeypatch):
    import sys

    from viewer import cli

    opened = {}
    monkeypatch.setattr(cli, "_run_window", lambda args: opened.setdefault("args", args) and 0)
    for name in cli._COMMAND_MODULES:
        monkeypatch.delitem(sys.modules, name, raising=False)
    assert cli.main(["--search", "消毒", "--district", "西城"]) == 0
    args = opened["args"]
    assert (args.command, args.search, args.district, args.screenshot) == (None, "消毒", "西城", None)
    assert not any(name in sys.modules for name in cli._COMMAND_MODULES)


def test_no_arguments_open_the_window_with_the_options_defaults(monkeypatch):
    from viewer import cli

    opened = {}
    monkeypatch.setattr(cli, "_run_window", lambda args: opened.setdefault("args", args) and 0)
    monkeypatch.setattr(cli, "_top_parser", None)  # started from a menu: no parser is built
    assert cli.main([]) == 0
    monkeypatch.undo()
    defaults = vars(cli._top_parser().parse_args([]))
    assert vars(opened["args"]) == {**defaults, "command": None}  # what the parser would give
