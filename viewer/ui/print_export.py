"""Print and Export PDF: what the article shows, or the whole bulletin, on paper or in a file.

Its one job is those two commands as the user meets them: the print dialog or the file
dialog, the pages made on a worker thread (``print_pages``: the article's own typesetting,
in the font, characters and paragraph numbers the article shows), and the outcome in the
status bar. A PDF is made in memory and written atomically (``viewer.store.atomic``: a temp
file beside it, fsync, rename), so a reader sees the old file or the whole new one, and it
gets the permissions of a new file (0o666 less the umask), not those of the temp file.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from viewer import __version__
from viewer.ui.article import ArticleView
from viewer.ui.qt_namespace import Qt
from viewer.ui.tasks import TaskHandle, TaskRunner
from viewer.ui.window_state import WindowState

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

    from viewer.progress import Cancel, Progress
    from viewer.ui.print_pages import PrintJob

# The pages (QPdfWriter, text layout for paper) are loaded when first printed: every Qt class
# touched costs a little at start-up.

_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


# -- the file --------------------------------------------------------------------------------------
def write_pdf(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically with a new file's permissions. A link is followed
    (the file it names is replaced, the link kept). Raises StoreError in plain words."""
    from viewer.store import StoreError
    from viewer.store.atomic import atomic_write_bytes, new_file_mode

    path = Path(path)
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a file")
    target = path.resolve() if path.is_symlink() else path
    atomic_write_bytes(target, data)
    with contextlib.suppress(OSError):  # a file system without permissions (FAT, SMB) keeps its own
        os.chmod(target, new_file_mode(target.parent))


# -- task functions (on a worker thread) -----------------------------------------------------------
def export_pdf(job: PrintJob, path: Path, *, progress: Progress, cancel: Cancel) -> Path | None:
    """Make the PDF of ``job`` and write it to ``path``; None if cancelled (nothing written)."""
    from viewer.ui.print_pages import PrintCancelled, pdf_bytes

    try:
        data = pdf_bytes(job, progress, cancel)
    except PrintCancelled:
        return None
    write_pdf(path, data)
    return path


def print_job(job: PrintJob, printer: QPrinter, *, progress: Progress, cancel: Cancel) -> int:
    """Print ``job`` on ``printer``; returns the number of pages (0: cancelled). A printer that
    writes a PDF file (Print to File) gets its text map mended as an export does."""
    from PySide6.QtPrintSupport import QPrinter

    from viewer.ui.pdf_text import fix_pdf_text
    from viewer.ui.print_pages import PrintCancelled, paint_pages, printed_ideographs

    try:
        painted = paint_pages(job, printer, progress, cancel)
    except PrintCancelled:
        return 0
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and printer.outputFileName():
        path = Path(printer.outputFileName())
        with contextlib.suppress(OSError):
            data = path.read_bytes()
            fixed = fix_pdf_text(data, printed_ideographs(job, painted))
            if fixed != data:
                write_pdf(path, fixed)
    return painted.pages


def suggested_name(job: PrintJob) -> str:
    """A file name for the PDF: the bulletin's title, and the district or heading printed."""
    bulletin = job.bulletin
    parts = [bulletin.title or bulletin.id]
    if not job.whole and job.section is not None:
        section = bulletin.sections[job.section]
        parts.append(section.district or section.headline)
    name = _UNSAFE_NAME.sub(" ", " - ".join(p for p in parts if p)).strip(" .")
    return f"{name[:120] or 'bulletin'}.pdf"


