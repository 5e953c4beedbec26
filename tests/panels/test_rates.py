"""The rates module against cases worked out by hand."""

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from panels import rates

# The seed study's first round: 360 invited, 98 complete, 23 opted out or coordinated.
SEED = {"complete": 98, "opted_out": 15, "coordinated": 8, "not_started": 239}

# A round with every kind of outcome; AAPOR symbols by hand:
# I=40 P=10 R=5+5+10=20 NC=5 O=5 UH=20 UO=10 NE=10, so e = 80/90 and e*U = 80/3.
MIXED = {
    "complete": 40,
    "partial": 10,
    "break_off": 5,
    "refused": 5,
    "opted_out": 10,
    "unavailable": 5,
    "other": 5,
    "undeliverable": 10,
    "not_started": 20,
    "not_eligible": 10,
}
E_U = 80 / 3

MIXED_EXPECTED = {
    "study_frame": 40 / 120,
    "study_eligible": 40 / 100,
    "RR1": 40 / 110,
    "RR2": 50 / 110,
    "RR3": 40 / (80 + E_U),
    "RR4": 50 / (80 + E_U),
    "RR5": 40 / 80,
    "RR6": 50 / 80,
    "COOP1": 40 / 75,
    "COOP2": 50 / 75,
    "COOP3": 40 / 70,
    "COOP4": 50 / 70,
    "REF1": 20 / 110,
    "REF2": 20 / (80 + E_U),
    "REF3": 20 / 80,
    "CON1": 75 / 110,
    "CON2": 75 / (80 + E_U),
    "CON3": 75 / 80,
}


def test_seed_study_rates_match_the_published_figures():
    result = rates.compute(SEED)
    assert round(result.rates["study_frame"].value * 100, 1) == 27.2
    assert round(result.rates["study_eligible"].value * 100, 1) == 29.1
    assert result.rates["study_eligible"].denominator == 337


def test_aapor_counts_of_a_mixed_round():
    assert rates.compute(MIXED).aapor_counts == {
        "I": 40, "P": 10, "R": 20, "NC": 5, "O": 5, "UH": 20, "UO": 10, "NE": 10,
    }  # fmt: skip


def test_proportional_e_of_a_mixed_round():
    result = rates.compute(MIXED)
    assert result.e == pytest.approx(8 / 9)
    assert result.e_method == "proportional allocation"


@pytest.mark.parametrize(("name", "expected"), sorted(MIXED_EXPECTED.items()))
def test_each_rate_of_a_mixed_round(name, expected):
    assert rates.compute(MIXED).rates[name].value == pytest.approx(expected)


def test_given_e_replaces_the_estimate():
    result = rates.compute(MIXED, e=1)
    assert result.e_method == "given"
    assert result.rates["RR3"].value == pytest.approx(result.rates["RR1"].value)
    zero = rates.compute(MIXED, e=0)
    assert zero.rates["RR3"].value == pytest.approx(zero.rates["RR5"].value)


def test_excluded_dispositions_are_a_parameter():
    result = rates.compute(MIXED, excluded={"not_eligible"})
    assert result.rates["study_eligible"].value == pytest.approx(40 / 110)


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [(0, 10, 0.0, 0.2775), (5, 10, 0.2366, 0.7634), (10, 10, 0.7225, 1.0)],
)
def test_wilson_interval_matches_the_tables(successes, n, low, high):
    got = rates.wilson_interval(successes, n)
    assert got == pytest.approx((low, high), abs=1e-4)


def test_a_rate_over_nothing_has_no_value():
    result = rates.compute({"not_eligible": 3})
    assert result.rates["RR1"].value is None
    assert result.rates["RR1"].low is None


@pytest.mark.parametrize("bad", [{"finished": 1}, {}])
def test_unknown_dispositions_are_refused(bad):
    with pytest.raises(ValueError, match="Unknown disposition"):
        rates.compute({"complete": 1, **bad}, excluded={"nonsense"} if not bad else ())


def test_e_outside_zero_one_is_refused():
    with pytest.raises(ValueError, match="between 0 and 1"):
        rates.compute(MIXED, e=1.5)


def test_every_disposition_has_an_aapor_symbol():
    assert {code for code, _ in rates.AAPOR_CODES.values()} <= set(rates.AAPOR_SYMBOLS)


counts_strategy = st.dictionaries(
    st.sampled_from(sorted(rates.AAPOR_CODES)), st.integers(min_value=0, max_value=500)
)


@given(counts_strategy, st.none() | st.floats(min_value=0, max_value=1))
@example(counts={"listed": 1}, e=2.1202253000651727e-232)  # a base of e alone, near zero
def test_rates_are_proportions_in_order(counts, e):
    result = rates.compute(counts, e=e)
    r = {name: x.value for name, x in result.rates.items()}
    for x in result.rates.values():
        if x.value is not None:
            assert 0 <= x.low <= x.value + 1e-12 and x.value <= x.high + 1e-12 <= 1 + 1e-12
    pairs = [("RR1", "RR2"), ("RR3", "RR4"), ("RR5", "RR6"), ("RR1", "RR3"), ("RR3", "RR5"),
             ("COOP1", "COOP2"), ("COOP3", "COOP4"), ("COOP1", "COOP3"),
             ("REF1", "REF2"), ("REF2", "REF3"), ("CON1", "CON2"), ("CON2", "CON3")]  # fmt: skip
    for lower, higher in pairs:
        if r[lower] is not None and r[higher] is not None:
            assert r[lower] <= r[higher] + 1e-12
