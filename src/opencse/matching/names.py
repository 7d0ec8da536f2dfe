"""Name keys for blocking and comparing: the same normalisation as `opencse.people.names` (lower case, no
accents, letters only; Metaphone from jellyfish; a first name's formal form from the nickname list), written
for a column of names at once.

The nickname list is the people app's data file, `opencse/people/data/nicknames.csv` (Bob, Bobby, Rob are
Robert): read as a file, not imported, so that the engine keeps to its layer and the two never disagree.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import jellyfish
import pyarrow as pa

NICKNAMES_FILE = Path(__file__).resolve().parent.parent / "people" / "data" / "nicknames.csv"


@cache
def nicknames() -> dict[str, str]:
    """Nickname -> formal first name, lower case."""
    with NICKNAMES_FILE.open(newline="", encoding="utf-8") as rows:
        return {row["nickname"]: row["formal"] for row in csv.DictReader(rows)}


def plain(text: str | None) -> str:
    """A name reduced to lower-case letters: "O'Neil-Peña" -> "oneilpena"; None -> ""."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z]", "", ascii_text)


def formal(word: str) -> str:
    """A first name's formal form ("bob" -> "robert"), or the name itself."""
    return nicknames().get(word, word)


def sound(word: str) -> str:
    """How a name sounds (Metaphone); "" for no name."""
    return jellyfish.metaphone(word) if word else ""


def first_name_keys(words: Iterable[str]) -> pa.Table:
    """For each distinct plain first name: its formal form and the Metaphone of that form."""
    distinct = sorted(set(words))
    formals = [formal(word) for word in distinct]
    return pa.table({"word": distinct, "formal": formals, "sound": [sound(word) for word in formals]})


def last_name_keys(words: Iterable[str]) -> pa.Table:
    """For each distinct plain last name: its Metaphone."""
    distinct = sorted(set(words))
    return pa.table({"word": distinct, "sound": [sound(word) for word in distinct]})
