"""Copy with citation: the article's selection on the clipboard with the line that cites it.

Its one job is that copy (Ctrl+Shift+C). What is copied is the selected text as it is shown
(in traditional characters when the text is shown so), then on a line of its own the
citation: the bulletin's title, its date, and where the passage is, in the words of the
bookmarks (``place_text``: 西城 · 第 2 段, in the UI's language). The paragraph cited is the
one where the selection starts; with nothing selected, the whole paragraph at the text
cursor is copied. The clipboard gets plain text only: nothing of a document is markup.
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QGuiApplication

from viewer.model import HEAD, Bulletin, PassageError
from viewer.ui.article import ArticleView
from viewer.ui.article_document import Display, Place
from viewer.ui.bookmarks import place_text

#: What QTextCursor.selectedText puts between paragraphs and lines.
_BREAKS = str.maketrans({"\u2029": "\n", "\u2028": "\n"})


def citation_line(bulletin: Bulletin, place: Place, display: Display | None = None) -> str:
    """``title · date · 西城 · 第 2 段`` (date and place left out where there is none), shown
    through ``display`` as the article shows the text."""
    parts = [bulletin.title or bulletin.id, bulletin.date]
    section, paragraph = place
    if section != HEAD:  # the title, number and issuer are the bulletin itself
        from viewer.model import make_bookmark  # the bookmark model: when a citation is made

        with contextlib.suppress(PassageError):  # an empty passage: no place to name
            parts.append(place_text(make_bookmark(bulletin, section, paragraph)))
    line = " · ".join(p for p in parts if p)
    return display(line) if display is not None else line


def selection_place(article: ArticleView) -> Place | None:
    """The passage where the selection starts (its first passage, when it starts on a line
    that is none, such as the date line); with no selection, the one at the text cursor."""
    cursor = article.textCursor()
    if not cursor.hasSelection():
        return article.passage_at()
    doc = article.document()
    first = doc.findBlock(cursor.selectionStart()).blockNumber()
    last = doc.findBlock(cursor.selectionEnd()).blockNumber()
    for number in range(first, last + 1):
        place = article.place_of_block(number)
        if place is not None:
            return place
    return None


class CitationCopy(QObject):
    """Copies the article's selection with its citation."""

    status_posted = Signal(str, int)  # a passing message, for how many milliseconds

    def __init__(self, article: ArticleView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.article = article

    def text_with_citation(self) -> str | None:
        """What Ctrl+Shift+C copies now, or None when there is no passage to cite."""
        article = self.article
        bulletin = article.bulletin()
        place = selection_place(article)
        if bulletin is None or place is None:
            return None
        cursor = article.textCursor()
        if cursor.hasSelection():
            text = cursor.selectedText().translate(_BREAKS).strip()
        else:
            block = article.paragraph_cursor(place)
            text = block.selectedText() if block is not None else ""
        if not text:
            return None
        return f"{text}\n{citation_line(bulletin, place, article.display())}"

    def copy(self) -> bool:
        """Put the selection and its citation on the clipboard; False if there is none."""
        text = self.text_with_citation()
        if text is None:
            self.status_posted.emit(
                self.tr("Select text in a paragraph first, then copy it with its citation."), 6000
            )
            return False
        QGuiApplication.clipboard().setText(text)
        self.status_posted.emit(
            self.tr("Copied with its citation: %1").replace("%1", text.rsplit("\n", 1)[1]), 6000
        )
        return True
