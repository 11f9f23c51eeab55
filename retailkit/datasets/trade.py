"""Steps of the generator: footfall, baskets, their lines and refunds, the transactions and the stock.

The steps pass on :class:`Baskets` (the sales), :class:`Lines` (what was in them) and :class:`Refunds`,
filled in step by step by :func:`retailkit.datasets.generator.generate`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from retailkit.datasets.constants import (
    BANK_HOLIDAYS,
    CATEGORIES,
    CLOSED_ALL,
    CLOSED_LARGE,
    ONLINE_STORE,
    PRODUCT_CATEGORIES,
    PROMOTIONS,
    START,
    STORE_IDS,
    STORES,
    VAT_RATE,
)
from retailkit.datasets.people import store_numbers
from retailkit.datasets.schema import from_codes, make_ids

SECONDS_A_WEEK = 7 * 86400


# ----------------------------------------------------------------------------------------------------
# What the steps pass on: the baskets (sales) and their lines
# ----------------------------------------------------------------------------------------------------
@dataclass(eq=False)
class Baskets:
    """The sales, one entry per basket in time order; filled in step by step. -1 means none."""

    store: np.ndarray  # index into STORES
    day: np.ndarray  # days since START
    second: np.ndarray  # seconds since START
    till: np.ndarray | None = None  # 0 online
    staff: np.ndarray | None = None  # row of the staff table; -1 online
    units: np.ndarray | None = None
    customer: np.ndarray | None = None  # row of the customers table; -1 not a loyalty member
    value: np.ndarray | None = None  # inc VAT, after discounts

    def __len__(self) -> int:
        """How many rows."""
        return len(self.store)

    @property
    def week(self) -> np.ndarray:
        """The trading week of each day (1 = the week of 6 January 2025)."""
        return self.day // 7 + 1

    @functools.cached_property
    def ids(self) -> np.ndarray:
        """Transaction ids, ``T0000001`` onwards, in time order."""
        return make_ids("T", np.arange(1, len(self) + 1), 7)


@dataclass(eq=False)
class Lines:
    """Sale lines: one per basket and category, in basket order; prices are added by ``priced_lines``."""

    basket: np.ndarray  # index into the baskets
    category: np.ndarray  # index into CATEGORIES
    units: np.ndarray
    line_no: np.ndarray
    discount: np.ndarray | None = None  # inc VAT
    sales_inc_vat: np.ndarray | None = None
    sales_ex_vat: np.ndarray | None = None
    cost: np.ndarray | None = None
    promo: np.ndarray | None = None  # index into PROMOTIONS + 1; 0 = none

    def __len__(self) -> int:
        """How many rows."""
        return len(self.basket)


@dataclass(eq=False)
class Refunds:
    """Refunds of whole sale lines: which line, when (seconds since START) and who took it."""

    line: np.ndarray
    second: np.ndarray
    staff: np.ndarray

    def __len__(self) -> int:
        """How many rows."""
        return len(self.line)


@dataclass(eq=False)
class Offers:
    """discount[store, category, day] (fraction) and promo[store, category, day] (promotion index + 1)."""

    discount: np.ndarray
    promo: np.ndarray




def season(day: np.ndarray) -> np.ndarray:
    """Relative trade by day of the year (0 = 6 Jan 2025): a Christmas peak, January sale, summer lift."""
    d = day.astype(float)
    christmas = 1.6 * np.exp(-0.5 * ((d - 345) / 11.0) ** 2)
    january = 0.35 * np.exp(-0.5 * (d / 9.0) ** 2)
    summer = 0.15 * np.exp(-0.5 * ((d - 210) / 25.0) ** 2)
    spring_dip = -0.12 * np.exp(-0.5 * ((d - 40) / 14.0) ** 2)
    return 1.0 + christmas + january + summer + spring_dip



# ----------------------------------------------------------------------------------------------------
# Steps: footfall and the baskets visitors make
# ----------------------------------------------------------------------------------------------------
def promotion_calendar(days: int) -> Offers:
    """Which promotion (and discount) applies to each store, category and day."""
    discount = np.zeros((len(STORES), len(CATEGORIES), days))
    promo = np.zeros((len(STORES), len(CATEGORIES), days), dtype=int)
    for i, p in enumerate(PROMOTIONS):
        a = (pd.Timestamp(p.start_date) - START).days
        b = (pd.Timestamp(p.end_date) - START).days + 1
        si = [STORE_IDS.index(p.store_id)] if p.store_id != "all" else list(range(len(STORES)))
        ci = [CATEGORIES.index(p.category)] if p.category != "all" else list(range(len(CATEGORIES)))
        for s in si:
            for c in ci:
                discount[s, c, max(a, 0):min(b, days)] = p.discount
                promo[s, c, max(a, 0):min(b, days)] = i + 1
    return Offers(discount, promo)


def expected_footfall(rng, weeks: int, scale: float) -> np.ndarray:
    """Expected visitors per open store-hour: rows of (store, day, hour, expected visitors).

    Visitors arrive by a day-of-week, hour-of-day and seasonal pattern, busier on bank holidays; shops
    shut on Christmas Day, and large shops on Easter Day.
    """
    days = weeks * 7
    dates = START + pd.to_timedelta(np.arange(days), unit="D")
    dow = dates.day_of_week.to_numpy()
    text = dates.strftime("%Y-%m-%d")
    holiday = text.isin(BANK_HOLIDAYS)
    shut_all, shut_large = text.isin(CLOSED_ALL), text.isin(CLOSED_LARGE)
    weekday = np.array([0.80, 0.80, 0.85, 0.92, 1.05, 1.45, 0.95])
    trade = season(np.arange(days))
    hour = np.arange(24)
    parts = []
    for si, s in enumerate(STORES):
        daily = s.visitors_per_day * scale * trade * (1.0 if s.online else weekday[dow])
        daily = daily * np.where(holiday, 1.25, 1.0) * rng.lognormal(0, 0.12, days)
        opens = np.where(dow == 6, s.sunday_hours.opens, s.hours.opens)
        closes = np.where(dow == 6, s.sunday_hours.closes, s.hours.closes)
        if not s.online:
            closes = np.where(shut_all | (shut_large & s.large), opens, closes)
        is_open = (hour >= opens[:, None]) & (hour < closes[:, None])
        peak = 20.5 if s.online else (14.0 if s.format in ("retail park", "outlet") else 13.0)
        width = 4.0 if s.online else 2.6
        shape = (np.exp(-0.5 * ((hour + 0.5 - peak) / width) ** 2) + (0.15 if s.online else 0.05)) * is_open
        total = np.maximum(shape.sum(axis=1, keepdims=True), 1e-12)
        length = (closes - opens) / (24.0 if s.online else 11.0)
        expected = daily[:, None] * length[:, None] * shape / total
        d, h = np.nonzero(is_open)
        parts.append(np.column_stack([np.full(len(d), si), d, h, expected[d, h]]))
    return np.concatenate(parts)


def visitors_and_baskets(rng, cell: np.ndarray, offers: Offers) -> tuple[pd.DataFrame, Baskets]:
    """The footfall table, and the baskets (sales) that visitors made.

    Each visitor converts with the store's rate (higher on promotion days), so sales can never exceed
    footfall in any store-hour.
    """
    store_i, day_i, hour_i = (cell[:, k].astype(np.int64) for k in range(3))
    footfall = rng.poisson(cell[:, 3])
    on_offer = offers.discount[store_i, :, day_i].max(axis=1) > 0
    conversion = np.array([s.conversion for s in STORES])[store_i] * np.where(on_offer, 1.12, 1.0)
    conversion = np.minimum(conversion * rng.normal(1, 0.05, len(cell)), 0.95)
    sales = rng.binomial(footfall, conversion)
    b_cell = np.repeat(np.arange(len(cell)), sales)
    second = rng.integers(0, 3600, len(b_cell))
    # Time order across the chain, so transaction ids run in the order the sales happened.
    when = (day_i[b_cell] * 24 + hour_i[b_cell]) * 3600 + second
    order = np.argsort(when * 8 + store_i[b_cell], kind="stable")
    table = pd.DataFrame({
        "store_id": from_codes(store_i, STORE_IDS),
        "date": START + pd.to_timedelta(day_i, unit="D"),
        "week": day_i // 7 + 1, "hour": hour_i, "footfall": footfall,
    })
    return table, Baskets(store=store_i[b_cell][order], day=day_i[b_cell][order], second=when[order])


# ----------------------------------------------------------------------------------------------------
# Steps: who served each basket, what was in it, who bought it
# ----------------------------------------------------------------------------------------------------
def tills_and_servers(rng, baskets: Baskets, staff: pd.DataFrame, cover: np.ndarray):
    """Till and staff member for each in-store basket: someone on shift then (``cover``), seniors less often.

    ``cover[staff, day, half hour]`` comes from :func:`retailkit.datasets.shifts.plan_shifts`, which leaves
    no open half hour without someone.
    """
    till = np.zeros(len(baskets), dtype=np.int64)
    served_by = np.full(len(baskets), -1)
    till_weight = staff["role"].map({"Store manager": 0.3, "Assistant manager": 0.5,
                                     "Supervisor": 0.8}).fillna(1.0).to_numpy()
    staff_store = store_numbers(staff["store_id"])
    store_b, week_b = baskets.store, baskets.week
    group = store_b * 1000 + week_b
    order = np.argsort(group, kind="stable")
    for idx in np.split(order, np.flatnonzero(np.diff(group[order])) + 1):
        si = store_b[idx[0]]
        if si == ONLINE_STORE or len(idx) == 0:
            continue
        team = np.flatnonzero(staff_store == si)
        on = cover[team][:, baskets.day[idx], (baskets.second[idx] % 86400) // 1800].T * till_weight[team]
        cum = np.cumsum(on, axis=1)
        u = rng.random(len(idx)) * cum[:, -1]  # the same draws as rng.choice with weights
        served_by[idx] = team[np.minimum((cum <= u[:, None]).sum(axis=1), len(team) - 1)]
        tills = np.arange(STORES[si].tills, 0, -1)
        till[idx] = rng.choice(np.arange(1, len(tills) + 1), size=len(idx), p=tills / tills.sum())
    return till, served_by


def basket_units(rng, baskets: Baskets, skill: np.ndarray) -> np.ndarray:
    """Units in each basket: the store's typical basket, more with a good link-seller.

    ``skill`` is the server's link-selling skill for each basket (1 = the store's typical basket).
    """
    link = np.array([s.units_per_basket for s in STORES])[baskets.store]
    return 1 + rng.poisson(np.maximum(link * skill - 1, 0.05))


def loyalty_members(rng, baskets: Baskets, customers: pd.DataFrame) -> np.ndarray:
    """Loyalty members: 40 % of shop baskets, 75 % of online orders; a member shops mostly at home."""
    store_b, day_b = baskets.store, baskets.day
    cust_b = np.full(len(baskets), -1)
    member = rng.random(len(baskets)) < np.where(store_b == ONLINE_STORE, 0.75, 0.40)
    join = (customers["join_date"] - START).dt.days.to_numpy()
    leave = (customers["left_date"] - START).dt.days.fillna(10**6).to_numpy()
    rate = rng.gamma(1.1, 1.0, len(customers)) * np.where(customers["segment"] == "Occasional", 0.4, 1.0)
    home = store_numbers(customers["home_store_id"])
    for si in range(len(STORES)):
        pick = np.flatnonzero(member & (store_b == si))
        weight = rate * np.where(home == si, 1.0, 0.06)
        cdf = np.cumsum(weight) / weight.sum()
        todo = np.arange(len(pick))
        for _ in range(30):  # draw again for a member who had not joined yet or had left
            if len(todo) == 0:
                break
            c = np.minimum(np.searchsorted(cdf, rng.random(len(todo))), len(cdf) - 1)
            ok = (join[c] <= day_b[pick[todo]]) & (day_b[pick[todo]] < leave[c])
            cust_b[pick[todo[ok]]] = c[ok]
            todo = todo[~ok]
    return cust_b


def basket_lines(rng, baskets: Baskets, days: int) -> Lines:
    """Each unit falls in a category (seasonal mix); one line per basket and category."""
    n_cat = len(CATEGORIES)
    share = np.array([c.share for c in PRODUCT_CATEGORIES])
    lift = np.array([c.christmas_lift for c in PRODUCT_CATEGORIES])
    peak = np.maximum(season(np.arange(days)) - 1.0, 0.0) / 1.6
    mix = share * (1 + (lift - 1) * peak[:, None])
    mix[:21, CATEGORIES.index("Christmas & seasonal")] *= 2.5  # January sale clearance
    cum = np.cumsum(mix / mix.sum(axis=1, keepdims=True), axis=1)
    cum[:, -1] = 1.0
    unit_basket = np.repeat(np.arange(len(baskets)), baskets.units)
    unit_day = baskets.day[unit_basket]
    # Row d of cum, shifted by d, makes one sorted array: one searchsorted picks every unit's category.
    flat = (cum + np.arange(days)[:, None]).ravel()
    pos = np.searchsorted(flat, unit_day + rng.random(len(unit_basket)), side="right")
    unit_cat = np.minimum(pos - unit_day * n_cat, n_cat - 1)
    key, units = np.unique(unit_basket * 8 + unit_cat, return_counts=True)
    basket, category = key // 8, key % 8
    first = np.r_[True, basket[1:] != basket[:-1]]
    start = np.maximum.accumulate(np.where(first, np.arange(len(key)), 0))
    return Lines(basket=basket, category=category, units=units, line_no=np.arange(len(key)) - start + 1)


def priced_lines(rng, lines: Lines, baskets: Baskets, offers: Offers) -> None:
    """Price each line: the category's price (less at the outlet), any promotion, VAT and cost."""
    price = np.array([c.unit_price for c in PRODUCT_CATEGORIES])
    margin = np.array([c.margin for c in PRODUCT_CATEGORIES])
    outlet = np.array([s.format == "outlet" for s in STORES])
    l_cat = lines.category
    l_store, l_day = baskets.store[lines.basket], baskets.day[lines.basket]
    full = np.round(lines.units * price[l_cat] * rng.lognormal(0, 0.30, len(lines))
                    * np.where(outlet[l_store], 0.7, 1.0), 2)
    lines.discount = np.round(full * offers.discount[l_store, l_cat, l_day], 2)
    lines.sales_inc_vat = np.round(full - lines.discount, 2)
    lines.sales_ex_vat = np.round(lines.sales_inc_vat / (1 + VAT_RATE), 2)
    lines.cost = np.round(full / (1 + VAT_RATE) * (1 - margin[l_cat]) * np.where(outlet[l_store], 1.25, 1.0)
                          * rng.normal(1, 0.03, len(lines)), 2)
    lines.promo = offers.promo[l_store, l_cat, l_day]


