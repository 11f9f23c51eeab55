"""Property-based tests (hypothesis): the algebra that links the KPIs, and the rejections.

Each test says in its docstring what must not change.
"""

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import retailkit as rk

money = st.floats(min_value=0.01, max_value=1e9, allow_nan=False, allow_infinity=False)
count = st.integers(min_value=0, max_value=10**9)
rating = st.integers(min_value=0, max_value=10)


@given(sales=money, cost=money)
def test_margin_and_markup_agree(sales, cost):
    """margin = markup / (1 + markup), for any prices a shop would charge (the identity loses precision
    when goods sell for a tiny fraction of cost, as 1 + markup nears 0)."""
    assume(sales >= cost / 100)
    margin = rk.gross_margin_pct(sales=sales, cost_of_sales=cost)
    markup = rk.markup_pct(sales=sales, cost_of_sales=cost)
    assert margin == pytest.approx(markup / (1 + markup), rel=1e-9, abs=1e-12)
    assert margin <= 1


@given(sales=money, cost=money)
def test_margin_money_and_share_agree(sales, cost):
    """gross margin £ = margin % x sales."""
    assert rk.gross_margin(sales=sales, cost_of_sales=cost) == pytest.approx(
        rk.gross_margin_pct(sales=sales, cost_of_sales=cost) * sales, rel=1e-9, abs=1e-6)


@given(st.lists(rating, min_size=1, max_size=200))
def test_nps_is_bounded_and_matches_shares(ratings):
    """NPS lies in -100..100 and equals % promoters - % detractors."""
    nps = rk.net_promoter_score(ratings)
    assert -100 <= nps <= 100
    promoters = sum(r >= 9 for r in ratings) / len(ratings)
    detractors = sum(r <= 6 for r in ratings) / len(ratings)
    assert nps == pytest.approx(100 * (promoters - detractors))


@given(st.lists(rating, min_size=1, max_size=50))
def test_nps_does_not_depend_on_order(ratings):
    """Shuffling the answers does not change the score."""
    assert rk.net_promoter_score(ratings) == rk.net_promoter_score(list(reversed(ratings)))


@given(start=st.integers(1, 10**6), kept=st.integers(0, 10**6), new=st.integers(0, 10**6))
def test_retention_between_0_and_1_and_churn_complements(start, kept, new):
    """Retention is a share: 0..1; with no new customers, retention + churn = 1."""
    assume(kept <= start)
    retention = rk.retention_rate(customers_start=start, customers_end=kept + new, new_customers=new)
    assert 0 <= retention <= 1
    churn = rk.churn_rate(customers_start=start, customers_lost=start - kept)
    assert retention + churn == pytest.approx(1)


@given(start=st.integers(1, 10**6), extra=st.integers(1, 10**6), new=st.integers(0, 10**6))
def test_retention_above_1_is_rejected(start, extra, new):
    """Keeping more customers than you started with is impossible and refused."""
    with pytest.raises(ValueError, match="cannot keep more customers"):
        rk.retention_rate(customers_start=start, customers_end=start + extra + new, new_customers=new)


@given(footfall=st.integers(1, 10**9), data=st.data())
def test_conversion_bounded(footfall, data):
    """Conversion is a share of visitors: 0..1; more sales than visitors is refused."""
    transactions = data.draw(st.integers(0, footfall))
    assert 0 <= rk.conversion_rate(transactions=transactions, footfall=footfall) <= 1
    with pytest.raises(ValueError, match="footfall must be >= transactions"):
        rk.conversion_rate(transactions=footfall + 1, footfall=footfall)


@given(sold=count, received=count, opening=count)
def test_sell_through_bounded_and_receipts_variant(sold, received, opening):
    """Sell-through is 0..1, and never higher on available stock than on receipts alone."""
    assume(received > 0 and sold <= received)
    on_receipts = rk.sell_through_rate(units_sold=sold, units_received=received)
    on_available = rk.sell_through_rate(units_sold=sold, units_received=received, opening_stock=opening)
    assert 0 <= on_available <= on_receipts <= 1


@given(sales=money, transactions=st.integers(1, 10**6), footfall_extra=st.integers(0, 10**6))
def test_sales_per_visitor_is_conversion_times_atv(sales, transactions, footfall_extra):
    """Sales per visitor = conversion x ATV (the identity store managers use)."""
    footfall = transactions + footfall_extra
    conversion = rk.conversion_rate(transactions=transactions, footfall=footfall)
    atv = rk.average_transaction_value(sales=sales, transactions=transactions)
    assert conversion * atv == pytest.approx(sales / footfall, rel=1e-9)


