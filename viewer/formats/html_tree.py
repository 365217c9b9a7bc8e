"""lxml elements of a saved web page: the basics every web page module asks of them.

One job: an element's tag name (lower case, "" for comments and processing instructions),
its text as a reader sees it, and dropping it from the tree with what it holds.
"""

from __future__ import annotations

from typing import Any

from viewer.formats.paragraph_text import collapse


def tag_of(element: Any) -> str:
    """The element's tag in lower case; "" for a comment or processing instruction."""
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else ""


def text_of(element: Any) -> str:
    """All the text inside ``element``, whitespace collapsed."""
    return collapse(" ".join(element.itertext()))


def drop(element: Any) -> None:
    """Remove ``element`` and what it holds, keeping the text that follows it."""
    element.drop_tree()
