"""Full-text search over the archive (Whoosh, Chinese analysis). No Qt here.

The API speaks model types (``viewer.model.SearchResult``/``Hit``), never Whoosh types.
"""

from __future__ import annotations

from viewer.search.errors import SearchError
from viewer.search.highlight import highlight_spans
from viewer.search.index import SearchIndex, SyncReport
from viewer.search.normalize import fold

__all__ = ["SearchError", "SearchIndex", "SyncReport", "fold", "highlight_spans"]
