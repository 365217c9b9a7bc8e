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

Leftovers. Opening an archive removes, once they are older than a minute (a concurrent
import is left alone), the temp files of killed atomic writes and the files of an import
killed before its ``<id>.json`` was written (or of a removal killed after it was deleted).

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
import hashlib
import json
import logging
import os
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from viewer import paths
from viewer.formats import Cancelled, Extracted, FormatError, never_cancel, no_progress, read_document
from viewer.model import PARSER_VERSION, Bulletin, ParseError, content_id, parse_lines
from viewer.store.atomic import (
    STALE_AFTER_S,
    atomic_write_bytes,
    atomic_write_text,
    cannot_write,
    remove_if_stale,
    remove_stale_temp_files,
)
from viewer.store.errors import ArchiveError, DuplicateBulletinError, StoreError
from viewer.store.fingerprint import archive_state
from viewer.store.sources import NotRegularFile, max_document_bytes, read_regular, read_source

log = logging.getLogger("viewer.store")

Progress = Callable[[int, int, str], None]  # (done, total, current item)
Cancel = Callable[[], bool]

#: 2: the original file is <id>.<kind>, named in the metadata as "original";
#: 3: checksums of the original and of the stored parse.
_FORMAT = 3
#: Progress of an import counts this many steps a file (a PDF moves through them page by page).
IMPORT_STEPS = 100

#: The last key of ``<id>.json`` as we write it; the checksum covers the bytes after it.
_PAYLOAD_KEY = b'"bulletin": '
#: Metadata fields and their types, as format 3 writes them.
_FIELDS: dict[str, type | tuple[type, ...]] = {
    "format": int,
    "parser_version": int,
    "source": str,
    "kind": str,
    "original": str,
    "imported_at": str,
    "original_sha256": (str, type(None)),  # None: an entry upgraded from format 2 (see _upgrade)
    "bulletin_sha256": str,
}
#: Kinds of originals, to find the original of an entry whose metadata cannot be read.
_KINDS = ("txt", "pdf", "docx", "html", "md")
#: The files of one imported document: ``<id>.json``, ``<id>.extracted.txt``, ``<id>.<kind>``.
_ENTRY_FILE = re.compile(r"(?P<id>[0-9a-f]{16})\.(?P<rest>extracted\.txt|[A-Za-z0-9]{1,8})")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _meta_bytes(header: dict, bulletin: Bulletin) -> bytes:
    """``<id>.json``: the header fields, then the parse under ``"bulletin"``, last, with the
    checksum of its bytes in the header."""
    payload = json.dumps(bulletin.to_storage(), ensure_ascii=False).encode("utf-8")
    head = json.dumps(dict(header, bulletin_sha256=_sha256(payload)), ensure_ascii=False).encode("utf-8")
    return head[:-1] + b", " + _PAYLOAD_KEY + payload + b"}"


def _stored_payload(raw: bytes) -> bytes | None:
    """The bytes of the ``"bulletin"`` value of a file we wrote (``_meta_bytes``). Inside a
    JSON string every quote is escaped, so the key's bytes cannot occur in a value."""
    at = raw.rfind(_PAYLOAD_KEY)
    end = len(raw.rstrip())
    if at < 0 or not raw[:end].endswith(b"}"):
        return None
    return raw[at + len(_PAYLOAD_KEY) : end - 1]


@dataclass
class _Meta:
    """What an ``<id>.json`` says, as far as it can be read."""

    fields: dict  # the header fields that have the right type
    bulletin: object = None  # the stored parse (still unchecked JSON)
    problem: str = ""  # why the stored parse is not used as it is; "" when it is
    damaged: bool = False  # the problem is damage or editing (not an upgrade)
    legacy: bool = False  # written before checksums (format 2 or older)


