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
SCHEMA_VERSION = 6

#: Document kinds (the ``kind`` field).
KIND_HEAD = "t"  # the title, the number, the issuer
KIND_LEAD = "l"
KIND_HEADLINE = "h"  # a section's headline or heading
KIND_PARAGRAPH = "p"
KIND_CLOSING = "c"
KIND_MARKER = "m"  # one per indexed bulletin, committed together with its passages


def make_schema() -> fields.Schema:
    # Only the bulletin is an indexed term (a bulletin's documents are deleted by it);
    # everything else is a column, read once per segment when its grams are made: an
    # indexed field costs Whoosh a posting per document (a NUMERIC one, eight).
    return fields.Schema(
        bulletin=fields.ID(sortable=True),
        kind=fields.COLUMN(columns.VarBytesColumn()),  # KIND_*, ASCII
        district=fields.COLUMN(columns.VarBytesColumn()),  # district_key(label), UTF-8; "" for the lead
        label=fields.COLUMN(columns.VarBytesColumn()),  # the district as printed ("东城区"), UTF-8
        # index of the section in the bulletin, or LEAD / CLOSING / HEAD (viewer.model.types)
        section=fields.COLUMN(columns.NumericColumn("i")),
        paragraph=fields.COLUMN(columns.NumericColumn("i")),  # index in the section; HEADLINE
        # the passage as the reader sees it, UTF-8 (a marker: the bulletin's title)
        raw=fields.COLUMN(columns.VarBytesColumn()),
    )
