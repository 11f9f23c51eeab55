"""Summaries of the loaded tables that the course uses often."""

from __future__ import annotations

import numpy as np
import pandas as pd


def store_weeks(footfall: pd.DataFrame, rota: pd.DataFrame) -> pd.DataFrame:
    """Footfall and labour hours worked for each store and week, ready for ``kpi_table``.

    Sums the hourly door counts (online: sessions) and the rota's worked hours per store and week.
    """
    visits = footfall.groupby(["store_id", "week"], observed=True)["footfall"].sum()
    hours = rota.groupby(["store_id", "week"], observed=True)["worked_hours"].sum().rename("labour_hours")
    return pd.concat([visits, hours], axis=1).fillna(0).reset_index()


def shift_weeks(shifts: pd.DataFrame, footfall: pd.DataFrame, transactions: pd.DataFrame) -> pd.DataFrame:
    """Each person's weeks on the shop floor: hours, the footfall in their shifts and the shop's sales then.

    For each person (``staff_id``) and trading week:

    - ``hours``: hours on shift (the ``shifts`` table's ``hours``, added up);
    - ``footfall``: people counted into the shop while the person was on shift. The door counter counts
      per hour, so an hour the shift covers only in part counts in part: a shift from 13:30 takes half
      of the 13:00 hour's count (it assumes visitors come evenly through the hour);
    - ``shop_transactions``: the shop's sales (till receipts, anyone's) that began while the person was
      on shift, from its first minute up to, not including, its end time.

    The shop's **conversion while you were on the floor** is then ``shop_transactions / footfall``
    (:func:`retailkit.conversion_rate`): the team's result in your hours, not yours alone, because others
    were serving too.

    Examples
    --------
    One shift from 09:30 to 11:00; 10 people came in from 09:00 and 20 from 10:00; sales at 09:45 and
    10:15 fall in the shift, a sale at 11:05 does not. Footfall: half of 10, plus 20.

    >>> import pandas as pd
    >>> shifts = pd.DataFrame({"staff_id": ["ST001"], "store_id": ["HH01"], "date": [pd.Timestamp("2025-01-06")],
    ...                        "week": [1], "start": ["09:30"], "end": ["11:00"], "hours": [1.5]})
    >>> footfall = pd.DataFrame({"store_id": ["HH01", "HH01"], "date": [pd.Timestamp("2025-01-06")] * 2,
    ...                          "hour": [9, 10], "footfall": [10, 20]})
    >>> sales = pd.DataFrame({"store_id": ["HH01"] * 3, "line_no": [1, 1, 1], "type": ["sale"] * 3,
    ...                       "datetime": pd.to_datetime(["2025-01-06 09:45", "2025-01-06 10:15",
    ...                                                   "2025-01-06 11:05"])})
    >>> shift_weeks(shifts, footfall, sales)
      staff_id store_id  week  shifts  hours  footfall  shop_transactions
    0    ST001     HH01     1       1    1.5      25.0                  2
    """
    from retailkit._checks import columns
    from retailkit.sales import _new_sales

    columns(shifts, {c: c for c in ("staff_id", "store_id", "date", "week", "start", "end", "hours")}, "shifts")
    columns(footfall, {c: c for c in ("store_id", "date", "hour", "footfall")}, "footfall")
    columns(transactions, {c: c for c in ("store_id", "datetime")}, "transactions")
    start = pd.to_timedelta(shifts["start"].astype(str) + ":00").dt.total_seconds().to_numpy() / 3600
    end = pd.to_timedelta(shifts["end"].astype(str) + ":00").dt.total_seconds().to_numpy() / 3600
    end = np.where(end <= start, end + 24, end)  # a shift to midnight ends at "00:00"
    # One row per shift and clock hour it touches, with the share of that hour it covers.
    first = np.floor(start).astype(int)
    touched = np.ceil(end).astype(int) - first
    row = np.repeat(np.arange(len(shifts)), touched)
    hour = first[row] + np.arange(len(row)) - np.repeat(np.cumsum(touched) - touched, touched)
    share = np.minimum(hour + 1, end[row]) - np.maximum(hour, start[row])
    counts = footfall.assign(store_id=footfall["store_id"].astype(str)).set_index(
        ["store_id", "date", "hour"])["footfall"]
    keys = pd.MultiIndex.from_arrays([shifts["store_id"].astype(str).to_numpy()[row],
                                      shifts["date"].to_numpy()[row], hour])
    seen = counts.reindex(keys).fillna(0).to_numpy() * share
    # The shop's receipts that began inside each shift.
    receipts = transactions[_new_sales(transactions)]
    day = pd.to_datetime(shifts["date"]).to_numpy()
    begins = day + pd.to_timedelta(start, unit="h").to_numpy()
    ends = day + pd.to_timedelta(end, unit="h").to_numpy()
    served = np.zeros(len(shifts), dtype=np.int64)
    for store, idx in shifts.groupby(shifts["store_id"].astype(str), sort=False).indices.items():
        times = np.sort(receipts.loc[receipts["store_id"].astype(str) == store, "datetime"].to_numpy())
        served[idx] = np.searchsorted(times, ends[idx]) - np.searchsorted(times, begins[idx])
    per_shift = shifts[["staff_id", "store_id", "week", "hours"]].assign(
        footfall=np.bincount(row, weights=seen, minlength=len(shifts)), shop_transactions=served)
    return per_shift.groupby(["staff_id", "store_id", "week"], observed=True, sort=True).agg(
        shifts=("hours", "size"), hours=("hours", "sum"), footfall=("footfall", "sum"),
        shop_transactions=("shop_transactions", "sum")).reset_index()
