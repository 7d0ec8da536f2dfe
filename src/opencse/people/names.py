"""Finding a person by name the way officers type it: with typos ("Bary Andrewz"), letters swapped
("Andrwes"), nicknames ("Bill" for William), the surname first ("Andrews, Barry"), accents or not.

Each name a person is known by (the legal name and every alias) is stored as search keys (`NameKey`), one
set per word of the name:

- `n:<word>`: the word itself, lower case without accents (a prefix search: "andr" finds Andrews);
- `m:<metaphone>`: how it sounds (Lawrence Philips' Metaphone, from jellyfish): Bary and Barry, Andrewz and
  Andrews, Smith and Smyth;
- `s:<letters in order>`: its letters sorted, which survives two swapped letters (Andrwes, Andrews);
- `c:<metaphone of the formal name>`: a first name's formal form (`data/nicknames.csv`: Bill, Billy and
  Will are William), so any nickname finds any other.

and, for each given name (first or middle) with each surname (legal or alias), two pair keys:

- `p:<sound of the given name>.<sound of the surname>` (the sound of the formal form, as `c:`);
- `q:<letters of the given name in order>.<letters of the surname in order>`.

A query of two words or more looks for its pairs first (both orders): one indexed lookup finds "James Smith",
"smith, jmaes" or "Jim Smyth" among a million cases, where intersecting everyone whose name sounds like James
with everyone whose name sounds like Smith read hundreds of thousands of keys (seconds on PostgreSQL). Only when
no pair matches are the words matched one by one (a prefix, a typo that changes both the sound and the letters).

A query matches a person when each of its words matches one of the person's keys (or, when no one
matches every word, any word); the matches are ranked by how close the words are (Jaro-Winkler), so the
exact name comes first. The keys are plain indexed strings: the same search runs on SQLite and PostgreSQL,
and the database reads an index, never every person.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import jellyfish

WORDS_MAXIMUM = 4  # words of a query that are searched
NICKNAMES_FILE = Path(__file__).parent / "data" / "nicknames.csv"


@cache
def nicknames() -> dict[str, str]:
    """Nickname -> formal first name (lower case), from `data/nicknames.csv`."""
    with NICKNAMES_FILE.open(newline="", encoding="utf-8") as rows:
        return {row["nickname"]: row["formal"] for row in csv.DictReader(rows)}


def words(text: str) -> list[str]:
    """The words of a name, lower case, accents removed: "Andrews, Barry" -> ["andrews", "barry"];
    "O'Neil-Peña" -> ["oneil", "pena"]."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace("'", "")
    return [word for word in re.split(r"[^a-z]+", plain) if word]


def formal(word: str) -> str:
    """The formal form of a first name, or the word itself."""
    return nicknames().get(word, word)


def word_keys(word: str) -> set[str]:
    """The keys a word of a stored name is found by."""
    return {f"n:{word}", f"m:{jellyfish.metaphone(word)}", f"s:{''.join(sorted(word))}", f"c:{_sound(formal(word))}"}


def query_keys(word: str) -> set[str]:
    """The exact keys a word of a query looks for (the prefix key `n:<word>` is looked for as a prefix)."""
    return {f"m:{jellyfish.metaphone(word)}", f"s:{''.join(sorted(word))}", f"c:{_sound(formal(word))}"}


def _sound(word: str) -> str:
    return jellyfish.metaphone(word)


def name_keys(names: list[str]) -> set[str]:
    """Every key of a person known by these names (legal name parts, aliases)."""
    keys: set[str] = set()
    for name in names:
        for word in words(name):
            keys |= word_keys(word)
    return keys


def pair_keys(pairs: Iterable[tuple[str, str]]) -> set[str]:
    """The pair keys of (given name, surname) pairs: every word of the one with every word of the other."""
    keys: set[str] = set()
    for given, surname in pairs:
        for first in words(given):
            for last in words(surname):
                keys |= _pair(first, last)
    return keys


def query_pair_keys(query: list[str]) -> set[str]:
    """The pair keys a query of two words or more looks for: each word as the given name before or after each
    other word as the surname."""
    pairs = [(first, last) for i, first in enumerate(query) for j, last in enumerate(query) if i != j]
    return {key for first, last in pairs for key in _pair(first, last)}


def _pair(first: str, last: str) -> set[str]:
    return {f"p:{_sound(formal(first))}.{_sound(formal(last))}", f"q:{''.join(sorted(first))}.{''.join(sorted(last))}"}


def person_keys(*, first: str, middle: str, last: str, aliases: Iterable[tuple[str, str]] = ()) -> set[str]:
    """Every key of a person: each word of the legal name and of the aliases (`name_keys`), and the pairs of a
    given name (first, middle, an alias's first or else the legal first) with a surname (legal, an alias's)."""
    aliases = list(aliases)
    pairs = [(first, last), (middle, last)]
    pairs += [(alias_first or first, alias_last) for alias_first, alias_last in aliases]
    return name_keys([first, middle, last, *(part for alias in aliases for part in alias)]) | pair_keys(pairs)


def closeness(query: list[str], known: list[str]) -> float:
    """How close a query's words are to a person's name words, 0 to 1: for each query word, the best
    Jaro-Winkler similarity to a known word (a nickname of the same formal name counts as 1), averaged."""
    if not query or not known:
        return 0.0
    total = 0.0
    for word in query:
        best = 0.0
        for other in known:
            same = word == other or formal(word) == formal(other)
            best = max(best, 1.0 if same else jellyfish.jaro_winkler_similarity(word, other))
        total += best
    return total / len(query)
