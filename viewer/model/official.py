"""What the parts of an official Chinese document look like (GB/T 9704 党政机关公文格式).

Pure recognisers over one paragraph's text: document numbers (文号), dates (as ISO),
headings and their kind (一、 / （一） / 1. / （1） / 第一章 / 第一节 / 第一条), region labels
(东城： / 【四川】), addressee lines, signatures, closing formulas, attachments,
key–value metadata lines of government sites, and page chrome. No state, no I/O.
"""

from __future__ import annotations

import re

from viewer.lazy import LazyPattern as lazy_pattern

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CN_DIGITS = "〇零○Ｏ一二两三四五六七八九十百"
#: A sentence ends with 。！？… (ASCII !? too), optionally followed by closing quotes/brackets.
SENTENCE_END = lazy_pattern(r"[。！？…!?][”’」』）)\]】》\"']*$")
#: Punctuation that cannot start a line of its own: a line starting with it continues the
#: line before (a link or a footnote mark broke the line there).
CONTINUING = "。，、；：？！）》」』”’〕】,.;:)]…"
#: Punctuation that cannot end a line of its own: an opening bracket or quote.
OPENING = "（《「『“‘〔【([<"

# -- dates --------------------------------------------------------------------
_NUM_DATE = lazy_pattern(r"(?<!\d)((?:19|20)\d{2})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?(?!\d)")
_CN_DATE = lazy_pattern(
    rf"([{_CN_DIGITS}]{{4}})\s*年\s*([{_CN_DIGITS}]{{1,3}})\s*月\s*([{_CN_DIGITS}]{{1,3}})\s*日"
)
_CN_VALUE = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_CN_VALUE.update({"五": 5, "六": 6, "七": 7, "八": 8, "九": 9})
#: A line that is only a date ("2020年2月3日", "二〇二〇年二月三日", "2020-02-03"), maybe in
#: brackets, maybe followed by 印发 / 发布.
_DATE_LINE = lazy_pattern(
    rf"^[（(]?\s*(?:(?:19|20)\d{{2}}\s*[-./年]\s*\d{{1,2}}\s*[-./月]\s*\d{{1,2}}\s*日?"
    rf"|[{_CN_DIGITS}]{{4}}\s*年\s*[{_CN_DIGITS}]{{1,3}}\s*月\s*[{_CN_DIGITS}]{{1,3}}\s*日)"
    r"\s*(?:印发|发布|公布|起施行)?\s*[）)]?$"
)


def _cn_number(text: str) -> int | None:
    """二十三 → 23, 十 → 10, 二〇二〇 → 2020 (digit by digit when there is no 十)."""
    if "十" not in text and "百" not in text:
        digits = [_CN_VALUE.get(ch) for ch in text]
        if None in digits or not digits:
            return None
        value = 0
        for d in digits:
            value = value * 10 + d
        return value
    tens, _, ones = text.partition("十")
    if "百" in tens:
        return None
    high = _CN_VALUE.get(tens) if tens else 1
    low = _CN_VALUE.get(ones) if ones else 0
    if high is None or low is None:
        return None
    return high * 10 + low


def _iso(year: int, month: int, day: int) -> str:
    if not (1 <= month <= 12 and 1 <= day <= 31 and 1900 <= year <= 2199):
        return ""
    return f"{year:04d}-{month:02d}-{day:02d}"


def find_date(text: str) -> str:
    """The first full date in ``text`` as ISO ("2020-02-03"), or ""."""
    match = _NUM_DATE.search(text)
    cn = _CN_DATE.search(text)
    if cn and (match is None or cn.start() < match.start()):
        parts = [_cn_number(g) for g in cn.groups()]
        if None not in parts:
            return _iso(*parts)
    if match:
        return _iso(*(int(g) for g in match.groups()))
    return ""


def is_date_line(text: str) -> bool:
    """The line is a date and nothing else (a signature date, a 成文日期)."""
    return bool(_DATE_LINE.match(text)) and bool(find_date(text))


