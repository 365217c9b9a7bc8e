"""bulletin-viewer-gui: the same commands, and no failure when there is no console at all."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "data" / "beijing-districts-bulletin.txt"

# A Windows gui-scripts launcher starts Python with sys.stdout and sys.stderr set to None.
NO_CONSOLE = """
import sys
out = sys.stdout
sys.stdout = sys.stderr = None
from viewer.gui import main
status = main(sys.argv[1:])
out.write(f"status={status}")
"""


def _run_without_console(*args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", NO_CONSOLE, *args], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_commands_succeed_without_a_console():
    assert _run_without_console("parse", "--json", str(BUNDLED)) == "status=0"


def test_errors_without_a_console_still_exit_2_quietly():
    assert _run_without_console("parse", str(ROOT / "no-such-bulletin.txt")) == "status=2"


def test_gui_entry_is_the_command_line(capsys):
    from viewer.gui import main

    assert main(["parse", "--json", str(BUNDLED)]) == 0
    assert '"title": "北京：全力打好疫情防控阻击战！"' in capsys.readouterr().out
