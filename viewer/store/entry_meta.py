"""The metadata file of one archive entry, ``<id>.json`` (format 3), and what a listing
knows of an entry (``BulletinRecord``).

The header fields come first, the parse last under ``"bulletin"``, with the sha256 of
that value's bytes exactly as written in the header (``bulletin_sha256``), so checking a
parse costs one hash and no second serialisation. ``read_meta`` says how far a file can be
trusted (``Meta.problem``), without ever raising.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from viewer.model.types import Bulletin
from viewer.model.version import PARSER_VERSION

#: 2: the original file is <id>.<kind>, named in the metadata as "original";
#: 3: checksums of the original and of the stored parse.
FORMAT = 3
#: The last key of ``<id>.json`` as we write it; the checksum covers the bytes after it.
PAYLOAD_KEY = b'"bulletin": '
#: Metadata fields and their types, as format 3 writes them.
FIELDS: dict[str, type | tuple[type, ...]] = {
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
KINDS = ("txt", "pdf", "docx", "html", "md")
#: The files of one imported document: ``<id>.json``, ``<id>.extracted.txt``, ``<id>.<kind>``.
ENTRY_FILE = re.compile(r"(?P<id>[0-9a-f]{16})\.(?P<rest>extracted\.txt|[A-Za-z0-9]{1,8})")


def sha256_hex(data: bytes) -> str:
    import hashlib  # here: it loads OpenSSL, which the window's first frame does without (bundled.py)

    return hashlib.sha256(data).hexdigest()


def meta_bytes(header: dict, bulletin: Bulletin) -> bytes:
    """``<id>.json``: the header fields, then the parse under ``"bulletin"``, last, with the
    checksum of its bytes in the header."""
    payload = payload_bytes(bulletin)
    return with_payload(dict(header, bulletin_sha256=sha256_hex(payload)), payload)


def payload_bytes(bulletin: Bulletin) -> bytes:
    """The parse as it is stored under ``"bulletin"``: the bytes its checksum is of."""
    return json.dumps(bulletin.to_storage(), ensure_ascii=False).encode("utf-8")


def with_payload(header: dict, payload: bytes) -> bytes:
    """The header's fields, then ``payload`` (``payload_bytes``) under ``"bulletin"``, last."""
    head = json.dumps(header, ensure_ascii=False).encode("utf-8")
    return head[:-1] + b", " + PAYLOAD_KEY + payload + b"}"


def stored_payload(raw: bytes) -> bytes | None:
    """The bytes of the ``"bulletin"`` value of a file we wrote (``meta_bytes``). Inside a
    JSON string every quote is escaped, so the key's bytes cannot occur in a value."""
    at = raw.rfind(PAYLOAD_KEY)
    end = len(raw.rstrip())
    if at < 0 or not raw[:end].endswith(b"}"):
        return None
    return raw[at + len(PAYLOAD_KEY) : end - 1]


@dataclass
class Meta:
    """What an ``<id>.json`` says, as far as it can be read."""

    fields: dict  # the header fields that have the right type
    bulletin: object = None  # the stored parse (still unchecked JSON)
    problem: str = ""  # why the stored parse is not used as it is; "" when it is
    damaged: bool = False  # the problem is damage or editing (not an upgrade)
    legacy: bool = False  # written before checksums (format 2 or older)


def read_meta(raw: bytes) -> Meta:
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as exc:  # not UTF-8, not JSON, nested too deep
        return Meta({}, problem=f"it is not JSON ({type(exc).__name__})", damaged=True)
    if not isinstance(data, dict):
        return Meta({}, problem=f"it holds a JSON {type(data).__name__}, not an object", damaged=True)
    fields = {
        key: data[key]
        for key, kind in FIELDS.items()
        if key in data and isinstance(data[key], kind) and not isinstance(data[key], bool)
    }
    meta = Meta(fields, data.get("bulletin"))
    if "format" in fields and fields["format"] < FORMAT and "bulletin_sha256" not in data:
        meta.problem = f"it was written before checksums were kept (format {fields['format']})"
        meta.legacy = isinstance(meta.bulletin, dict) and fields.get("parser_version") == PARSER_VERSION
    elif missing := [key for key in FIELDS if key not in fields]:
        meta.problem, meta.damaged = f"fields missing or of the wrong type: {', '.join(missing)}", True
    elif not isinstance(meta.bulletin, dict):
        meta.problem, meta.damaged = "it holds no parse", True
    elif (payload := stored_payload(raw)) is None or sha256_hex(payload) != fields["bulletin_sha256"]:
        meta.problem, meta.damaged = "its parse does not match its checksum (edited or damaged)", True
    elif fields["parser_version"] != PARSER_VERSION:
        meta.problem = f"it was parsed by parser version {fields['parser_version']}"
    return meta


def original_name(bulletin_id: str, kind: str) -> str:
    return f"{bulletin_id}.{kind}"


def mtime_iso(path: Path) -> str:
    from datetime import UTC, datetime  # when an entry is written or mended, not when read

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


def record_of(
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
