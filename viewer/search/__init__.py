"""Full-text search over the archive (Whoosh, Chinese analysis). No Qt here.

The API speaks model types (``viewer.model.SearchResult``/``Hit``), never Whoosh types.
"""

from __future__ import annotations

from viewer.lazy import lazy_exports

#: Each public name → the submodule that defines it (imported on first use).
_EXPORTS = {
    "SearchError": "errors",
    "highlight_spans": "highlight",
    "SearchIndex": "index",
    "SyncReport": "index",
    "fold": "normalize",
    "load_segmenter": "normalize",
}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
