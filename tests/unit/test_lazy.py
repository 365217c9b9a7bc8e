"""Lazy patterns: compiled on first use, then the compiled pattern's own methods."""

from __future__ import annotations

import re

from tests.conftest import fresh_python
from viewer.lazy import LazyPattern


def test_a_lazy_pattern_matches_as_the_compiled_one():
    source = r"(?<!\d)((?:19|20)\d{2})年(\d{1,2})月"
    lazy, compiled = LazyPattern(source), re.compile(source)
    text = "2020年2月3日发布，2021年12月施行"
    assert lazy.search(text).groups() == compiled.search(text).groups()
    assert lazy.findall(text) == compiled.findall(text)
    assert lazy.sub("X", text) == compiled.sub("X", text)
    assert lazy.match(text).group(1) == "2020" and lazy.fullmatch(text) is None
    assert lazy.groups == 2 and lazy.pattern == source
    assert LazyPattern("abc", re.IGNORECASE).match("ABC")


def test_importing_the_document_rules_compiles_none_of_them():
    code = (
        "from viewer.lazy import LazyPattern\n"
        "import viewer.model.official as o\n"
        "lazy = [v for v in vars(o).values() if isinstance(v, LazyPattern)]\n"
        "print(len(lazy), sum(v._compiled is not None for v in lazy))\n"
        "o.is_addressee('各区人民政府：')\n"
        "print(sum(v._compiled is not None for v in lazy))\n"
    )
    counts, after = fresh_python(code)
    total, compiled = map(int, counts.split())
    assert total >= 20 and compiled == 0
    assert 0 < int(after) < total  # what a rule needs, not all of them
