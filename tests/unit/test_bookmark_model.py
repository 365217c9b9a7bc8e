"""Bookmarks find their passage again after the bulletin is parsed differently (no I/O)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from viewer.model import (
    CLOSING,
    CONTEXT,
    HEAD,
    HEADLINE,
    LEAD,
    Bookmark,
    Bulletin,
    Paragraph,
    PassageError,
    find_quote,
    locate,
    make_bookmark,
    parse_text,
    passage_text,
    reattach,
)


def _edit_section(bulletin: Bulletin, district: str, texts: list[str], label: str | None = None) -> Bulletin:
    """The bulletin with one district's paragraphs replaced (a changed parse)."""
    sections = []
    for sec in bulletin.sections:
        if sec.district == district:
            paragraphs = tuple(Paragraph(i, t) for i, t in enumerate(texts))
            sec = replace(sec, paragraphs=paragraphs, district=label or sec.district)
        sections.append(sec)
    return replace(bulletin, sections=tuple(sections))


def _texts(bulletin: Bulletin, district: str) -> list[str]:
    return [p.text for p in bulletin.section(district).paragraphs]


def test_selection_keeps_quote_and_context_within_the_paragraph(bulletin):
    text = _texts(bulletin, "东城")[1]
    bookmark = make_bookmark(bulletin, "东城", 1, 40, 60, note="n", tags=[" a ", "b", "A", ""])
    assert bookmark.quote == text[40:60]
    assert bookmark.prefix == text[40 - CONTEXT : 40]
    assert bookmark.suffix == text[60 : 60 + CONTEXT]
    assert (bookmark.bulletin_id, bookmark.district, bookmark.paragraph, bookmark.start) == (
        bulletin.id,
        "东城",
        1,
        40,
    )
    assert bookmark.tags == ("a", "b")
    assert bookmark.title == bulletin.title and bookmark.column == bulletin.column
    assert bookmark.id == 0 and not bookmark.orphaned


def test_whole_paragraph_headline_and_lead(bulletin):
    whole = make_bookmark(bulletin, "东城区", 0)  # a grouping key finds the printed label
    assert whole.district == "东城"
    assert whole.quote == _texts(bulletin, "东城")[0]
    assert whole.prefix == "" and whole.suffix == ""
    headline = make_bookmark(bulletin, "海淀", HEADLINE)
    assert headline.quote == bulletin.section("海淀").headline
    assert headline.place == "海淀 · headline"
    lead = make_bookmark(bulletin, "", 0)
    assert lead.quote == bulletin.lead[0].text and lead.district == ""


def test_selection_is_trimmed_and_bad_selections_are_refused(bulletin):
    text = " 加强 防控 "
    b = _edit_section(bulletin, "东城", [text])
    assert make_bookmark(b, "东城", 0, 0, len(text)).quote == "加强 防控"
    with pytest.raises(PassageError):
        make_bookmark(b, "东城", 0, 3, 3)
    with pytest.raises(PassageError):
        make_bookmark(b, "东城", 0, 0, 99)
    with pytest.raises(PassageError):
        make_bookmark(b, "东城", 5)
    with pytest.raises(PassageError):
        make_bookmark(b, "不存在", 0)


def test_citation_counts_paragraphs_from_one(bulletin):
    bookmark = make_bookmark(bulletin, "东城", 1)
    assert bookmark.citation() == f"{bulletin.title} · {bulletin.column} · 东城 · paragraph 2"
    assert "not found" in replace(bookmark, orphaned=True).citation()


_NOTICE = (
    "北京市人民政府文件\n京政发〔2020〕3号\n北京市人民政府关于加强防控的通知\n各区人民政府：\n"
    "现将有关事项通知如下。\n一、总体要求\n坚持预防为主。\n二、主要措施\n做好消毒工作。\n"
    "特此通知。\n北京市人民政府\n2020年2月3日\n"
)


def test_a_heading_sections_bookmark_cites_title_date_number_and_heading():
    notice = parse_text(_NOTICE)
    second = next(i for i, s in enumerate(notice.sections) if s.headline == "二、主要措施")
    bookmark = make_bookmark(notice, second, 0, 2, 4)
    assert (bookmark.quote, bookmark.section, bookmark.district) == ("消毒", second, "")
    assert bookmark.citation() == (
        "北京市人民政府关于加强防控的通知 · 2020-02-03 · 京政发〔2020〕3号 · 二、主要措施 · paragraph 1"
    )
    # The lead's paragraph 0 is not the heading section's paragraph 0.
    lead = make_bookmark(notice, LEAD, 1)
    assert lead.quote == "现将有关事项通知如下。" and lead.citation().endswith("lead · paragraph 2")
    closing = make_bookmark(notice, CLOSING, 0)
    assert closing.quote == "特此通知。" and closing.place == "closing · paragraph 1"
    for b in (bookmark, lead, closing):
        anchor = locate(b, notice)
        assert anchor is not None and (anchor.section, anchor.paragraph) == (b.section, b.paragraph)
    # A district label passed for a document without that district is refused plainly.
    with pytest.raises(PassageError):
        make_bookmark(notice, "东城", 0)