#: A bracketed note under the title that says when and by whom it was adopted:
#: "（2023年3月13日第十四届全国人民代表大会第一次会议通过）".
_ADOPTION = lazy_pattern(r"^[（(](.+?)(通过|批准|公布|发布|修正|修订|施行)[）)]$")


def adoption_note(text: str) -> tuple[str, str] | None:
    """(ISO date, adopting body) of a 题注 such as the NPC's "（…会议通过）", else None."""
    match = _ADOPTION.match(text)
    if not match or len(text) > 120:
        return None
    date = find_date(match.group(1))
    if not date:
        return None
    body = _NUM_DATE.sub("", _CN_DATE.sub("", match.group(1))).strip(" ，,")
    return date, body


# -- document numbers ---------------------------------------------------------
_YEAR_BRACKETS = r"[〔［\[【(（{]\s*(?:19|20)\d{2}\s*[〕］\]】)）}]"
#: 京政发〔2020〕3号, 【2017】010 号, 银发〔2020〕29号, 国务院令第701号: a short issuer's
#: code (never the tail of a longer name: a title "…公告［2026］第6号" holds a number, it is
#: not one), a bracketed year, the serial number.
_NUMBER = lazy_pattern(
    rf"(?<![{_CJK}])([{_CJK}A-Za-z]{{0,10}}{_YEAR_BRACKETS}\s*第?\s*[0-9０-９]+\s*号"
    rf"|[{_CJK}]{{1,12}}令\s*第\s*[0-9０-９{_CN_DIGITS}]+\s*号)"
)
_BARE_NUMBER = lazy_pattern(rf"{_YEAR_BRACKETS}\s*第?\s*[0-9０-９]+\s*号")


def find_number(text: str) -> str:
    """The document number (文号) in ``text`` as printed, or "" ("［2026］第6号" out of
    "中国人民银行公开市场业务公告［2026］第6号")."""
    match = _NUMBER.search(text) or _BARE_NUMBER.search(text)
    return match.group(0).strip() if match else ""


def is_number_line(text: str) -> bool:
    """The line is a document number and nothing else."""
    return _NUMBER.fullmatch(text.strip()) is not None


# -- headings -----------------------------------------------------------------
#: Heading kinds, highest first: the level of a heading is the rank of its kind among
#: the kinds a document uses (a document with only （一） headings has them at level 1).
HEADING_KINDS = (
    "part",
    "chapter",
    "section",
    "cn",
    "paren-cn",
    "num",
    "num2",
    "num3",
    "paren-num",
    "article",
)
#: What follows a number that counts something: then it is a quantity, not a heading's number.
_UNIT = r"\s*[万亿千百倍个名项%‰元米吨年月日天次家户人件份台辆平公克斤度小分秒]"
_HEADING_PATTERNS = (
    ("part", lazy_pattern(rf"^第[{_CN_DIGITS}\d]+编(?:\s|$)")),
    ("chapter", lazy_pattern(rf"^第[{_CN_DIGITS}\d]+章(?:\s|$|[{_CJK}])")),
    ("section", lazy_pattern(rf"^第[{_CN_DIGITS}\d]+节(?:\s|$|[{_CJK}])")),
    ("cn", lazy_pattern(rf"^[{_CN_DIGITS}]+、")),
    ("paren-cn", lazy_pattern(rf"^[（(][{_CN_DIGITS}]+[）)]")),
    ("num", lazy_pattern(r"^[0-9０-９]{1,2}(?:[.．、](?![0-9０-９])|\s)")),
    # 3.1 / 3.1.1 numbering, never a quantity ("3.9万名", "2.5倍", "1.5%").
    ("num3", lazy_pattern(rf"^[0-9]{{1,2}}\.[0-9]{{1,2}}\.[0-9]{{1,2}}(?![.0-9]|{_UNIT})")),
    ("num2", lazy_pattern(rf"^[0-9]{{1,2}}\.[0-9]{{1,2}}(?![.0-9]|{_UNIT})")),
    ("paren-num", lazy_pattern(r"^[（(][0-9０-９]{1,2}[）)]")),
    ("article", lazy_pattern(rf"^第[{_CN_DIGITS}\d]+条(?:\s|$)")),
)
#: A heading standing alone is short and holds no sentence inside it.
_HEADING_MAX = 40
_INNER_SENTENCE = lazy_pattern(r"[。；;！？!?](?!$)")


