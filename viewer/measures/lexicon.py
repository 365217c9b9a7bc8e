"""The measure types: shipped in ``data/measures.toml``, replaced by a copy of that file in
the configuration folder when the user keeps one there."""

from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass
from pathlib import Path

from viewer import paths

log = logging.getLogger("viewer.measures")

FILE_NAME = "measures.toml"


class LexiconError(Exception):
    """The measures file cannot be used (message names the file and the reason)."""


@dataclass(frozen=True)
class MeasureType:
    """A kind of measure and what signals it in a passage: any of its phrases, or every
    word of one of its combinations, literally."""

    id: str
    name: str
    name_en: str
    phrases: tuple[str, ...]
    combinations: tuple[tuple[str, ...], ...] = ()

    def to_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "name_en": self.name_en}


def user_file() -> Path:
    """Where a user's own copy of the lexicon is read from."""
    return paths.config_dir() / FILE_NAME


def _types(data: dict, source: Path) -> list[MeasureType]:
    entries = data.get("type")
    if not isinstance(entries, list) or not entries:
        raise LexiconError(f"{source}: no [[type]] entries")
    out: list[MeasureType] = []
    seen: set[str] = set()
    for n, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            raise LexiconError(f"{source}: type {n} is not a table")
        ident, name = entry.get("id"), entry.get("name")
        phrases = entry.get("phrases", [])
        combinations = entry.get("combinations", [])
        if not isinstance(ident, str) or not ident or ident in seen:
            raise LexiconError(f"{source}: type {n} needs a unique text 'id'")
        if not isinstance(name, str) or not name:
            raise LexiconError(f"{source}: type {ident} needs a 'name'")
        if not isinstance(phrases, list) or not all(isinstance(p, str) and p.strip() for p in phrases):
            raise LexiconError(f"{source}: type {ident}: 'phrases' must be a list of texts")
        if not isinstance(combinations, list) or not all(
            isinstance(c, list) and c and all(isinstance(w, str) and w.strip() for w in c)
            for c in combinations
        ):
            raise LexiconError(f"{source}: type {ident}: 'combinations' must be lists of words")
        if not phrases and not combinations:
            raise LexiconError(f"{source}: type {ident} has neither phrases nor combinations")
        seen.add(ident)
        out.append(
            MeasureType(
                ident,
                name,
                str(entry.get("name_en", ident)),
                tuple(phrases),
                tuple(tuple(c) for c in combinations),
            )
        )
    return out


def load(path: Path | None = None) -> list[MeasureType]:
    """The measure types: from ``path``, else the user's copy, else the shipped file."""
    source = path or (user_file() if user_file().is_file() else paths.data_path(FILE_NAME))
    try:
        data = tomllib.loads(Path(source).read_text(encoding="utf-8"))
    except OSError as exc:
        raise LexiconError(f"{source}: cannot be read ({exc.strerror or exc})") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise LexiconError(f"{source}: not a valid TOML file ({exc})") from exc
    return _types(data, Path(source))
