"""The archive on disk: bundled bulletins (read-only) plus imported ones.

Layout of an imported document in ``paths.archive_dir()``:
``<id>.<kind>`` — a copy of the file as published (``.txt``, ``.pdf``, ``.docx``, ``.html``,
``.md``; the user's file is never touched), which a later parser version reads again;
``<id>.extracted.txt`` — for every kind but plain text, the lines its reader took out of
it, in reading order (to look at; the original is what is re-read);
``<id>.json`` — its metadata and parsed structure, written last, so a document exists
only once all its files are complete. Every write is atomic.

Integrity. ``<id>.json`` (format 3) records the sha256 of the original
(``original_sha256``) and of the stored parse (``bulletin_sha256``: of the bytes of the
``"bulletin"`` value exactly as written, the last key of the file, so that checking it costs
one hash and no second serialisation). Loading checks the parse's checksum. An entry whose
metadata is not what we write (not JSON, another shape, wrong types), whose parse does not
match its checksum (edited, damaged) or whose parser version is older is parsed again from
its original, once the original has been checked against its checksum (or, when the
metadata cannot tell it, against its id, which is a hash of its content), and its metadata
is written anew. An entry from before the checksums (format 2) is checked against its id
and written again with them (``original_sha256`` null: its original is checked by its id if
it is ever needed). An entry that cannot be re-created is skipped with one log line naming
it; its files are left where they are. Loading never raises for one bad entry.

Leftovers. Loading an archive (the first listing or reading of its entries, which every
import and removal does first) removes, once they are older than a minute (a concurrent
import is left alone), the temp files of killed atomic writes and the files of an import
killed before its ``<id>.json`` was written (or of a removal killed after it was deleted).
Merely opening one, to take its fingerprint, touches nothing.

Read-only folders. Opening and reading need no write and create nothing (the folder is
made by the first import; removing leftovers and writing a metadata file anew are best
effort): an archive folder that cannot be written, or does not exist, is read as it is, and
every write fails with ``ArchiveError("cannot write to FOLDER: read-only file system")``
(or "the disk is full", or "HOME/data is a file, not a folder").

Odd files. Only regular files are read, opened without blocking (``sources.read_regular``):
a named pipe, a device or a folder named like an entry (``<id>.json``) is skipped with one
log line naming it, and never waited on; an original that is one is not used.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from viewer import paths
from viewer.formats.errors import Cancelled
from viewer.model.types import Bulletin
from viewer.model.version import PARSER_VERSION
from viewer.progress import Cancel, Progress, never_cancel, no_progress
from viewer.store.atomic import (
    STALE_AFTER_S,
    atomic_write_bytes,
    atomic_write_text,
    cannot_write,
    remove_if_stale,
    remove_stale_temp_files,
)
from viewer.store.bundled import bundled_bulletins
from viewer.store.entries import read_entry
from viewer.store.entry_meta import (
    ENTRY_FILE,
    FORMAT,
    BulletinRecord,
    meta_bytes,
    original_name,
    read_meta,
    record_of,
    sha256_hex,
)
from viewer.store.errors import ArchiveError, DuplicateBulletinError, StoreError
from viewer.store.fingerprint import archive_state
from viewer.store.sources import read_regular, read_source, shown_name

log = logging.getLogger("viewer.store")

#: Progress of an import counts this many steps a file (a PDF moves through them page by page).
IMPORT_STEPS = 100


@dataclass
class ImportReport:
    """What an import did with each file: imported, already kept, or failed (and why)."""

    imported: list[BulletinRecord] = field(default_factory=list)
    duplicates: list[tuple[Path, str]] = field(default_factory=list)  # (file, existing id)
    failed: list[tuple[Path, str]] = field(default_factory=list)  # (file, reason)
    cancelled: bool = False


class Archive:
    """Bundled plus imported bulletins. Not thread-safe: one instance per thread.

    Opening reads and writes nothing; loading removes stale leftovers first (see the module
    docstring). A folder that does not exist is an empty archive.
    """

    def __init__(self, root: Path | None = None, *, include_bundled: bool = True) -> None:
        self.root = Path(root) if root is not None else paths.archive_dir()  # not created here
        self._include_bundled = include_bundled
        self._bulletins: dict[str, Bulletin] | None = None
        self._records: dict[str, BulletinRecord] = {}

    def holds_at_most(self, entries: int, size: int) -> bool:
        """Whether the folder holds at most ``entries`` regular files of at most ``size`` bytes
        in all (a folder that does not exist holds none; one that cannot be listed, or that
        holds anything else, does not count as small)."""
        total = 0
        try:
            with os.scandir(self.root) as found:
                for count, entry in enumerate(found, 1):
                    if count > entries or not entry.is_file(follow_symlinks=False):
                        return False
                    total += entry.stat(follow_symlinks=False).st_size
        except FileNotFoundError:
            return True
        except OSError:
            return False
        return total <= size

    # -- leftovers ---------------------------------------------------------------
    def remove_leftovers(self, older_than: float = STALE_AFTER_S) -> list[str]:
        """Remove what killed writes left behind, once older than ``older_than`` seconds:
        temp files of atomic writes, and the files of an entry without its ``<id>.json``
        (an import killed before it, a removal killed after it). Best effort; returns the
        names removed."""
        removed = remove_stale_temp_files(self.root, older_than)
        try:
            entries = list(os.scandir(self.root))
        except OSError:
            return removed
        names = {entry.name for entry in entries}
        now = time.time()
        for entry in entries:
            match = ENTRY_FILE.fullmatch(entry.name)
            if match is None or match["rest"] == "json" or f"{match['id']}.json" in names:
                continue
            if not remove_if_stale(entry, now, older_than):
                continue
            log.info("removed %s, left by an interrupted import or removal", entry.name)
            removed.append(entry.name)
        return removed

    # -- reading ---------------------------------------------------------------
    def reload(self) -> None:
        """Forget what was read, so the next call sees changes made by other processes."""
        self._bulletins = None
        self._records = {}

    def _load(self) -> dict[str, Bulletin]:
        if self._bulletins is not None:
            return self._bulletins
        self.remove_leftovers()
        bulletins: dict[str, Bulletin] = {}
        records: dict[str, BulletinRecord] = {}
        if self._include_bundled:
            for bulletin, name in bundled_bulletins():
                bulletins[bulletin.id] = bulletin
                records[bulletin.id] = record_of(bulletin, True, name, "")
        imported = []
        try:
            meta_paths = sorted(self.root.glob("*.json"))
        except OSError as exc:  # pragma: no cover - an unreadable folder
            log.warning("cannot read the archive folder %s: %s", self.root, exc.strerror or exc)
            meta_paths = []
        for meta_path in meta_paths:
            if not ENTRY_FILE.fullmatch(meta_path.name):
                continue  # not an entry of ours
            loaded = read_entry(self.root, meta_path)
            if loaded is not None:
                imported.append(loaded)
        imported.sort(key=lambda item: (item[1].imported_at, item[1].id))
        for bulletin, record in imported:
            if bulletin.id not in bulletins:
                bulletins[bulletin.id] = bulletin
                records[bulletin.id] = record
        self._bulletins, self._records = bulletins, records
        return bulletins

    def records(self) -> list[BulletinRecord]:
        """Every bulletin, bundled first, then imported ones in import order."""
        self._load()
        return list(self._records.values())

    def bulletins(self) -> list[Bulletin]:
        return list(self._load().values())

    def fingerprint(self, known: str | None = None) -> str:
        """A cheap description of what the archive holds (one stat of the folder, or a stat
        per entry; nothing read or parsed): equal while no bulletin is added, removed or
        changed. ``known``, a description taken before, is returned as it is when the
        folder shows nothing can have changed (see ``viewer.store.fingerprint``)."""
        return archive_state(self.root, self._include_bundled, known)

    def ids(self) -> list[str]:
        return list(self._load())

    def __len__(self) -> int:
        return len(self._load())

    def get(self, bulletin_id: str) -> Bulletin:
        try:
            return self._load()[self.resolve_id(bulletin_id)]
        except KeyError:  # pragma: no cover - resolve_id raised already
            raise ArchiveError(f"no bulletin with id {bulletin_id}") from None

    def resolve_id(self, prefix: str) -> str:
        """The full id for an id or a unique prefix of one (at least 4 characters)."""
        bulletins = self._load()
        if prefix in bulletins:
            return prefix
        matches = [i for i in bulletins if len(prefix) >= 4 and i.startswith(prefix)]
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise ArchiveError(f"id {prefix} is ambiguous: {', '.join(sorted(matches))}")
        raise ArchiveError(f"no bulletin with id {prefix}")

    # -- writing ---------------------------------------------------------------
    def import_file(
        self, path: Path, progress: Progress = no_progress, cancel: Cancel = never_cancel
    ) -> BulletinRecord:
        """Copy one published file (text, PDF, Word, web page, Markdown) into the archive.

        ``progress`` hears of each page of a PDF; ``cancel`` is asked between pages.
        Raises ArchiveError / DuplicateBulletinError, or Cancelled (nothing is stored).
        """
        from viewer.store import documents

        path = Path(path)
        data = read_source(path)
        bulletin, extracted = documents.parse_document(data, path.name, progress, cancel)
        bulletin = documents.titled(bulletin, extracted, path.name)
        bulletins = self._load()
        if bulletin.id in bulletins:
            existing = self._records[bulletin.id]
            raise DuplicateBulletinError(
                f"{path.name} is already in the archive as {bulletin.id} ({existing.title})",
                bulletin.id,
            )
        from datetime import UTC, datetime  # on import only: reading the archive needs no clock

        imported_at = datetime.now(UTC).isoformat(timespec="microseconds")
        original = original_name(bulletin.id, extracted.kind)
        header = {
            "format": FORMAT,
            "parser_version": PARSER_VERSION,
            "source": shown_name(path),
            "kind": extracted.kind,
            "original": original,
            "pages": extracted.pages,
            "imported_at": imported_at,
            "original_sha256": sha256_hex(data),
        }
        written = [self.root / original]
        try:
            atomic_write_bytes(self.root / original, data)
            if extracted.kind != "txt":
                written.append(self.root / f"{bulletin.id}.extracted.txt")
                atomic_write_text(written[-1], documents.extracted_text(extracted))
            # Written last: the document exists once this file does.
            atomic_write_bytes(self.root / f"{bulletin.id}.json", meta_bytes(header, bulletin))
        except Exception as exc:
            for leftover in written:
                with contextlib.suppress(OSError):
                    leftover.unlink(missing_ok=True)
            raise ArchiveError(str(exc)) from exc
        record = record_of(bulletin, False, shown_name(path), imported_at, extracted.kind)
        bulletins[bulletin.id] = bulletin
        self._records[bulletin.id] = record
        log.info("imported %s as %s", path, bulletin.id)
        return record

    def import_files(
        self,
        files: Iterable[Path],
        progress: Progress | None = None,
        cancel: Cancel | None = None,
    ) -> ImportReport:
        """Import several files; one that fails does not stop the others.

        ``progress(done, total, what)`` counts IMPORT_STEPS a file, and a PDF moves through
        its file's steps page by page (``what`` then says "name — page 3 of 26").
        """
        files = [Path(f) for f in files]
        report = ImportReport()
        asked = cancel or never_cancel
        total = len(files) * IMPORT_STEPS
        for done, path in enumerate(files):
            if asked():
                report.cancelled = True
                break
            if progress is not None:
                progress(done * IMPORT_STEPS, total, path.name)

            def pages(page: int, pages: int, what: str, done: int = done, name: str = path.name) -> None:
                if progress is not None and pages:
                    step = done * IMPORT_STEPS + min(IMPORT_STEPS - 1, IMPORT_STEPS * page // pages)
                    progress(step, total, f"{name} — {what}")

            try:
                report.imported.append(self.import_file(path, pages, asked))
            except Cancelled:
                report.cancelled = True
                break
            except DuplicateBulletinError as exc:
                report.duplicates.append((path, exc.bulletin_id))
            except ArchiveError as exc:
                report.failed.append((path, str(exc)))
        if progress is not None and not report.cancelled:
            progress(total, total, "")
        return report

    def remove(self, bulletin_id: str) -> BulletinRecord:
        """Remove an imported bulletin (bundled ones cannot be removed)."""
        full_id = self.resolve_id(bulletin_id)
        record = self._records[full_id]
        if record.bundled:
            raise ArchiveError(f"{full_id} is bundled with the program and cannot be removed")
        meta_path = self.root / f"{full_id}.json"
        try:
            original = read_meta(read_regular(meta_path)).fields.get("original")
        except (OSError, StoreError):
            original = None
        try:
            # The metadata goes first: without it the bulletin no longer exists (and what a
            # removal killed here leaves behind is cleared as a leftover).
            meta_path.unlink(missing_ok=True)
        except OSError as exc:
            raise ArchiveError(f"could not remove {full_id}: {cannot_write(self.root, exc)}") from exc
        for name in {original or f"{full_id}.txt", f"{full_id}.txt", f"{full_id}.extracted.txt"}:
            match = ENTRY_FILE.fullmatch(name)
            if match is None or match["id"] != full_id:
                continue  # only this entry's own files
            with contextlib.suppress(OSError):
                (self.root / name).unlink(missing_ok=True)
        assert self._bulletins is not None
        del self._bulletins[full_id]
        del self._records[full_id]
        log.info("removed %s", full_id)
        return record