def heading_kind(text: str) -> str:
    """The enumerator kind that starts ``text`` ("cn" for 一、…), or ""."""
    for kind, pattern in _HEADING_PATTERNS:
        if pattern.match(text):
            return kind
    return ""


#: Captions of figures and tables are not headings, whatever their type.
_CAPTION = lazy_pattern(r"^(?:图|表|附图|附表|Fig\.?|Figure|Table)\s*[0-9０-９]", re.IGNORECASE)
#: Kinds whose enumerator holds no CJK: the heading text must (figure labels "0 2 4 6",
#: equation numbers "(16)" and axis names "20 SAC" are not headings).
_LATIN_ENUMERATED = {"num", "num2", "num3", "paren-num"}


def has_words(text: str, least: int = 2) -> bool:
    """``text`` holds at least ``least`` CJK characters."""
    return len(re.findall(rf"[{_CJK}]", text)) >= least


def standalone_heading(text: str) -> str:
    """The heading kind when ``text`` is a heading standing alone ("一、总体要求",
    "（一）提升创新策源能级", "第三章 附则"), else "" (an enumerated paragraph:
    "（一）高端医学影像产品。加快…", "第一条 为了…，制定本办法。")."""
    kind = heading_kind(text)
    if not kind or len(text) > _HEADING_MAX or _CAPTION.match(text):
        return ""
    if kind in _LATIN_ENUMERATED and not has_words(text):
        return ""
    if sum(text.count(c) for c in ")）") > sum(text.count(c) for c in "(（"):
        return ""  # the end of a bracketed line: "3. 林木资源…实验室，北京 100083)"
    if kind == "article":
        # 第一条 alone, or with a short title; an article that starts its text is a paragraph.
        rest = re.sub(rf"^第[{_CN_DIGITS}\d]+条\s*", "", text)
        return kind if len(rest) <= 12 and not re.search(r"[，。；,]", rest) else ""
    if _INNER_SENTENCE.search(text) or text.endswith(("，", ",", "、")):
        return ""
    if SENTENCE_END.search(text) and text.endswith(("。", ".")) and len(text) > 24:
        return ""
    return kind


# -- region labels --------------------------------------------------------------
#: A district label line: 2–4 CJK characters and a colon ("东城：", "石景山区：").
LABEL = lazy_pattern(rf"^([{_CJK}]{{2,4}})[：:]$")
#: A region label in brackets, alone or running into its paragraph: "【四川】…".
_BRACKET_REGION = lazy_pattern(rf"^【([{_CJK}]{{2,6}}?(?:省|市|区|县|自治区|自治州|州|盟)?)】")
#: Bracketed words that are not places.
_NOT_REGIONS = (
    "原文",
    "下载",
    "打印",
    "关闭",
    "字体",
    "法宝",
    "相关",
    "附件",
    "案例",
    "链接",
    "来源",
    "编者",
)


def region_label(text: str) -> tuple[str, str] | None:
    """(region as printed, the label as printed) for "东城：" or "【四川】"; else None.

    A bracketed label may run into its paragraph ("【四川】四川省…"): the label is then
    only the bracketed part.
    """
    match = LABEL.match(text)
    if match:
        return None if is_addressee(text) else (match.group(1), text)
    match = _BRACKET_REGION.match(text)
    if match and not any(word in match.group(1) for word in _NOT_REGIONS):
        return match.group(1), match.group(0)
    return None


