"""ROI, payback and NPV: published examples, properties and rejections."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

import retailkit as rk


def test_roi_calculator_paradise():
    # Calculator Paradise, "ROI formula": bought for $1,000, now worth $1,500 -> ROI 50 %.
    assert rk.roi(benefit=1_500, cost=1_000) == pytest.approx(0.50)


def test_npv_motley_fool():
    # The Motley Fool, "Net present value": invest $15,000 for $3,000 a year for 10 years at 10 %
    # -> NPV $3,433.70.
    assert rk.npv(rate=0.10, cash_flows=[3_000] * 10, investment=15_000) == pytest.approx(3_433.70, abs=0.01)


def test_npv_expertsmind_two_years():
    # ExpertsMind, "Example of net present value method": 100,000 invested, 80,000 then 50,000 at 10 %
    # -> 80,000/1.1 + 50,000/1.21 - 100,000 = 14,049 (14,049.59 before truncation).
    assert rk.npv(0.10, [80_000, 50_000], 100_000) == pytest.approx(14_049.59, abs=0.01)


def test_payback_with_interpolation():
    # Worked answer (Brainly mirror): -180,000 then 60,000, 40,000, 70,000, 125,000, 35,000
    # -> 3 + 10,000 / 125,000 = 3.08 years.
    assert rk.payback_period(180_000, [60_000, 40_000, 70_000, 125_000, 35_000]) == pytest.approx(3.08)
    # wizedu: 684,604 invested, 320,000 then 520,000 -> 1 + 364,604 / 520,000 = 1.70.
    assert round(rk.payback_period(684_604, [320_000, 520_000]), 2) == 1.70


@given(st.floats(1, 1e6), st.lists(st.floats(0.01, 1e6), min_size=1, max_size=10))
def test_npv_at_zero_rate_is_the_sum(investment, flows):
    assert rk.npv(0.0, flows, investment) == pytest.approx(sum(flows) - investment, rel=1e-9, abs=1e-6)


@given(st.floats(0.001, 0.5), st.lists(st.floats(0.01, 1e6), min_size=1, max_size=10))
def test_npv_falls_as_the_rate_rises(rate, flows):
    assert rk.npv(rate + 0.01, flows) < rk.npv(rate, flows)


@given(st.floats(1, 1e6), st.floats(1, 1e5), st.integers(1, 20))
def test_even_flows_pay_back_in_investment_over_flow(investment, flow, periods):
    if investment / flow <= periods:
        assert rk.payback_period(investment, [flow] * periods) == pytest.approx(investment / flow)


def test_rejections():
    with pytest.raises(ValueError, match="is not paid back within the 2 periods"):
        rk.payback_period(10_000, [1_000, 2_000])
    with pytest.raises(ValueError, match="rate must be more than -1"):
        rk.npv(-1.5, [100])
    with pytest.raises(ValueError, match="cost must be greater than 0"):
        rk.roi(benefit=100, cost=0)
    with pytest.raises(ValueError, match="investment must be greater than 0"):
        rk.payback_period(0, [100])
    with pytest.raises(ValueError, match="cash_flows has a missing value"):
        rk.npv(0.1, [100, float("nan")])
