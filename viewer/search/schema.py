"""The Whoosh schema: one document per passage (title, number, issuer, lead and closing
paragraph, headline, paragraph) and per bulletin (marker).

Whoosh pickles the schema into the index, so it uses only Whoosh's own field types;
the version below is recorded beside the index, and an index of another version is
rebuilt. Literal matching does not go through Whoosh postings, and searching reads no
stored fields: every passage's text is kept in a column, from which each segment's grams
file is made (``grams``); matching, ranking and the hits read that file.
"""

from __future__ import annotations

from whoosh import columns, fields

#: Bump when the schema or the folding changes: an index of another version is rebuilt.
SCHEMA_VERSION = 5

#: Document kinds (the ``kind`` field).
KIND_HEAD = "t"  # the title, the number, the issuer
KIND_LEAD = "l"
KIND_HEADLINE = "h"  # a section's headline or heading
KIND_PARAGRAPH = "p"
KIND_CLOSING = "c"
KIND_MARKER = "m"  # one per indexed bulletin, committed together with its passages


def make_schema() -> fields.Schema:
    return fields.Schema(
        bulletin=fields.ID(stored=True, sortable=True),
        district=fields.ID(stored=True, sortable=True),  # district_key(label); "" for the lead
        kind=fields.ID(stored=True, sortable=True),
        label=fields.ID(stored=True, sortable=True),  # the district as printed ("东城" or "东城区")
        # index of the section in the bulletin, or LEAD / CLOSING / HEAD (viewer.model.types)
        section=fields.NUMERIC(int, bits=32, signed=True, stored=True, sortable=True),
        # index in the section (or lead); HEADLINE for a headline
        paragraph=fields.NUMERIC(int, bits=32, signed=True, stored=True, sortable=True),
        # the passage as the reader sees it, UTF-8 (a marker: the bulletin's title)
        raw=fields.COLUMN(columns.VarBytesColumn()),
    )