def basket_values(lines: Lines, baskets: Baskets) -> np.ndarray:
    """What each basket cost the customer: its lines' sales inc VAT."""
    return np.bincount(lines.basket, weights=lines.sales_inc_vat, minlength=len(baskets))


def pick_refunds(rng, lines: Lines, baskets: Baskets, staff: pd.DataFrame, cover: np.ndarray, scale: float,
                 days: int) -> Refunds:
    """A few refunds (returned goods, put back into stock): the whole line, within 30 days, same store.

    A refund is taken by the most senior person on shift then; when the shop is closed at that time (a
    Sunday's shorter hours, Christmas Day), the customer comes back at the same time the next day.
    """
    l_store = baskets.store[lines.basket]
    shop_lines = np.flatnonzero(l_store != ONLINE_STORE)
    src = np.sort(rng.choice(shop_lines, size=min(len(shop_lines), max(1, round(6 * scale))),
                             replace=False))
    r_time = baskets.second[lines.basket][src] + rng.integers(1, 30, len(src)) * 86400
    staff_store = store_numbers(staff["store_id"])
    r_staff = np.full(len(src), -1, dtype=np.int64)
    for k, si in enumerate(l_store[src].tolist()):
        team = np.flatnonzero(staff_store == si)
        while r_time[k] < days * 86400:
            on = team[cover[team, r_time[k] // 86400, (r_time[k] % 86400) // 1800]]
            if len(on):
                r_staff[k] = on[0]
                break
            r_time[k] += 86400
    keep = r_staff >= 0
    return Refunds(line=src[keep], second=r_time[keep], staff=r_staff[keep])


# ----------------------------------------------------------------------------------------------------
# Steps: the transactions and the stock they move
# ----------------------------------------------------------------------------------------------------
def sales_ledger(lines: Lines, refunds: Refunds, baskets: Baskets, staff: pd.DataFrame,
                 customers: pd.DataFrame) -> dict[str, np.ndarray]:
    """Every transaction line, the sale lines then the refunds (not yet in time order), column by column.

    The keys are the transactions table's columns, with ``store``, ``category`` and ``second`` as numbers.
    """
    src, n_r = refunds.line, len(refunds)

    def both(line_values, refund_values):
        return np.concatenate([line_values, refund_values])

    l_basket = lines.basket
    till_l = both(baskets.till[l_basket], baskets.till[l_basket][src]).astype(float)
    staff_ids = np.append(staff["staff_id"].to_numpy(dtype=object), "")
    cust_ids = np.append(customers["customer_id"].to_numpy(dtype=object), "")
    promo_ids = np.array([""] + [p.promo_id for p in PROMOTIONS], dtype=object)
    second = both(baskets.second[l_basket], refunds.second)
    return {
        "transaction_id": both(baskets.ids[l_basket], make_ids("R", np.arange(1, n_r + 1), 6)),
        "line_no": both(lines.line_no, np.ones(n_r, dtype=np.int64)),
        "type": both(np.zeros(len(lines), dtype=np.int64), np.ones(n_r, dtype=np.int64)),  # 0 sale, 1 refund
        "second": second,
        "week": second // SECONDS_A_WEEK + 1,
        "store": both(baskets.store[l_basket], baskets.store[l_basket][src]),
        "till": till_l,
        "staff_id": staff_ids[both(baskets.staff[l_basket], refunds.staff)],
        "customer_id": cust_ids[both(baskets.customer[l_basket], baskets.customer[l_basket][src])],
        "category": both(lines.category, lines.category[src]),
        "units": both(lines.units, -lines.units[src]),
        "sales_inc_vat": both(lines.sales_inc_vat, -lines.sales_inc_vat[src]),
        "sales_ex_vat": both(lines.sales_ex_vat, -lines.sales_ex_vat[src]),
        "discount_inc_vat": both(lines.discount, np.zeros(n_r)),
        "cost": both(lines.cost, -lines.cost[src]),
        "promo_id": promo_ids[both(lines.promo, np.zeros(n_r, dtype=np.int64))],
    }


def transactions_table(ledger: dict[str, np.ndarray]) -> pd.DataFrame:
    """The ledger as the transactions table, in time order."""
    ordering = np.argsort(ledger["second"], kind="stable")
    till = ledger["till"]
    return pd.DataFrame({
        "transaction_id": ledger["transaction_id"],
        "line_no": ledger["line_no"],
        "type": from_codes(ledger["type"], ["sale", "refund"]),
        "datetime": START + pd.to_timedelta(ledger["second"], unit="s"),
        "week": ledger["week"],
        "store_id": from_codes(ledger["store"], STORE_IDS),
        "till": pd.array(np.where(till > 0, till, np.nan), dtype="Int64"),
        "staff_id": ledger["staff_id"],
        "customer_id": ledger["customer_id"],
        "category": from_codes(ledger["category"], CATEGORIES),
        **{col: ledger[col] for col in ("units", "sales_inc_vat", "sales_ex_vat", "discount_inc_vat", "cost",
                                        "promo_id")},
    }).iloc[ordering].reset_index(drop=True)


def stock_table(rng, ledger: dict[str, np.ndarray], weeks: int) -> pd.DataFrame:
    """Weekly stock by store and category, consistent with the transactions.

    Receipts top stock up to about twelve weeks of cover; losses (theft, damage, errors) come off the real
    stock but not the book stock until the quarterly stocktake (weeks 13, 26, 39, 52) finds them, when the
    book is corrected to the count. Units sold are net of refunds (returned goods go back into stock).
    """
    n_cat = len(CATEGORIES)
    n_series = len(STORES) * n_cat
    series_week = (ledger["store"] * n_cat + ledger["category"]) * weeks + ledger["week"] - 1
    units, cogs, sales, markdown = (
        np.bincount(series_week, weights=ledger[col], minlength=n_series * weeks).reshape(n_series, weeks)
        for col in ("units", "cost", "sales_ex_vat", "discount_inc_vat"))
    units = np.rint(units).astype(np.int64)
    unit_cost = np.where(units.sum(axis=1) > 0, cogs.sum(axis=1) / np.maximum(units.sum(axis=1), 1), 5.0)
    unit_cost = np.where(unit_cost > 0, unit_cost, 5.0)
    padded = np.concatenate([units, units[:, -4:]], axis=1)
    ahead = np.stack([np.convolve(row, np.ones(4) / 4, mode="valid")[1:weeks + 1] for row in padded])
    cover = np.rint(np.maximum(ahead, 1) * 12).astype(np.int64)
    opening = np.zeros((n_series, weeks), dtype=np.int64)
    received = np.zeros_like(opening)
    closing = np.zeros_like(opening)
    counted = np.full((n_series, weeks), -1, dtype=np.int64)
    book = actual = np.rint(np.maximum(units[:, :6].mean(axis=1), 1) * 12).astype(np.int64)
    for w in range(weeks):
        opening[:, w] = book
        received[:, w] = np.maximum(0, cover[:, w] + units[:, w] - book)
        book = book + received[:, w] - units[:, w]
        actual = actual + received[:, w] - units[:, w]
        actual = actual - rng.binomial(np.maximum(actual, 0), 0.0025)
        closing[:, w] = book
        if (w + 1) % 13 == 0:
            counted[:, w] = actual
            book = actual.copy()
    series = np.repeat(np.arange(n_series), weeks)
    week = np.tile(np.arange(1, weeks + 1), n_series)
    uc = unit_cost[series]
    count = counted.ravel()
    return pd.DataFrame({
        "store_id": from_codes(series // n_cat, STORE_IDS),
        "category": from_codes(series % n_cat, CATEGORIES),
        "week": week, "week_start": START + pd.to_timedelta((week - 1) * 7, unit="D"),
        "opening_units": opening.ravel(), "opening_cost": np.round(opening.ravel() * uc, 2),
        "received_units": received.ravel(), "received_cost": np.round(received.ravel() * uc, 2),
        "sold_units": units.ravel(), "cost_of_sales": np.round(cogs.ravel(), 2),
        "sales_ex_vat": np.round(sales.ravel(), 2), "markdown_inc_vat": np.round(markdown.ravel(), 2),
        "closing_book_units": closing.ravel(), "closing_book_cost": np.round(closing.ravel() * uc, 2),
        "counted_units": pd.array(np.where(count >= 0, count, np.nan), dtype="Int64"),
        "counted_cost": np.where(count >= 0, np.round(count * uc, 2), np.nan),
    })