def _read_meta(raw: bytes) -> _Meta:
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as exc:  # not UTF-8, not JSON, nested too deep
        return _Meta({}, problem=f"it is not JSON ({type(exc).__name__})", damaged=True)
    if not isinstance(data, dict):
        return _Meta({}, problem=f"it holds a JSON {type(data).__name__}, not an object", damaged=True)
    fields = {
        key: data[key]
        for key, kind in _FIELDS.items()
        if key in data and isinstance(data[key], kind) and not isinstance(data[key], bool)
    }
    meta = _Meta(fields, data.get("bulletin"))
    if "format" in fields and fields["format"] < _FORMAT and "bulletin_sha256" not in data:
        meta.problem = f"it was written before checksums were kept (format {fields['format']})"
        meta.legacy = isinstance(meta.bulletin, dict) and fields.get("parser_version") == PARSER_VERSION
    elif missing := [key for key in _FIELDS if key not in fields]:
        meta.problem, meta.damaged = f"fields missing or of the wrong type: {', '.join(missing)}", True
    elif not isinstance(meta.bulletin, dict):
        meta.problem, meta.damaged = "it holds no parse", True
    elif (payload := _stored_payload(raw)) is None or _sha256(payload) != fields["bulletin_sha256"]:
        meta.problem, meta.damaged = "its parse does not match its checksum (edited or damaged)", True
    elif fields["parser_version"] != PARSER_VERSION:
        meta.problem = f"it was parsed by parser version {fields['parser_version']}"
    return meta


def _id_matches(bulletin: Bulletin, bulletin_id: str) -> bool:
    """Whether a parse is the content its id is the hash of (the id is taken before an
    untitled document is given the title its file states: see ``_titled``)."""
    if not isinstance(bulletin.id, str) or bulletin.id != bulletin_id:
        return False
    if content_id([*bulletin.pieces(), *bulletin.meta_lines]) == bulletin_id:
        return True
    untitled = replace(bulletin, title="")
    return content_id([*untitled.pieces(), *untitled.meta_lines]) == bulletin_id


def _mtime_iso(path: Path) -> str:
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, UTC).isoformat(timespec="microseconds")
    except OSError:  # pragma: no cover
        return ""


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