def test_unchanged_bulletin_locates_at_the_same_place(bulletin):
    for district in bulletin.districts:
        for index, text in enumerate(_texts(bulletin, district)):
            bookmark = make_bookmark(bulletin, district, index, 5, min(len(text), 17))
            anchor = locate(bookmark, bulletin)
            assert anchor is not None and anchor.whole_context
            assert anchor.spans == ((index, 5, min(len(text), 17)),)


def test_merged_paragraphs_reattach_to_the_merged_one(bulletin):
    first, second = _texts(bulletin, "东城")
    bookmark = make_bookmark(bulletin, "东城", 1, 10, 30)
    merged = _edit_section(bulletin, "东城", [first + second])
    moved, anchor = reattach(bookmark, [merged])
    assert not moved.orphaned
    assert (moved.paragraph, moved.start) == (0, len(first) + 10)
    assert anchor.spans == ((0, len(first) + 10, len(first) + 30),)
    assert passage_text(merged, "东城", 0)[anchor.start : anchor.end] == bookmark.quote
    assert moved.quote == bookmark.quote and moved.note == bookmark.note


def test_split_paragraph_reattaches_even_across_the_new_break(bulletin):
    first, second = _texts(bulletin, "东城")
    inside = make_bookmark(bulletin, "东城", 1, 150, 170)
    whole = make_bookmark(bulletin, "东城", 1)
    split = _edit_section(bulletin, "东城", [first, second[:100], second[100:]])
    moved, anchor = reattach(inside, [split])
    assert (moved.paragraph, moved.start, moved.orphaned) == (2, 50, False)
    assert anchor.spans == ((2, 50, 70),)
    moved, anchor = reattach(whole, [split])
    assert not moved.orphaned and moved.paragraph == 1
    assert anchor.spans == ((1, 0, 100), (2, 0, len(second) - 100))


def test_context_chooses_between_repeated_quotes(bulletin):
    # "疫情防控" occurs twice in 东城's second paragraph; each bookmark keeps its own one,
    # even after text is inserted before both and the paragraph is renumbered.
    first, second = _texts(bulletin, "东城")
    starts = [i for i in range(len(second)) if second.startswith("疫情防控", i)]
    assert len(starts) >= 2
    bookmarks = [make_bookmark(bulletin, "东城", 1, s, s + 4) for s in starts]
    changed = _edit_section(bulletin, "东城", ["新增的一段。", first, "插入" + second])
    for bookmark, start in zip(bookmarks, starts, strict=True):
        moved, anchor = reattach(bookmark, [changed])
        assert (moved.paragraph, moved.start) == (2, start + 2)
        assert anchor.whole_context


def test_spacing_and_label_changes_do_not_matter(bulletin):
    bookmark = make_bookmark(bulletin, "东城", 0, 20, 40)
    first, second = _texts(bulletin, "东城")
    spaced = first[:25] + " " + first[25:]
    changed = _edit_section(bulletin, "东城", [spaced, second], "东城区")
    moved, anchor = reattach(bookmark, [changed])
    assert (moved.district, moved.paragraph, moved.start, moved.orphaned) == ("东城区", 0, 20, False)
    assert anchor.end == 41  # the quote now holds the inserted space


def test_a_passage_that_is_gone_is_orphaned_and_comes_back(bulletin):
    bookmark = make_bookmark(bulletin, "东城", 1, 10, 30)
    gone = _edit_section(bulletin, "东城", [_texts(bulletin, "东城")[0]])
    orphan, anchor = reattach(bookmark, [gone])
    assert anchor is None and orphan.orphaned
    assert orphan.quote == bookmark.quote and orphan.paragraph == 1  # everything kept
    again, anchor = reattach(orphan, [bulletin])
    assert anchor is not None and not again.orphaned


def test_quote_moves_to_another_bulletin_only_when_its_own_is_gone_and_one_matches(bulletin):
    bookmark = make_bookmark(bulletin, "东城", 1, 10, 30)
    corrected = replace(bulletin, id="corrected", title="更正版")
    # Its own bulletin is there: it stays, even though the corrected one matches as well.
    stays, _ = reattach(bookmark, [bulletin, corrected])
    assert stays.bulletin_id == bulletin.id
    # Its own bulletin was removed: the one corrected edition takes it, with its title.
    moved, anchor = reattach(bookmark, [corrected])
    assert (moved.bulletin_id, moved.title, moved.orphaned) == ("corrected", "更正版", False)
    assert anchor.spans == ((1, 10, 30),)
    # Another bulletin holds the quote, but in other words around it: not the same passage.
    reworded = _edit_section(corrected, "东城", [_texts(bulletin, "东城")[0], f"改写{bookmark.quote}改写"])
    orphan, anchor = reattach(bookmark, [reworded])
    assert anchor is None and orphan.orphaned
    # Two bulletins qualify: no guessing.
    other = replace(bulletin, id="other")
    orphan, anchor = reattach(bookmark, [corrected, other])
    assert anchor is None and orphan.orphaned and orphan.bulletin_id == bulletin.id


