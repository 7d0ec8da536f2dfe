"""Synthetic people and incoming records with a known truth, to train the model and measure it.

People: first names and surnames drawn by their US frequency (Faker's en_US lists, the census-weighted
ones) plus a long tail of rarer surnames made by joining two of them (Johnston, Garciason), a middle name for
two in five, a date of birth between 1950 and 2006, an SSN for 92 in 100 (unique, valid), an address in one of
20,000 postal codes.

Incoming records (a new-hire report): 94 in 100 are people on file, 5 in 100 people who are not, 1 in 100 a
relative of someone on file (same surname and address, another first name and birth date: not that person).
The people on file come with the errors a report has: the SSN left out (30 %), mistyped by a digit (1 %) or
invalid (1 %); a nickname for the first name (10 %: Robert -> Bob); a typo in the first (4 %) or last name
(4 %: a letter changed, dropped, added or two swapped); a new surname (1 %); the middle name left out (half);
day and month of birth transposed (3 %), a digit of it mistyped (2 %) or left out (1 %); a new address (35 %)
or a typo in it (3 %); everything in capitals. Column `true_person_key` is the truth (null for no one).
"""

from __future__ import annotations

import string
from collections import defaultdict
from datetime import date
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from faker.providers.address.en_US import Provider as AddressProvider
from faker.providers.person.en_US import Provider as PersonProvider

from . import names
from .engine import RECORD_SCHEMA

FIRST_BORN = date(1950, 1, 1)
LAST_BORN = date(2006, 12, 31)
POSTAL_CODES = 20_000


def generate(people: int, records: int, *, seed: int = 0) -> tuple[pa.Table, pa.Table]:
    """(people on file, incoming records with `true_person_key`), the same for the same arguments."""
    rng = np.random.default_rng(seed)
    places = _places(rng)
    on_file = _people(rng, people + records, places)
    outsiders = on_file.slice(people)  # generated like the people on file, but not on file
    on_file = on_file.slice(0, people)
    incoming = _incoming(rng, on_file, outsiders, records, places)
    keys = pa.array([f"P{index:08d}" for index in range(people)])
    on_file = on_file.set_column(0, "key", keys)
    index = np.array(incoming.pop("person_index"), dtype=np.int64)
    truth = pc.take(keys, pa.array(index, type=pa.int64(), mask=index < 0))
    incoming["key"] = [f"N{index:08d}" for index in range(records)]
    table = pa.table(
        {name: pa.array(incoming[name], type=RECORD_SCHEMA.field(name).type) for name in RECORD_SCHEMA.names}
    )
    return on_file, table.append_column("true_person_key", truth)


def _weighted(rng: np.random.Generator, table: dict[str, float], size: int) -> np.ndarray:
    values = np.array(list(table.keys()), dtype=object)
    weights = np.array(list(table.values()), dtype=float)
    return values[rng.choice(len(values), size=size, p=weights / weights.sum())]


def _places(rng: np.random.Generator) -> dict[str, np.ndarray]:
    codes = rng.choice(np.arange(1000, 99_950), size=POSTAL_CODES, replace=False)
    stems = np.array(list(PersonProvider.last_names.keys()), dtype=object)
    suffixes = np.array(["ton", "ville", " City", "field", "burg", " Falls", "wood", " Springs", ""], dtype=object)
    cities = stems[rng.integers(0, len(stems), POSTAL_CODES)] + suffixes[rng.integers(0, len(suffixes), POSTAL_CODES)]
    states = np.where(
        rng.random(POSTAL_CODES) < 0.9, "WA", np.array(["OR", "ID", "CA", "MT"])[rng.integers(0, 4, POSTAL_CODES)]
    )
    streets = np.array(
        list(PersonProvider.last_names.keys()) + list(PersonProvider.first_names_female.keys()), dtype=object
    )
    return {
        "postal": np.array([f"{code:05d}" for code in codes], dtype=object),
        "city": cities,
        "state": states.astype(object),
        "street": streets,
        "suffix": np.array(AddressProvider.street_suffixes, dtype=object),
    }


