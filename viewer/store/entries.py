"""Reading one imported entry of the archive, checked, and re-creating it when it must be.

An entry whose metadata is not what we write, whose parse does not match its checksum
or whose parser version is older is parsed again from its original, once the original
has been checked against its checksum (or against its id, a hash of its content); an
entry from before the checksums is checked against its id and written again with them.
An entry that cannot be used is skipped with one log line naming it: never an exception.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from viewer.model.types import Bulletin
from viewer.model.version import PARSER_VERSION
from viewer.store.atomic import atomic_write_bytes
from viewer.store.entry_meta import (
    ENTRY_FILE,
    FORMAT,
    KINDS,
    BulletinRecord,
    Meta,
    meta_bytes,
    mtime_iso,
    read_meta,
    record_of,
    sha256_hex,
)
from viewer.store.errors import StoreError
from viewer.store.sources import NotRegularFile, max_document_bytes, read_regular

log = logging.getLogger("viewer.store")


def _documents():
    """The parsing half of the store, imported when an entry must be parsed again."""
    from viewer.store import documents

    return documents


def read_entry(root: Path, meta_path: Path) -> tuple[Bulletin, BulletinRecord] | None:
    """One entry, checked; re-created from its original when it must be; None (and one
    log line naming it) when it cannot be used. Never raises."""
    try:
        raw = read_regular(meta_path)
    except NotRegularFile as exc:  # a pipe would hang every reader of the archive
        log.warning("skipping archive entry %s: it %s", meta_path.name, exc.reason)
        return None
    except OSError as exc:
        log.warning("skipping archive entry %s: it cannot be read (%s)", meta_path.name, exc.strerror or exc)
        return None
    meta = read_meta(raw)
    if meta.legacy:
        upgraded = _upgrade(meta_path, meta)
        if upgraded is not None:
            return upgraded
        meta.problem, meta.damaged = "its parse does not match its id (edited or damaged)", True
    elif not meta.problem:
        try:
            bulletin = Bulletin.from_storage(meta.bulletin)  # type: ignore[arg-type]
            if bulletin.id == meta_path.stem:
                return bulletin, imported_record(bulletin, meta.fields)
            meta.problem = "its parse holds another id"
        except Exception as exc:  # a stored parse of another shape: any error of the model
            meta.problem = f"its parse cannot be read ({type(exc).__name__})"
        meta.damaged = True
    try:
        return _recreate(root, meta_path, meta)
    except Exception as exc:  # never let one entry take the archive down
        log.warning("skipping archive entry %s: %s, and it cannot be re-created (%s)",
                    meta_path.name, meta.problem, exc)  # fmt: skip
        return None


def _upgrade(meta_path: Path, meta: Meta) -> tuple[Bulletin, BulletinRecord] | None:
    """An entry from before checksums, parsed by this parser version: its parse is
    checked against its id (a hash of its content) and, if it matches, written again as
    format 3 without parsing the original again. Its original is not vouched for
    (``original_sha256`` null): if it is ever needed, it is checked by its id too."""
    try:
        bulletin = Bulletin.from_storage(meta.bulletin)  # type: ignore[arg-type]
        if not _documents().id_matches(bulletin, meta_path.stem):
            return None
        record = imported_record(bulletin, meta.fields)
    except Exception:  # a stored parse of another shape: any error of the model
        return None
    fields = meta.fields
    header = {
        "format": FORMAT,
        "parser_version": PARSER_VERSION,
        "source": fields.get("source", ""),
        "kind": fields.get("kind", "txt"),
        "original": fields.get("original", f"{meta_path.stem}.{fields.get('kind', 'txt')}"),
        "imported_at": fields.get("imported_at", ""),
        "original_sha256": None,
    }
    try:
        atomic_write_bytes(meta_path, meta_bytes(header, bulletin))
        log.info(
            "archive entry %s: %s; checked by its id and written with checksums",
            meta_path.name,
            meta.problem,
        )
    except StoreError as exc:  # a read-only archive: checked again next time
        log.debug("could not upgrade %s: %s", meta_path.name, exc)
    return bulletin, record


def imported_record(bulletin: Bulletin, fields: dict) -> BulletinRecord:
    return record_of(
        bulletin,
        False,
        fields.get("source", ""),
        fields.get("imported_at", ""),
        fields.get("kind", "txt"),
    )


def _original_of(root: Path, stem: str, fields: dict) -> Path | None:
    """The original of an entry: the one its metadata names, else ``<id>.<kind>``."""
    names = [fields.get("original", ""), f"{stem}.{fields.get('kind', 'txt')}"]
    names += [f"{stem}.{kind}" for kind in KINDS]
    for name in names:
        match = ENTRY_FILE.fullmatch(name)
        if match is None or match["id"] != stem or match["rest"] in ("json", "extracted.txt"):
            continue  # only a file of this entry, never a path elsewhere
        if (root / name).is_file():
            return root / name
    return None


def _recreate(root: Path, meta_path: Path, meta: Meta) -> tuple[Bulletin, BulletinRecord] | None:
    stem, fields = meta_path.stem, meta.fields
    name = meta_path.name
    original = _original_of(root, stem, fields)
    if original is None:
        log.warning("skipping archive entry %s: %s, and its original is missing", name, meta.problem)
        return None
    data = read_regular(original, max_document_bytes())
    expected = fields.get("original_sha256")
    if expected is not None and sha256_hex(data) != expected:
        log.warning(
            "skipping archive entry %s: %s, and its original %s does not match its checksum either",
            name, meta.problem, original.name,
        )  # fmt: skip
        return None
    bulletin, extracted = _documents().parse_document(data, original.name)
    bulletin = _documents().titled(bulletin, extracted, fields.get("source", original.name))
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
        "format": FORMAT,
        "parser_version": PARSER_VERSION,
        "source": fields.get("source", original.name),
        "kind": kind,
        "original": original.name,
        "pages": extracted.pages,
        "imported_at": fields.get("imported_at") or mtime_iso(original),
        "original_sha256": expected or sha256_hex(data),
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
        atomic_write_bytes(meta_path, meta_bytes(header, bulletin))
    except StoreError as exc:  # a read-only archive: serve it from memory
        log.info("could not store the new parse of %s: %s", stem, exc)
    return bulletin, imported_record(bulletin, header)
