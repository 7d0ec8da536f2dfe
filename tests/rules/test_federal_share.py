from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opencse.errors import InvalidInput
from opencse.rules.federal_share import federal_share, split_by_fmap

ILLUSTRATIVE_FMAP_PERCENT = Decimal("58.00")  # domain/distribution.md section 7, "Common assumptions"

amounts = st.decimals(
    min_value=Decimal("0"), max_value=Decimal("1000000"), places=2, allow_nan=False, allow_infinity=False
)
fmaps = st.decimals(
    min_value=Decimal("0.01"), max_value=Decimal("100"), places=2, allow_nan=False, allow_infinity=False
)


# Worked examples: domain/distribution.md section 7 (FMAP 58.00%, illustrative).
@pytest.mark.parametrize(
    ("retained", "federal", "state"),
    [
        pytest.param("550.00", "319.00", "231.00", id="example 1: current assistance with pass-through"),
        pytest.param("450.00", "261.00", "189.00", id="example 2: retention capped at URA"),
        pytest.param("250.00", "145.00", "105.00", id="example 3: former assistance, PA arrears"),
        pytest.param("420.00", "243.60", "176.40", id="example 6: IV-E foster care, this month's FCMP"),
    ],
)
def test_worked_examples_split_at_the_illustrative_fmap(retained: str, federal: str, state: str) -> None:
    split = split_by_fmap(Decimal(retained), ILLUSTRATIVE_FMAP_PERCENT)

    assert (split.federal, split.state) == (Decimal(federal), Decimal(state))


def test_federal_share_rounds_half_up_and_the_state_takes_the_remainder() -> None:
    # 0.05 x 50% = 0.025 exactly: half-up gives the Federal share 0.03 (half-even would give 0.02).
    split = split_by_fmap(Decimal("0.05"), Decimal("50.00"))

    assert (split.federal, split.state) == (Decimal("0.03"), Decimal("0.02"))


def test_washington_splits_half_and_half_in_fiscal_year_2024() -> None:
    # Source: Washington State Senate Bill Report, ESHB 1652 (2024): "The current federal share for
    # Washington is 50 percent"; loaded in params/us/distribution_fmap.yaml.
    split = federal_share(Decimal("550.00"), jurisdiction="WA", as_of=date(2024, 3, 1))

    assert (split.federal, split.state) == (Decimal("275.00"), Decimal("275.00"))
    assert split.fmap_percent == Decimal("50.00")


def test_washington_odd_cent_goes_to_the_federal_share() -> None:
    split = federal_share(Decimal("100.01"), jurisdiction="wa", as_of=date(2023, 6, 30))

    assert (split.federal, split.state) == (Decimal("50.01"), Decimal("50.00"))


def test_puerto_rico_uses_the_statutory_75_percent() -> None:
    # 42 U.S.C. 657(c)(3); 45 CFR 304.26(a)(1): 75 percent for Puerto Rico.
    split = federal_share(Decimal("250.00"), jurisdiction="PR", as_of=date(2026, 3, 3))

    assert (split.federal, split.state) == (Decimal("187.50"), Decimal("62.50"))


def test_the_explanation_cites_the_fmap_used() -> None:
    split = federal_share(Decimal("550.00"), jurisdiction="WA", as_of=date(2024, 3, 1))

    assert [use.name for use in split.parameters] == ["us/distribution_fmap.WA"]
    assert split.parameters[0].effective == date(2023, 10, 1)
    assert any("657(c)(2)" in line.reference for line in split.explanation)


def test_a_state_without_a_loaded_fmap_is_refused_on_jurisdiction() -> None:
    with pytest.raises(InvalidInput) as refused:
        federal_share(Decimal("100.00"), jurisdiction="AL", as_of=date(2026, 3, 3))

    assert refused.value.field == "jurisdiction"


# Source: HHS FMAP notices, Table 1 (shared/domain/fmap-ms-wa.csv): Mississippi FY2020 76.98, FY2021 77.76,
# FY2022 78.31, FY2023 77.86, FY2024 77.27, FY2025 76.90 (88 FR 81090), FY2026 76.90; Washington 50.00.
@pytest.mark.parametrize(
    ("jurisdiction", "distributed_on", "fmap", "federal", "state"),
    [
        pytest.param("MS", date(2019, 10, 1), "76.98", "230.94", "69.06", id="MS FY2020 first day"),
        pytest.param("MS", date(2021, 9, 30), "77.76", "233.28", "66.72", id="MS FY2021 last day"),
        pytest.param("MS", date(2021, 10, 1), "78.31", "234.93", "65.07", id="MS FY2022"),
        pytest.param("MS", date(2023, 3, 15), "77.86", "233.58", "66.42", id="MS FY2023"),
        pytest.param("MS", date(2024, 9, 30), "77.27", "231.81", "68.19", id="MS FY2024"),
        pytest.param("MS", date(2025, 2, 19), "76.90", "230.70", "69.30", id="MS FY2025"),
        pytest.param("MS", date(2026, 9, 30), "76.90", "230.70", "69.30", id="MS FY2026 last day"),
        pytest.param("WA", date(2019, 10, 1), "50.00", "150.00", "150.00", id="WA FY2020"),
        pytest.param("WA", date(2025, 2, 19), "50.00", "150.00", "150.00", id="WA FY2025"),
        pytest.param("WA", date(2026, 9, 30), "50.00", "150.00", "150.00", id="WA FY2026 last day"),
    ],
)
def test_mississippi_and_washington_split_by_the_fmap_of_the_fiscal_year(
    jurisdiction: str, distributed_on: date, fmap: str, federal: str, state: str
) -> None:
    split = federal_share(Decimal("300.00"), jurisdiction=jurisdiction, as_of=distributed_on)

    assert (split.fmap_percent, split.federal, split.state) == (Decimal(fmap), Decimal(federal), Decimal(state))
    assert split.parameters[0].name == f"us/distribution_fmap.{jurisdiction}"


