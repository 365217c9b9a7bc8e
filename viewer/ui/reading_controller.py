"""Reading: which section the article shows, and the query's hits marked in it.

Its one job is to keep the article, the tree's current row and the search's hits in
step: a row chosen in the tree, a hit opened in the results, a district named on the
command line or a saved place restored all come here and show a section; F3 / Shift+F3
walk the hits (on into the next result's section), and the find bar searches the
section shown. It reads the archive only through the Library snapshot it is given.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from viewer.model import district_key
from viewer.ui.article import ArticleView, shown_sections, view_of
from viewer.ui.library import ImportOutcome, Library, section_spans
from viewer.ui.qt_namespace import Qt
from viewer.ui.search_controller import SearchController
from viewer.ui.tree_panel import TreePanel
from viewer.ui.widgets import FindBar
from viewer.ui.window_state import SavedReading

if TYPE_CHECKING:
    from viewer.model import Hit
    from viewer.ui.search_panel import SearchPanel

FIND_SEED_MAX = 40  # a selection shorter than this (one line) seeds the find bar


def passage_matcher(query: str) -> Callable[[str], bool]:
    """Whether a passage's text matches ``query`` as the search matches it: every group
    has a term whose words all occur (a quoted term: its literal pieces), and no excluded
    term's pieces all occur (``消毒 -社区`` leaves out passages that name 社区)."""
    from viewer.search.normalize import fold
    from viewer.search.query import parse_query

    parsed = parse_query(query)
    groups = [[term.runs if term.quoted else term.words for term in group] for group in parsed.groups]
    excluded = [term.runs for term in parsed.excluded]

    def matches(text: str) -> bool:
        folded = fold(text)
        if not all(any(all(p in folded for p in pieces) for pieces in group) for group in groups):
            return False
        return not any(pieces and all(p in folded for p in pieces) for pieces in excluded)

    return matches


