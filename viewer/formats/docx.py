"""Word (.docx): the body's paragraphs and tables in reading order → Lines.

python-docx opens the package and gives the styles, numbering and core properties; the
body itself is walked as XML, so that text inside content controls, tracked insertions,
hyperlinks, fields and text boxes is read, deleted text and field codes are not, and
tables come in their place among the paragraphs. Automatic numbering ("一、", "（一）",
"1.") is not text in a Word file: it is rendered here from the numbering definitions, as
Word shows it, for the decimal, Chinese and other counting formats.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from viewer.formats.base import Cancel, Cancelled, Extracted, Progress, never_cancel, no_progress
from viewer.formats.errors import FormatError
from viewer.formats.paragraph_text import collapse, is_cjk, split_at_breaks
from viewer.formats.repair import repair_line
from viewer.model.lines import Line

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: An OLE2 file holding this stream is an encrypted (password-protected) .docx.
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
#: A body's document.xml bigger than this is refused unparsed (a zip bomb, not a bulletin).
MAX_DOCUMENT_XML_BYTES = 200 * 1024 * 1024
#: A line break inside a paragraph, among its pieces of text.
_BREAK = "\n"
#: Containers whose children are read as if they stood in their parent's place.
_TRANSPARENT = {
    f"{_W}hyperlink",
    f"{_W}smartTag",
    f"{_W}ins",
    f"{_W}moveTo",
    f"{_W}customXml",
    f"{_W}fldSimple",
    f"{_W}dir",
    f"{_W}bdo",
    f"{_W}sdtContent",
    f"{_W}sdt",
}
_HEADING_NAME = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.IGNORECASE)
_TITLE_NAMES = {"title", "标题"}
_TRUE = {"1", "true", "on"}


def read(data: bytes, progress: Progress = no_progress, cancel: Cancel = never_cancel) -> Extracted:
    """Read a .docx file's bytes into lines; FormatError when it is no readable Word file."""
    document = _open(data)
    body = document.element.body
    reader = _Reader(_Styles(document), _Numbering(document))
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


def _on(element: Any | None) -> bool | None:
    """A toggle property (<w:b/>, <w:b w:val="0"/>) as True/False; None when absent."""
    if element is None:
        return None
    return element.get(f"{_W}val", "true").lower() in _TRUE


# --------------------------------------------------------------------------- styles


@dataclass
class _Style:
    name: str
    based_on: str | None
    bold: bool | None
    outline: int | None  # 0-based outline level (9 = body text)
    num_id: str | None
    num_level: int | None


class _Styles:
    """Paragraph and character styles by id, resolved through their ``basedOn`` chain."""

    def __init__(self, document: Any) -> None:
        self._styles: dict[str, _Style] = {}
        self.default_paragraph: str | None = None
        self.default_bold = False
        root = document.styles.element
        defaults = root.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr")
        if defaults is not None:
            self.default_bold = bool(_on(defaults.find(f"{_W}b")))
        for style in root.iter(f"{_W}style"):
            style_id = style.get(f"{_W}styleId")
            if style_id is None:
                continue
            name_el = style.find(f"{_W}name")
            based = style.find(f"{_W}basedOn")
            ppr = style.find(f"{_W}pPr")
            rpr = style.find(f"{_W}rPr")
            outline = num_id = num_level = None
            if ppr is not None:
                outline_el = ppr.find(f"{_W}outlineLvl")
                if outline_el is not None:
                    outline = _int(outline_el.get(f"{_W}val"))
                num_id, num_level = _num_pr(ppr.find(f"{_W}numPr"))
            self._styles[style_id] = _Style(
                name=(name_el.get(f"{_W}val", "") if name_el is not None else "").strip(),
                based_on=based.get(f"{_W}val") if based is not None else None,
                bold=_on(rpr.find(f"{_W}b")) if rpr is not None else None,
                outline=outline,
                num_id=num_id,
                num_level=num_level,
            )
            if style.get(f"{_W}type") == "paragraph" and style.get(f"{_W}default") in _TRUE:
                self.default_paragraph = style_id

    def chain(self, style_id: str | None) -> Iterator[tuple[str, _Style]]:
        seen: set[str] = set()
        while style_id and style_id not in seen and style_id in self._styles:
            seen.add(style_id)
            style = self._styles[style_id]
            yield style_id, style
            style_id = style.based_on

    def heading(self, style_id: str | None) -> int:
        """The heading level a paragraph style states (by name, else by outline level)."""
        for _sid, style in self.chain(style_id):
            match = _HEADING_NAME.match(style.name)
            if match:
                return int(match.group(1))
            if style.name.lower() in _TITLE_NAMES:
                return 1
        for _sid, style in self.chain(style_id):
            if style.outline is not None:
                return style.outline + 1 if style.outline < 9 else 0
        return 0

    def bold(self, style_id: str | None) -> bool | None:
        for _sid, style in self.chain(style_id):
            if style.bold is not None:
                return style.bold
        return None

    def numbering(self, style_id: str | None) -> tuple[str | None, int | None, str | None]:
        """(numId, ilvl, the style that carries them) from the style chain."""
        for sid, style in self.chain(style_id):
            if style.num_id is not None:
                return style.num_id, style.num_level, sid
        return None, None, None


