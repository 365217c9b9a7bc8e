"""Turn the bytes of a published bulletin into text, or refuse them with a plain reason."""

from __future__ import annotations

import codecs
import re

from viewer.model.errors import ParseError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: Control characters (Unicode category Cc) that plain text does not contain: all but
#: tab, newline, vertical tab, form feed and carriage return.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    limit = max(2, len(text) // 1000)
    return any(n > limit for n, _match in enumerate(_CONTROLS.finditer(text), 1))


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode ``data``; return (text, encoding name).

    UTF-8 (with or without BOM), UTF-16/32 with BOM, and GB18030 are accepted.
    Newlines are normalised to "\\n". Raises ParseError for empty, blank, binary
    or undecodable input.
    """
    if not data:
        raise ParseError("the file is empty")
    text = encoding = None
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                text, encoding = data[len(bom) :].decode(name), name
            except UnicodeDecodeError as exc:
                raise ParseError(f"the file starts like {name} text but is not valid {name}") from exc
            break
    if text is None:
        if b"\x00" in data:
            raise ParseError("the file is binary, not text")
        for name in ("utf-8", "gb18030"):
            try:
                text, encoding = data.decode(name), name
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ParseError("the file is neither UTF-8, UTF-16 nor GB18030 text")
    if _looks_binary(text):
        raise ParseError("the file is binary, not text")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    if not text.strip():
        raise ParseError("the file holds only blank lines")
    return text, encoding
