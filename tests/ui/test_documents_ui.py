"""Documents of every kind in the window: dates in the tree and its order, headings nested,
the article's metadata under the title, hits in a title shown on the document's own page."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex

from tests.conftest import ROOT
from viewer.model import HEAD, HEADLINE, LEAD
from viewer.store import Archive
from viewer.ui.nodes import NodeKind, TreeOrder
from viewer.ui.tree_model import NodeRole

REAL = ROOT.parent / "shared" / "corpus" / "real"

_NOTICE = (
    "北京市人民政府文件\n京政发〔2020〕3号\n北京市人民政府关于加强社区防控的通知\n各区人民政府：\n"
    "现将有关事项通知如下。\n一、总体要求\n坚持预防为主。\n（一）压实责任\n各区要落实属地责任。\n"
    "（二）做好消毒\n每日消毒两次。\n二、保障措施\n加强物资保障。\n特此通知。\n北京市人民政府\n2020年2月3日\n"
)
_LATER = "关于延长社区防控措施的通知\n各区人民政府：\n防控措施延长至三月底。\n北京市人民政府\n2020年3月1日\n"
_UNDATED = "社区防控问答\n一问：何时消毒？\n每日两次。\n"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _import(tmp_path: Path) -> list[str]:
    archive = Archive()
    report = archive.import_files(
        [
            _write(tmp_path, "a.txt", _NOTICE),
            _write(tmp_path, "b.txt", _UNDATED),
            _write(tmp_path, "c.txt", _LATER),
        ]
    )
    assert not report.failed
    return [r.id for r in report.imported]


def _rows(window, parent=QModelIndex()) -> list:  # noqa: B008
    model = window.tree.view.model()
    return [model.index(r, 0, parent) for r in range(model.rowCount(parent))]


def test_tree_lists_newest_first_with_dates_and_nests_headings(qtbot, open_window, tmp_path):
    _import(tmp_path)
    window = open_window()
    labels = [i.data() for i in _rows(window)]
    # Newest first; the bundled bulletin and the Q&A have no date and come last, in archive order.
    assert labels[:2] == [
        "2020-03-01  关于延长社区防控措施的通知",
        "2020-02-03  北京市人民政府关于加强社区防控的通知",
    ]
    assert labels[2:] == ["北京：全力打好疫情防控阻击战！", "社区防控问答"]
    notice_row = _rows(window)[1]
    tops = _rows(window, notice_row)
    assert [i.data() for i in tops] == ["一、总体要求", "二、保障措施"]
    assert [i.data() for i in _rows(window, tops[0])] == ["（一）压实责任", "（二）做好消毒"]
    assert tops[0].data(NodeRole).kind is NodeKind.HEADING
    window.commands.order_actions[TreeOrder.TITLE].trigger()
    labels = [i.data() for i in _rows(window)]
    titles = [label.split("  ")[-1] for label in labels]
    assert titles == sorted(titles)
    window.commands.order_actions[TreeOrder.DATE].trigger()
    assert _rows(window)[0].data().startswith("2020-03-01")


def test_article_shows_number_issuer_and_date_and_a_heading_with_what_is_nested_in_it(
    qtbot, open_window, tmp_path
):
    notice_id, _, _ = _import(tmp_path)
    window = open_window()
    assert window.reading.show_section(notice_id, None)
    lines = window.article.toPlainText().split("\n")
    assert lines[:4] == [
        "北京市人民政府关于加强社区防控的通知",
        "京政发〔2020〕3号",
        "北京市人民政府",
        "2020-02-03",
    ]
    assert "各区人民政府：" in lines and "特此通知。" in lines and lines[-1] == "2020年2月3日"
    notice = window.library.get(notice_id)
    assert window.reading.show_section(notice_id, 0)  # 一、总体要求, with （一） and （二） under it
    text = window.article.toPlainText()
    for piece in (
        "一、总体要求",
        "坚持预防为主。",
        "（一）压实责任",
        "各区要落实属地责任。",
        "（二）做好消毒",
    ):
        assert piece in text
    assert "二、保障措施" not in text and "特此通知。" not in text
    assert window.article.paragraph_text((2, HEADLINE)) == notice.sections[2].headline == "（二）做好消毒"


def test_a_hit_in_the_title_opens_the_documents_page_with_the_title_marked(qtbot, open_window, tmp_path):
    notice_id, _, _ = _import(tmp_path)
    window = open_window()
    with qtbot.waitSignal(window.search_shown, timeout=30_000) as shown:
        window.run_search("加强社区防控")
    hits = [h for h in shown.args[0].result.hits if h.bulletin_id == notice_id]
    assert [(h.section, h.paragraph) for h in hits] == [(HEAD, 0)]
    window.open_hit(hits[0])
    assert window.article.current_section() == (notice_id, None)
    assert window.article.hit_spans() == [(HEAD, 0, 9, 15)]
    # A hit in the lead of the same page keeps the page and marks it too.
    with qtbot.waitSignal(window.search_shown, timeout=30_000) as shown:
        window.run_search("有关事项")
    (lead_hit,) = [h for h in shown.args[0].result.hits if h.bulletin_id == notice_id]
    assert (lead_hit.section, lead_hit.paragraph) == (LEAD, 1)
    window.open_hit(lead_hit)
    assert window.article.current_section() == (notice_id, None)
    assert window.article.hit_spans() == [(LEAD, 1, 2, 6)]


def test_real_pdf_and_markdown_import_through_the_window(qtbot, open_window):
    window = open_window()
    files = [
        REAL / "08_beijing_gov_work_report_2024.pdf",
        REAL / "17_shanghai_gaoduan_yiliao_qixie_tongzhi.md",
    ]
    with qtbot.waitSignal(window.library.imported, timeout=60_000) as done:
        window.library.import_files(files)
    report = done.args[0].report
    assert not report.failed and len(report.imported) == 2
    pdf = next(r for r in report.imported if r.kind == "pdf")
    window.reading.show_section(pdf.id, 0)
    assert window.article.toPlainText().split("\n")[2].startswith("一、2023 年工作回顾")
