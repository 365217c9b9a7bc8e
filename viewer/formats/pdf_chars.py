"""What a PDF page holds for reading: its characters with their boxes and fonts, and its rules.

One job: turn a pypdfium2 page into plain records in points from the page's top left —
:class:`Char` (one visible character, upright), :class:`Rule` (a horizontal or vertical
line segment drawn on the page, from which ruled tables are found) — so the layout code
never calls pdfium.
"""

from __future__ import annotations

import ctypes
import math
from dataclasses import dataclass
from typing import Any

#: Characters closer to upright than this (radians) are read; rotated text (watermarks,
#: margin stamps, vertical labels) is not body text.
_MAX_ANGLE = 0.05
#: A segment is a rule when it is this straight (points) and at least this long.
_STRAIGHT = 1.0
_MIN_RULE = 3.0
_BOLD_NAMES = ("bold", "heavy", "black", "semibold", "demibold", "hei", "黑")
_FORCE_BOLD_FLAG = 1 << 18


@dataclass(slots=True)
class Char:
    """One character: its text, box (x0, top, x1, bottom), font size and boldness."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    bold: bool


@dataclass(frozen=True, slots=True)
class Rule:
    """A straight line on the page: horizontal (``y0 == y1``) or vertical (``x0 == x1``)."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def horizontal(self) -> bool:
        return self.y0 == self.y1


@dataclass(slots=True)
class PageContent:
    width: float
    height: float
    chars: list[Char]
    rules: list[Rule]
    images: int


def _font_is_bold(raw: Any, textpage: Any, index: int, buf: Any, flags: Any, cache: dict) -> bool:
    length = raw.FPDFText_GetFontInfo(textpage, index, buf, len(buf), flags)
    key = (bytes(buf.raw[: max(length - 1, 0)]), flags.value)
    bold = cache.get(key)
    if bold is None:
        name = key[0].decode("utf-8", "replace").lower()
        if "\ufffd" in name:
            name = key[0].decode("gb18030", "replace").lower()
        bold = any(word in name for word in _BOLD_NAMES) or bool(flags.value & _FORCE_BOLD_FLAG)
        cache[key] = bold
    return bold or raw.FPDFText_GetFontWeight(textpage, index) >= 600


def read_chars(raw: Any, textpage: Any, left: float, top: float) -> list[Char]:
    """The page's upright, non-generated characters (spaces included), in content order."""
    count = raw.FPDFText_CountChars(textpage)
    chars: list[Char] = []
    rect = raw.FS_RECTF()
    matrix = raw.FS_MATRIX()
    buf = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    font_cache: dict = {}
    pending_high = 0
    for k in range(count):
        if raw.FPDFText_IsGenerated(textpage, k):
            continue
        code = raw.FPDFText_GetUnicode(textpage, k)
        if 0xD800 <= code < 0xDC00:
            pending_high = code
            continue
        if 0xDC00 <= code < 0xE000 and pending_high:
            code = 0x10000 + ((pending_high - 0xD800) << 10) + (code - 0xDC00)
        pending_high = 0
        if code in (0, 0xFFFE, 0xFFFF) or code in (0x0A, 0x0D):
            continue
        angle = raw.FPDFText_GetCharAngle(textpage, k)
        if angle < 0 or min(angle, 2 * math.pi - angle) > _MAX_ANGLE:
            continue
        if not raw.FPDFText_GetLooseCharBox(textpage, k, rect):
            continue
        raw.FPDFText_GetMatrix(textpage, k, matrix)
        scale = math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c)) or 1.0
        size = raw.FPDFText_GetFontSize(textpage, k) * scale
        height = rect.top - rect.bottom
        if not 0.5 < size < 200 or (height > 0 and size > 3 * height):
            size = height
        if size <= 0:
            continue
        chars.append(
            Char(
                text=chr(code),
                x0=rect.left - left,
                top=top - rect.top,
                x1=rect.right - left,
                bottom=top - rect.bottom,
                size=size,
                bold=_font_is_bold(raw, textpage, k, buf, flags, font_cache),
            )
        )
    return chars


def _path_rules(raw: Any, obj: Any, left: float, top: float) -> list[Rule]:
    matrix = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, matrix):
        return []
    rules: list[Rule] = []
    x = ctypes.c_float()
    y = ctypes.c_float()
    start: tuple[float, float] | None = None
    prev: tuple[float, float] | None = None

    def add(p: tuple[float, float], q: tuple[float, float]) -> None:
        (ax, ay), (bx, by) = p, q
        if abs(ay - by) <= _STRAIGHT and abs(ax - bx) >= _MIN_RULE:
            ym = (ay + by) / 2
            rules.append(Rule(min(ax, bx), ym, max(ax, bx), ym))
        elif abs(ax - bx) <= _STRAIGHT and abs(ay - by) >= _MIN_RULE:
            xm = (ax + bx) / 2
            rules.append(Rule(xm, min(ay, by), xm, max(ay, by)))

    for i in range(raw.FPDFPath_CountSegments(obj)):
        seg = raw.FPDFPath_GetPathSegment(obj, i)
        if not seg or not raw.FPDFPathSegment_GetPoint(seg, x, y):
            continue
        px = matrix.a * x.value + matrix.c * y.value + matrix.e - left
        py = top - (matrix.b * x.value + matrix.d * y.value + matrix.f)
        point = (px, py)
        kind = raw.FPDFPathSegment_GetType(seg)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            start = point
        elif kind == raw.FPDF_SEGMENT_LINETO and prev is not None:
            add(prev, point)
        prev = point
        if raw.FPDFPathSegment_GetClose(seg) and start is not None:
            add(point, start)
            prev = start
    return rules


def read_page(raw: Any, page: Any) -> PageContent:
    """Characters, rules and the number of images of one page."""
    left, _bottom, right, top = page.get_bbox()
    textpage = page.get_textpage()
    try:
        chars = read_chars(raw, textpage, left, top)
    finally:
        textpage.close()
    rules: list[Rule] = []
    images = 0
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        if obj.type == raw.FPDF_PAGEOBJ_IMAGE:
            images += 1
        else:
            rules.extend(_path_rules(raw, obj, left, top))
    return PageContent(right - left, top - _bottom, chars, rules, images)
