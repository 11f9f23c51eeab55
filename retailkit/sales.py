"""Sales KPIs: how well a store turns visitors into sales, and sales into money per square foot or hour.

Every function works on single numbers and, element by element, on lists, numpy arrays and pandas
Series (a Series keeps its index). Rates are fractions (0.25 means 25 %).
"""

from __future__ import annotations

from retailkit._checks import not_above, number, result, same_shape

__all__ = [
    "conversion_rate",
    "average_transaction_value",
    "units_per_transaction",
    "sales_per_area",
    "sales_per_labour_hour",
    "like_for_like_growth",
    "kpi_table",
]


def conversion_rate(transactions, footfall):
    """Share of visitors who bought something.

    ``conversion rate = transactions / footfall``

    Variant: transactions (baskets, receipts) over footfall (people counted through the door). A
    shopper who buys twice counts twice, and a group shopping together counts as several visitors,
    so this is the trade's door-counter measure, not a count of unique buyers.

    Parameters
    ----------
    transactions : number, list, array or Series
        Number of sales (till receipts) in the period. Whole number, 0 or more.
    footfall : number, list, array or Series
        Number of people who came into the store in the same period. Must be more than 0 and at least
        ``transactions``.

    Returns
    -------
    float, array or Series
        A fraction from 0 to 1 (0.25 means 25 % of visitors bought).

    Raises
    ------
    ValueError
        If a count is negative, missing or not whole, footfall is 0, or transactions exceed footfall.

    Examples
    --------
    A store counts 1,200 visitors on Saturday and rings up 300 sales:

    >>> conversion_rate(transactions=300, footfall=1200)
    0.25

    References
    ----------
    British Retail Consortium / Springboard footfall monitors define footfall as door-counter visits.
    """
    t = number(transactions, "transactions", whole=True)
    f = number(footfall, "footfall", positive=True, whole=True)
    same_shape(transactions=t, footfall=f)
    not_above(t, f, "transactions", "footfall", "a store cannot have more sales than visitors")
    return result(t / f, transactions, footfall)


def average_transaction_value(sales, transactions):
    """Average spend per sale (ATV, also called average basket value).

    ``ATV = sales / transactions``

    Variant: use net sales in GBP (after refunds and discounts) and state whether it includes VAT;
    the case-study data says which it uses.

    Parameters
    ----------
    sales : number, list, array or Series
        Sales value in GBP, 0 or more.
    transactions : number, list, array or Series
        Number of sales (till receipts), more than 0.

    Returns
    -------
    float, array or Series
        GBP per transaction.

    Examples
    --------
    £7,500 of sales from 300 transactions:

    >>> average_transaction_value(sales=7500, transactions=300)
    25.0
    """
    s = number(sales, "sales")
    t = number(transactions, "transactions", positive=True, whole=True)
    same_shape(sales=s, transactions=t)
    return result(s / t, sales, transactions)


def units_per_transaction(units, transactions):
    """Average number of items in each sale (UPT).

    ``UPT = units sold / transactions``

    A rising UPT shows that staff are link-selling (suggesting items that go together).

    Parameters
    ----------
    units : number, list, array or Series
        Units (items) sold, 0 or more.
    transactions : number, list, array or Series
        Number of sales (till receipts), more than 0.

    Returns
    -------
    float, array or Series
        Units per transaction.

    Examples
    --------
    750 items sold across 300 transactions:

    >>> units_per_transaction(units=750, transactions=300)
    2.5
    """
    u = number(units, "units", whole=True)
    t = number(transactions, "transactions", positive=True, whole=True)
    same_shape(units=u, transactions=t)
    return result(u / t, units, transactions)


def sales_per_area(sales, area):
    """Sales density: sales for each unit of selling space.

    ``sales density = sales / selling area``

    Variant: selling (sales floor) area, not gross area including stockrooms, because that is the
    space that earns sales. The unit follows ``area``: give square feet for GBP per sq ft (the usual
    UK measure), or square metres for GBP per m².

    Parameters
    ----------
    sales : number, list, array or Series
        Sales value in GBP over the period, 0 or more.
    area : number, list, array or Series
        Selling area in sq ft (or m²), more than 0.

    Returns
    -------
    float, array or Series
        GBP per sq ft (or per m²) over the same period as ``sales``.

    Examples
    --------
    £1,500,000 a year from a 5,000 sq ft sales floor:

    >>> sales_per_area(sales=1_500_000, area=5_000)
    300.0
    """
    s = number(sales, "sales")
    a = number(area, "area", positive=True)
    same_shape(sales=s, area=a)
    return result(s / a, sales, area)


def sales_per_labour_hour(sales, labour_hours):
    """Labour productivity: sales for each hour worked by staff.

    ``sales per labour hour = sales / hours worked``

    Variant: hours actually worked (rota hours), not contracted hours, so overtime and absence count.

    Parameters
    ----------
    sales : number, list, array or Series
        Sales value in GBP, 0 or more.
    labour_hours : number, list, array or Series
        Staff hours worked in the same period, more than 0.

    Returns
    -------
    float, array or Series
        GBP per labour hour.

    Examples
    --------
    £24,000 of sales in a week when the team worked 400 hours:

    >>> sales_per_labour_hour(sales=24_000, labour_hours=400)
    60.0
    """
    s = number(sales, "sales")
    h = number(labour_hours, "labour_hours", positive=True)
    same_shape(sales=s, labour_hours=h)
    return result(s / h, sales, labour_hours)