def _int(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _num_pr(num_pr: Any | None) -> tuple[str | None, int | None]:
    if num_pr is None:
        return None, None
    num_el = num_pr.find(f"{_W}numId")
    lvl_el = num_pr.find(f"{_W}ilvl")
    num_id = num_el.get(f"{_W}val") if num_el is not None else None
    return num_id, _int(lvl_el.get(f"{_W}val")) if lvl_el is not None else None


# --------------------------------------------------------------------------- numbering


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    suffix: str = "tab"
    legal: bool = False
    style: str | None = None
    restart: int | None = None  # restart after a level ≤ this one (0-based), None = any higher


@dataclass
class _List:
    abstract: str
    levels: dict[int, _Level] = field(default_factory=dict)
    overrides: dict[int, int] = field(default_factory=dict)  # ilvl → start


class _Numbering:
    """The numbering part's lists, and the counters as paragraphs are numbered in order."""

    def __init__(self, document: Any) -> None:
        self._lists: dict[str, _List] = {}
        self._counters: dict[str, dict[int, int]] = {}
        self._started: set[str] = set()
        try:
            part = document.part.numbering_part
        except (KeyError, NotImplementedError):
            return
        root = part.element
        abstracts: dict[str, dict[int, _Level]] = {}
        for abstract in root.iter(f"{_W}abstractNum"):
            abstracts[abstract.get(f"{_W}abstractNumId", "")] = {
                _int(lvl.get(f"{_W}ilvl"), 0) or 0: _level(lvl) for lvl in abstract.iter(f"{_W}lvl")
            }
        for num in root.iter(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            abstract_id = ref.get(f"{_W}val", "") if ref is not None else ""
            levels = dict(abstracts.get(abstract_id, {}))
            entry = _List(abstract=abstract_id, levels=levels)
            for override in num.iter(f"{_W}lvlOverride"):
                ilvl = _int(override.get(f"{_W}ilvl"), 0) or 0
                redefined = override.find(f"{_W}lvl")
                if redefined is not None:
                    levels[ilvl] = _level(redefined)
                start = override.find(f"{_W}startOverride")
                if start is not None:
                    entry.overrides[ilvl] = _int(start.get(f"{_W}val"), 1) or 0
            self._lists[num.get(f"{_W}numId", "")] = entry

    def level_for_style(self, num_id: str, style_id: str | None) -> int:
        entry = self._lists.get(num_id)
        if entry is not None and style_id is not None:
            for ilvl, level in entry.levels.items():
                if level.style == style_id:
                    return ilvl
        return 0

    def label(self, num_id: str, ilvl: int) -> tuple[str, str] | None:
        """Advance the list's counter at ``ilvl``; (label as Word shows it, suffix), or None
        when the list or its format is unknown (bullets, pictures: the text stays as it is)."""
        entry = self._lists.get(num_id)
        if entry is None or ilvl not in entry.levels:
            return None
        counters = self._counters.setdefault(entry.abstract, {})
        if num_id not in self._started:
            self._started.add(num_id)
            for level_no, start in entry.overrides.items():
                counters[level_no] = start - 1
        level = entry.levels[ilvl]
        counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            restart = entry.levels.get(deeper, _Level()).restart
            if restart is None or ilvl <= restart:
                del counters[deeper]
        if level.fmt == "bullet":
            return None

        def number(match: re.Match[str]) -> str:
            ref = int(match.group(1)) - 1
            ref_level = entry.levels.get(ref, _Level())
            value = counters.get(ref, ref_level.start)
            fmt = "decimal" if level.legal and ref != ilvl else ref_level.fmt
            shown = format_number(value, fmt)
            return shown if shown is not None else "\x00"

        text = re.sub(r"%([1-9])", number, level.text)
        if "\x00" in text:
            return None
        return text, level.suffix


def _level(lvl: Any) -> _Level:
    def val(tag: str) -> str | None:
        el = lvl.find(f"{_W}{tag}")
        return el.get(f"{_W}val") if el is not None else None

    restart = _int(val("lvlRestart"))
    return _Level(
        start=_int(val("start"), 1) or 0,
        fmt=val("numFmt") or "decimal",
        text=val("lvlText") if val("lvlText") is not None else "",
        suffix=val("suff") or "tab",
        legal=bool(_on(lvl.find(f"{_W}isLgl"))),
        style=val("pStyle"),
        restart=None if restart is None else restart - 1,
    )


_CN_DIGITS = "〇一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"


def _chinese(n: int, digits: str = _CN_DIGITS, units: str = "十百千", zero_mark: str = "零") -> str:
    """1..9999 in Chinese counting (十一, 二十, 一百零五); larger numbers digit by digit."""
    if not 0 < n < 10000:
        return "".join(digits[int(d)] for d in str(n))
    out = ""
    parts = [(n // 1000, units[2]), (n // 100 % 10, units[1]), (n // 10 % 10, units[0]), (n % 10, "")]
    zero = False
    for value, unit in parts:
        if value == 0:
            zero = bool(out)
            continue
        if zero:
            out += zero_mark
            zero = False
        out += digits[value] + unit
    if out.startswith(digits[1] + units[0]) and digits is _CN_DIGITS:
        out = out[1:]  # 十一, not 一十一
    return out


def _roman(n: int) -> str:
    values = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"))
    values += ((50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
    out = ""
    for value, letters in values:
        while n >= value:
            out += letters
            n -= value
    return out


def format_number(n: int, fmt: str) -> str | None:
    """``n`` in Word's number format ``fmt`` ("decimal", "chineseCounting"…); None when the
    format is not one this reader renders."""
    if fmt in ("decimal", "ordinal", "cardinalText", "ordinalText"):
        return str(n)
    if fmt == "none":
        return ""
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(n).translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "japaneseCounting",
        "taiwaneseCounting",
        "taiwaneseCountingThousand",
        "koreanCounting",
    ):
        return _chinese(n)
    if fmt in ("chineseLegalSimplified", "ideographLegalTraditional", "japaneseLegal"):
        return _chinese(n, _CN_LEGAL, "拾佰仟")
    if fmt in ("ideographDigital", "taiwaneseDigital", "koreanDigital"):
        return "".join(_CN_DIGITS[int(d)] for d in str(n))
    if fmt == "ideographTraditional" and 0 < n <= 10:
        return _TIANGAN[n - 1]
    if fmt == "ideographZodiac" and 0 < n <= 12:
        return _DIZHI[n - 1]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese", "ideographEnclosedCircle"):
        return chr(0x2460 + n - 1) if 0 < n <= 20 else str(n)
    if fmt == "decimalEnclosedParen":
        return chr(0x2474 + n - 1) if 0 < n <= 20 else f"({n})"
    if fmt == "decimalEnclosedFullstop":
        return chr(0x2488 + n - 1) if 0 < n <= 20 else f"{n}."
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else str(n)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(n) if n > 0 else str(n)
        return roman.upper() if fmt == "upperRoman" else roman
    return None


# --------------------------------------------------------------------------- body


@dataclass
class _Pieces:
    """A paragraph's text as it is read: segments between line breaks, and bold runs."""

    segments: list[str] = field(default_factory=lambda: [""])
    bold_runs: int = 0
    plain_runs: int = 0
    text_boxes: list[Any] = field(default_factory=list)

    def add(self, text: str) -> None:
        self.segments[-1] += text

    def brk(self) -> None:
        self.segments.append("")


class _Reader:
    def __init__(self, styles: _Styles, numbering: _Numbering) -> None:
        self.styles = styles
        self.numbering = numbering
        self.lines: list[Line] = []

    # Blocks -------------------------------------------------------------------
    def block(self, element: Any) -> None:
        tag = element.tag
        if tag == f"{_W}p":
            self.paragraph(element)
        elif tag == f"{_W}tbl":
            for row in self.table_rows(element):
                self.lines.append(Line(row, starts_paragraph=True, table=True))
        elif tag in _TRANSPARENT or tag == f"{_MC}AlternateContent":
            for child in _alternate_choice(element):
                self.block(child)

    def paragraph(self, p: Any) -> None:
        pieces, heading, bold = self.read_paragraph(p)
        texts = split_at_breaks(pieces.segments)
        for text in texts:
            self.lines.append(
                Line(
                    repair_line(text),
                    starts_paragraph=True,
                    heading=heading,
                    bold=bold and not heading,
                )
            )
        for box in pieces.text_boxes:
            for child in box:
                self.block(child)

    def read_paragraph(self, p: Any) -> tuple[_Pieces, int, bool]:
        ppr = p.find(f"{_W}pPr")
        style_id = self.styles.default_paragraph
        num_id, ilvl = None, None
        outline = None
        if ppr is not None:
            style_el = ppr.find(f"{_W}pStyle")
            if style_el is not None:
                style_id = style_el.get(f"{_W}val")
            num_id, ilvl = _num_pr(ppr.find(f"{_W}numPr"))
            outline_el = ppr.find(f"{_W}outlineLvl")
            if outline_el is not None:
                outline = _int(outline_el.get(f"{_W}val"))
        heading = self.styles.heading(style_id)
        if outline is not None:
            heading = outline + 1 if outline < 9 else 0
        para_bold = self.styles.bold(style_id)
        pieces = _Pieces()
        self.inline(p, pieces, style_id, para_bold)
        has_text = any(segment.strip() for segment in pieces.segments)
        if has_text:
            label = self.label(num_id, ilvl, style_id)
            if label:
                pieces.segments[0] = label + pieces.segments[0].lstrip()
        bold = has_text and pieces.bold_runs > 0 and pieces.plain_runs == 0
        return pieces, heading, bold

    def label(self, num_id: str | None, ilvl: int | None, style_id: str | None) -> str:
        if num_id is None:
            num_id, style_level, carrier = self.styles.numbering(style_id)
            if num_id is None:
                return ""
            ilvl = style_level if style_level is not None else self.numbering.level_for_style(num_id, carrier)
        if num_id == "0":
            return ""
        shown = self.numbering.label(num_id, ilvl or 0)
        if shown is None or not shown[0]:
            return ""
        text, suffix = shown
        if suffix == "nothing" or is_cjk(text[-1]):
            return text
        return text + " "

    # Inline -------------------------------------------------------------------
    def inline(self, element: Any, pieces: _Pieces, style_id: str | None, para_bold: bool | None) -> None:
        for child in element:
            tag = child.tag
            if tag == f"{_W}r":
                self.run(child, pieces, para_bold)
            elif tag in _TRANSPARENT:
                self.inline(child, pieces, style_id, para_bold)
            elif tag == f"{_MC}AlternateContent":
                for chosen in _alternate_choice(child):
                    self.inline(chosen, pieces, style_id, para_bold)
            elif tag in (f"{_M}oMath", f"{_M}oMathPara"):
                pieces.add("".join(t.text or "" for t in child.iter(f"{_M}t")))

    def run(self, r: Any, pieces: _Pieces, para_bold: bool | None) -> None:
        text = ""
        for child in r:
            tag = child.tag
            if tag == f"{_W}t":
                text += child.text or ""
            elif tag in (f"{_W}tab", f"{_W}ptab"):
                text += "\t"
            elif tag in (f"{_W}br", f"{_W}cr"):
                pieces.add(text)
                text = ""
                pieces.brk()
            elif tag == f"{_W}noBreakHyphen":
                text += "-"
            elif tag in (f"{_W}drawing", f"{_W}pict", f"{_MC}AlternateContent"):
                pieces.text_boxes.extend(_text_boxes(child))
        pieces.add(text)
        if text.strip():
            if self.run_bold(r, para_bold):
                pieces.bold_runs += 1
            else:
                pieces.plain_runs += 1

    def run_bold(self, r: Any, para_bold: bool | None) -> bool:
        rpr = r.find(f"{_W}rPr")
        if rpr is not None:
            direct = _on(rpr.find(f"{_W}b"))
            if direct is not None:
                return direct
            char_style = rpr.find(f"{_W}rStyle")
            if char_style is not None:
                styled = self.styles.bold(char_style.get(f"{_W}val"))
                if styled is not None:
                    return styled
        if para_bold is not None:
            return para_bold
        return self.styles.default_bold

    # Tables -------------------------------------------------------------------
    def table_rows(self, tbl: Any) -> list[str]:
        rows = []
        for tr in _children(tbl, f"{_W}tr"):
            cells = [self.cell_text(tc) for tc in _children(tr, f"{_W}tc")]
            if any(cells):
                rows.append(repair_line(" | ".join(cells)))
        return rows

    def cell_text(self, tc: Any) -> str:
        tcpr = tc.find(f"{_W}tcPr")
        if tcpr is not None:
            vmerge = tcpr.find(f"{_W}vMerge")
            if vmerge is not None and vmerge.get(f"{_W}val", "continue") == "continue":
                return ""  # the cell above, merged down: its text was given once, there
        parts: list[str] = []
        for child in _flat_blocks(tc):
            if child.tag == f"{_W}p":
                pieces, _heading, _bold = self.read_paragraph(child)
                parts.extend(split_at_breaks(pieces.segments))
            elif child.tag == f"{_W}tbl":
                parts.extend(self.table_rows(child))
        return collapse(" ".join(parts)).replace("|", "｜")


def _alternate_choice(element: Any) -> list[Any]:
    """A markup-compatibility block's first choice (its fallback repeats the same content);
    any other transparent container's children."""
    if element.tag == f"{_MC}AlternateContent":
        choice = element.find(f"{_MC}Choice")
        if choice is None:
            choice = element.find(f"{_MC}Fallback")
        return list(choice) if choice is not None else []
    return list(element)


def _text_boxes(element: Any) -> list[Any]:
    """The text boxes (<w:txbxContent>) inside a drawing, skipping fallback copies."""
    found = []
    stack = [element]
    while stack:
        node = stack.pop()
        for child in reversed(list(node)):
            if child.tag == f"{_MC}Fallback":
                continue
            if child.tag == f"{_W}txbxContent":
                found.append(child)
            else:
                stack.append(child)
    return found


def _children(element: Any, tag: str) -> Iterator[Any]:
    """Children with ``tag``, looking through content controls and custom XML wrappers."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"):
            yield from _children(child, tag)


def _flat_blocks(element: Any) -> Iterator[Any]:
    for child in element:
        if child.tag in (f"{_W}p", f"{_W}tbl"):
            yield child
        elif child.tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"):
            yield from _flat_blocks(child)


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
        for p in element.iter(f"{_W}p"):
            text = collapse("".join(t.text or "" for t in p.iter(f"{_W}t")))
            if text:
                out.append(text)
    return out