# -- head and closing ----------------------------------------------------------
_ORG_SUFFIX = (
    "人民政府",
    "办公厅",
    "办公室",
    "委员会",
    "人民代表大会",
    "常务委员会",
    "政府",
    "中心",
    "操作室",
    "银行",
    "公司",
    "集团",
    "协会",
    "学会",
    "小组",
    "指挥部",
    "法院",
    "检察院",
    "管理局",
    "监督局",
    "总局",
    "部",
    "委",
    "局",
    "厅",
    "院",
    "署",
    "会",
    "处",
    "办",
    "室",
    "所",
    "站",
    "行",
)
_SIGNATURE_MAX = 40


def is_signature(text: str) -> bool:
    """A signature line: an organisation's name (or several, space-separated), no punctuation."""
    if len(text) > _SIGNATURE_MAX or re.search(r"[，。；：:,;!?！？“”《》0-9]", text):
        return False
    names = [n for n in re.split(r"\s+|、", text) if n]
    return bool(names) and all(len(n) >= 2 and n.endswith(_ORG_SUFFIX) for n in names)


_ADDRESSEE = lazy_pattern(r"^[^。！？!?]{2,100}[：:]$")
_ADDRESSEE_WORDS = (
    "各",
    "人民政府",
    "委",
    "办",
    "局",
    "厅",
    "单位",
    "部门",
    "公司",
    "银行",
    "交易商",
    "机构",
    "学校",
    "同志",
    "代表",
)


def is_addressee(text: str) -> bool:
    """An addressee line (主送机关): "各区人民政府，市政府各委、办、局：", "各公开市场业务一级交易商："."""
    if not _ADDRESSEE.match(text) or heading_kind(text):
        return False
    return text.startswith("各") or any(word in text for word in _ADDRESSEE_WORDS)


_CLOSING_FORMULA = lazy_pattern(
    r"^(?:特此(?:通知|公告|通告|通报|函告|函复|报告|批复|说明|证明)|此复|此致|敬礼|以上(?:报告|意见)?[^。]{0,12}(?:请审议|妥否)[^。]{0,10})[。！!]?$"
)
_ATTACHMENT = lazy_pattern(r"^附\s*件\s*[0-9一二三四五六七八九十]*\s*[：:]?")
_CLOSING_NOTE = lazy_pattern(
    r"^[（(](?:此件|本件|联系人|联系电话|信息公开|此页无正文|公开方式)[^）)]*[）)]$|^(?:抄送|抄报|印发|联系人|联系电话)[：:]"
)
_PRINTED_BY = lazy_pattern(r"\s(?:19|20)\d{2}年\d{1,2}月\d{1,2}日印发$")


def is_closing_formula(text: str) -> bool:
    """特此通知。 / 特此公告。 / 此复。 and their kin."""
    return bool(_CLOSING_FORMULA.match(text))


def is_attachment(text: str) -> bool:
    """An attachment line: "附件：1. …", "附件2"."""
    return bool(_ATTACHMENT.match(text)) and len(text) <= 200


def is_closing_note(text: str) -> bool:
    """Notes that end a document: "（此件公开发布）", "抄送：…", "…办公厅 2020年2月3日印发"."""
    return bool(_CLOSING_NOTE.match(text) or _PRINTED_BY.search(text))


#: "发文机关标志": "北京市人民政府文件" above the number and title.
_BANNER = lazy_pattern(rf"^[{_CJK}\s]{{2,40}}文件$")


def is_banner(text: str) -> bool:
    return bool(_BANNER.match(text))