def shown_name(path: Path) -> str:
    """A file's name as text that can be stored: bytes of a name that is not UTF-8 as \\xff."""
    return path.name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


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
    """Bundled plus imported bulletins. Not thread-safe: one instance per thread.

    Opening reads nothing yet and writes nothing but the removal of stale leftovers (see
    the module docstring); a folder that does not exist is an empty archive.
    """

    def __init__(self, root: Path | None = None, *, include_bundled: bool = True) -> None:
        self.root = Path(root) if root is not None else paths.archive_dir()  # not created here
        self._include_bundled = include_bundled
        self._bulletins: dict[str, Bulletin] | None = None
        self._records: dict[str, BulletinRecord] = {}
        self.remove_leftovers()

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
            match = _ENTRY_FILE.fullmatch(entry.name)
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
        bulletins: dict[str, Bulletin] = {}
        records: dict[str, BulletinRecord] = {}
        if self._include_bundled:
            for bulletin, name in _bundled_bulletins():
                bulletins[bulletin.id] = bulletin
                records[bulletin.id] = _record(bulletin, True, name, "")
        imported = []
        try:
            meta_paths = sorted(self.root.glob("*.json"))
        except OSError as exc:  # pragma: no cover - an unreadable folder
            log.warning("cannot read the archive folder %s: %s", self.root, exc.strerror or exc)
            meta_paths = []
        for meta_path in meta_paths:
            if not _ENTRY_FILE.fullmatch(meta_path.name):
                continue  # not an entry of ours
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
        """One entry, checked; re-created from its original when it must be; None (and one
        log line naming it) when it cannot be used. Never raises."""
        try:
            raw = read_regular(meta_path)
        except NotRegularFile as exc:  # a pipe would hang every reader of the archive
            log.warning("skipping archive entry %s: it %s", meta_path.name, exc.reason)
            return None
        except OSError as exc:
            log.warning(
                "skipping archive entry %s: it cannot be read (%s)", meta_path.name, exc.strerror or exc
            )
            return None
        meta = _read_meta(raw)
        if meta.legacy:
            upgraded = self._upgrade(meta_path, meta)
            if upgraded is not None:
                return upgraded
            meta.problem, meta.damaged = "its parse does not match its id (edited or damaged)", True
        elif not meta.problem:
            try:
                bulletin = Bulletin.from_storage(meta.bulletin)  # type: ignore[arg-type]
                if bulletin.id == meta_path.stem:
                    return bulletin, self._record_of(bulletin, meta.fields)
                meta.problem = "its parse holds another id"
            except Exception as exc:  # a stored parse of another shape: any error of the model
                meta.problem = f"its parse cannot be read ({type(exc).__name__})"
            meta.damaged = True
        try:
            return self._recreate(meta_path, meta)
        except Exception as exc:  # never let one entry take the archive down
            log.warning("skipping archive entry %s: %s, and it cannot be re-created (%s)",
                        meta_path.name, meta.problem, exc)  # fmt: skip
            return None

    def _upgrade(self, meta_path: Path, meta: _Meta) -> tuple[Bulletin, BulletinRecord] | None:
        """An entry from before checksums, parsed by this parser version: its parse is
        checked against its id (a hash of its content) and, if it matches, written again as
        format 3 without parsing the original again. Its original is not vouched for
        (``original_sha256`` null): if it is ever needed, it is checked by its id too."""
        try:
            bulletin = Bulletin.from_storage(meta.bulletin)  # type: ignore[arg-type]
            if not _id_matches(bulletin, meta_path.stem):
                return None
            record = self._record_of(bulletin, meta.fields)
        except Exception:  # a stored parse of another shape: any error of the model
            return None
        fields = meta.fields
        header = {
            "format": _FORMAT,
            "parser_version": PARSER_VERSION,
            "source": fields.get("source", ""),
            "kind": fields.get("kind", "txt"),
            "original": fields.get("original", f"{meta_path.stem}.{fields.get('kind', 'txt')}"),
            "imported_at": fields.get("imported_at", ""),
            "original_sha256": None,
        }
        try:
            atomic_write_bytes(meta_path, _meta_bytes(header, bulletin))
            log.info(
                "archive entry %s: %s; checked by its id and written with checksums",
                meta_path.name,
                meta.problem,
            )
        except StoreError as exc:  # a read-only archive: checked again next time
            log.debug("could not upgrade %s: %s", meta_path.name, exc)
        return bulletin, record

    def _record_of(self, bulletin: Bulletin, fields: dict) -> BulletinRecord:
        return _record(
            bulletin,
            False,
            fields.get("source", ""),
            fields.get("imported_at", ""),
            fields.get("kind", "txt"),
        )

    def _original_of(self, stem: str, fields: dict) -> Path | None:
        """The original of an entry: the one its metadata names, else ``<id>.<kind>``."""
        names = [fields.get("original", ""), f"{stem}.{fields.get('kind', 'txt')}"]
        names += [f"{stem}.{kind}" for kind in _KINDS]
        for name in names:
            match = _ENTRY_FILE.fullmatch(name)
            if match is None or match["id"] != stem or match["rest"] in ("json", "extracted.txt"):
                continue  # only a file of this entry, never a path elsewhere
            if (self.root / name).is_file():
                return self.root / name
        return None

    def _recreate(self, meta_path: Path, meta: _Meta) -> tuple[Bulletin, BulletinRecord] | None:
        stem, fields = meta_path.stem, meta.fields
        name = meta_path.name
        original = self._original_of(stem, fields)
        if original is None:
            log.warning("skipping archive entry %s: %s, and its original is missing", name, meta.problem)
            return None
        data = read_regular(original, max_document_bytes())
        expected = fields.get("original_sha256")
        if expected is not None and _sha256(data) != expected:
            log.warning(
                "skipping archive entry %s: %s, and its original %s does not match its checksum either",
                name, meta.problem, original.name,
            )  # fmt: skip
            return None
        bulletin, extracted = parse_document(data, original.name)
        bulletin = _titled(bulletin, extracted, fields.get("source", original.name))
        if bulletin.id != stem:
            # The id is a hash of the content. An original checked by its checksum, or one an
            # older parser read (a parser change can alter what the id covers), keeps its id,
            # so that bookmarks and the index still find it; any other is not this entry's.
            older = fields.get("parser_version", PARSER_VERSION) != PARSER_VERSION
            if expected is None and not older:
                log.warning(
                    "skipping archive entry %s: %s, and its original %s holds another document (%s)",
                    name, meta.problem, original.name, bulletin.id,
                )  # fmt: skip
                return None
            bulletin = replace(bulletin, id=stem)
        kind = original.name[len(stem) + 1 :]
        header = {
            "format": _FORMAT,
            "parser_version": PARSER_VERSION,
            "source": fields.get("source", original.name),
            "kind": kind,
            "original": original.name,
            "pages": extracted.pages,
            "imported_at": fields.get("imported_at") or _mtime_iso(original),
            "original_sha256": expected or _sha256(data),
        }
        if meta.damaged:
            log.warning(
                "archive entry %s was damaged or edited (%s); re-created from %s",
                name,
                meta.problem,
                original.name,
            )
        else:
            log.info("archive entry %s: %s; parsed again from %s", name, meta.problem, original.name)
        try:
            atomic_write_bytes(meta_path, _meta_bytes(header, bulletin))
        except StoreError as exc:  # a read-only archive: serve it from memory
            log.info("could not store the new parse of %s: %s", stem, exc)
        return bulletin, self._record_of(bulletin, header)

    def records(self) -> list[BulletinRecord]:
        """Every bulletin, bundled first, then imported ones in import order."""
        self._load()
        return list(self._records.values())

    def bulletins(self) -> list[Bulletin]:
        return list(self._load().values())

    def fingerprint(self) -> str:
        """A cheap description of what the archive holds (a stat per entry, nothing read
        or parsed): equal while no bulletin is added, removed or changed (``fingerprint``)."""
        return archive_state(self.root, self._include_bundled)

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
        header = {
            "format": _FORMAT,
            "parser_version": PARSER_VERSION,
            "source": shown_name(path),
            "kind": extracted.kind,
            "original": original,
            "pages": extracted.pages,
            "imported_at": imported_at,
            "original_sha256": _sha256(data),
        }
        written = [self.root / original]
        try:
            atomic_write_bytes(self.root / original, data)
            if extracted.kind != "txt":
                written.append(self.root / f"{bulletin.id}.extracted.txt")
                atomic_write_text(written[-1], _extracted_text(extracted))
            # Written last: the document exists once this file does.
            atomic_write_bytes(self.root / f"{bulletin.id}.json", _meta_bytes(header, bulletin))
        except Exception as exc:
            for leftover in written:
                with contextlib.suppress(OSError):
                    leftover.unlink(missing_ok=True)
            raise ArchiveError(str(exc)) from exc
        record = _record(bulletin, False, shown_name(path), imported_at, extracted.kind)
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
            original = _read_meta(read_regular(meta_path)).fields.get("original")
        except (OSError, StoreError):
            original = None
        try:
            # The metadata goes first: without it the bulletin no longer exists (and what a
            # removal killed here leaves behind is cleared as a leftover).
            meta_path.unlink(missing_ok=True)
        except OSError as exc:
            raise ArchiveError(f"could not remove {full_id}: {cannot_write(self.root, exc)}") from exc
        for name in {original or f"{full_id}.txt", f"{full_id}.txt", f"{full_id}.extracted.txt"}:
            match = _ENTRY_FILE.fullmatch(name)
            if match is None or match["id"] != full_id:
                continue  # only this entry's own files
            with contextlib.suppress(OSError):
                (self.root / name).unlink(missing_ok=True)
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
