"""The archive on disk: bundled bulletins (read-only) plus imported ones.

Layout of an imported document in ``paths.archive_dir()``:
``<id>.<kind>`` — a copy of the file as published (``.txt``, ``.pdf``, ``.docx``, ``.html``,
``.md``; the user's file is never touched), which a later parser version reads again;
``<id>.extracted.txt`` — for every kind but plain text, the lines its reader took out of
it, in reading order (to look at; the original is what is re-read);
``<id>.json`` — its metadata and parsed structure, written last, so a document exists
only once all its files are complete. Every write is atomic.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from viewer import paths
from viewer.formats import Cancelled, Extracted, FormatError, never_cancel, no_progress, read_document
from viewer.model import PARSER_VERSION, Bulletin, ParseError, parse_lines
from viewer.store.atomic import atomic_write_bytes, atomic_write_text
from viewer.store.errors import ArchiveError, DuplicateBulletinError
from viewer.store.sources import read_source

log = logging.getLogger("viewer.store")

Progress = Callable[[int, int, str], None]  # (done, total, current item)
Cancel = Callable[[], bool]

_FORMAT = 2  # 2: the original file is <id>.<kind>, named in the metadata as "original"
#: Progress of an import counts this many steps a file (a PDF moves through them page by page).
IMPORT_STEPS = 100


@dataclass(frozen=True)
class BulletinRecord:
    """What the archive knows of one bulletin, without its text."""

    id: str
    title: str
    column: str
    bundled: bool
    source_name: str  # file name it came from
    imported_at: str  # ISO 8601, "" for bundled bulletins
    districts: tuple[str, ...]
    chars: int
    date: str = ""
    number: str = ""
    issuer: str = ""
    kind: str = "txt"  # the format it was imported from: txt, pdf, docx, html, md
    sections: int = 0

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "column": self.column,
            "date": self.date,
            "number": self.number,
            "issuer": self.issuer,
            "kind": self.kind,
            "bundled": self.bundled,
            "source": self.source_name,
            "imported_at": self.imported_at,
            "districts": list(self.districts),
            "sections": self.sections,
            "chars": self.chars,
        }


@dataclass
class ImportReport:
    imported: list[BulletinRecord] = field(default_factory=list)
    duplicates: list[tuple[Path, str]] = field(default_factory=list)  # (file, existing id)
    failed: list[tuple[Path, str]] = field(default_factory=list)  # (file, reason)
    cancelled: bool = False


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


def _titled(bulletin: Bulletin, extracted: Extracted, source_name: str) -> Bulletin:
    """A document whose text has no title (a report that starts "各位代表：") is shown under
    the title its file states, else under its file name."""
    if bulletin.title:
        return bulletin
    title = extracted.meta.get("title", "").strip() or Path(source_name).stem
    return replace(bulletin, title=title)


def _original_name(bulletin_id: str, kind: str) -> str:
    return f"{bulletin_id}.{kind}"


def _extracted_text(extracted: Extracted) -> str:
    return "".join(f"{line.text}\n" for line in extracted.lines)


def _record(
    bulletin: Bulletin, bundled: bool, source_name: str, imported_at: str, kind: str = "txt"
) -> BulletinRecord:
    return BulletinRecord(
        id=bulletin.id,
        title=bulletin.title,
        column=bulletin.column,
        bundled=bundled,
        source_name=source_name,
        imported_at=imported_at,
        districts=tuple(bulletin.districts),
        chars=bulletin.char_count(),
        date=bulletin.date,
        number=bulletin.number,
        issuer=bulletin.issuer,
        kind=kind,
        sections=len(bulletin.sections),
    )


class Archive:
    """Bundled plus imported bulletins. Not thread-safe: one instance per thread."""

    def __init__(self, root: Path | None = None, *, include_bundled: bool = True) -> None:
        self.root = Path(root) if root is not None else paths.archive_dir()
        self.root.mkdir(parents=True, exist_ok=True)
        self._include_bundled = include_bundled
        self._bulletins: dict[str, Bulletin] | None = None
        self._records: dict[str, BulletinRecord] = {}

    # -- reading ---------------------------------------------------------------
    def reload(self) -> None:
        """Forget what was read, so the next call sees changes made by other processes."""
        self._bulletins = None
        self._records = {}

    def _load(self) -> dict[str, Bulletin]:
        if self._bulletins is not None:
            return self._bulletins
        bulletins: dict[str, Bulletin] = {}
        records: dict[str, BulletinRecord] = {}
        if self._include_bundled:
            for bulletin, name in _bundled_bulletins():
                bulletins[bulletin.id] = bulletin
                records[bulletin.id] = _record(bulletin, True, name, "")
        imported = []
        for meta_path in sorted(self.root.glob("*.json")):
            loaded = self._read_imported(meta_path)
            if loaded is not None:
                imported.append(loaded)
        imported.sort(key=lambda item: (item[1].imported_at, item[1].id))
        for bulletin, record in imported:
            if bulletin.id not in bulletins:
                bulletins[bulletin.id] = bulletin
                records[bulletin.id] = record
        self._bulletins, self._records = bulletins, records
        return bulletins

    def _read_imported(self, meta_path: Path) -> tuple[Bulletin, BulletinRecord] | None:
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            if meta.get("parser_version") != PARSER_VERSION:
                bulletin = self._reparse(meta_path, meta)
            else:
                bulletin = Bulletin.from_storage(meta["bulletin"])
            record = _record(
                bulletin, False, meta.get("source", ""), meta.get("imported_at", ""), meta.get("kind", "txt")
            )
            return bulletin, record
        except (OSError, ValueError, KeyError, TypeError, ParseError, ArchiveError) as exc:
            log.warning("skipping damaged archive entry %s: %s", meta_path.name, exc)
            return None

    def _reparse(self, meta_path: Path, meta: dict) -> Bulletin:
        original = meta.get("original") or f"{meta_path.stem}.txt"
        raw = (self.root / original).read_bytes()
        bulletin, extracted = parse_document(raw, original)
        bulletin = _titled(bulletin, extracted, meta.get("source", original))
        log.info("re-parsed %s with parser version %d", meta_path.stem, PARSER_VERSION)
        if bulletin.id != meta_path.stem:
            # A parser change altered what the content id covers; keep the stored id so
            # that bookmarks and the index still find the bulletin.
            bulletin = replace(bulletin, id=meta_path.stem)
        meta = dict(meta, parser_version=PARSER_VERSION, bulletin=bulletin.to_storage())
        with contextlib.suppress(ArchiveError):
            atomic_write_text(meta_path, json.dumps(meta, ensure_ascii=False))
        return bulletin

    def records(self) -> list[BulletinRecord]:
        """Every bulletin, bundled first, then imported ones in import order."""
        self._load()
        return list(self._records.values())

    def bulletins(self) -> list[Bulletin]:
        return list(self._load().values())

    def ids(self) -> list[str]:
        return list(self._load())

    def __len__(self) -> int:
        return len(self._load())

    def __contains__(self, bulletin_id: object) -> bool:
        return bulletin_id in self._load()

    def get(self, bulletin_id: str) -> Bulletin:
        try:
            return self._load()[self.resolve_id(bulletin_id)]
        except KeyError:  # pragma: no cover - resolve_id raised already
            raise ArchiveError(f"no bulletin with id {bulletin_id}") from None

    def record(self, bulletin_id: str) -> BulletinRecord:
        self._load()
        return self._records[self.resolve_id(bulletin_id)]

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
        path = Path(path)
        data = read_source(path)
        bulletin, extracted = parse_document(data, path.name, progress, cancel)
        bulletin = _titled(bulletin, extracted, path.name)
        bulletins = self._load()
        if bulletin.id in bulletins:
            existing = self._records[bulletin.id]
            raise DuplicateBulletinError(
                f"{path.name} is already in the archive as {bulletin.id} ({existing.title})",
                bulletin.id,
            )
        imported_at = datetime.now(UTC).isoformat(timespec="microseconds")
        original = _original_name(bulletin.id, extracted.kind)
        meta = {
            "format": _FORMAT,
            "parser_version": PARSER_VERSION,
            "source": path.name,
            "kind": extracted.kind,
            "original": original,
            "pages": extracted.pages,
            "imported_at": imported_at,
            "bulletin": bulletin.to_storage(),
        }
        written = [self.root / original]
        try:
            atomic_write_bytes(self.root / original, data)
            if extracted.kind != "txt":
                written.append(self.root / f"{bulletin.id}.extracted.txt")
                atomic_write_text(written[-1], _extracted_text(extracted))
            atomic_write_text(self.root / f"{bulletin.id}.json", json.dumps(meta, ensure_ascii=False))
        except Exception as exc:
            for leftover in written:
                leftover.unlink(missing_ok=True)
            raise ArchiveError(str(exc)) from exc
        record = _record(bulletin, False, path.name, imported_at, extracted.kind)
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
        try:
            # The metadata goes first: without it the bulletin no longer exists.
            meta_path = self.root / f"{full_id}.json"
            try:
                original = json.loads(meta_path.read_text(encoding="utf-8")).get("original")
            except (OSError, ValueError, AttributeError):
                original = None
            meta_path.unlink(missing_ok=True)
            for name in {original or f"{full_id}.txt", f"{full_id}.txt", f"{full_id}.extracted.txt"}:
                (self.root / name).unlink(missing_ok=True)
        except OSError as exc:
            raise ArchiveError(f"could not remove {full_id}: {exc.strerror or exc}") from exc
        assert self._bulletins is not None
        del self._bulletins[full_id]
        del self._records[full_id]
        log.info("removed %s", full_id)
        return record


_BUNDLED_CACHE: list[tuple[Bulletin, str]] | None = None


def _bundled_bulletins() -> list[tuple[Bulletin, str]]:
    """The bulletins shipped in data/ (parsed once per process)."""
    global _BUNDLED_CACHE
    if _BUNDLED_CACHE is None:
        meta = json.loads(paths.data_path("bulletins.json").read_text(encoding="utf-8"))
        loaded = []
        for entry in meta["bulletins"]:
            data = paths.data_path(entry["file"]).read_bytes()
            loaded.append((parse_document(data, entry["file"])[0], entry["file"]))
        _BUNDLED_CACHE = loaded
    return _BUNDLED_CACHE
