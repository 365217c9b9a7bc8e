"""Word (.docx): the body's paragraphs and tables in reading order → Lines.

One job: the reader's entry point. It opens the package with python-docx (refusing, in
plain words, what is no readable .docx: an old .doc, an encrypted file, RTF, a damaged or
oversized zip), hands the body's blocks in order to :mod:`viewer.formats.docx_body` with
the document's styles (:mod:`viewer.formats.docx_styles`) and numbering
(:mod:`viewer.formats.docx_numbering`, which renders "一、", "（一）", "1." as Word shows
them), reports progress and honours cancel, takes the title from the core properties, and
keeps the running headers, footers and notes apart in ``removed``.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from viewer.formats.base import Cancelled, Extracted
from viewer.formats.docx_body import BodyReader
from viewer.formats.docx_numbering import Numbering, format_number
from viewer.formats.docx_styles import Styles
from viewer.formats.docx_xml import W
from viewer.formats.errors import FormatError
from viewer.formats.paragraph_text import collapse
from viewer.formats.repair import repair_line
from viewer.progress import Cancel, Progress, never_cancel, no_progress

__all__ = ["MAX_DOCUMENT_XML_BYTES", "format_number", "read"]

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: An OLE2 file holding this stream is an encrypted (password-protected) .docx.
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
#: A body's document.xml bigger than this is refused unparsed (a zip bomb, not a bulletin).
MAX_DOCUMENT_XML_BYTES = 200 * 1024 * 1024


def read(data: bytes, progress: Progress = no_progress, cancel: Cancel = never_cancel) -> Extracted:
    """Read a .docx file's bytes into lines; FormatError when it is no readable Word file."""
    document = _open(data)
    body = document.element.body
    reader = BodyReader(Styles(document), Numbering(document))
    blocks = list(body)
    total = len(blocks)
    for done, child in enumerate(blocks):
        if done % 200 == 0:
            if cancel():
                raise Cancelled
            progress(done, total, f"block {done} of {total}")
        reader.block(child)
    progress(total, total, f"block {total} of {total}")
    meta = {}
    title = collapse(document.core_properties.title or "")
    if title:
        meta["title"] = repair_line(title)
    return Extracted(kind="docx", lines=reader.lines, removed=_furniture(document), meta=meta)


def _open(data: bytes) -> Any:
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED_STREAM in data:
            raise FormatError(
                "this Word document is password-protected; remove the password and save it again"
            )
        raise FormatError("this is an old Word .doc file; save it as .docx")
    if data.lstrip()[:5] == b"{\\rtf":
        raise FormatError("this is an RTF file, not a .docx; save it as .docx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = {info.filename: info for info in archive.infolist()}
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FormatError("this .docx is damaged (it is not a readable zip archive)") from exc
    main = names.get("word/document.xml")
    if main is None:
        raise FormatError("this .docx is not a Word document (no word/document.xml)")
    if main.file_size > MAX_DOCUMENT_XML_BYTES:
        raise FormatError(
            f"this .docx is too large ({main.file_size // 2**20} MB of text markup; "
            f"the limit is {MAX_DOCUMENT_XML_BYTES // 2**20} MB)"
        )
    import zlib

    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml import etree

    try:
        return docx.Document(io.BytesIO(data))
    except ValueError as exc:
        if "content type" in str(exc):
            raise FormatError(
                "this file is not a Word document (.docx): its main part is of another kind"
            ) from exc
        raise FormatError(f"this .docx is damaged ({exc})") from exc
    except (
        KeyError,
        EOFError,
        OSError,
        zipfile.BadZipFile,
        zlib.error,
        etree.XMLSyntaxError,
        PackageNotFoundError,
    ) as exc:
        raise FormatError(f"this .docx is damaged ({type(exc).__name__}: {exc})") from exc


def _furniture(document: Any) -> list[str]:
    """The text of running headers, footers, footnotes and endnotes: not read as body text,
    kept in ``removed``."""
    out = []
    for part in document.part.package.iter_parts():
        name = str(part.partname)
        if not re.match(r"/word/(header|footer|footnotes|endnotes)\d*\.xml$", name):
            continue
        element = getattr(part, "element", None)
        if element is None:
            from lxml import etree

            try:
                element = etree.fromstring(part.blob)
            except etree.XMLSyntaxError:
                continue
        for p in element.iter(f"{W}p"):
            text = collapse("".join(t.text or "" for t in p.iter(f"{W}t")))
            if text:
                out.append(text)
    return out
