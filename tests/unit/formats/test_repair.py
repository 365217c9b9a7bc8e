"""repair_line: the character repairs every format reader applies to a line."""

from __future__ import annotations

import unicodedata

import pytest

from viewer.formats.repair import repair_line


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("例 如 ， 加 强 管 理 。", "例如，加强管理。"),
        ("全面 推进  “十四五” 规划", "全面推进“十四五”规划"),
        ("the State Council  of China", "the State Council of China"),
        ("使用 Python 编程", "使用 Python 编程"),
        ("见（ 附件 ）", "见（附件）"),
        ("Python ，然后", "Python，然后"),
        ("  前后空格  ", "前后空格"),
    ],
)
def test_spaces_between_cjk_removed_latin_kept(raw, expected):
    assert repair_line(raw) == expected


def test_kangxi_radicals_and_supplement_forms_become_unified():
    # ⽆ U+2F46, ⻔ U+2ED4, ⽣ U+2F63, ⾎ U+2F8E
    assert repair_line("\u2f46\u2ed4\u2f63\u2f8e") == "无门生血"
    assert repair_line("⻓城⻛⻢") == "长城风马"


def test_compatibility_ideographs_become_unified():
    # U+F900 豈 and U+2F800 丽 compatibility forms → their unified ideographs.
    assert repair_line("\uf900\U0002f800") == unicodedata.normalize("NFC", "\uf900\U0002f800")
    assert repair_line("\uf900") == "\u8c48"


def test_nfc():
    assert repair_line("Cafe\u0301") == "Café"


def test_invisible_characters_removed():
    assert repair_line("监\u200b管\u00ad动\ufeff态\u200d") == "监管动态"
    assert repair_line("inter\x02national") == "international"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2郾2摇机制设计", "2.2 机制设计"),
        ("1郾2郾3摇摇方法", "1.2.3 方法"),
        ("图1摇系统结构", "图1 系统结构"),
        ("ISSN 1001鄄0920", "ISSN 1001-0920"),
        ("Zhang San, Li Si, et al郾", "Zhang San, Li Si, et al."),
        ("摇 摇 随着经济发展", "随着经济发展"),
        ("Control摇and摇Decision", "Control and Decision"),
    ],
)
def test_founder_mismaps_repaired_in_context(raw, expected):
    assert repair_line(raw) == expected


@pytest.mark.parametrize("word", ["市场信心动摇了", "河南郾城区", "山东鄄城县", "摇篮里", "摇摇欲坠"])
def test_founder_characters_in_ordinary_words_kept(word):
    assert repair_line(word) == word


def test_ideographic_space_inside_line_kept():
    assert repair_line("北京市人民政府\u3000\u30002024年1月") == "北京市人民政府\u3000\u30002024年1月"


def test_empty_and_blank():
    assert repair_line("") == ""
    assert repair_line(" \u3000 ") == ""
