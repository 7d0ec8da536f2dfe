"""What happens in paternity establishment that the worklist reacts to (`opencse.common.events`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class GeneticTestPresumed:
    """A genetic test result reached the State's threshold (Miss. Code Ann. 93-9-27(2); RCW 26.26A.325): the
    alleged father is presumed the father, and the case goes to the staff attorney to establish paternity."""

    test_id: int
    case_id: int
    child_id: int
    received_on: date
    actor_id: int