class ReadingController(QObject):
    """Shows sections in the article, keeps the tree on them, marks the query's hits."""

    status_posted = Signal(str, int)  # a passing message, for how many milliseconds
    failed = Signal(str, str)  # summary, details

    def __init__(
        self,
        article: ArticleView,
        tree: TreePanel,
        find_bar: Callable[[], FindBar],
        search: SearchController,
        results: Callable[[], SearchPanel],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.article = article
        self.tree = tree
        self._find_bar = find_bar  # made when first opened
        self.search = search
        self._results = results  # the panel is made after the first frame
        self.library = Library(())
        self._pending_scroll: int | None = None

    # -- the archive -------------------------------------------------------------------------------
    def set_library(self, library: Library) -> None:
        """A new snapshot of the archive: a section of a bulletin no longer in it goes."""
        self.library = library
        shown = self.article.current_section()
        if shown is not None and library.get(shown[0]) is None:
            self.article.clear_article()

    def restore(self, saved: SavedReading) -> None:
        """Show the section read when the window closed, where it was (else the first bulletin)."""
        bulletin = self.library.get(saved.bulletin_id) if saved.bulletin_id else None
        section = saved.section
        old_style = bulletin is not None and section is None and bool(saved.district)  # saved by 0.1
        if old_style and bulletin.section(saved.district) is not None:
            section = bulletin.section_index(saved.district)
        if bulletin is not None and self.show_section(bulletin.id, section):
            self._pending_scroll = saved.scroll
            QTimer.singleShot(0, self._apply_pending_scroll)
        elif self.library.bulletins:
            self.show_section(self.library.bulletins[0].id, None)

    def _apply_pending_scroll(self) -> None:
        if self._pending_scroll is not None:
            self.article.verticalScrollBar().setValue(self._pending_scroll)
            self._pending_scroll = None

    def show_imported(self, outcome: ImportOutcome) -> None:
        """After an import: the first document imported."""
        if outcome.report.imported:
            self.show_section(outcome.report.imported[0].id, None)

    # -- showing -----------------------------------------------------------------------------------
    def show_section(self, bulletin_id: str, section: int | None, select_in_tree: bool = True) -> bool:
        """Show a section (an index into the bulletin's sections), or the bulletin's own page."""
        bulletin = self.library.get(bulletin_id)
        if bulletin is None:
            return False
        if section is not None and not 0 <= section < len(bulletin.sections):
            section = None
        target = (bulletin.id, section)
        if self.article.current_section() != target:
            self.article.show_section(bulletin, section)
            self.highlight_query(None)
        if select_in_tree and self.tree.current_target() != target:
            self.tree.select(*target, emit=False)
        return True

    def on_tree_section_chosen(self, bulletin_id: str, section: object) -> None:
        self.show_section(bulletin_id, section if isinstance(section, int) else None, select_in_tree=False)

    def open_district(self, name: str) -> bool:
        """Show the first section of a district (by its name, "东城" or "东城区")."""
        key = district_key(name)
        for bulletin in self.library.bulletins:
            for index, section in enumerate(bulletin.sections):
                if section.district and section.key == key:
                    return self.show_section(bulletin.id, index)
        return False

    def show_passage(self, bulletin_id: str, section: int, paragraph: int, quote: str = "") -> bool:
        """Show a passage and select an exact quote in it (or the whole passage)."""
        bulletin = self.library.get(bulletin_id)
        if bulletin is None:
            return False
        found = self.article.show_passage(bulletin, section, paragraph, quote)
        self._follow_in_tree()
        return found

    def show_spans(self, bulletin_id: str, section: int, paragraph: int, spans) -> bool:
        """Show a passage with (paragraph, start, end) spans of ``section`` selected, and
        move on to the text (a bookmark's quote may run over a paragraph break)."""
        bulletin = self.library.get(bulletin_id)
        if bulletin is None:
            return False
        self.article.show_passage(bulletin, section, paragraph)
        self._follow_in_tree()
        self.article.select_spans(section, spans)
        self.article.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def _follow_in_tree(self) -> None:
        current = self.article.current_section()
        if current is not None:
            self.tree.select(*current, emit=False)

    # -- search hits -------------------------------------------------------------------------------
    def highlight_query(self, focus: tuple[int, int] | None = None, opened: int | None = None) -> int:
        """Mark every occurrence of the active query in the passages shown that match it.

        Only where the search found something: a query's words also occur in passages
        that do not match it (or that a ``-word`` leaves out), and marking those would
        suggest hits that are not there. ``opened``: the section of the hit the view was
        opened from, ``focus`` its passage (they do match).
        """
        query = self.search.query()
        current = self.article.current_section()
        bulletin = self.article.bulletin()
        if not query or current is None or bulletin is None:
            self.article.clear_hits()
            return 0
        sections = [
            s
            for s in shown_sections(bulletin, current[1])
            if s == opened or self._section_matches(bulletin.id, s)
        ]
        if not sections:
            self.article.clear_hits()
            return 0
        from viewer.search import highlight_spans

        matches = passage_matcher(query)
        wanted = {
            (section, paragraph)
            for section, paragraph, text in bulletin.passages()
            if section in sections and ((section, paragraph) == focus or matches(text))
        }
        spans = [s for s in section_spans(bulletin, sections, query, highlight_spans) if s[:2] in wanted]
        return self.article.highlight_hits(spans, focus)

    def refresh_highlights(self, *_args: object) -> None:
        """The query or its answer changed: mark the hits in the section shown anew."""
        self.highlight_query(None)

    def _section_matches(self, bulletin_id: str, section: int) -> bool:
        """Whether the last search found passages in this section (or lead, closing, title):
        exact, from the search's counts per section, which cover every match, not only the
        hits listed."""
        outcome = self.search.last_outcome
        if outcome is None or outcome.query != self.search.query():
            return False
        return bool(outcome.overall.section_counts.get((bulletin_id, section)))

    def open_hit(self, hit: Hit) -> None:
        """Show a hit's section, scroll to its paragraph and highlight every hit in the section."""
        place = (hit.section, hit.paragraph)
        bulletin = self.library.get(hit.bulletin_id)
        shown = self.article.current_section()
        if bulletin is None:
            self.failed.emit(self.tr("That bulletin is no longer in the archive."), "")
            return
        in_view = (
            shown is not None
            and shown[0] == bulletin.id
            and hit.section in shown_sections(bulletin, shown[1])
        )
        if not in_view:
            self.show_section(bulletin.id, view_of(hit.section))
        if self.highlight_query(place, opened=hit.section) == 0:
            # The query's words matched, not the literal text: mark what the search marked.
            self.article.highlight_hits([(*place, s, e) for s, e in hit.highlights], place)

    def open_passage(self, bulletin_id: str, section: int, paragraph: int, phrases: list[str]) -> None:
        """Show a passage (from the measures view) with each of ``phrases`` highlighted in it."""
        from viewer.search import highlight_spans

        bulletin = self.library.get(bulletin_id)
        if bulletin is None:
            self.failed.emit(self.tr("That bulletin is no longer in the archive."), "")
            return
        if not self.show_section(bulletin.id, view_of(section)):
            return
        text = bulletin.passage(section, paragraph) or ""
        quoted = ['"' + phrase.replace('"', " ") + '"' for phrase in phrases]
        spans = [(section, paragraph, s, e) for q in quoted for s, e in highlight_spans(text, q)]
        self.article.highlight_hits(spans, (section, paragraph))

    def step_hit(self, forward: bool) -> None:
        """F3 / Shift+F3: the next (previous) match of the find bar, else of the search."""
        bar = self._find_bar()
        if bar.isVisible() and bar.text():
            self.on_find_bar_stepped(forward)
            return
        moved = self.article.next_hit() if forward else self.article.previous_hit()
        if moved or not self.search.query():
            return
        # Past the last hit of this section: open the next result in another section.
        section = self.article.current_section()
        while self._results().open_adjacent(forward):
            if self.article.current_section() != section:
                if not forward:
                    while self.article.next_hit():  # arrive at the last hit of the previous section
                        pass
                return
        if forward and self._results().has_more():
            self.status_posted.emit(self.tr("More matches are being listed; press F3 again."), 3000)
        else:
            self.status_posted.emit(self.tr("No more matches."), 3000)

    # -- find in section ---------------------------------------------------------------------------
    def open_find(self) -> None:
        """Ctrl+F: the find bar, seeded with a short selection."""
        bar = self._find_bar()
        bar.show()
        selected = self.article.textCursor().selectedText()
        if selected and "\u2029" not in selected and len(selected) < FIND_SEED_MAX:
            bar.edit.setText(selected)
        bar.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        bar.edit.selectAll()
        self.on_find_bar_text_changed(bar.text())

    def on_find_bar_text_changed(self, text: str) -> None:
        count = self.article.find_in_section(text)
        self._find_bar().show_count(0, count)
        if count:
            self._find_bar().show_count(*self.article.find_step(True))

    def on_find_bar_stepped(self, forward: bool) -> None:
        self._find_bar().show_count(*self.article.find_step(forward))

    def on_find_bar_closed(self) -> None:
        self.article.clear_find()
        self._find_bar().hide()
        self.article.setFocus(Qt.FocusReason.OtherFocusReason)
