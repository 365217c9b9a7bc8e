"""Plain nodes of the district tree (no Qt): two views over the same bulletins.

*By bulletin*: bulletin → its districts (in the order printed).
*By district*: district → the bulletins that cover it (districts in order of first
appearance, bundled bulletin first, so the Beijing order 东城, 西城, … is kept).
The item model in ``tree_model.py`` is a thin adapter over these nodes.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

from viewer.model import Bulletin, SearchResult, district_key


class TreeMode(enum.StrEnum):
    BY_BULLETIN = "by-bulletin"
    BY_DISTRICT = "by-district"


class NodeKind(enum.Enum):
    ROOT = 0
    BULLETIN = 1
    DISTRICT = 2


@dataclass(eq=False)
class TreeNode:
    """One row of the tree. ``target`` is what selecting it shows: (bulletin id, district or None)."""

    kind: NodeKind
    label: str
    bulletin_id: str | None = None
    district: str | None = None  # the section's label as printed; None shows the bulletin's lead
    detail: str = ""  # headline or title: shown as tooltip and searched by the filter box
    parent: TreeNode | None = None
    children: list[TreeNode] = field(default_factory=list)
    row: int = 0
    # Matches of the active search on a top-level row; None when unknown or no search.
    # Rows below take theirs from the search's section counts (``row_hits``).
    hits: int | None = None

    def add(self, child: TreeNode) -> TreeNode:
        child.parent = self
        child.row = len(self.children)
        self.children.append(child)
        return child

    @property
    def target(self) -> tuple[str, str | None] | None:
        if self.bulletin_id is None:
            return None
        return self.bulletin_id, self.district

    @cached_property  # read for every row on each search: computed once
    def key(self) -> str | None:
        return district_key(self.district) if self.district else None

    def walk(self) -> Iterator[TreeNode]:
        for child in self.children:
            yield child
            yield from child.walk()


def build_tree(bulletins: Iterable[Bulletin], mode: TreeMode) -> TreeNode:
    root = TreeNode(NodeKind.ROOT, "")
    bulletins = list(bulletins)
    if mode is TreeMode.BY_BULLETIN:
        for bulletin in bulletins:
            node = root.add(TreeNode(NodeKind.BULLETIN, bulletin.title, bulletin.id, None, bulletin.column))
            for section in bulletin.sections:
                node.add(
                    TreeNode(
                        NodeKind.DISTRICT, section.district, bulletin.id, section.district, section.headline
                    )
                )
        return root
    by_key: dict[str, TreeNode] = {}
    for bulletin in bulletins:
        for section in bulletin.sections:
            group = by_key.get(section.key)
            if group is None:
                # The group shows the section of the first bulletin that covers the district.
                group = by_key[section.key] = root.add(
                    TreeNode(NodeKind.DISTRICT, section.key, bulletin.id, section.district, section.headline)
                )
            group.add(
                TreeNode(NodeKind.BULLETIN, bulletin.title, bulletin.id, section.district, section.headline)
            )
    return root


def find_node(root: TreeNode, bulletin_id: str, district: str | None) -> TreeNode | None:
    """The node that shows exactly this section (or lead), preferring the most specific one."""
    key = district_key(district) if district else None
    best: TreeNode | None = None
    for node in root.walk():
        if node.bulletin_id != bulletin_id:
            continue
        if key is None and node.district is None:
            return node
        if key is not None and node.key == key:
            if node.parent is not None and node.parent.kind is not NodeKind.ROOT:
                return node  # a leaf: the bulletin under its district, or the district under its bulletin
            best = best or node
    return best


def find_district(root: TreeNode, name: str) -> TreeNode | None:
    """The first node showing a district called ``name`` ("东城" or "东城区")."""
    key = district_key(name)
    for node in root.walk():
        if node.key == key:
            return node
    return None


def section_counts(result: SearchResult) -> dict[tuple[str, str], int] | None:
    """Matches per (bulletin id, district key): the search's own counts over every match,
    or, for a result made without them, counted from its hits when it holds every hit;
    else None."""
    if result.section_counts or not result.total:
        return result.section_counts
    if result.total != len(result.hits):
        return None
    counts: dict[tuple[str, str], int] = {}
    for hit in result.hits:
        if hit.district:
            pair = (hit.bulletin_id, district_key(hit.district))
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


def row_hits(node: TreeNode, pairs: dict[tuple[str, str], int] | None) -> int | None:
    """Matches of the active search on a row: a top-level row's own ``hits``; below it, its
    section's count from ``pairs`` (``section_counts`` of the result) under a row with
    hits, else None (unknown, or nothing to count under a row without hits)."""
    parent = node.parent
    if parent is None or parent.parent is None:
        return node.hits
    if pairs is None or not parent.hits or not node.bulletin_id or not node.key:
        return None
    return pairs.get((node.bulletin_id, node.key), 0)
