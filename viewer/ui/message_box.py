"""The window's message boxes: what happened in a line, the details below it, never HTML.

Qt sizes a message box by its first line. A short summary ("这个文件未能导入。") over
long details left them wrapped in a column a few characters wide, since Chinese text may
break after any character; the details get the room of a readable line here.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from viewer.ui.plain_text import plain_labels

#: The least room the details get, in characters of Chinese text (their own width when shorter).
DETAIL_LINE_CHARS = 24


def message_box(
    icon: QMessageBox.Icon, title: str, summary: str, details: str, parent: QWidget | None = None
) -> QMessageBox:
    """A box saying ``summary``, with ``details`` below: both shown as plain text (they name
    files and quote documents), the details as wide as a readable line."""
    box = QMessageBox(icon, title, summary, parent=parent)
    box.setInformativeText(details)
    plain_labels(box)
    label = box.findChild(QLabel, "qt_msgbox_informativelabel")
    if label is not None and details:
        metrics = label.fontMetrics()
        line = DETAIL_LINE_CHARS * metrics.horizontalAdvance("中")
        label.setMinimumWidth(min(line, metrics.horizontalAdvance(details) + 2))
    return box
