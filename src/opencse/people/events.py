"""What happens to a person that other parts of OpenCSE react to (`opencse.common.events`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class EmploymentVerified:
    """A person's employer was verified: an income withholding notice is due to it within two business
    days on every case the person owes support on (45 CFR 303.100(e); 42 U.S.C. 654a(g)(1)(A)(i))."""

    employment_id: int
    person_id: int
    verified_on: date
    actor_id: int
