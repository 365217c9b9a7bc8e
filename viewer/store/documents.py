"""Documents into bulletins: a file of any kind read (``viewer.formats``) and parsed
(``viewer.model``), given a title when its text has none.

The parser is imported with this module only: opening an archive to take its fingerprint
(what ``bulletin-viewer search`` does when its index is up to date), listing it and
starting the window with the bundled bulletin kept (``bundled``) never need it.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from viewer.formats import Extracted, FormatError, read_document
from viewer.model import Bulletin, ParseError, content_id, parse_lines
from viewer.progress import Cancel, Progress, never_cancel, no_progress
from viewer.store.errors import ArchiveError
from viewer.store.sources import read_source


def parse_document(
    data: bytes, name: str, progress: Progress = no_progress, cancel: Cancel = never_cancel
) -> tuple[Bulletin, Extracted]:
    """The structure of a document of any kind (by its content and ``name``), and the lines
    its reader took out of it. Raises ArchiveError naming the file, or Cancelled."""
    try:
        extracted = read_document(data, name, progress, cancel)
        bulletin = parse_lines(extracted.lines, removed=extracted.removed)
    except (FormatError, ParseError) as exc:
        raise ArchiveError(f"{name}: {exc}") from exc
    return bulletin, extracted


def parse_file(path: Path) -> Bulletin:
    """Read and parse one file; ArchiveError with the file name and reason on failure."""
    path = Path(path)
    return parse_document(read_source(path), path.name)[0]


def titled(bulletin: Bulletin, extracted: Extracted, source_name: str) -> Bulletin:
    """A document whose text has no title (a report that starts "各位代表：") is shown under
    the title its file states, else under its file name."""
    if bulletin.title:
        return bulletin
    title = extracted.meta.get("title", "").strip() or Path(source_name).stem
    return replace(bulletin, title=title)


def extracted_text(extracted: Extracted) -> str:
    return "".join(f"{line.text}\n" for line in extracted.lines)


def id_matches(bulletin: Bulletin, bulletin_id: str) -> bool:
    """Whether a parse is the content its id is the hash of (the id is taken before an
    untitled document is given the title its file states: see ``titled``)."""
    if not isinstance(bulletin.id, str) or bulletin.id != bulletin_id:
        return False
    if content_id([*bulletin.pieces(), *bulletin.meta_lines]) == bulletin_id:
        return True
    untitled = replace(bulletin, title="")
    return content_id([*untitled.pieces(), *untitled.meta_lines]) == bulletin_id