def like_for_like_growth(current, previous):
    """Like-for-like (LFL) sales growth against the same period last year.

    ``LFL growth = (current - previous) / previous``

    Variant: compare only stores (or channels) that traded in both periods, over matching weeks, so new
    openings and closures do not flatter or hide the trend. Choosing those stores is up to the caller.

    Parameters
    ----------
    current : number, list, array or Series
        Sales this period in GBP, 0 or more.
    previous : number, list, array or Series
        Sales in the same period last year in GBP, more than 0.

    Returns
    -------
    float, array or Series
        Growth as a fraction: 0.05 is 5 % up, -0.1 is 10 % down.

    Examples
    --------
    December sales of £210,000 against £200,000 last December:

    >>> like_for_like_growth(current=210_000, previous=200_000)
    0.05
    """
    c = number(current, "current")
    p = number(previous, "previous", positive=True)
    same_shape(current=c, previous=p)
    return result((c - p) / p, current, previous)


def _new_sales(transactions):
    """True for each row that starts a sale (a till receipt): line 1 of a sale; a refund is not a sale.

    Without a ``line_no`` column every row is a receipt; without a ``type`` column every row is a sale.
    """
    import pandas as pd

    new = pd.Series(True, index=transactions.index)
    if "line_no" in transactions:
        new &= transactions["line_no"] == 1
    if "type" in transactions:
        new &= transactions["type"] == "sale"
    return new


def kpi_table(transactions, store_weeks=None, stores=None, by=("store_id", "week"), sales="sales_ex_vat"):
    """The KPI table: one row per group (by default store and week) with the main sales KPIs.

    From a transactions table (one row per sale line, or per basket) it counts transactions and sums
    units, sales and cost per group, then works out ATV, UPT and gross margin %. With ``store_weeks``
    (``footfall`` and ``labour_hours`` per group) it adds conversion rate and sales per labour hour; with
    ``stores`` (``store_id`` and ``area_sqft``) it adds sales per sq ft. Each KPI is computed by the
    function of the same name, so the table and a hand calculation always agree.

    Transactions are sales (till receipts): with a ``line_no`` column only first lines count, and with a
    ``type`` column refunds do not count as transactions, while their (negative) units, sales and cost
    are netted off.

    Parameters
    ----------
    transactions : DataFrame
        The ``by`` columns, ``units``, the ``sales`` column and ``cost``; optionally ``line_no``, ``type``.
    store_weeks : DataFrame, optional
        The ``by`` columns plus ``footfall`` and ``labour_hours`` (see ``datasets.store_weeks``).
    stores : DataFrame, optional
        ``store_id`` and ``area_sqft``. Online (area 0) has no sales density: it is left blank (NaN).
    by : sequence of str
        Columns to group by.
    sales : str, default "sales_ex_vat"
        The sales column: ex VAT, so that margin is measured on the retailer's own revenue.

    Returns
    -------
    DataFrame
        One row per group, sorted by the ``by`` columns.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"store_id": ["A", "A", "A", "B"], "line_no": [1, 2, 1, 1],
    ...                   "units": [2, 1, 2, 1], "sales_ex_vat": [20.0, 10.0, 20.0, 15.0],
    ...                   "cost": [10.0, 5.0, 12.0, 9.0]})
    >>> kpi_table(t, by=["store_id"])[["store_id", "transactions", "atv", "upt", "gross_margin_pct"]]
      store_id  transactions   atv  upt  gross_margin_pct
    0        A             2  25.0  2.5              0.46
    1        B             1  15.0  1.0              0.40
    """
    from retailkit._checks import columns
    from retailkit.stock import gross_margin_pct

    by = list(by)
    columns(transactions, {name: name for name in [*by, "units", sales, "cost"]}, "transactions")
    table = transactions.assign(_sale=_new_sales(transactions)).groupby(by, observed=True, sort=True).agg(
        transactions=("_sale", "sum"), units=("units", "sum"), sales=(sales, "sum"), cost=("cost", "sum"),
    ).reset_index()
    table["atv"] = average_transaction_value(table["sales"], table["transactions"])
    table["upt"] = units_per_transaction(table["units"], table["transactions"])
    table["gross_margin_pct"] = gross_margin_pct(table["sales"], table["cost"])
    if store_weeks is not None:
        columns(store_weeks, {name: name for name in [*by, "footfall", "labour_hours"]}, "store_weeks")
        table = table.merge(store_weeks[[*by, "footfall", "labour_hours"]], on=by, how="left",
                            validate="one_to_one")
        missing = table["footfall"].isna()
        if missing.any():
            first = table.loc[missing, by].iloc[0].to_dict()
            raise ValueError(f"store_weeks has no footfall for {first}")
        table["conversion_rate"] = conversion_rate(table["transactions"], table["footfall"])
        table["sales_per_labour_hour"] = sales_per_labour_hour(table["sales"], table["labour_hours"])
    if stores is not None:
        columns(stores, {"store_id": "store_id", "area_sqft": "area_sqft"}, "stores")
        area = table["store_id"].astype(str).map(stores.set_index("store_id")["area_sqft"].astype(float))
        shop = area > 0
        table["sales_per_sqft"] = float("nan")
        table.loc[shop, "sales_per_sqft"] = sales_per_area(table.loc[shop, "sales"], area[shop])
    return table