def _addresses(rng: np.random.Generator, size: int, places: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    place = rng.integers(0, POSTAL_CODES, size)
    numbers = rng.integers(1, 20_000, size).astype(str).astype(object)
    street = places["street"][rng.integers(0, len(places["street"]), size)]
    suffix = places["suffix"][rng.integers(0, len(places["suffix"]), size)]
    return {
        "address_line1": numbers + " " + street + " " + suffix,
        "city": places["city"][place],
        "state": places["state"][place],
        "postal_code": places["postal"][place],
    }


def _ssns(rng: np.random.Generator, size: int) -> np.ndarray:
    """`size` distinct valid SSNs."""
    draws = np.empty(0, dtype=np.int64)
    while True:
        more = rng.integers(1_01_0001, 899_99_9999, size + size // 10 + 100)
        area, group, serial = more // 1_000_000, (more // 10_000) % 100, more % 10_000
        draws = np.concatenate([draws, more[(area != 666) & (group != 0) & (serial != 0)]])
        _, first = np.unique(draws, return_index=True)
        if len(first) >= size:
            break
    unique = draws[np.sort(first)[:size]]
    return np.array([f"{number:09d}" for number in unique], dtype=object)


def _people(rng: np.random.Generator, size: int, places: dict[str, np.ndarray]) -> pa.Table:
    female = rng.random(size) < 0.5
    first = np.where(
        female,
        _weighted(rng, PersonProvider.first_names_female, size),
        _weighted(rng, PersonProvider.first_names_male, size),
    )
    middle = np.where(
        female,
        _weighted(rng, PersonProvider.first_names_female, size),
        _weighted(rng, PersonProvider.first_names_male, size),
    )
    middle[rng.random(size) >= 0.4] = None
    last = _weighted(rng, PersonProvider.last_names, size)
    tail = np.flatnonzero(rng.random(size) < 0.3)
    other = _weighted(rng, PersonProvider.last_names, len(tail))
    cut = rng.integers(3, 6, len(tail))
    keep = rng.integers(2, 5, len(tail))
    last[tail] = [a[:c] + b[-k:].lower() for a, b, c, k in zip(last[tail], other, cut, keep, strict=True)]
    days = (LAST_BORN - FIRST_BORN).days
    born = np.datetime64(FIRST_BORN.isoformat()) + rng.integers(0, days + 1, size).astype("timedelta64[D]")
    ssn = _ssns(rng, size)
    ssn[rng.random(size) < 0.08] = None
    address = _addresses(rng, size, places)
    return pa.table(
        {
            "key": pa.nulls(size, pa.string()),
            "ssn": pa.array(ssn, pa.string()),
            "first_name": pa.array(first, pa.string()),
            "middle_name": pa.array(middle, pa.string()),
            "last_name": pa.array(last, pa.string()),
            "birth_date": pa.array(born, pa.date32()),
            **{name: pa.array(values, pa.string()) for name, values in address.items()},
        }
    )


def _typo(rng: np.random.Generator, word: str) -> str:
    """One typing error: a letter changed, dropped or added, or two neighbours swapped."""
    if len(word) < 3:
        return word + "e"
    where = int(rng.integers(1, len(word) - 1))
    kind = int(rng.integers(0, 4))
    letter = string.ascii_lowercase[int(rng.integers(0, 26))]
    if kind == 0:
        return word[:where] + letter + word[where + 1 :]
    if kind == 1:
        return word[:where] + word[where + 1 :]
    if kind == 2:
        return word[:where] + letter + word[where:]
    return word[: where - 1] + word[where] + word[where - 1] + word[where + 1 :]


def _digit_typo(rng: np.random.Generator, born: date) -> date:
    text = born.isoformat()
    for _ in range(20):
        where = int(rng.choice([2, 3, 5, 6, 8, 9]))
        changed = text[:where] + str(int(rng.integers(0, 10))) + text[where + 1 :]
        try:
            result = date.fromisoformat(changed)
        except ValueError:
            continue
        if result != born and FIRST_BORN.year - 10 <= result.year:
            return result
    return born


def _incoming(
    rng: np.random.Generator, on_file: pa.Table, outsiders: pa.Table, size: int, places: dict[str, np.ndarray]
) -> dict[str, list[Any]]:
    people = on_file.num_rows
    kind = rng.random(size)
    is_outsider = kind < 0.05
    is_relative = (kind >= 0.05) & (kind < 0.06)
    on_file_rows = np.flatnonzero(~is_outsider & ~is_relative)
    person = np.full(size, -1, dtype=np.int64)
    person[on_file_rows] = rng.choice(people, size=len(on_file_rows), replace=False)
    relative_of = rng.integers(0, people, size)
    columns = {
        name: on_file.column(name).to_numpy(zero_copy_only=False).astype(object) for name in RECORD_SCHEMA.names[1:]
    }
    outside = {
        name: outsiders.column(name).to_numpy(zero_copy_only=False).astype(object) for name in RECORD_SCHEMA.names[1:]
    }
    result: dict[str, list[Any]] = {}
    source = np.where(person >= 0, person, relative_of)
    for name in RECORD_SCHEMA.names[1:]:
        values = columns[name][source]
        values[is_outsider] = outside[name][:size][is_outsider]
        result[name] = list(values)
    relatives = np.flatnonzero(is_relative)
    for name in ("ssn", "first_name", "middle_name", "birth_date"):
        for row in relatives:
            result[name][row] = outside[name][row]

    def some(share: float) -> np.ndarray:
        return np.flatnonzero(rng.random(size) < share)

    reverse: dict[str, list[str]] = defaultdict(list)
    for nickname, formal in names.nicknames().items():
        reverse[formal].append(nickname)
    for row in some(0.30):
        result["ssn"][row] = None
    for row in some(0.01):
        if result["ssn"][row]:
            result["ssn"][row] = "000" + result["ssn"][row][3:]
    for row in some(0.01):
        ssn = result["ssn"][row]
        if ssn and not ssn.startswith("000"):
            where = int(rng.integers(3, 9))
            result["ssn"][row] = ssn[:where] + str((int(ssn[where]) + int(rng.integers(1, 10))) % 10) + ssn[where + 1 :]
    for row in some(0.10):
        options = reverse.get(result["first_name"][row].lower())
        if options:
            result["first_name"][row] = options[int(rng.integers(0, len(options)))].capitalize()
    for row in some(0.04):
        result["first_name"][row] = _typo(rng, result["first_name"][row])
    for row in some(0.04):
        result["last_name"][row] = _typo(rng, result["last_name"][row])
    for row in some(0.01):
        result["last_name"][row] = outside["last_name"][int(rng.integers(0, size))]
    for row in some(0.5):
        result["middle_name"][row] = None
    for row in some(0.03):
        born = result["birth_date"][row]
        if born.day <= 12 and born.day != born.month:
            result["birth_date"][row] = date(born.year, born.day, born.month)
    for row in some(0.02):
        result["birth_date"][row] = _digit_typo(rng, result["birth_date"][row])
    for row in some(0.01):
        result["birth_date"][row] = None
    moved = some(0.35)
    new_address = _addresses(rng, len(moved), places)
    for name, values in new_address.items():
        for row, value in zip(moved, values, strict=True):
            result[name][row] = value
    for row in some(0.03):
        result["address_line1"][row] = _typo(rng, result["address_line1"][row])
    for name in ("first_name", "middle_name", "last_name", "address_line1", "city"):
        result[name] = [value.upper() if value else value for value in result[name]]
    result["person_index"] = list(np.where(person >= 0, person, -1))
    return result
