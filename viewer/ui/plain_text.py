"""Text from documents and users, shown as the text it is (never run as HTML).

Qt guesses: a QLabel in its default format, a QMessageBox and a tooltip render a string
as rich text whenever ``Qt.mightBeRichText`` says it looks like HTML, so a bulletin
title ``<img src=file:///…>`` would load a local file. Labels are set to plain text
(``Qt.TextFormat.PlainText``); a tooltip has no such switch, so it is always handed over
as HTML that spells the text out: escaped, with its spaces and line breaks kept.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from viewer.ui.qt_namespace import Qt


def tooltip(text: str) -> str:
    """A tooltip that shows ``text`` literally (empty text: no tooltip)."""
    if not text:
        return ""
    import html  # with its table of entities: when a tooltip is first asked for, not at start-up

    return f"<p style='white-space:pre-wrap'>{html.escape(text, quote=False)}</p>"


def plain_labels(widget: QWidget) -> None:
    """Show every label inside ``widget`` (a message box, say) as plain text."""
    for label in widget.findChildren(QLabel):
        label.setTextFormat(Qt.TextFormat.PlainText)
