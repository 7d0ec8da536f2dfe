"""Child support guidelines: the presumptive amount of support under each state's schedule.

Each state has its own pure module (45 CFR 302.56 requires every state to set one guideline):

- `mississippi`: percentage of the obligor's adjusted gross income (Miss. Code Ann. §§ 43-19-101, -103);
- `washington`: income shares, the economic table and worksheet of chapter 26.19 RCW.

A rule takes plain values and `as_of`, reads its numbers from dated parameters, and returns a frozen
result with its worksheet lines (`explanation`) and the parameter versions it used.
"""

from opencse.rules.guidelines.deviation import Deviation, DeviationReason
from opencse.rules.guidelines.mississippi import MississippiGuideline, MississippiIncome, mississippi_guideline
from opencse.rules.guidelines.washington import (
    Expenses,
    ParentIncome,
    SharedExpense,
    WashingtonGuideline,
    washington_guideline,
)

__all__ = [
    "Deviation",
    "DeviationReason",
    "Expenses",
    "MississippiGuideline",
    "MississippiIncome",
    "ParentIncome",
    "SharedExpense",
    "WashingtonGuideline",
    "mississippi_guideline",
    "washington_guideline",
]