class PrintExport(QObject):
    """Prints and exports what the article shows (or its whole bulletin)."""

    pdf_exported = Signal(str)  # the file written
    printed = Signal(int)  # pages sent to the printer
    status_posted = Signal(str, int)  # a passing message, for how many milliseconds
    failed = Signal(str, str)  # summary, details
    progressed = Signal(str, int, int, bool)  # what, pages done, pages in all, cancellable
    progress_ended = Signal()

    def __init__(self, article: ArticleView, runner: TaskRunner, state: WindowState, parent: QWidget) -> None:
        super().__init__(parent)
        self.article = article
        self.runner = runner
        self.state = state
        self._window = parent
        self._printer: QPrinter | None = None  # kept while the dialog is open and its pages print
        self.dialog = None  # the print dialog, while open
        self._handle: TaskHandle | None = None  # the pages being made

    def cancel(self) -> None:
        """Stop making the pages (the status bar's Cancel)."""
        if self._handle is not None:
            self._handle.cancel()

    def _run(self, name: str, what: str, fn, *args, on_finished, failure: str) -> TaskHandle:
        """Make the pages in the background, their progress (and Cancel) in the status bar."""

        def ended(handler):
            def end(value) -> None:
                self._handle = None
                self.progress_ended.emit()
                handler(value)

            return end

        self.progressed.emit(what, 0, 0, True)
        self._handle = self.runner.submit(
            name,
            fn,
            *args,
            on_finished=ended(on_finished),
            on_failed=ended(lambda message: self.failed.emit(failure, message)),
            on_progress=lambda done, total, _name: self.progressed.emit(what, done, total, True),
        )
        return self._handle

    def job(self, whole: bool) -> PrintJob | None:
        """What would be printed now (None: the article shows nothing)."""
        article = self.article
        current = article.current_section()
        bulletin = article.bulletin()
        if current is None or bulletin is None:
            return None
        from viewer.ui.print_pages import PrintJob

        return PrintJob(
            bulletin=bulletin,
            section=current[1],
            whole=whole,
            family=article.text_family(),
            display=article.display(),
            numbers=article.paragraph_numbers(),
            page_label=self.tr("Page %1 of %2"),
            creator=f"Bulletin Viewer {__version__}",
        )

    def _job_or_say(self, whole: bool) -> PrintJob | None:
        job = self.job(whole)
        if job is None:
            self.status_posted.emit(self.tr("Choose a bulletin or a district to print first."), 5000)
        return job

    # -- PDF -----------------------------------------------------------------------------------
    def export_pdf_with_dialog(self, whole: bool = False) -> None:
        """Export PDF…: ask where, then write the file in the background."""
        job = self._job_or_say(whole)
        if job is None:
            return
        from PySide6.QtWidgets import QFileDialog

        title = self.tr("Export Whole Bulletin as PDF") if whole else self.tr("Export as PDF")
        chosen, _filter = QFileDialog.getSaveFileName(
            self._window,
            title,
            str(Path(self.state.print_folder()) / suggested_name(job)),
            self.tr("PDF files (*.pdf)"),
        )
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        self.state.set_print_folder(path.parent)
        self.export_pdf(path, whole)

    def export_pdf(self, path: Path, whole: bool = False) -> TaskHandle | None:
        """Write the PDF of what the article shows (or of its bulletin) to ``path``."""
        job = self._job_or_say(whole)
        if job is None:
            return None
        what = self.tr("Writing %1…").replace("%1", str(path))
        return self._run(
            "export-pdf",
            what,
            export_pdf,
            job,
            Path(path),
            on_finished=self._on_pdf_finished,
            failure=self.tr("The PDF could not be written."),
        )

    def _on_pdf_finished(self, path: Path | None) -> None:
        if path is None:
            self.status_posted.emit(self.tr("Export cancelled."), 4000)
            return
        self.status_posted.emit(self.tr("Exported to %1").replace("%1", str(path)), 6000)
        self.pdf_exported.emit(str(path))

    # -- printer -------------------------------------------------------------------------------
    def print_with_dialog(self, whole: bool = False) -> None:
        """Print…: the print dialog, then the pages in the background."""
        job = self._job_or_say(whole)
        if job is None:
            return
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(suggested_name(job).removesuffix(".pdf"))
        self._printer = printer
        dialog = QPrintDialog(printer, self._window)
        dialog.setWindowTitle(self.tr("Print Whole Bulletin") if whole else self.tr("Print"))
        dialog.accepted.connect(lambda: self.print_to(printer, whole))
        dialog.finished.connect(self._on_dialog_finished)
        self.dialog = dialog
        dialog.setWindowModality(Qt.WindowModality.WindowModal)  # open(): PySide's takes a slot
        dialog.show()

    def _on_dialog_finished(self, _result: int) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
            self.dialog = None

    def print_to(self, printer: QPrinter, whole: bool = False) -> TaskHandle | None:
        """Print what the article shows (or its bulletin) on ``printer``, in the background."""
        job = self._job_or_say(whole)
        if job is None:
            return None
        self._printer = printer  # alive until the pages are made
        return self._run(
            "print",
            self.tr("Printing…"),
            print_job,
            job,
            printer,
            on_finished=self._on_printed,
            failure=self.tr("The pages could not be printed."),
        )

    def _on_printed(self, pages: int) -> None:
        self._printer = None
        if not pages:
            self.status_posted.emit(self.tr("Printing cancelled."), 4000)
            return
        self.status_posted.emit(self.tr("Sent to the printer."), 6000)
        self.printed.emit(pages)
