"""Margin and stock KPIs: what a store earns on its sales and how hard its stock works.

Every function works on single numbers and, element by element, on lists, numpy arrays and pandas
Series (a Series keeps its index). Rates are fractions (0.25 means 25 %). Money is in GBP.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from retailkit._checks import not_above, number, result, same_shape

__all__ = [
    "gross_margin",
    "gross_margin_pct",
    "markup_pct",
    "average_inventory",
    "gmroi",
    "sell_through_rate",
    "stock_turn",
    "weeks_of_cover",
    "shrinkage_rate",
]


def gross_margin(sales, cost_of_sales):
    """Gross margin in money: what is left of sales after paying for the goods sold.

    ``gross margin = sales - cost of sales``

    Variant: sales net of VAT, and cost of sales at cost price (what the retailer paid for the
    goods). It is negative when goods sell below cost.

    Parameters
    ----------
    sales : number, list, array or Series
        Net sales in GBP, 0 or more.
    cost_of_sales : number, list, array or Series
        Cost of the goods sold in GBP, 0 or more.

    Returns
    -------
    float, array or Series
        GBP.

    Examples
    --------
    >>> gross_margin(sales=10_000, cost_of_sales=6_000)
    4000.0
    """
    s = number(sales, "sales")
    c = number(cost_of_sales, "cost_of_sales")
    same_shape(sales=s, cost_of_sales=c)
    return result(s - c, sales, cost_of_sales)


def gross_margin_pct(sales, cost_of_sales):
    """Gross margin as a share of sales (margin %).

    ``gross margin % = (sales - cost of sales) / sales``

    Variant: margin is measured on the selling price. Markup (see ``markup_pct``) is measured on the
    cost price; mixing the two is a common mistake. The two are linked by
    ``margin = markup / (1 + markup)``.

    Parameters
    ----------
    sales : number, list, array or Series
        Net sales (ex VAT) in GBP, more than 0.
    cost_of_sales : number, list, array or Series
        Cost of the goods sold in GBP, 0 or more.

    Returns
    -------
    float, array or Series
        A fraction of sales, at most 1 (negative when selling below cost).

    Examples
    --------
    A jumper sells for £40 (ex VAT) and cost £24:

    >>> gross_margin_pct(sales=40, cost_of_sales=24)
    0.4
    """
    s = number(sales, "sales", positive=True)
    c = number(cost_of_sales, "cost_of_sales")
    same_shape(sales=s, cost_of_sales=c)
    return result((s - c) / s, sales, cost_of_sales)


def markup_pct(sales, cost_of_sales):
    """Markup: how much is added to the cost price, as a share of cost.

    ``markup % = (sales - cost of sales) / cost of sales``

    Variant: measured on cost price, as buyers use it when setting prices. Compare
    ``gross_margin_pct``, which is measured on the selling price.

    Parameters
    ----------
    sales : number, list, array or Series
        Selling price or net sales (ex VAT) in GBP, 0 or more.
    cost_of_sales : number, list, array or Series
        Cost price or cost of sales in GBP, more than 0.

    Returns
    -------
    float, array or Series
        A fraction of cost (0.5 means 50 % added to cost).

    Examples
    --------
    The £40 jumper that cost £24 has a markup of two thirds:

    >>> round(markup_pct(sales=40, cost_of_sales=24), 4)
    0.6667
    """
    s = number(sales, "sales")
    c = number(cost_of_sales, "cost_of_sales", positive=True)
    same_shape(sales=s, cost_of_sales=c)
    return result((s - c) / c, sales, cost_of_sales)


def average_inventory(levels):
    """Average stock held over a period: the mean of stock valuations taken during it.

    ``average inventory = (level_1 + level_2 + ... + level_n) / n``

    Variant: a simple mean of the valuations you give. With only opening and closing stock this is
    ``(opening + closing) / 2``; with 13 valuations (opening plus 12 month-ends) it follows seasonal
    peaks much better, so use as many points as you have. Value stock at cost when the result feeds
    ``gmroi`` or ``stock_turn``.

    Parameters
    ----------
    levels : list, array, Series or DataFrame
        Stock valuations (GBP at cost, or units), each 0 or more. A DataFrame is read one row per
        item (store, category) with one column per valuation, e.g. ``["opening", "closing"]``.

    Returns
    -------
    float, or Series for a DataFrame (one value per row)
        Same unit as ``levels``.

    Examples
    --------
    Opening stock £50,000 at cost, closing stock £30,000:

    >>> average_inventory([50_000, 30_000])
    40000.0
    """
    if isinstance(levels, pd.DataFrame):
        if levels.shape[1] == 0 or levels.shape[0] == 0:
            raise ValueError("levels is an empty table: give at least one stock valuation")
        checked = np.column_stack(
            [number(levels[col], f"levels[{col!r}]") for col in levels.columns]
        )
        return pd.Series(checked.mean(axis=1), index=levels.index)
    if np.ndim(levels) == 0 and not isinstance(levels, (np.ndarray, pd.Series)):
        raise TypeError(
            f"levels must be a list of stock valuations such as [opening, closing], got {levels!r}"
        )
    array = number(levels, "levels")
    if array.ndim == 2:
        return array.mean(axis=1)
    return float(array.mean())


def gmroi(gross_margin, average_inventory_cost):
    """Gross margin return on inventory investment (GMROI).

    ``GMROI = gross margin / average inventory at cost``

    Variant: inventory valued at cost, not at retail price, because cost is the money the retailer
    has tied up in stock. A GMROI of 3 means each £1 invested in stock returned £3 of gross margin
    over the period. Use a full year of margin for an annual GMROI.

    Parameters
    ----------
    gross_margin : number, list, array or Series
        Gross margin in GBP over the period (may be negative).
    average_inventory_cost : number, list, array or Series
        Average stock held over the same period, valued at cost in GBP, more than 0.

    Returns
    -------
    float, array or Series
        GBP of margin per GBP of stock (a ratio, not a percentage).

    Examples
    --------
    £120,000 gross margin in a year on stock averaging £40,000 at cost:

    >>> gmroi(gross_margin=120_000, average_inventory_cost=40_000)
    3.0
    """
    m = number(gross_margin, "gross_margin", minimum=None)
    i = number(average_inventory_cost, "average_inventory_cost", positive=True)
    same_shape(gross_margin=m, average_inventory_cost=i)
    return result(m / i, gross_margin, average_inventory_cost)


def sell_through_rate(units_sold, units_received, opening_stock=0):
    """Share of the stock available in a period that was sold.

    ``sell-through = units sold / (opening stock + units received)``

    Variant: on stock *available* (opening stock plus receipts), so the result can never pass 100 %
    and carried-over stock is not ignored. With the default ``opening_stock=0`` it is the other common
    variant, sell-through on receipts (units sold / units received), used for a new line that starts
    with no stock.

    Parameters
    ----------
    units_sold : number, list, array or Series
        Units sold in the period, 0 or more.
    units_received : number, list, array or Series
        Units delivered in the period, 0 or more.
    opening_stock : number, list, array or Series, default 0
        Units in stock at the start of the period, 0 or more.

    Returns
    -------
    float, array or Series
        A fraction from 0 to 1.

    Raises
    ------
    ValueError
        If nothing was available, or more units were sold than were available.

    Examples
    --------
    A new line: 500 units delivered, 350 sold in the first four weeks:

    >>> sell_through_rate(units_sold=350, units_received=500)
    0.7

    With 100 units carried over from last season as well:

    >>> sell_through_rate(units_sold=300, units_received=500, opening_stock=100)
    0.5
    """
    s = number(units_sold, "units_sold", whole=True)
    r = number(units_received, "units_received", whole=True)
    o = number(opening_stock, "opening_stock", whole=True)
    same_shape(units_sold=s, units_received=r, opening_stock=o)
    available = o + r
    if np.any(available <= 0):
        raise ValueError(
            "opening_stock + units_received must be more than 0: with no stock available there is "
            "nothing to sell through"
        )
    not_above(s, available, "units_sold", "opening_stock + units_received",
              "you cannot sell more than the stock available")
    return result(s / available, units_sold, units_received, opening_stock)


def stock_turn(cost_of_sales, average_inventory_cost):
    """Stock turn (inventory turnover): how many times the average stock was sold through.

    ``stock turn = cost of sales / average inventory at cost``

    Variant: both at cost, so the ratio compares like with like (using sales at retail over stock at
    cost overstates the turn by the markup). Over a year, ``52 / stock turn`` is the average weeks of
    stock held.

    Parameters
    ----------
    cost_of_sales : number, list, array or Series
        Cost of the goods sold in GBP over the period, 0 or more.
    average_inventory_cost : number, list, array or Series
        Average stock at cost in GBP over the same period, more than 0.

    Returns
    -------
    float, array or Series
        Times per period.

    Examples
    --------
    £240,000 cost of sales in a year on stock averaging £40,000 at cost:

    >>> stock_turn(cost_of_sales=240_000, average_inventory_cost=40_000)
    6.0
    """
    c = number(cost_of_sales, "cost_of_sales")
    i = number(average_inventory_cost, "average_inventory_cost", positive=True)
    same_shape(cost_of_sales=c, average_inventory_cost=i)
    return result(c / i, cost_of_sales, average_inventory_cost)


def weeks_of_cover(stock_units, weekly_sales_units):
    """Weeks of cover: how long current stock lasts at the current rate of sale.

    ``weeks of cover = stock on hand / weekly sales``

    Variant: units, with weekly sales taken as the recent average (e.g. the last 4 weeks) or the
    forecast; cost values give the same answer if both are at cost.

    Parameters
    ----------
    stock_units : number, list, array or Series
        Units in stock now, 0 or more.
    weekly_sales_units : number, list, array or Series
        Units sold per week, more than 0 (with no sales, cover cannot be measured).

    Returns
    -------
    float, array or Series
        Weeks.

    Examples
    --------
    240 units in stock, selling 60 a week:

    >>> weeks_of_cover(stock_units=240, weekly_sales_units=60)
    4.0
    """
    s = number(stock_units, "stock_units")
    w = number(weekly_sales_units, "weekly_sales_units", positive=True)
    same_shape(stock_units=s, weekly_sales_units=w)
    return result(s / w, stock_units, weekly_sales_units)


def shrinkage_rate(recorded_stock_value, actual_stock_value, sales):
    """Shrinkage (stock loss) as a share of sales, with all three values on ONE basis.

    ``shrinkage rate = (recorded stock - counted stock) / sales``

    Variant: the loss is book stock (what the system says) minus the physical count, over sales for the
    period since the last count, which is how UK retailers usually report shrink. A negative result is a
    stock gain (often a recording error).

    **Use one basis for all three values**, either:

    - **all at cost**: book stock at cost, counted stock at cost, and ``sales`` = *cost of sales* (what
      the goods sold cost you) for the period; or
    - **all at selling price** (retail value): book stock and counted stock at selling price, and
      ``sales`` = sales (ex VAT) for the period.

    Both give the same rate when the margin is steady. Do not mix them: a loss valued at cost divided by
    sales at selling price understates the rate, because the loss is shrunk by the cost-to-price ratio
    (at a 40 % margin a 2.5 % shrink shows as 1.5 %). The function cannot tell which basis you used, so
    check your columns: stock files usually hold cost values, till reports selling-price sales.

    Parameters
    ----------
    recorded_stock_value : number, list, array or Series
        Book stock value in GBP, 0 or more, at cost or at selling price (the same basis as the others).
    actual_stock_value : number, list, array or Series
        Counted stock value in GBP, 0 or more, on the same basis.
    sales : number, list, array or Series
        GBP over the period since the last count, more than 0, on the same basis: cost of sales if the
        stock values are at cost, sales at selling price if they are at selling price.

    Returns
    -------
    float, array or Series
        A fraction of sales (0.025 is 2.5 %).

    Raises
    ------
    ValueError, TypeError
        If a value is missing, negative or not a number (``sales`` must be more than 0); every message
        reminds you that the three values must be on one basis.

    Examples
    --------
    At cost: book stock £48,000 at cost, the count finds £46,500 at cost, so £1,500 (at cost) is lost;
    cost of sales since the last count £60,000:

    >>> shrinkage_rate(recorded_stock_value=48_000, actual_stock_value=46_500, sales=60_000)
    0.025

    At selling price: the same stock valued at selling price is £80,000 on the books and £77,500 counted
    (£2,500 lost at selling price); sales since the last count £100,000:

    >>> shrinkage_rate(recorded_stock_value=80_000, actual_stock_value=77_500, sales=100_000)
    0.025

    Mixed (wrong): the £1,500 loss at cost over the £100,000 sales at selling price gives 1.5 %, which
    understates the true 2.5 % by the cost-to-price ratio (60,000 / 100,000 = 0.6):

    >>> shrinkage_rate(recorded_stock_value=48_000, actual_stock_value=46_500, sales=100_000)
    0.015
    """
    basis = ("recorded_stock_value, actual_stock_value and sales must all be on one basis: all at cost "
             "(then sales means cost of sales) or all at selling price, never mixed")
    try:
        r = number(recorded_stock_value, "recorded_stock_value")
        a = number(actual_stock_value, "actual_stock_value")
        s = number(sales, "sales", positive=True)
        same_shape(recorded_stock_value=r, actual_stock_value=a, sales=s)
        return result((r - a) / s, recorded_stock_value, actual_stock_value, sales)
    except (TypeError, ValueError) as error:
        raise type(error)(f"{error} ({basis})") from None