@given(st.lists(st.floats(0, 1e9), min_size=1, max_size=20))
def test_average_inventory_between_min_and_max(levels):
    """The average stock lies between the lowest and highest valuation."""
    average = rk.average_inventory(levels)
    assert min(levels) - 1e-6 <= average <= max(levels) + 1e-6


@given(st.lists(st.integers(1, 5), min_size=1, max_size=100), st.integers(1, 5))
def test_csat_falls_as_the_bar_rises(ratings, cut):
    """Asking for a higher rating to count as satisfied never raises CSAT."""
    if cut < 5:
        assert rk.csat(ratings, satisfied_from=cut + 1) <= rk.csat(ratings, satisfied_from=cut)
    assert 0 <= rk.csat(ratings, satisfied_from=cut) <= 1


@given(st.one_of(st.floats(max_value=-1e-9), st.just(math.nan), st.just(-math.inf)))
def test_negative_or_missing_money_is_always_refused(value):
    """No negative, missing or infinite sales slip through as a silent NaN."""
    with pytest.raises(ValueError, match="sales"):
        rk.average_transaction_value(sales=value, transactions=10)


@given(st.lists(st.floats(0, 1e6), min_size=1, max_size=30), st.floats(0.001, 1e6))
def test_sla_compliance_matches_count(durations, target):
    """SLA compliance is the share within target, in 0..1."""
    got = rk.sla_compliance(durations, target=target)
    assert got == pytest.approx(np.mean(np.array(durations) <= target))


# --- one rule for every kind of mistake: the self-check and the autograder always agree ------------------
_AGREE_DIR = __import__("tempfile").mkdtemp(prefix="rk-agree-")


@given(expected=st.floats(0.001, 5000, allow_nan=False), decimals=st.integers(0, 3),
       form=st.sampled_from(["number", "fraction", "percent"]),
       how=st.sampled_from(["right", "unrounded", "rounded", "x100", "/100", "inverse", "negative", "other",
                            "text", "percent-sign"]),
       noise=st.floats(-3, 3, allow_nan=False))
def test_self_check_and_autograder_give_the_same_verdict_on_any_answer(expected, decimals, form, how, noise):
    import json
    from pathlib import Path

    from grading.compare import judge
    from retailkit.answers import in_form, read_answer
    from retailkit.selfcheck import FILE, make_entry, verdict

    x = round(expected, 6)
    answer = {"right": round(x, decimals), "unrounded": x, "rounded": round(x, max(decimals - 1, 0)),
              "x100": 100 * x, "/100": x / 100, "inverse": 1 / x, "negative": -x, "other": x + noise,
              "text": str(round(x, decimals)), "percent-sign": f"{100 * x}%"}[how]
    spec = {"expected": x, "decimals": decimals, "form": form, "hint": "The method."}
    entry = make_entry("kpis-9-9-any", x, decimals, form, "The method.")
    Path(_AGREE_DIR, FILE).write_text(json.dumps({"notebook": "x", "tasks": {"kpis-9-9-any": entry}}))
    number, unit, problem = read_answer(answer)
    marked = judge(in_form(number, unit, form), spec, problem)
    kind, _ = verdict("kpis-9-9-any", answer, folder=_AGREE_DIR)
    assert marked.kind == kind, (answer, marked, kind)
    assert (marked.share == 1.0) == (kind == "correct") and (marked.share == 0.5) == (kind == "rounded")


@given(mine=st.floats(0.01, 1000), theirs=st.floats(0.01, 1000), seed=st.integers(100_000, 999_999))
def test_the_self_check_judges_against_the_learners_own_variant_and_never_anothers(tmp_path_factory, mine,
                                                                                    theirs, seed):
    import json

    from grading.compare import judge
    from retailkit.selfcheck import make_entry, verdict

    folder = tmp_path_factory.mktemp("variant")
    entry = make_entry("t", mine, 2, "number", "hint")
    (folder / "selfcheck.json").write_text(json.dumps({"notebook": "n", "variant": seed, "tasks": {"t": entry}}))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("RETAILKIT_VARIANT", str(seed))
        kind = verdict("t", round(theirs, 2), folder)[0]
        agrees = {"correct": 1.0, "rounded": 0.5}.get(kind, 0.0) == judge(round(theirs, 2), {
            "expected": mine, "decimals": 2, "form": "number"}).share
        assert agrees
        mp.setenv("RETAILKIT_VARIANT", str(seed + 1))  # a self-check file made for other numbers
        assert verdict("t", round(mine, 2), folder)[0] == "unavailable"
