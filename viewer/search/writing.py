"""What a sync writes: the documents of a bulletin (one per passage), and Whoosh's segment
writer extended to write each new segment's grams file before the table of contents that
commits it (see ``grams``)."""

from __future__ import annotations

from pathlib import Path

from whoosh.writing import SegmentWriter

from viewer.model import CLOSING, HEAD, HEADLINE, LEAD, Bulletin, district_key
from viewer.search import grams
from viewer.search.corpus import build_grams
from viewer.search.schema import KIND_CLOSING, KIND_HEAD, KIND_HEADLINE, KIND_LEAD, KIND_PARAGRAPH

_KINDS = {HEAD: KIND_HEAD, LEAD: KIND_LEAD, CLOSING: KIND_CLOSING}


def passages_of(bulletin: Bulletin) -> list[dict]:
    """The documents of one bulletin: every passage a reader reads, the title, number and
    issuer included (a hit in the title is a hit)."""
    docs = []
    common = {"bulletin": bulletin.id}
    for section, paragraph, text in bulletin.passages():
        label = bulletin.district_of(section)
        if section >= 0:
            kind = KIND_HEADLINE if paragraph == HEADLINE else KIND_PARAGRAPH
        else:
            kind = _KINDS[section]
        docs.append(
            dict(common, kind=kind.encode(), district=district_key(label).encode(), label=label.encode())
            | {"section": section}
            | {"paragraph": paragraph, "raw": text.encode("utf-8"), "chars": len(text)}
        )
    return docs


def unfinished(name: str, index_name: str) -> bool:
    """A table of contents or a grams file a killed writer had not renamed into place."""
    toc = name.startswith(f"_{index_name}_") and ".toc." in name
    return toc or (name.startswith(f".{grams.PREFIX}") and name.endswith(".tmp"))


class GramsWriter(SegmentWriter):
    """Whoosh's segment writer, writing each new segment's grams file before the table of
    contents that commits it, and removing the files of segments merged away after."""

    def _commit_toc(self, segments) -> None:
        from whoosh.reading import SegmentReader

        directory = Path(self.storage.folder)
        wanted = set()
        for segment in segments:
            name = grams.file_name(segment.segment_id())
            wanted.add(name)
            if (directory / name).is_file():
                continue
            reader = SegmentReader(self.storage, self.schema, segment)
            try:
                grams.write(directory / name, build_grams(reader))
            finally:
                reader.close()
        super()._commit_toc(segments)
        for entry in directory.glob(f"{grams.PREFIX}*{grams.SUFFIX}"):
            if entry.name not in wanted:
                entry.unlink(missing_ok=True)
