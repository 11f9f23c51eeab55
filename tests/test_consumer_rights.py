"""Consumer Rights Act 2015 remedies by date: boundaries, sections cited, rejections.

Sections checked against legislation.gov.uk (ukpga/2015/15): s.19(3) tiers of remedies; s.22(3) 30 days;
s.22(4) perishable goods; s.23 repair or replacement; s.24(5) price reduction or final right to reject
after one failed repair or replacement; s.24(8)-(10) deduction for use; s.19(14)-(15) six-month presumption.
"""

import pytest

import retailkit as rk


@pytest.mark.parametrize("reported, short_term", [("2026-03-01", True), ("2026-03-31", True),
                                                   ("2026-04-01", False)])
def test_the_30_days_start_the_day_after_delivery(reported, short_term):
    # Delivered 1 March: the 30 days run 2 to 31 March (s.22(3)).
    assert rk.remedies("2026-03-01", reported).short_term_reject is short_term


def test_perishable_goods_have_a_shorter_right_to_reject():
    flowers = rk.remedies("2026-05-01", "2026-05-09", perishable=True, perishes_after_days=7)
    assert not flowers.short_term_reject
    assert "s.22(4)" in str(flowers)
    assert rk.remedies("2026-05-01", "2026-05-06", perishable=True, perishes_after_days=7).short_term_reject


def test_final_remedies_only_after_a_failed_repair_or_replacement():
    first = rk.remedies("2026-01-10", "2026-04-01")
    assert first.repair_or_replace and not first.price_reduction_or_final_reject
    again = rk.remedies("2026-01-10", "2026-04-01", repairs_or_replacements=1)
    assert again.price_reduction_or_final_reject and "s.24(5)" in str(again)


def test_burden_of_proof_moves_to_the_customer_after_six_months():
    assert rk.remedies("2026-01-10", "2026-07-09").burden_of_proof == "trader"
    late = rk.remedies("2026-01-10", "2026-07-10")
    assert late.burden_of_proof == "customer" and "s.19(14)-(15)" in str(late)


def test_deduction_for_use_only_after_six_months_or_for_cars():
    assert not rk.remedies("2026-01-10", "2026-05-01", repairs_or_replacements=1).deduction_for_use
    assert rk.remedies("2026-01-10", "2026-09-01", repairs_or_replacements=1).deduction_for_use
    assert rk.remedies("2026-01-10", "2026-05-01", repairs_or_replacements=1, motor_vehicle=True).deduction_for_use


def test_delivery_date_starts_the_clock_for_online_orders():
    online = rk.remedies("2026-03-01", "2026-04-05", delivery_date="2026-03-10")
    assert online.short_term_reject and online.days_since_delivery == 26


def test_six_years_is_out_of_time():
    old = rk.remedies("2019-01-01", "2026-01-02")
    assert not old.repair_or_replace and "Limitation Act 1980" in str(old)


@pytest.mark.parametrize("kwargs, words", [
    (dict(purchase_date="2026-03-01", fault_reported="2026-02-01"), "before the goods were delivered"),
    (dict(purchase_date="not a date", fault_reported="2026-02-01"), "purchase_date must be a date"),
    (dict(purchase_date="2026-03-01", fault_reported="2026-03-05", perishable=True), "perishes_after_days"),
    (dict(purchase_date="2026-03-01", fault_reported="2026-03-05", repairs_or_replacements=-1), "0 or more"),
    (dict(purchase_date="2026-03-05", fault_reported="2026-03-09", delivery_date="2026-03-01"),
     "delivery_date .* is before purchase_date"),
])
def test_rejections(kwargs, words):
    with pytest.raises(ValueError, match=words):
        rk.remedies(**kwargs)