# -- key–value metadata lines (government sites, crawlers) -----------------------
_META = lazy_pattern(r"^(?:【\s*)?([\u4e00-\u9fff]{2,6})\s*(?:】\s*)?[：:]\s*(.*)$")
#: Keys whose value is the issuer, the date (成文 before 发布), the number.
META_ISSUER = ("发文机关", "发布机构", "发文单位", "制发机关", "来源", "信息来源", "发布单位")
META_TITLE = ("题目", "标题", "文件名称", "文章标题")
META_DATE = (
    "成文日期",
    "印发日期",
    "发文日期",
    "签发日期",
    "发布日期",
    "发布时间",
    "公布日期",
    "日期",
    "时间",
    "网络首发日期",
)
META_NUMBER = ("发文字号", "文号", "发文号")
#: Keys that describe the page, not the document: page chrome.
META_CHROME = (
    "原文链接",
    "链接",
    "网址",
    "检索时间",
    "检索关键词",
    "关键词",
    "索引号",
    "主题分类",
    "分类",
    "浏览次数",
    "访问量",
    "点击数",
    "责任编辑",
    "编辑",
    "字号",
    "字体",
    "分享到",
    "有效性",
    "效力级别",
    "时效性",
    "法宝引证码",
    "所属类别",
    "体裁",
    "主题词",
)
META_KEYS = META_TITLE + META_ISSUER + META_DATE + META_NUMBER + META_CHROME


def metadata(text: str) -> tuple[str, str] | None:
    """(key, value) of a metadata line "发布日期: 2025-10-31", when the key is a known one."""
    match = _META.match(text)
    if not match or match.group(1) not in META_KEYS:
        return None
    return match.group(1), match.group(2).strip()


# -- page chrome -----------------------------------------------------------------
_CHROME_LINE = lazy_pattern(
    r"^(?:[【\[]?\s*(?:下载|打印|打印本页|关闭|关闭窗口|收藏|分享|返回顶部|返回|原文下载|附件下载|"
    r"字体\s*[：:]?\s*[大中小\s]*|[大中小]\s*[大中小]\s*[大中小]|扫一扫[^。]*|"
    r"上一篇|下一篇|相关链接|相关文章|推荐阅读|免责声明)\s*[】\]]?|"
    r"(?i:public\s+domain|true|false|null|none|top)|"
    r"【法宝引证码】.*|法宝引证码[：:].*|"
    r"本作品.{0,300}?(?:公有领域|public domain).{0,3}|本模板.{0,300}?。|"
    r"[^\s。，]{1,80}\.(?:pdf|docx?|xlsx?|wps|ofd|zip|rar))$"
)
_ZERO_WIDTH = lazy_pattern("[\u200b-\u200f\u2060\ufeff\u00ad]")


def is_chrome(text: str) -> bool:
    """Page furniture a reader never reads: "下载", "【打印本页】", "【法宝引证码】…", a
    licence template's "Public domain", a download link's file name, an empty line of
    zero-width characters."""
    stripped = _ZERO_WIDTH.sub("", text).strip()
    if not stripped:
        return True
    if _CHROME_LINE.match(stripped):
        return True
    meta = metadata(stripped)
    return meta is not None and meta[0] in META_CHROME


# -- titles ------------------------------------------------------------------------
_TITLE_MAX = 90
_DOC_KINDS = lazy_pattern(
    r"(?:通知|通告|公告|决定|决议|意见|办法|规定|条例|细则|方案|规划|计划|报告|批复|函|纪要|通报|"
    r"指引|指南|守则|章程|要点|公报|讲话|法|令)[”」》)）]*$"
)


def is_caption(text: str) -> bool:
    """A figure's or a table's caption ("图 1 …", "表 2 …")."""
    return bool(_CAPTION.match(text))


def looks_like_title(text: str) -> bool:
    """Short, and no sentence inside: a title, a headline, a subtitle."""
    if len(text) > _TITLE_MAX or not re.search(rf"[{_CJK}A-Za-z]", text):
        return False
    if re.search(r"[。；;]", text.rstrip("。")):
        return False
    return not text.endswith(("，", ",", "、", "：", ":"))


def ends_like_document_kind(text: str) -> bool:
    """The title names the kind of document (…的通知, …决议, …工作报告)."""
    return bool(_DOC_KINDS.search(text))
