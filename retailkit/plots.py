"""One house style for every chart in the workbook.

Titles state the finding ("Leeds converts best"), axes carry units, money is shown in GBP and shares as
percentages, and colours come from the Okabe-Ito palette, which people with colour-blindness can tell
apart. Readable at 100 % zoom: 11-point text, light grid, no chart junk.
"""

from __future__ import annotations

import contextlib

import pandas as pd

__all__ = ["PALETTE", "BAD", "GOOD", "house_style", "gbp_axis", "percent_axis", "kpi_trend"]

#: Okabe & Ito (2008) colour-blind-safe palette.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
GOOD, BAD = "#0072B2", "#D55E00"

_RC = {
    "font.size": 11, "axes.titlesize": 12, "axes.titleweight": "bold", "axes.labelsize": 11,
    "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True, "grid.alpha": 0.3,
    "figure.figsize": (7, 3.6), "figure.dpi": 100, "legend.frameon": False,
}


@contextlib.contextmanager
def house_style():
    """Use the house style inside a ``with`` block."""
    import matplotlib as mpl
    from cycler import cycler

    with mpl.rc_context({**_RC, "axes.prop_cycle": cycler(color=PALETTE)}):
        yield


def gbp_axis(ax, axis: str = "y", decimals: int = 0):
    """Show an axis in pounds: £1,250."""
    from matplotlib.ticker import FuncFormatter

    fmt = FuncFormatter(lambda v, _: f"£{v:,.{decimals}f}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)
    return ax


def percent_axis(ax, axis: str = "y", decimals: int = 0):
    """Show an axis of fractions as percentages: 0.25 -> 25%."""
    from matplotlib.ticker import PercentFormatter

    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(PercentFormatter(xmax=1, decimals=decimals))
    return ax


_LABELS = {
    "conversion_rate": ("Conversion rate", "percent"), "atv": ("Average transaction value (GBP ex VAT)", "gbp"),
    "upt": ("Units per transaction", "number"), "gross_margin_pct": ("Gross margin", "percent"),
    "sales": ("Sales (GBP ex VAT)", "gbp"), "sales_per_labour_hour": ("Sales per labour hour (GBP)", "gbp"),
    "sales_per_sqft": ("Sales per sq ft (GBP)", "gbp"), "transactions": ("Transactions", "number"),
    "footfall": ("Footfall (visitors)", "number"),
}


def kpi_trend(table: pd.DataFrame, kpi: str, x: str = "week", by: str = "store_id", title: str | None = None,
              ax=None):
    """Line chart of one KPI over time, one line per store; the title names the leader.

    Parameters
    ----------
    table : DataFrame
        A KPI table (e.g. from ``kpi_table``) with columns ``x``, ``by`` and ``kpi``.
    kpi : str
        The KPI column to draw.
    title : str, optional
        Defaults to a sentence naming the store with the highest average.

    Returns
    -------
    matplotlib Axes
    """
    import matplotlib.pyplot as plt

    for col in (x, by, kpi):
        if col not in table.columns:
            raise ValueError(f"table has no column {col!r}; its columns are: {', '.join(map(str, table.columns))}")
    label, kind = _LABELS.get(kpi, (kpi.replace("_", " ").capitalize(), "number"))
    with house_style():
        if ax is None:
            ax = plt.subplots()[1]
        for name, part in table.groupby(by, observed=True, sort=True):
            ax.plot(part[x], part[kpi], marker="o", markersize=3, label=str(name))
        means = table.groupby(by, observed=True)[kpi].mean()
        ax.set_title(title or f"{means.idxmax()} has the highest {label.split(' (')[0].lower()}")
        ax.set_xlabel(x.replace("_", " ").capitalize())
        ax.set_ylabel(label)
        if kind == "gbp":
            gbp_axis(ax)
        elif kind == "percent":
            percent_axis(ax, decimals=1)
        if table[by].nunique() > 1:
            ax.legend(title=by.replace("_", " "), fontsize=9, ncol=2)
    return ax