def test_find_quote_lists_every_place_and_filters_by_district(bulletin):
    everywhere = find_quote([bulletin], "疫情防控")
    assert len(everywhere) > 10
    assert len({(a.section, a.paragraph) for a in everywhere}) > 5
    for anchor in everywhere:
        text = passage_text(bulletin, anchor.section, anchor.paragraph)
        assert text[anchor.start : anchor.end] == "疫情防控"
    in_haidian = find_quote([bulletin], "疫情防控", district="海淀区")
    assert in_haidian and {a.district for a in in_haidian} == {"海淀"}
    assert any(a.paragraph == HEADLINE for a in in_haidian)
    assert find_quote([bulletin], "这句话不在公报里") == []
    assert find_quote([bulletin], "  ") == []


def test_identity_ignores_label_suffix_and_spacing(bulletin):
    a = make_bookmark(bulletin, "东城", 0, 0, 10)
    b = Bookmark(bulletin_id=a.bulletin_id, district="东城区", paragraph=0, quote=" ".join(a.quote))
    assert a.identity() == b.identity()


def _anchored_text(bulletin: Bulletin, anchor) -> str:
    return "".join(
        passage_text(bulletin, anchor.district, paragraph)[start:end]
        for paragraph, start, end in anchor.spans
    )


@pytest.mark.parametrize("edit", ["split", "merge"])
def test_the_real_parser_with_edited_paragraph_breaks_keeps_every_bookmark(bundled_text, edit):
    original = parse_text(bundled_text)
    lines = bundled_text.split("\n")
    assert lines[24].endswith("减免租户房租。") and lines[21] == ""
    if edit == "split":  # a blank line after a sentence inside 东城's second paragraph
        edited_text = "\n".join([*lines[:25], "", *lines[25:]])
    else:  # the blank line between 东城's two paragraphs removed
        edited_text = "\n".join(lines[:21] + lines[22:])
    edited = parse_text(edited_text)
    assert edited.id == original.id  # the same bulletin, parsed differently
    assert len(edited.section("东城").paragraphs) == (3 if edit == "split" else 1)
    second = _texts(original, "东城")[1]
    bookmarks = [
        make_bookmark(original, "东城", 0, 30, 50),
        make_bookmark(original, "东城", 1),  # the whole paragraph
        make_bookmark(original, "东城", 1, 20, 60),  # runs over the new break when split
        make_bookmark(original, "东城", 1, len(second) - 25, len(second)),
        make_bookmark(original, "西城", 1, 5, 25),  # elsewhere: untouched
    ]
    for bookmark in bookmarks:
        moved, anchor = reattach(bookmark, [edited])
        assert not moved.orphaned, bookmark.quote
        assert _anchored_text(edited, anchor) == bookmark.quote
        assert moved.paragraph == anchor.paragraph and moved.start == anchor.start


def test_a_quote_in_the_second_section_of_a_district_printed_twice_is_kept_there():
    """Sections 东城, 西城, 东城: a quote of the second 东城 is kept (and found) in it, not as
    a slice of the first one."""
    text = (
        " 标题\n 栏目\n\n导语。\n\n东城：\n第一次\n\n东城区开展消毒工作。\n\n西城：\n西城标题\n\n"
        "西城区加强值守。\n\n东城：\n第二次\n\n东城区发放口罩一万只。\n"
    )
    bulletin = parse_text(text)
    assert [s.district for s in bulletin.sections] == ["东城", "西城", "东城"]
    (anchor,) = find_quote([bulletin], "发放口罩")
    assert anchor.section == 2
    bookmark = make_bookmark(bulletin, anchor.section, anchor.paragraph, anchor.start, anchor.end)
    assert bookmark.quote == "发放口罩" and bookmark.section == 2
    second = passage_text(bulletin, bookmark.section, bookmark.paragraph)
    assert second[bookmark.start :].startswith("发放口罩")
    found = locate(bookmark, bulletin)
    assert found is not None and found.section == 2


def test_measures_and_bookmarks_cite_a_passage_in_the_same_words():
    """One formatter (viewer.model.citation): the measures export cites a passage exactly as
    a bookmark of it does, for a heading's section, the lead, the closing and the title."""
    from viewer.measures import export as measures_export
    from viewer.measures.matrix import Place

    notice = parse_text(_NOTICE)
    second = next(i for i, s in enumerate(notice.sections) if s.headline == "二、主要措施")
    for section, paragraph in ((second, 0), (LEAD, 1), (CLOSING, 0), (HEAD, 1)):
        bookmark = make_bookmark(notice, section, paragraph)
        place = Place(notice.id, section, paragraph, "", bookmark.quote)
        assert measures_export.citation(place, notice) == bookmark.citation()
    assert bookmark.place == "title · paragraph 2"  # the number, in the head: not "lead"
    # A bulletin no longer in the archive is named by its id.
    gone = Place("0123abcd", 3, 1, "西城", "做好消毒工作。")
    assert measures_export.citation(gone, None) == "bulletin 0123abcd · 西城 · paragraph 2"
