"""Customer KPIs: survey scores, loyalty, lifetime value and RFM segments.

Survey scores (``net_promoter_score``, ``csat``, ``customer_effort_score``) take all the answers for a
group and return one number; use them with ``groupby(...).agg(...)`` for one score per store. The rate
functions work element by element on numbers, lists, arrays and Series. Rates are fractions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from retailkit._checks import columns, not_above, number, result, same_shape
from retailkit._checks import ratings as _check_ratings

__all__ = [
    "net_promoter_score",
    "csat",
    "customer_effort_score",
    "retention_rate",
    "churn_rate",
    "repeat_purchase_rate",
    "purchase_frequency",
    "customer_lifetime_value",
    "rfm_scores",
    "visits_after",
]


def net_promoter_score(ratings):
    """Net Promoter Score (NPS) from 0-10 "how likely are you to recommend us?" answers.

    ``NPS = 100 * (promoters - detractors) / respondents``

    Promoters answer 9 or 10, detractors 0 to 6, passives 7 or 8 (they count in the total but in
    neither group). Variant: the standard one from Reichheld (2003). NPS is a score from -100 to 100,
    not a percentage, so it is not returned as a fraction.

    Parameters
    ----------
    ratings : list, array or Series
        Whole-number answers from 0 to 10. Drop missing answers first (``.dropna()``).

    Returns
    -------
    float
        From -100 (everyone a detractor) to 100 (everyone a promoter).

    Examples
    --------
    10 answers: five promoters (9, 9, 10, 10, 10), three passives (7, 8, 8), two detractors (3, 6):

    >>> net_promoter_score([9, 9, 10, 10, 10, 7, 8, 8, 3, 6])
    30.0

    References
    ----------
    Reichheld, F. F. (2003). The one number you need to grow. Harvard Business Review, 81(12), 46-54.
    """
    r = _check_ratings(ratings, "ratings", 0, 10)
    promoters = np.count_nonzero(r >= 9)
    detractors = np.count_nonzero(r <= 6)
    return float(100.0 * (promoters - detractors) / r.size)


def csat(ratings, scale_max=5, satisfied_from=4):
    """Customer satisfaction score (CSAT): the share of customers who said they were satisfied.

    ``CSAT = answers at or above satisfied_from / all answers``

    Variant: "top-two-box" on a 1-5 scale (4 = satisfied, 5 = very satisfied), the usual form. Some
    firms report the mean rating instead; that is a different measure.

    Parameters
    ----------
    ratings : list, array or Series
        Whole-number answers from 1 to ``scale_max``. Drop missing answers first.
    scale_max : int, default 5
        Top of the rating scale.
    satisfied_from : int, default 4
        Lowest answer that counts as satisfied.

    Returns
    -------
    float
        A fraction from 0 to 1.

    Examples
    --------
    8 answers, of which 4, 5, 5, 4, 5 and 4 are satisfied (6 of 8):

    >>> csat([4, 5, 3, 5, 4, 2, 5, 4])
    0.75
    """
    top = int(number(scale_max, "scale_max", positive=True, whole=True))
    cut = number(satisfied_from, "satisfied_from", minimum=1, maximum=top, whole=True)
    r = _check_ratings(ratings, "ratings", 1, top)
    return float(np.count_nonzero(r >= cut) / r.size)


def customer_effort_score(ratings, scale_max=7):
    """Customer effort score (CES): the mean answer to "how easy was it to ...?".

    ``CES = sum of answers / number of answers``

    Variant: the mean on a 1-7 agreement scale ("the store made it easy for me to ..."; 7 = strongly
    agree, so higher is better), as in the later CEB/Gartner form of the question.

    Parameters
    ----------
    ratings : list, array or Series
        Whole-number answers from 1 to ``scale_max``. Drop missing answers first.
    scale_max : int, default 7
        Top of the rating scale.

    Returns
    -------
    float
        From 1 to ``scale_max``.

    Examples
    --------
    >>> customer_effort_score([7, 6, 5, 6, 1])
    5.0
    """
    top = int(number(scale_max, "scale_max", positive=True, whole=True))
    r = _check_ratings(ratings, "ratings", 1, top)
    return float(r.mean())


def retention_rate(customers_start, customers_end, new_customers):
    """Customer retention rate: the share of customers at the start who are still customers at the end.

    ``retention rate = (customers at end - new customers) / customers at start``

    Variant: new customers gained during the period are taken off, so winning new customers cannot
    hide losing old ones.

    Parameters
    ----------
    customers_start : number, list, array or Series
        Customers at the start of the period, more than 0.
    customers_end : number, list, array or Series
        Customers at the end of the period, 0 or more.
    new_customers : number, list, array or Series
        Customers gained during the period, 0 to ``customers_end``.

    Returns
    -------
    float, array or Series
        A fraction from 0 to 1.

    Raises
    ------
    ValueError
        If new customers exceed customers at the end, or more customers were kept than there were at
        the start.

    Examples
    --------
    2,000 loyalty members in January, 2,100 in December of whom 300 joined during the year:

    >>> retention_rate(customers_start=2_000, customers_end=2_100, new_customers=300)
    0.9
    """
    s = number(customers_start, "customers_start", positive=True, whole=True)
    e = number(customers_end, "customers_end", whole=True)
    n = number(new_customers, "new_customers", whole=True)
    same_shape(customers_start=s, customers_end=e, new_customers=n)
    not_above(n, e, "new_customers", "customers_end", "new customers are part of the customers at the end")
    not_above(e - n, s, "customers_end - new_customers", "customers_start",
              "you cannot keep more customers than you started with")
    return result((e - n) / s, customers_start, customers_end, new_customers)


def churn_rate(customers_start, customers_lost):
    """Churn rate: the share of customers at the start who were lost during the period.

    ``churn rate = customers lost / customers at start``

    With no new customers, ``churn = 1 - retention``.

    Parameters
    ----------
    customers_start : number, list, array or Series
        Customers at the start of the period, more than 0.
    customers_lost : number, list, array or Series
        Customers from the start who left during the period, 0 to ``customers_start``.

    Returns
    -------
    float, array or Series
        A fraction from 0 to 1.

    Examples
    --------
    >>> churn_rate(customers_start=2_000, customers_lost=200)
    0.1
    """
    s = number(customers_start, "customers_start", positive=True, whole=True)
    lost = number(customers_lost, "customers_lost", whole=True)
    same_shape(customers_start=s, customers_lost=lost)
    not_above(lost, s, "customers_lost", "customers_start")
    return result(lost / s, customers_start, customers_lost)


def repeat_purchase_rate(repeat_customers, customers):
    """Repeat purchase rate: the share of customers who bought more than once.

    ``repeat purchase rate = customers with 2 or more purchases / all customers``

    Parameters
    ----------
    repeat_customers : number, list, array or Series
        Customers who bought two or more times in the period, 0 to ``customers``.
    customers : number, list, array or Series
        Customers who bought at least once in the period, more than 0.

    Returns
    -------
    float, array or Series
        A fraction from 0 to 1.

    Examples
    --------
    >>> repeat_purchase_rate(repeat_customers=450, customers=1_500)
    0.3
    """
    r = number(repeat_customers, "repeat_customers", whole=True)
    c = number(customers, "customers", positive=True, whole=True)
    same_shape(repeat_customers=r, customers=c)
    not_above(r, c, "repeat_customers", "customers")
    return result(r / c, repeat_customers, customers)


def purchase_frequency(orders, customers):
    """Purchase frequency: orders per customer in the period.

    ``purchase frequency = orders / unique customers``

    Parameters
    ----------
    orders : number, list, array or Series
        Orders (transactions) in the period, 0 or more.
    customers : number, list, array or Series
        Unique customers who placed them, more than 0.

    Returns
    -------
    float, array or Series
        Orders per customer per period (e.g. per year).

    Examples
    --------
    >>> purchase_frequency(orders=6_000, customers=1_500)
    4.0
    """
    o = number(orders, "orders", whole=True)
    c = number(customers, "customers", positive=True, whole=True)
    same_shape(orders=o, customers=c)
    return result(o / c, orders, customers)


def customer_lifetime_value(average_order_value, purchase_frequency, lifespan, margin=1.0):
    """Customer lifetime value (CLV): what an average customer is worth over their time with you.

    ``CLV = average order value * purchase frequency * lifespan * margin``

    Variant: the simple historic formula, with no discounting of future years. With the default
    ``margin=1.0`` it is lifetime *revenue*; pass the gross margin % (as a fraction) for lifetime
    *profit*, which is what to compare with the cost of winning or keeping a customer.

    Parameters
    ----------
    average_order_value : number, list, array or Series
        GBP per order, 0 or more.
    purchase_frequency : number, list, array or Series
        Orders per customer per year, 0 or more.
    lifespan : number, list, array or Series
        Years a customer stays, 0 or more.
    margin : number, list, array or Series, default 1.0
        Gross margin as a fraction from 0 to 1.

    Returns
    -------
    float, array or Series
        GBP per customer.

    Examples
    --------
    £25 per visit, 4 visits a year, for 5 years, at a 40 % margin:

    >>> customer_lifetime_value(average_order_value=25, purchase_frequency=4, lifespan=5, margin=0.4)
    200.0
    """
    a = number(average_order_value, "average_order_value")
    f = number(purchase_frequency, "purchase_frequency")
    life = number(lifespan, "lifespan")
    m = number(margin, "margin", maximum=1.0)
    same_shape(average_order_value=a, purchase_frequency=f, lifespan=life, margin=m)
    return result(a * f * life * m, average_order_value, purchase_frequency, lifespan, margin)


#: RFM segments, checked in this order; the first whose rule matches names the customer.
#: Rules use R and F as a share of ``bins`` (so 4 and 5 out of 5 are "high", above 0.6).
RFM_SEGMENTS = (
    ("Champions", "bought recently and often", lambda r, f: (r > 0.6) & (f > 0.6)),
    ("Loyal", "buy regularly", lambda r, f: (r > 0.4) & (f > 0.4)),
    ("New", "first bought recently", lambda r, f: (r > 0.6) & (f <= 0.2)),
    ("Promising", "bought recently, not often yet", lambda r, f: r > 0.4),
    ("At risk", "used to buy often, not lately", lambda r, f: f > 0.4),
    ("Lost", "not bought for a long time, and seldom", lambda r, f: np.ones_like(r, dtype=bool)),
)


def _score(values: pd.Series, bins: int) -> pd.Series:
    """Score 1..bins by rank: the top fifth (for bins=5) scores 5; tied values share the lower score."""
    rank = values.rank(method="min")
    return np.ceil(bins * rank / len(values)).clip(1, bins).astype(int)


def rfm_scores(transactions, customer, date, amount, as_of=None, bins=5):
    """RFM analysis: score each customer on Recency, Frequency and Monetary value.

    For each customer: ``recency`` = days from their last purchase to ``as_of``; ``frequency`` =
    number of purchases (rows); ``monetary`` = total spend. Each is scored 1 to ``bins`` by rank
    among customers (5 = best: most recent, most frequent, highest spend). A customer in the top
    fifth scores 5, the next fifth 4, and so on; customers with equal values share the lower score.

    Segments from R and F (for bins=5): Champions R 4-5 and F 4-5; Loyal R 3-5 and F 3-5; New R 4-5 and
    F 1; Promising R 3-5 otherwise; At risk R 1-2 and F 3-5; Lost R 1-2 and F 1-2.

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase (basket), as in a loyalty-card or CRM export.
    customer, date, amount : str
        Names of the columns holding the customer id, the purchase date and the amount spent in GBP.
        Refund rows (negative amounts) reduce the customer's total.
    as_of : date-like, optional
        The day recency is measured to. Default: the day after the last purchase in the table.
    bins : int, default 5
        Number of score bands (5 gives quintiles).

    Returns
    -------
    DataFrame
        One row per customer (sorted by customer) with columns ``customer``, ``recency`` (days),
        ``frequency``, ``monetary`` (GBP), ``R``, ``F``, ``M``, ``RFM`` (e.g. "545") and ``segment``.

    Examples
    --------
    >>> import pandas as pd
    >>> sales = pd.DataFrame({
    ...     "card": ["A", "A", "A", "B", "C", "C", "D", "E", "E", "E", "E"],
    ...     "day": ["2026-01-02", "2026-03-01", "2026-03-20", "2026-01-05", "2026-02-01",
    ...             "2026-03-30", "2026-03-28", "2025-11-02", "2025-12-01", "2026-01-03",
    ...             "2026-01-20"],
    ...     "spend": [20.0, 35.0, 15.0, 120.0, 10.0, 12.5, 15.0, 50.0, 50.0, 60.0, 40.0],
    ... })
    >>> rfm_scores(sales, customer="card", date="day", amount="spend", as_of="2026-04-01")
      customer  recency  frequency  monetary  R  F  M  RFM  segment
    0        A       12          3      70.0  3  4  3  343    Loyal
    1        B       86          1     120.0  1  1  4  114     Lost
    2        C        2          2      22.5  5  3  2  532    Loyal
    3        D        4          1      15.0  4  1  1  411      New
    4        E       71          4     200.0  2  5  5  255  At risk

    References
    ----------
    Hughes, A. M. (1994). Strategic Database Marketing. Probus. (RFM scoring by quintiles.)
    """
    columns(transactions, {"customer": customer, "date": date, "amount": amount})
    b = int(number(bins, "bins", minimum=2, whole=True))
    if len(transactions) == 0:
        raise ValueError("transactions is empty: there are no purchases to score")
    who = transactions[customer]
    if who.isna().any():
        raise ValueError(
            f"column {customer!r} has missing customer ids; keep only loyalty-card sales "
            f"(e.g. transactions.dropna(subset=[{customer!r}]))"
        )
    try:
        when = pd.to_datetime(transactions[date])
    except (ValueError, TypeError) as error:
        raise ValueError(f"column {date!r} must hold dates, e.g. 2026-03-14 ({error})") from None
    if when.isna().any():
        raise ValueError(f"column {date!r} has missing dates")
    spend = pd.Series(number(transactions[amount], f"column {amount!r}", minimum=None),
                      index=transactions.index)
    if as_of is None:
        as_of = when.max().normalize() + pd.Timedelta(days=1)
    else:
        as_of = pd.Timestamp(as_of)
        if when.max() > as_of:
            raise ValueError(f"as_of={as_of.date()} is before the last purchase on {when.max().date()}")
    frame = pd.DataFrame({"customer": who, "when": when, "spend": spend})
    per = frame.groupby("customer", sort=True).agg(
        last=("when", "max"), frequency=("when", "size"), monetary=("spend", "sum")
    )
    out = pd.DataFrame({"customer": per.index})
    out["recency"] = (as_of - per["last"].dt.normalize()).dt.days.to_numpy()
    out["frequency"] = per["frequency"].to_numpy()
    out["monetary"] = per["monetary"].to_numpy()
    out["R"] = _score(-out["recency"], b)
    out["F"] = _score(out["frequency"], b)
    out["M"] = _score(out["monetary"], b)
    out["RFM"] = out["R"].astype(str) + out["F"].astype(str) + out["M"].astype(str)
    r_share, f_share = out["R"].to_numpy() / b, out["F"].to_numpy() / b
    segment = np.full(len(out), "", dtype=object)
    for name, _, rule in reversed(RFM_SEGMENTS):
        segment = np.where(rule(r_share, f_share), name, segment)
    out["segment"] = segment
    return out


def _days(table, column: str, table_name: str) -> pd.Series:
    """The calendar day of each date or time in ``table[column]``; missing or unreadable ones are refused."""
    try:
        when = pd.to_datetime(table[column])
    except (ValueError, TypeError) as error:
        raise ValueError(f"column {column!r} of {table_name} must hold dates, e.g. 2025-04-07 ({error})") from None
    if when.isna().any():
        raise ValueError(f"column {column!r} of {table_name} has missing dates, in row "
                         f"{when.index[int(np.argmax(when.isna().to_numpy()))]!r}")
    return when.dt.normalize()


def _ids(values: pd.Series) -> pd.Series:
    """Customer ids as plain values (categories unwrapped), with empty ids ("" or missing) as None."""
    ids = values.astype(object)
    blank = ids.isna() | ids.map(lambda v: isinstance(v, str) and not v.strip()).astype(bool)
    return ids.where(~blank, None)


def visits_after(events, receipts, days=56, customer="customer_id", date="trigger_date", when="datetime"):
    """Visits after an event: how many times each customer came back to buy in the next ``days`` days.

    ``visits = number of the customer's receipts r with  day(event) < day(r) <= day(event) + days``

    For each event (a complaint, a survey answer, a follow-up call...), count the sale receipts of the
    same customer dated on days ``d + 1`` to ``d + days`` inclusive, where ``d`` is the event's day.
    Variant: a visit is a sale receipt; the event's own day is not counted, so a purchase made on the
    day of a complaint does not count as coming back. Two receipts on one day are two visits. Times of
    day are ignored: only calendar days are compared. Empty customer ids ("" or missing) never match,
    so an event with no customer id has 0 visits.

    Parameters
    ----------
    events : DataFrame
        One row per event, with a customer id column and a date column.
    receipts : DataFrame
        One row per sale (till receipt), with a customer id column and a date or date-time column.
        Keep only sales, one row per receipt (in the case study: ``line_no == 1`` and
        ``type == "sale"``); refunds are not visits.
    days : int, default 56
        Length of the window after the event's day, in days (56 = 8 weeks); a whole number above 0.
    customer, date, when : str
        Names of the columns holding the customer id (in both tables), the event's date (in
        ``events``) and the receipt's date or time (in ``receipts``).

    Returns
    -------
    Series
        Visits (whole numbers, 0 or more) for each event, with the index of ``events``, named
        ``"visits"``. The share who came back is ``(visits >= 1).mean()``.

    Raises
    ------
    ValueError
        If a column is missing, a date cannot be read or is missing, or ``days`` is not a whole number
        above 0.

    Examples
    --------
    A complained on 3 March and bought again the same day (not counted), on 4 March (day 1) and on
    28 April (day 56); a purchase on 29 April (day 57) is outside the window. B complained on
    10 March and bought once, on 1 April. C never came back, and a receipt with no customer id counts
    for no one:

    >>> import pandas as pd
    >>> events = pd.DataFrame({"customer_id": ["A", "B", "C"],
    ...                        "trigger_date": ["2025-03-03", "2025-03-10", "2025-03-12"]})
    >>> receipts = pd.DataFrame({
    ...     "customer_id": ["A", "A", "A", "A", "B", "B", ""],
    ...     "datetime": ["2025-03-03 16:05", "2025-03-04 09:30", "2025-04-28 17:45", "2025-04-29 10:00",
    ...                  "2025-03-01 12:00", "2025-04-01 11:15", "2025-03-20 10:00"],
    ... })
    >>> visits_after(events, receipts, days=56)
    0    2
    1    1
    2    0
    Name: visits, dtype: int64
    >>> float((visits_after(events, receipts) >= 1).mean())  # the share who came back within 8 weeks
    0.6666666666666666
    """
    columns(events, {"customer": customer, "date": date}, "events")
    columns(receipts, {"customer": customer, "when": when}, "receipts")
    window = int(number(days, "days", positive=True, whole=True))
    event = pd.DataFrame({"row": np.arange(len(events)), "customer": _ids(events[customer]).to_numpy(),
                          "day": _days(events, date, "events").to_numpy()})
    sale = pd.DataFrame({"customer": _ids(receipts[customer]).to_numpy(),
                         "visit_day": _days(receipts, when, "receipts").to_numpy()})
    sale = sale[sale["customer"].notna()]
    per_day = sale.groupby(["customer", "visit_day"], sort=False).size().rename("receipts").reset_index()
    pairs = event[event["customer"].notna()].merge(per_day, on="customer", how="inner")
    gap = (pairs["visit_day"] - pairs["day"]).dt.days
    inside = pairs[(gap >= 1) & (gap <= window)]
    counts = np.bincount(inside["row"].to_numpy(dtype=np.int64), weights=inside["receipts"].to_numpy(),
                         minlength=len(events))
    return pd.Series(counts.astype(np.int64), index=events.index, name="visits")