@pytest.mark.parametrize("jurisdiction", ["MS", "WA"])
@pytest.mark.parametrize("distributed_on", [date(2019, 9, 30), date(2026, 10, 1)], ids=["FY2019", "FY2027"])
def test_mississippi_and_washington_are_not_determined_outside_fy2020_to_fy2026(
    jurisdiction: str, distributed_on: date
) -> None:
    with pytest.raises(InvalidInput) as refused:
        federal_share(Decimal("300.00"), jurisdiction=jurisdiction, as_of=distributed_on)

    assert refused.value.field == "as_of"


@pytest.mark.parametrize(
    ("distributed_on", "open_question"),
    [
        (date(2019, 12, 31), False),
        (date(2020, 1, 1), True),
        (date(2023, 12, 31), True),
        (date(2024, 1, 1), False),
    ],
)
def test_the_ffcra_question_is_attached_to_splits_from_2020_to_2023_not_answered(
    distributed_on: date, open_question: bool
) -> None:
    split = federal_share(Decimal("300.00"), jurisdiction="MS", as_of=distributed_on)

    assert bool(split.open_questions) is open_question
    assert all("Families First" in question and "regular FMAP" in question for question in split.open_questions)


@pytest.mark.parametrize("jurisdiction", ["US", "ZZ", "", "W A", "../wa"])
def test_an_unknown_jurisdiction_is_refused(jurisdiction: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        federal_share(Decimal("100.00"), jurisdiction=jurisdiction, as_of=date(2024, 3, 1))

    assert refused.value.field == "jurisdiction"


def test_a_fiscal_year_whose_fmap_is_not_confirmed_is_refused_not_carried_forward() -> None:
    # Washington is loaded for FY2020-FY2026 only; FY2027 must not silently reuse 50.00.
    with pytest.raises(InvalidInput) as refused:
        federal_share(Decimal("100.00"), jurisdiction="WA", as_of=date(2026, 11, 23))

    assert refused.value.field == "as_of"


def test_a_date_before_the_first_rate_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        federal_share(Decimal("100.00"), jurisdiction="WA", as_of=date(2019, 9, 30))

    assert refused.value.field == "as_of"


@pytest.mark.parametrize("retained", ["-0.01", "10.001", "NaN", "Infinity", "1000000000.01"])
def test_a_bad_retained_amount_is_refused(retained: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        split_by_fmap(Decimal(retained), ILLUSTRATIVE_FMAP_PERCENT)

    assert refused.value.field == "retained"


@pytest.mark.parametrize("fmap_percent", ["0", "-1", "100.01", "NaN"])
def test_an_fmap_outside_0_to_100_percent_is_refused(fmap_percent: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        split_by_fmap(Decimal("100.00"), Decimal(fmap_percent))

    assert refused.value.field == "fmap_percent"


@given(retained=amounts, fmap_percent=fmaps)
def test_the_shares_always_add_up_to_the_retained_amount(retained: Decimal, fmap_percent: Decimal) -> None:
    split = split_by_fmap(retained, fmap_percent)

    assert split.federal + split.state == retained


@given(retained=amounts, fmap_percent=fmaps)
def test_neither_share_is_negative(retained: Decimal, fmap_percent: Decimal) -> None:
    split = split_by_fmap(retained, fmap_percent)

    assert split.federal >= 0
    assert split.state >= 0


@given(smaller=amounts, larger=amounts, fmap_percent=fmaps)
def test_the_federal_share_never_falls_when_more_is_retained(
    smaller: Decimal, larger: Decimal, fmap_percent: Decimal
) -> None:
    smaller, larger = sorted((smaller, larger))

    assert split_by_fmap(smaller, fmap_percent).federal <= split_by_fmap(larger, fmap_percent).federal


@given(retained=amounts, fmap_percent=fmaps)
def test_the_federal_share_is_within_half_a_cent_of_the_exact_product(retained: Decimal, fmap_percent: Decimal) -> None:
    split = split_by_fmap(retained, fmap_percent)

    assert abs(split.federal - retained * fmap_percent / 100) <= Decimal("0.005")
