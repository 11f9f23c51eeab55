"""Consumer Rights Act 2015 remedies by date: boundaries, sections cited, rejections.

Sections checked against legislation.gov.uk (ukpga/2015/15): s.19(3) tiers of remedies; s.22(3) 30 days;
s.22(4) perishable goods; s.23 repair or replacement; s.24(5) price reduction or final right to reject
after one failed repair or replacement; s.24(8)-(11) deduction for use; s.19(14)-(15) six-month presumption;
s.22(6)-(8) the 30 days stop while a repair or replacement is awaited.
"""

import pytest

import retailkit as rk


@pytest.mark.parametrize(("reported", "short_term"), [("2026-03-01", True), ("2026-03-31", True),
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


def test_six_month_presumption_covers_repair_and_final_remedies_not_short_term_rejection():
    # s.19(14) applies "for the purposes of subsections (3)(b) and (c)", not (3)(a), the short-term right.
    early = rk.remedies("2026-03-01", "2026-03-20")
    assert early.short_term_reject and early.fault_presumed_at_delivery
    assert early.burden_of_proof == "trader" and early.short_term_reject_burden == "customer"
    assert "does not apply to this right" in str(early)
    late = rk.remedies("2026-01-10", "2026-07-10")
    assert not late.fault_presumed_at_delivery and late.short_term_reject_burden == "customer"
    docstring = rk.remedies.__doc__
    assert "r.short_term_reject_burden" in docstring and "not the 30-day rejection" in docstring


@pytest.mark.parametrize(("delivered", "reported", "deduction"), [
    # s.24(11): the six months begin with the first day after delivery, so they include the six-month date.
    ("2026-01-10", "2026-07-09", False),
    ("2026-01-10", "2026-07-10", False),  # the exact six-month date: still no deduction
    ("2026-01-10", "2026-07-11", True),
    ("2026-03-01", "2026-09-01", False),
    ("2026-03-01", "2026-09-02", True),
    ("2025-08-31", "2026-02-28", False),  # the six months begin 1 September and end 28 February
    ("2025-08-31", "2026-03-01", True),
])
def test_no_deduction_for_use_in_the_six_months_after_delivery(delivered, reported, deduction):
    r = rk.remedies(delivered, reported, repairs_or_replacements=1)
    assert r.price_reduction_or_final_reject and r.deduction_for_use is deduction
    assert "s.24(10)-(11)" in str(r) or "(10)-(11)" in str(r)


def test_waiting_for_a_repair_stops_the_30_days():
    # Delivered 1 March: the 30 days end on 31 March. Repair asked for on 10 March (22 days left),
    # goods back on 20 March: 11 days waited (s.22(6), (8)), so the period now ends on 11 April.
    kwargs = dict(repairs_or_replacements=1, repair_requested="2026-03-10", repair_received="2026-03-20")
    assert not rk.remedies("2026-03-01", "2026-04-05", repairs_or_replacements=1).short_term_reject
    r = rk.remedies("2026-03-01", "2026-04-05", **kwargs)
    assert r.short_term_reject and r.waiting_days == 11
    assert str(r.short_term_reject_last_day.date()) == "2026-04-11" and "s.22(6)-(8)" in str(r)
    assert rk.remedies("2026-03-01", "2026-04-11", **kwargs).short_term_reject
    assert not rk.remedies("2026-03-01", "2026-04-12", **kwargs).short_term_reject


def test_at_least_seven_days_are_left_after_a_repair():
    # Repair asked for on 28 March (4 days left: 28-31 March), back on 10 April: 7 days, to 17 April (s.22(7)).
    kwargs = dict(repairs_or_replacements=1, repair_requested="2026-03-28", repair_received="2026-04-10")
    assert rk.remedies("2026-03-01", "2026-04-17", **kwargs).short_term_reject
    late = rk.remedies("2026-03-01", "2026-04-18", **kwargs)
    assert not late.short_term_reject and str(late.short_term_reject_last_day.date()) == "2026-04-17"


def test_a_repair_asked_for_after_the_30_days_does_not_bring_rejection_back():
    r = rk.remedies("2026-03-01", "2026-04-20", repairs_or_replacements=1,
                    repair_requested="2026-04-02", repair_received="2026-04-15")
    assert not r.short_term_reject and r.waiting_days == 0
    assert "does not bring it back" in str(r)


def test_no_waiting_period_by_default():
    r = rk.remedies("2026-03-01", "2026-03-31")
    assert r.short_term_reject and r.waiting_days == 0
    assert str(r.short_term_reject_last_day.date()) == "2026-03-31"


@pytest.mark.parametrize(("kwargs", "words"), [
    (dict(purchase_date="2026-03-01", fault_reported="2026-04-05", repair_requested="2026-03-10"),
     "repair_received is missing"),
    (dict(purchase_date="2026-03-01", fault_reported="2026-04-05", repair_received="2026-03-20"),
     "repair_requested is missing"),
    (dict(purchase_date="2026-03-01", fault_reported="2026-04-05", repair_requested="2026-03-20",
          repair_received="2026-03-10"), "repair_received .* is before repair_requested"),
    (dict(purchase_date="2026-03-01", fault_reported="2026-03-15", repair_requested="2026-03-10",
          repair_received="2026-03-20"), "fault_reported .* is before repair_received"),
    (dict(purchase_date="2026-03-01", fault_reported="2026-04-05", repair_requested="2026-02-20",
          repair_received="2026-03-20"), "repair_requested .* is before the goods were delivered"),
    (dict(purchase_date="2026-03-01", fault_reported="2026-04-05", repair_requested="soon",
          repair_received="2026-03-20"), "repair_requested must be a date"),
])
def test_waiting_period_rejections(kwargs, words):
    with pytest.raises(ValueError, match=words):
        rk.remedies(**kwargs)


@pytest.mark.parametrize(("kwargs", "words"), [
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
