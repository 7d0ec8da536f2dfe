"""A valid SSN, in Python (one record) and in SQL (a table of them): the same rule both ways.

A valid SSN is nine digits whose area is not 000, 666 or 9xx, whose group is not 00 and whose serial is not
0000, and which is not one of the numbers the Social Security Administration says were never issued to
anyone but printed in advertising (078-05-1120, 219-09-9999, 457-55-5462). It is python-stdnum's rule
(`stdnum.us.ssn`), the one `opencse.people` stores SSNs by; written again here because the matching engine
sits below the apps and imports none of them.
"""

from __future__ import annotations

import re

from stdnum.us import ssn as stdnum_ssn

ADVERTISED = ("078051120", "219099999", "457555462")
_NINE_DIGITS = re.compile(r"\d{9}")


def digits(text: str | None) -> str:
    """The digits of an SSN as typed ("123-45-6789" -> "123456789"); "" for None."""
    return re.sub(r"\D", "", text or "")


def is_valid_ssn(text: str | None) -> bool:
    """True for an SSN that can identify a person (see the module docstring); dashes and spaces allowed."""
    number = digits(text)
    return bool(_NINE_DIGITS.fullmatch(number)) and stdnum_ssn.is_valid(number)


def valid_ssn_sql(column: str) -> str:
    """A DuckDB expression: the nine digits of `column` when they are a valid SSN, else NULL."""
    number = f"regexp_replace(coalesce({column}, ''), '[^0-9]', '', 'g')"
    advertised = ", ".join(f"'{value}'" for value in ADVERTISED)
    return (
        f"CASE WHEN length({number}) = 9"
        f" AND substr({number}, 1, 3) NOT IN ('000', '666') AND substr({number}, 1, 1) <> '9'"
        f" AND substr({number}, 4, 2) <> '00' AND substr({number}, 6, 4) <> '0000'"
        f" AND {number} NOT IN ({advertised}) THEN {number} END"
    )
