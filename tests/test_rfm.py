"""RFM scoring: recency, frequency and monetary value per customer, and the segments."""

import numpy as np
import pandas as pd
import pytest

import retailkit as rk


@pytest.fixture
def purchases():
    rng = np.random.default_rng(7)
    n = 500
    return pd.DataFrame({
        "card": rng.integers(1, 101, n),
        "when": pd.Timestamp("2026-01-01") + pd.to_timedelta(rng.integers(0, 300, n), unit="D"),
        "spend": rng.gamma(2, 15, n).round(2),
    })


def test_one_row_per_customer_with_hand_checked_values(purchases):
    table = rk.rfm_scores(purchases, customer="card", date="when", amount="spend", as_of="2026-12-01")
    assert len(table) == purchases["card"].nunique()
    first = table.iloc[0]
    mine = purchases[purchases["card"] == first["customer"]]
    assert first["frequency"] == len(mine)
    assert first["monetary"] == pytest.approx(mine["spend"].sum())
    assert first["recency"] == (pd.Timestamp("2026-12-01") - mine["when"].max()).days


def test_scores_are_quintiles_and_reward_the_best(purchases):
    table = rk.rfm_scores(purchases, customer="card", date="when", amount="spend")
    for col in "RFM":
        assert set(table[col]) <= {1, 2, 3, 4, 5}
        assert table[col].value_counts().max() <= len(table)  # sanity
    # The biggest spender scores M=5, the most recent R=5, the most frequent F=5.
    assert table.loc[table["monetary"].idxmax(), "M"] == 5
    assert table.loc[table["recency"].idxmin(), "R"] == 5
    assert table.loc[table["frequency"].idxmax(), "F"] == 5
    # Higher spend never gets a lower M score (monotone).
    ordered = table.sort_values("monetary")
    assert ordered["M"].is_monotonic_increasing
    assert table.sort_values("recency")["R"].is_monotonic_decreasing


def test_ties_share_a_score_whatever_the_row_order(purchases):
    """Customers with the same frequency get the same F score; reordering rows changes nothing."""
    a = rk.rfm_scores(purchases, customer="card", date="when", amount="spend", as_of="2026-12-01")
    b = rk.rfm_scores(purchases.sample(frac=1, random_state=1), customer="card", date="when",
                      amount="spend", as_of="2026-12-01")
    pd.testing.assert_frame_equal(a, b)
    assert (a.groupby("frequency")["F"].nunique() == 1).all()


def test_segments_are_named(purchases):
    table = rk.rfm_scores(purchases, customer="card", date="when", amount="spend")
    assert set(table["segment"]) <= {"Champions", "Loyal", "New", "Promising", "At risk", "Lost"}
    champions = table[table["segment"] == "Champions"]
    assert (champions["R"] >= 4).all() and (champions["F"] >= 4).all()


def test_default_as_of_is_day_after_last_purchase(purchases):
    table = rk.rfm_scores(purchases, customer="card", date="when", amount="spend")
    assert table["recency"].min() == 1


@pytest.mark.parametrize(("change", "words"), [
    (lambda t: t.rename(columns={"card": "id"}), "no column 'card' .* its columns are: id, when, spend"),
    (lambda t: t.assign(card=t["card"].astype(float).where(t.index > 0)), "missing customer ids"),
    (lambda t: t.assign(when="not a date"), "must hold dates"),
    (lambda t: t.assign(spend=np.where(t.index == 3, np.nan, t["spend"])), "missing value"),
    (lambda t: t.iloc[:0], "empty"),
])
def test_bad_tables_are_refused(purchases, change, words):
    with pytest.raises(ValueError, match=words):
        rk.rfm_scores(change(purchases), customer="card", date="when", amount="spend")


def test_as_of_before_last_purchase_is_refused(purchases):
    with pytest.raises(ValueError, match="as_of=2026-01-05 is before the last purchase"):
        rk.rfm_scores(purchases, customer="card", date="when", amount="spend", as_of="2026-01-05")


def test_not_a_table_is_refused():
    with pytest.raises(TypeError, match="must be a table"):
        rk.rfm_scores([1, 2], customer="c", date="d", amount="a")
