"""The case-study retailer and a seeded generator for its data.

Harbour & Hale is a fictional UK homeware and gifts retailer with four shops of different formats and
an online channel. All of its data is made up by :func:`baskets` from a seed, so the same seed always
gives the same table, and no real person's data is involved.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from retailkit._checks import number

__all__ = ["RETAILER", "stores", "baskets", "store_weeks"]

RETAILER = "Harbour & Hale"

#: The stores: id, name, format, region, selling area (sq ft; 0 for online), a share of the chain's
#: baskets, typical conversion rate, average basket value (GBP inc. VAT) and gross margin.
_STORES = [
    ("HH01", "Bristol Broadmead", "high street", "South West", 4_800, 0.26, 0.24, 27.0, 0.56),
    ("HH02", "Leeds Kirkstall Retail Park", "retail park", "Yorkshire", 9_600, 0.30, 0.31, 38.0, 0.54),
    ("HH03", "York Shambles", "high street", "Yorkshire", 2_900, 0.14, 0.19, 24.0, 0.58),
    ("HH04", "Swindon Designer Outlet", "outlet", "South West", 3_800, 0.12, 0.27, 21.0, 0.42),
    ("HHWEB", "Online", "online", "National", 0, 0.18, 0.028, 46.0, 0.50),
]

SQ_FT_PER_M2 = 10.7639


def stores() -> pd.DataFrame:
    """The retailer's stores: id, name, format, region and selling area in sq ft and m²."""
    table = pd.DataFrame(
        [s[:5] for s in _STORES], columns=["store_id", "name", "format", "region", "area_sqft"]
    )
    table["area_m2"] = (table["area_sqft"] / SQ_FT_PER_M2).round(1)
    return table


def _season(weeks: np.ndarray) -> np.ndarray:
    """Relative trade by ISO week (1..52): a Christmas peak, January sales, a summer lift."""
    w = weeks.astype(float)
    christmas = 1.9 * np.exp(-0.5 * ((w - 51) / 2.2) ** 2)
    january = 0.5 * np.exp(-0.5 * ((w - 1.5) / 1.2) ** 2)
    summer = 0.25 * np.exp(-0.5 * ((w - 31) / 4.0) ** 2)
    return 1.0 + christmas + january + summer


def baskets(n: int = 200_000, seed: int = 2026, weeks: int = 52) -> pd.DataFrame:
    """Generate ``n`` baskets (till receipts) for the retailer, one row per basket.

    Columns: ``store_id`` (categorical), ``week`` (1..weeks), ``units``, ``sales`` (GBP ex VAT) and
    ``cost`` (GBP). Seasonality follows a UK homeware year; each store has its own basket size and
    margin. The same ``n``, ``seed`` and ``weeks`` always give the same table.
    """
    n = int(number(n, "n", positive=True, whole=True))
    weeks = int(number(weeks, "weeks", positive=True, whole=True))
    rng = np.random.default_rng(seed)
    share = np.array([s[5] for s in _STORES])
    store = rng.choice(len(_STORES), size=n, p=share / share.sum())
    season = _season((np.arange(weeks) % 52) + 1)
    week = rng.choice(weeks, size=n, p=season / season.sum()) + 1
    basket_value = np.array([s[7] for s in _STORES]) / 1.2  # ex VAT
    margin = np.array([s[8] for s in _STORES])
    units = rng.poisson(1.4, size=n) + 1
    sales = np.round(basket_value[store] / 2.4 * units * rng.lognormal(0.0, 0.35, size=n), 2)
    cost = np.round(sales * (1 - margin[store]) * rng.normal(1.0, 0.05, size=n), 2)
    ids = pd.Categorical.from_codes(store, categories=[s[0] for s in _STORES])
    return pd.DataFrame({"store_id": ids, "week": week.astype(np.int16), "units": units.astype(np.int32),
                         "sales": sales, "cost": cost})


def store_weeks(table: pd.DataFrame, seed: int = 2026) -> pd.DataFrame:
    """Footfall and labour hours for each store and week, consistent with a basket table.

    Footfall is the week's transactions divided by the store's usual conversion rate (with some
    week-to-week noise), so it is always at least the number of transactions. Labour hours follow
    trade: a base rota plus hours for each transaction. Online has visits (sessions) for footfall
    and contact-centre hours for labour.
    """
    rng = np.random.default_rng(seed + 1)
    counts = table.groupby(["store_id", "week"], observed=True).size().rename("transactions")
    frame = counts.reset_index()
    conversion = dict((s[0], s[6]) for s in _STORES)
    rate = frame["store_id"].map(conversion).astype(float) * rng.normal(1.0, 0.06, size=len(frame))
    frame["footfall"] = np.maximum(np.round(frame["transactions"] / rate), frame["transactions"]).astype(int)
    frame["labour_hours"] = np.round(180 + frame["transactions"] * 0.09 * rng.normal(1, 0.05, len(frame)), 1)
    return frame.drop(columns="transactions")
