"""visits_after: each event's customer's sale receipts on the days after it (d+1 .. d+days)."""

import numpy as np
import pandas as pd
import pytest

import retailkit as rk


def frames(event_days, receipt_rows, customer="A"):
    """Events of one customer on ``event_days``; receipts as (customer, datetime) pairs."""
    events = pd.DataFrame({"customer_id": [customer] * len(event_days), "trigger_date": event_days})
    receipts = pd.DataFrame(receipt_rows, columns=["customer_id", "datetime"])
    return events, receipts


def test_hand_checked_example():
    events = pd.DataFrame({"customer_id": ["A", "B", "C", "A"],
                           "trigger_date": pd.to_datetime(["2025-04-07", "2025-04-10", "2025-05-01", "2025-06-01"])},
                          index=[10, 11, 12, 13])
    receipts = pd.DataFrame({
        "customer_id": ["A", "A", "A", "B", "B", "B", "C"],
        "datetime": pd.to_datetime(["2025-04-08 09:00", "2025-04-08 15:00", "2025-06-02 10:00",
                                    "2025-04-09 12:00", "2025-04-11 12:00", "2025-05-20 12:00",
                                    "2025-04-30 12:00"]),
    })
    # A on 7 April: two receipts on 8 April and one on 2 June (day 56) -> 3; B: 11 April and 20 May
    # (day 40), not 9 April (before) -> 2; C: only a receipt before -> 0; A on 1 June: 2 June -> 1.
    got = rk.visits_after(events, receipts)
    assert got.name == "visits" and got.dtype == np.int64
    assert got.to_dict() == {10: 3, 11: 2, 12: 0, 13: 1}


def test_a_purchase_on_the_day_of_the_event_does_not_count():
    events, receipts = frames(["2025-04-07"], [("A", "2025-04-07 09:00"), ("A", "2025-04-07 17:59")])
    assert rk.visits_after(events, receipts).tolist() == [0]


def test_day_56_counts_and_day_57_does_not():
    day = pd.Timestamp("2025-04-07")
    events, receipts = frames([day], [("A", day + pd.Timedelta(days=56, hours=23)),
                                      ("A", day + pd.Timedelta(days=57, hours=9))])
    assert rk.visits_after(events, receipts, days=56).tolist() == [1]
    assert rk.visits_after(events, receipts, days=57).tolist() == [2]
    assert rk.visits_after(events, receipts, days=55).tolist() == [0]
    events, receipts = frames([day], [("A", day + pd.Timedelta(days=1))])
    assert rk.visits_after(events, receipts, days=1).tolist() == [1]


def test_other_customers_receipts_do_not_count():
    events, receipts = frames(["2025-04-07"], [("B", "2025-04-08 10:00"), ("AA", "2025-04-09 10:00"),
                                               ("a", "2025-04-10 10:00")])
    assert rk.visits_after(events, receipts).tolist() == [0]


@pytest.mark.parametrize("blank", ["", "  ", None, np.nan])
def test_empty_customer_ids_never_match(blank):
    events = pd.DataFrame({"customer_id": [blank, "A"], "trigger_date": ["2025-04-07", "2025-04-07"]})
    receipts = pd.DataFrame({"customer_id": [blank, blank, "A"],
                             "datetime": ["2025-04-08 10:00", "2025-04-09 10:00", "2025-04-10 10:00"]})
    assert rk.visits_after(events, receipts).tolist() == [0, 1]


def test_categorical_ids_other_column_names_and_empty_tables():
    events = pd.DataFrame({"card": pd.Categorical(["A", "B"]), "day": ["2025-04-07", "2025-04-07"]})
    receipts = pd.DataFrame({"card": pd.Categorical(["B", "B", "C"]),
                             "at": ["2025-04-08 10:00", "2025-04-09 10:00", "2025-04-08 10:00"]})
    got = rk.visits_after(events, receipts, days=7, customer="card", date="day", when="at")
    assert got.tolist() == [0, 2]
    assert rk.visits_after(events.iloc[:0], receipts, customer="card", date="day", when="at").tolist() == []
    assert rk.visits_after(events, receipts.iloc[:0], customer="card", date="day", when="at").tolist() == [0, 0]


def test_the_same_as_a_loop_on_random_data():
    rng = np.random.default_rng(3)
    start = pd.Timestamp("2025-01-06")
    events = pd.DataFrame({"customer_id": rng.choice(list("ABCDEFG"), 40),
                           "trigger_date": start + pd.to_timedelta(rng.integers(0, 200, 40), unit="D")})
    receipts = pd.DataFrame({"customer_id": rng.choice([*"ABCDEFGH", ""], 600),
                             "datetime": start + pd.to_timedelta(rng.integers(0, 300 * 86400, 600), unit="s")})
    got = rk.visits_after(events, receipts, days=30)
    for i, event in events.iterrows():
        gap = (receipts["datetime"].dt.normalize() - event["trigger_date"]).dt.days
        mine = receipts["customer_id"] == event["customer_id"]
        assert got[i] == (mine & (gap >= 1) & (gap <= 30)).sum()


@pytest.mark.parametrize(("change", "words"), [
    (lambda e, r: (e.drop(columns="trigger_date"), r), "events has no column 'trigger_date' .* date"),
    (lambda e, r: (e.drop(columns="customer_id"), r), "events has no column 'customer_id' .* customer"),
    (lambda e, r: (e, r.drop(columns="datetime")), "receipts has no column 'datetime' .* when"),
    (lambda e, r: (e, r.drop(columns="customer_id")), "receipts has no column 'customer_id' .* customer"),
    (lambda e, r: (e.assign(trigger_date="soon"), r), "column 'trigger_date' of events must hold dates"),
    (lambda e, r: (e.assign(trigger_date=None), r), "column 'trigger_date' of events has missing dates"),
    (lambda e, r: (e, r.assign(datetime=None)), "column 'datetime' of receipts has missing dates"),
])
def test_bad_tables_are_named(change, words):
    events, receipts = frames(["2025-04-07"], [("A", "2025-04-08 10:00")])
    events, receipts = change(events, receipts)
    with pytest.raises(ValueError, match=words):
        rk.visits_after(events, receipts)


@pytest.mark.parametrize(("days", "words"), [
    (0, "days must be greater than 0, got days=0"),
    (-7, "days must be greater than 0"),
    (2.5, "days must be a whole number, got days=2.5"),
    (np.nan, "days has a missing value"),
])
def test_bad_days_are_named(days, words):
    events, receipts = frames(["2025-04-07"], [("A", "2025-04-08 10:00")])
    with pytest.raises(ValueError, match=words):
        rk.visits_after(events, receipts, days=days)


def test_not_a_table_is_refused():
    with pytest.raises(TypeError, match="events must be a table"):
        rk.visits_after([("A", "2025-04-07")], pd.DataFrame({"customer_id": [], "datetime": []}))
    with pytest.raises(TypeError, match="days must be a number"):
        rk.visits_after(*frames(["2025-04-07"], []), days="56")
