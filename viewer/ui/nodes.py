"""Plain nodes of the district tree (no Qt): two views over the same bulletins.

*By bulletin*: bulletin → its districts or headings (in the order printed, headings
nested by level); bulletins newest first, or by title.
*By district*: district → the bulletins that cover it (districts in order of first
appearance, bundled bulletin first, so the Beijing order 东城, 西城, … is kept).
The item model in ``tree_model.py`` is a thin adapter over these nodes.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from viewer.model import Bulletin, district_key

if TYPE_CHECKING:
    from viewer.model import SearchResult


class TreeMode(enum.StrEnum):
    BY_BULLETIN = "by-bulletin"
    BY_DISTRICT = "by-district"


class TreeOrder(enum.StrEnum):
    """How bulletins are ordered: newest first (undated last), or by title."""

    DATE = "date"
    TITLE = "title"


class NodeKind(enum.Enum):
    ROOT = 0
    BULLETIN = 1
    DISTRICT = 2
    HEADING = 3  # a section that is a heading (一、总体要求), not a district


@dataclass(eq=False)
class TreeNode:
    """One row of the tree. ``target`` is what selecting it shows: (bulletin id, section
    index, or None for the bulletin's own page: title, lead, closing)."""

    kind: NodeKind
    label: str
    bulletin_id: str | None = None
    section: int | None = None  # index in Bulletin.sections; None shows the bulletin's own page
    district: str | None = None  # the district as printed, for district rows
    detail: str = ""  # headline or title: shown as tooltip and searched by the filter box
    parent: TreeNode | None = None
    children: list[TreeNode] = field(default_factory=list)
    row: int = 0
    # Matches of the active search on a top-level row; None when unknown or no search.
    # Rows below take theirs from the search's section counts (``row_hits``).
    hits: int | None = None
    #: The sections a row below the top counts its matches over: its own and those
    #: nested in it (a heading's subheadings).
    counted: tuple[int, ...] = ()

    def add(self, child: TreeNode) -> TreeNode:
        child.parent = self
        child.row = len(self.children)
        self.children.append(child)
        return child

    @property
    def target(self) -> tuple[str, int | None] | None:
        if self.bulletin_id is None:
            return None
        return self.bulletin_id, self.section

    @cached_property  # read for every row on each search: computed once
    def key(self) -> str | None:
        return district_key(self.district) if self.district else None

    def walk(self) -> Iterator[TreeNode]:
        for child in self.children:
            yield child
            yield from child.walk()


def bulletin_label(bulletin: Bulletin) -> str:
    """A bulletin's row: its date before its title, so that bulletins of one title differ."""
    return f"{bulletin.date}  {bulletin.title}" if bulletin.date else bulletin.title or bulletin.id


def ordered(bulletins: Iterable[Bulletin], order: TreeOrder) -> list[Bulletin]:
    """Newest first (undated ones last, in archive order), or by title."""
    bulletins = list(bulletins)
    if order is TreeOrder.TITLE:
        return sorted(bulletins, key=lambda b: (b.title, b.date))
    dated = sorted((b for b in bulletins if b.date), key=lambda b: b.date, reverse=True)
    return dated + [b for b in bulletins if not b.date]


def _sections_of(node: TreeNode, bulletin: Bulletin) -> None:
    """Section rows under a bulletin's row, headings nested by their level."""
    stack: list[tuple[int, TreeNode]] = []
    for index, section in enumerate(bulletin.sections):
        while stack and stack[-1][0] >= section.level:
            stack.pop()
        parent = stack[-1][1] if stack else node
        if section.district:
            kind, label = NodeKind.DISTRICT, section.district
        else:
            kind, label = NodeKind.HEADING, section.headline
        child = parent.add(
            TreeNode(kind, label, bulletin.id, index, section.district or None, section.headline)
        )
        for _level, holder in stack:
            holder.counted += (index,)
        child.counted = (index,)
        stack.append((section.level, child))


def build_tree(bulletins: Iterable[Bulletin], mode: TreeMode, order: TreeOrder = TreeOrder.DATE) -> TreeNode:
    root = TreeNode(NodeKind.ROOT, "")
    bulletins = ordered(bulletins, order)
    if mode is TreeMode.BY_BULLETIN:
        for bulletin in bulletins:
            node = root.add(
                TreeNode(
                    NodeKind.BULLETIN, bulletin_label(bulletin), bulletin.id, None, None, bulletin.column
                )
            )
            _sections_of(node, bulletin)
        return root
    by_key: dict[str, TreeNode] = {}
    for bulletin in bulletins:
        for index, section in enumerate(bulletin.sections):
            if not section.district:
                continue
            group = by_key.get(section.key)
            if group is None:
                # The group shows the section of the first bulletin that covers the district.
                group = by_key[section.key] = root.add(
                    TreeNode(
                        NodeKind.DISTRICT, section.key, bulletin.id, index, section.district, section.headline
                    )
                )
            leaf = group.add(
                TreeNode(
                    NodeKind.BULLETIN, bulletin_label(bulletin), bulletin.id, index, section.district,
                    section.headline,
                )
            )  # fmt: skip
            leaf.counted = (index,)
    return root


def find_node(root: TreeNode, bulletin_id: str, section: int | None) -> TreeNode | None:
    """The node that shows exactly this section (or the bulletin's page), preferring the
    most specific one."""
    best: TreeNode | None = None
    for node in root.walk():
        if node.bulletin_id != bulletin_id or node.section != section:
            continue
        if node.parent is not None and node.parent.kind is not NodeKind.ROOT:
            return node  # a row below the top: the bulletin under its district, or a section
        best = best or node
    return best


def adjacent_node(
    root: TreeNode,
    current: TreeNode | None,
    forward: bool,
    shown: Callable[[TreeNode], bool] | None = None,
) -> TreeNode | None:
    """The row after (``forward``) or before ``current`` in the tree's order (rows as listed,
    each before the rows under it) that shows something else than ``current`` does: the
    next or previous section. Only rows ``shown`` accepts count (those the filter lets be
    seen). With no current row (or one not in the tree): the first or the last. None past
    either end."""
    rows = list(root.walk())
    at = next((i for i, n in enumerate(rows) if n is current), None)
    if forward:
        ahead = rows if at is None else rows[at + 1 :]
    else:
        ahead = list(reversed(rows if at is None else rows[:at]))
    target = current.target if current is not None else None
    for node in ahead:
        if node.target is not None and node.target != target and (shown is None or shown(node)):
            return node
    return None


def find_district(root: TreeNode, name: str) -> TreeNode | None:
    """The first node showing a district called ``name`` ("东城" or "东城区")."""
    key = district_key(name)
    for node in root.walk():
        if node.key == key:
            return node
    return None


def section_counts(result: SearchResult) -> dict[tuple[str, int], int] | None:
    """Matches per (bulletin id, section index): the search's own counts over every match,
    or, for a result made without them, counted from its hits when it holds every hit;
    else None."""
    if result.section_counts or not result.total:
        return result.section_counts
    if result.total != len(result.hits):
        return None
    counts: dict[tuple[str, int], int] = {}
    for hit in result.hits:
        pair = (hit.bulletin_id, hit.section)
        counts[pair] = counts.get(pair, 0) + 1
    return counts


def apply_counts(root: TreeNode, result: SearchResult | None) -> list[TreeNode]:
    """Set ``hits`` on the top-level rows from a search result (None clears them).

    The rows below are not touched: ``row_hits`` reads theirs from the result's section
    counts when asked, so a search costs a thousand rows, not twelve thousand. Returns
    the rows whose children's counts may have changed, so that a model can announce
    only those: the root if a top-level count changed, and each top-level row that had
    or has hits.
    """
    changed: list[TreeNode] = []
    differs = False
    for node in root.children:
        old = node.hits
        if result is None:
            hits = None
        elif node.kind is NodeKind.BULLETIN:
            hits = result.bulletin_counts.get(node.bulletin_id or "", 0)
        else:
            hits = result.district_counts.get(node.key or "", 0)
        if hits != old:
            node.hits = hits
            differs = True
        if node.children and (old or hits):
            changed.append(node)
    if differs:
        changed.insert(0, root)
    return changed


def row_hits(node: TreeNode, pairs: dict[tuple[str, int], int] | None) -> int | None:
    """Matches of the active search on a row: a top-level row's own ``hits``; below it, the
    count of its sections (its own and those nested in it) from ``pairs`` (``section_counts``
    of the result) under a top-level row with hits, else None (unknown, or nothing to count
    under a row without hits)."""
    parent = node.parent
    if parent is None or parent.parent is None:
        return node.hits
    top = parent
    while top.parent is not None and top.parent.parent is not None:
        top = top.parent
    if pairs is None or not top.hits or not node.bulletin_id:
        return None
    if len(node.counted) == 1:
        return pairs.get((node.bulletin_id, node.counted[0]), 0)
    return sum(pairs.get((node.bulletin_id, s), 0) for s in node.counted)
