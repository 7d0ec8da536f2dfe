"""Worked examples from tests/rules/cases/guideline.yaml, as worksheet payloads, and a case to use them on."""

from __future__ import annotations

from typing import Any

from opencse.cases.models import Case, CaseMember
from opencse.security.models import User
from opencse.security.roles import Role
from tests import factories

# guideline.yaml "MS one child, wages less income taxes and FICA"
# (Miss. Code Ann. § 43-19-101(1), (3); domain/guideline-ms.md § 9 Example 1):
# adjusted gross income 3244.00, 14 %, support 454.16.
MS_EXAMPLE_1: dict[str, Any] = {
    "jurisdiction": "MS",
    "as_of": "2026-01-01",
    "number_of_children": 1,
    "obligor": {
        "gross_income": "4000.00",
        "taxes": "450.00",
        "social_security": "306.00",
        "mandatory_retirement": "0.00",
        "other_child_support_paid": "0.00",
    },
}

# guideline.yaml "MS a deviation under § 43-19-103(g) is recorded beside the presumptive amount"
# (Miss. Code Ann. §§ 43-19-101(2), 43-19-103(g)): support 454.16, ordered 400.00.
MS_DEVIATION: dict[str, Any] = {
    **MS_EXAMPLE_1,
    "deviations": [{"reason": "g", "amount": "-54.16", "finding": "Obligor has the child 40 % of overnights"}],
}

# guideline.yaml "WA two children, premium paid by the obligor and day care by the obligee (2019 table)"
# (RCW 26.19.020 ($6,000 row, 2 children, $795), 26.19.080; domain/guideline-wa.md § 8 Example 1):
# basic support obligation 1590.00, obligor's share 1060.00, standard calculation 1410.00.
WA_EXAMPLE_1: dict[str, Any] = {
    "jurisdiction": "WA",
    "as_of": "2025-06-01",
    "children": [{"age": 5}, {"age": 13}],
    "obligor": {"net_income": "4000.00"},
    "obligee": {"net_income": "2000.00"},
    "health_insurance_premiums": {"obligor": "150.00", "obligee": "0.00"},
    "day_care": {"obligor": "0.00", "obligee": "600.00"},
    "special_expenses": {"obligor": "0.00", "obligee": "0.00"},
}


def officers() -> tuple[User, User, User]:
    """A caseworker (SEO 1) who prepares, an SEO 2 and a supervisor who hold signature authority."""
    return (
        factories.user(Role.OFFICER_1, username="seo1"),
        factories.user(Role.OFFICER_2, username="seo2"),
        factories.user(Role.SUPERVISOR, username="supervisor"),
    )


def family_case(actor: User, *, protected: bool = False) -> tuple[Case, CaseMember, CaseMember, CaseMember]:
    return factories.family(actor, protected=protected)


# guideline.yaml "MS one child, annual AGI below $10,000 needs a written finding"
# (Miss. Code Ann. § 43-19-101(4); domain/guideline-ms.md § 9 Example 5): AGI 784.97, support 109.90.
MS_BELOW_RANGE: dict[str, Any] = {
    "jurisdiction": "MS",
    "as_of": "2026-01-01",
    "number_of_children": 1,
    "obligor": {
        "gross_income": "850.00",
        "taxes": "0.00",
        "social_security": "65.03",
        "mandatory_retirement": "0.00",
        "other_child_support_paid": "0.00",
    },
}
