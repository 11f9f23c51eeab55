"""The case-study retailer, Harbour & Hale, and a seeded generator for all of its data.

Harbour & Hale is a fictional UK homeware and gifts retailer with four shops of different formats (high
street, retail park, outlet) and an online channel, trading over 52 weeks from Monday 6 January 2025.
Every table is made by :func:`generate` from one seed, so the same seed always gives the same tables
(with the pinned numpy and pandas), and no real person's data is involved: staff have made-up first
names, customers have only an id.

``load(name)`` reads the canonical tables shipped in ``datasets/`` with the right types; ``write`` saves
a generated set (for example one variant per learner). ``load("cdnow")`` reads a real public dataset
shipped beside them (see ``datasets/README.md``).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import numpy as np
import pandas as pd

from retailkit._checks import number

__all__ = ["RETAILER", "TABLES", "CANONICAL_SEED", "SMALL", "generate", "write", "load", "data_folder",
           "store_weeks"]

RETAILER = "Harbour & Hale"
CANONICAL_SEED = 2026
SMALL = {"seed": CANONICAL_SEED, "scale": 0.1, "weeks": 13}  # the small set in datasets/small/, for tests
START = pd.Timestamp("2025-01-06")  # Monday of trading week 1
VAT_RATE = 0.20  # every product sold is standard-rated
SQ_FT_PER_M2 = 10.7639

# ----------------------------------------------------------------------------------------------------
# The retailer: stores, categories, promotions, standards
# ----------------------------------------------------------------------------------------------------
# id, name, town, format, region, selling area sq ft, Mon-Sat hours, Sunday hours, tills,
# visitors a day (typical), conversion, team (managers' roles, supervisors, assistants), units per basket
_STORES = [
    ("HH01", "Bristol Broadmead", "Bristol", "high street", "South West", 1_800, (9, 18), (11, 17), 3,
     230, 0.24, (("Store manager",), 1, 3), 2.3),
    ("HH02", "Leeds Kirkstall Retail Park", "Leeds", "retail park", "Yorkshire and the Humber", 4_000,
     (9, 20), (10, 16), 4, 260, 0.31, (("Store manager", "Assistant manager"), 1, 4), 2.6),
    ("HH03", "York Shambles", "York", "high street", "Yorkshire and the Humber", 1_200, (9, 17),
     (10, 17), 2, 190, 0.19, (("Store manager",), 0, 2), 2.0),
    ("HH04", "Swindon Designer Outlet", "Swindon", "outlet", "South West", 1_500, (10, 18), (10, 16), 2,
     170, 0.27, (("Store manager",), 1, 2), 2.2),
    ("HHWEB", "Online", "", "online", "National", 0, (0, 24), (0, 24), 0, 1_100, 0.028,
     (("Customer service lead",), 0, 3), 2.8),
]
SUNDAY_LARGE_SHOP_SQFT = 3_014  # 280 m²: larger shops must keep to 6 hours on Sundays and close Easter Day

# name, typical unit price inc VAT (GBP), intake margin (ex VAT), share of units, Christmas lift
_CATEGORIES = [
    ("Kitchen & dining", 12.0, 0.55, 0.24, 0.6),
    ("Home fragrance", 14.0, 0.62, 0.18, 1.2),
    ("Soft furnishings", 22.0, 0.52, 0.14, 0.5),
    ("Cards & gift wrap", 3.5, 0.70, 0.18, 1.6),
    ("Gifts & toys", 10.0, 0.50, 0.16, 1.8),
    ("Christmas & seasonal", 8.0, 0.60, 0.10, 9.0),
]
CATEGORIES = [c[0] for c in _CATEGORIES]

_PROMOTIONS = [
    ("P01", "January sale", "2025-01-06", "2025-01-26", "all", "Christmas & seasonal", 0.50),
    ("P02", "January sale", "2025-01-06", "2025-01-26", "all", "Soft furnishings", 0.30),
    ("P03", "Mother's Day candles", "2025-03-17", "2025-03-30", "all", "Home fragrance", 0.25),
    ("P04", "Summer dining", "2025-07-14", "2025-08-10", "all", "Kitchen & dining", 0.20),
    ("P05", "Outlet clearance", "2025-09-01", "2025-09-28", "HH04", "all", 0.30),
    ("P06", "Black Friday weekend", "2025-11-28", "2025-12-01", "all", "all", 0.25),
    ("P07", "Boxing Day sale", "2025-12-26", "2026-01-04", "all", "Christmas & seasonal", 0.50),
]

# Bank holidays in England, 2025: busier days. Christmas Day every shop shuts; Easter Day large shops shut.
_BANK_HOLIDAYS = ["2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25", "2025-12-26",
                  "2026-01-01"]
_CLOSED_ALL = ["2025-12-25"]
_CLOSED_LARGE = ["2025-04-20"]

# id, area, standard, metric, comparison, threshold, unit, target share, measured in, owner
_STANDARDS = [
    ("S01", "Tills", "Customers wait no more than 3 minutes at the till", "till_wait", "<=", 180,
     "seconds", 0.90, "till_queue, mystery_shop", "Store manager"),
    ("S02", "Welcome", "Customers are greeted within 2 minutes of coming in", "greeting_time", "<=", 120,
     "seconds", 0.95, "mystery_shop", "Store manager"),
    ("S03", "Complaints", "Complaints are acknowledged within 24 hours", "hours_to_acknowledge", "<=", 24,
     "hours", 0.95, "complaints", "Customer service lead"),
    ("S04", "Complaints", "Complaints are resolved within 5 days", "days_to_resolve", "<=", 5, "days",
     0.90, "complaints", "Customer service lead"),
    ("S05", "Complaints", "Complaints are resolved at the first contact", "first_contact_resolution",
     "==", 1, "yes = 1", 0.70, "complaints", "Customer service lead"),
    ("S06", "Selling", "Staff offer help to customers who are browsing", "help_offered", "==", 1,
     "yes = 1", 0.90, "mystery_shop", "Assistant manager"),
    ("S07", "Selling", "Staff show good product knowledge (score 4 or 5 out of 5)", "product_knowledge",
     ">=", 4, "score 1-5", 0.80, "mystery_shop", "Assistant manager"),
    ("S08", "Store", "The shop floor is clean and tidy (score 4 or 5 out of 5)", "cleanliness", ">=", 4,
     "score 1-5", 0.90, "mystery_shop", "Supervisor"),
    ("S09", "Loyalty", "Customers are asked for their loyalty card at the till", "loyalty_asked", "==", 1,
     "yes = 1", 0.85, "mystery_shop", "Supervisor"),
    ("S10", "Feedback", "Customers rate their visit 4 or 5 out of 5 (CSAT)", "csat", ">=", 4,
     "score 1-5", 0.85, "surveys", "Store manager"),
]

# SERVQUAL perception minus expectation, by store and dimension (the story the data tells).
_DIMENSIONS = ("tangibles", "reliability", "responsiveness", "assurance", "empathy")
_DIMENSION_OF_ITEM = [0] * 4 + [1] * 5 + [2] * 4 + [3] * 4 + [4] * 5
_SERVQUAL_GAPS = {
    "HH01": (-0.2, -0.5, -1.3, -0.3, -0.4),   # busy city shop: short-staffed at peaks
    "HH02": (0.2, -1.0, -0.4, -0.2, -0.5),    # big shop: stock not where the website says
    "HH03": (-0.6, -0.3, -0.2, 0.1, 0.3),     # small old building; friendly team
    "HH04": (-1.1, -0.6, -0.7, -0.9, -0.6),   # outlet: tired fittings, new staff
    "HHWEB": (-0.3, -0.7, -1.2, -0.4, -0.8),  # slow email replies
}
_FIRST_NAMES = ["Aisha", "Ben", "Chloe", "Dan", "Ella", "Faisal", "Grace", "Harry", "Imogen", "Jack",
                "Kerry", "Liam", "Maya", "Nathan", "Olivia", "Priya", "Quinn", "Ryan", "Sophie", "Tom",
                "Uma", "Vikram", "Wendy", "Yusuf", "Zara", "Owen", "Niamh", "Callum", "Megan", "Rhys",
                "Hollie", "Kieran", "Leah", "Marcus", "Freya", "Jamal", "Beth", "Connor"]

TABLES = ("stores", "promotions", "service_standards", "staff", "rota", "customers", "footfall",
          "transactions", "stock", "till_queue", "surveys", "servqual", "complaints", "mystery_shop")

# ----------------------------------------------------------------------------------------------------
# Column types: what load() checks and converts, and what write() formats.
# ----------------------------------------------------------------------------------------------------
_SCHEMA: dict[str, dict[str, str]] = {
    "stores": {"store_id": "category", "name": "str", "town": "str", "format": "category",
               "region": "category", "area_sqft": "int", "area_m2": "float", "opens": "str",
               "closes": "str", "sunday_opens": "str", "sunday_closes": "str", "tills": "int"},
    "promotions": {"promo_id": "str", "name": "str", "start_date": "date", "end_date": "date",
                   "store_id": "str", "category": "str", "discount": "float"},
    "service_standards": {"standard_id": "str", "area": "str", "standard": "str", "metric": "str",
                          "comparison": "str", "threshold": "float", "unit": "str",
                          "target_share": "float", "measured_in": "str", "owner": "str"},
    "staff": {"staff_id": "str", "first_name": "str", "store_id": "category", "role": "category",
              "contracted_hours": "float", "start_date": "date"},
    "rota": {"staff_id": "str", "store_id": "category", "week": "int", "week_start": "date",
             "rostered_hours": "float", "worked_hours": "float", "absence_hours": "float"},
    "customers": {"customer_id": "str", "join_date": "date", "left_date": "date",
                  "home_store_id": "category", "segment": "category", "age_band": "category",
                  "email_opt_in": "bool"},
    "footfall": {"store_id": "category", "date": "date", "week": "int", "hour": "int",
                 "footfall": "int"},
    "transactions": {"transaction_id": "str", "line_no": "int", "type": "category",
                     "datetime": "datetime", "week": "int", "store_id": "category", "till": "Int64",
                     "staff_id": "str", "customer_id": "str", "category": "category", "units": "int",
                     "sales_inc_vat": "float", "sales_ex_vat": "float", "discount_inc_vat": "float",
                     "cost": "float", "promo_id": "str"},
    "stock": {"store_id": "category", "category": "category", "week": "int", "week_start": "date",
              "opening_units": "int", "opening_cost": "float", "received_units": "int",
              "received_cost": "float", "sold_units": "int", "cost_of_sales": "float",
              "sales_ex_vat": "float", "markdown_inc_vat": "float", "closing_book_units": "int",
              "closing_book_cost": "float", "counted_units": "Int64", "counted_cost": "float"},
    "till_queue": {"store_id": "category", "date": "date", "week": "int", "interval_start": "str",
                   "arrivals": "int", "mean_service_seconds": "float", "tills_open": "int"},
    "surveys": {"response_id": "str", "transaction_id": "str", "customer_id": "str",
                "store_id": "category", "visit_date": "date", "response_date": "date", "nps": "Int64",
                "csat": "Int64", "effort": "Int64", "comment": "str"},
    "servqual": {"response_id": "str", "customer_id": "str", "store_id": "category", "date": "date",
                 **{f"E_Q{i}": "int" for i in range(1, 23)}, **{f"P_Q{i}": "int" for i in range(1, 23)},
                 **{f"w_{d}": "int" for d in _DIMENSIONS}},
    "complaints": {"complaint_id": "str", "store_id": "category", "customer_id": "str",
                   "transaction_id": "str", "channel": "category", "category": "category",
                   "opened_at": "datetime", "acknowledged_at": "datetime", "closed_at": "datetime",
                   "first_contact_resolution": "bool", "outcome": "category", "compensation_gbp": "float",
                   "handled_by": "str"},
    "mystery_shop": {"visit_id": "str", "store_id": "category", "visit_date": "date",
                     "visit_time": "str", "standard_id": "str", "observed": "float", "comment": "str"},
}


# ----------------------------------------------------------------------------------------------------
# Generation
# ----------------------------------------------------------------------------------------------------
def _season(day: np.ndarray) -> np.ndarray:
    """Relative trade by day of the year (0 = 6 Jan 2025): a Christmas peak, January sale, summer lift."""
    d = day.astype(float)
    christmas = 1.6 * np.exp(-0.5 * ((d - 345) / 11.0) ** 2)
    january = 0.35 * np.exp(-0.5 * (d / 9.0) ** 2)
    summer = 0.15 * np.exp(-0.5 * ((d - 210) / 25.0) ** 2)
    spring_dip = -0.12 * np.exp(-0.5 * ((d - 40) / 14.0) ** 2)
    return 1.0 + christmas + january + summer + spring_dip


def _hours(store: tuple, date: pd.Timestamp) -> tuple[int, int]:
    """Opening and closing hour for a store on a date (closing hour is exclusive); (0, 0) if closed."""
    day = date.strftime("%Y-%m-%d")
    large = store[5] > SUNDAY_LARGE_SHOP_SQFT
    if store[3] != "online" and (day in _CLOSED_ALL or (large and day in _CLOSED_LARGE)):
        return (0, 0)
    return store[7] if date.dayofweek == 6 else store[6]


def _stores_table() -> pd.DataFrame:
    rows = []
    for s in _STORES:
        rows.append({"store_id": s[0], "name": s[1], "town": s[2], "format": s[3], "region": s[4],
                     "area_sqft": s[5], "area_m2": round(s[5] / SQ_FT_PER_M2, 1),
                     "opens": f"{s[6][0]:02d}:00", "closes": f"{s[6][1] % 24:02d}:00",
                     "sunday_opens": f"{s[7][0]:02d}:00", "sunday_closes": f"{s[7][1] % 24:02d}:00",
                     "tills": s[8]})
    return pd.DataFrame(rows)


def _staff_tables(rng, weeks: int, scale: float):
    rows = []
    n = 0
    for s in _STORES:
        managers, supervisors, assistants = s[11]
        roles = [(name, 37.5) for name in managers] + [("Supervisor", 30.0)] * supervisors
        assistants = max(1, round(assistants * max(1.0, scale) ** 0.5))  # bigger teams for big volumes
        role = "Customer service advisor" if s[3] == "online" else "Sales assistant"
        roles += [(role, float(rng.choice([16.0, 20.0, 24.0, 30.0]))) for _ in range(assistants)]
        for name, hours in roles:
            n += 1
            years = rng.uniform(0.1, 9.0) if name != "Sales assistant" else rng.uniform(0.05, 4.0)
            rows.append({"staff_id": f"ST{n:03d}", "first_name": _FIRST_NAMES[(n - 1) % len(_FIRST_NAMES)],
                         "store_id": s[0], "role": name, "contracted_hours": hours,
                         "start_date": (START - pd.Timedelta(days=int(years * 365))).normalize()})
    staff = pd.DataFrame(rows)
    # Rota: contracted hours, overtime in December, absence (sickness, holiday) at random.
    w = np.arange(1, weeks + 1)
    k = len(staff)
    base = np.repeat(staff["contracted_hours"].to_numpy(), weeks).reshape(k, weeks)
    december = ((w >= 47) & (w <= 51)).astype(float)
    rostered = np.round(base * (1 + 0.15 * december) * 2) / 2
    holiday = rng.random((k, weeks)) < 0.09
    sick = rng.random((k, weeks)) < 0.035
    absence = np.where(holiday, rostered, 0.0)
    absence = np.where(~holiday & sick, np.round(rostered * rng.uniform(0.2, 1.0, (k, weeks)) * 2) / 2,
                       absence)
    for store in staff["store_id"].unique():  # a shop is never left with no one: the manager comes in
        team = np.flatnonzero(staff["store_id"].to_numpy() == store)
        empty = (rostered[team] - absence[team]).sum(axis=0) == 0
        absence[team[0], empty] = 0.0
    rota = pd.DataFrame({
        "staff_id": np.repeat(staff["staff_id"].to_numpy(), weeks),
        "store_id": np.repeat(staff["store_id"].to_numpy(), weeks),
        "week": np.tile(w, k),
        "week_start": np.tile(START + pd.to_timedelta((w - 1) * 7, unit="D"), k),
        "rostered_hours": rostered.ravel(),
        "worked_hours": (rostered - absence).ravel(),
        "absence_hours": absence.ravel(),
    })
    return staff, rota


def _customers_table(rng, scale: float, days: int) -> pd.DataFrame:
    n = max(50, int(round(6_000 * scale)))
    # Members joined over six years, faster lately; some left (closed their account or opted out).
    since = (START - pd.Timestamp("2019-03-01")).days + days
    joined_day = np.floor(since * rng.random(n) ** 0.7).astype(int)
    join = pd.Timestamp("2019-03-01") + pd.to_timedelta(joined_day, unit="D")
    stay = rng.exponential(6.5 * 365, n).astype(int)
    left = join + pd.to_timedelta(stay, unit="D")
    left = left.where(left < START + pd.Timedelta(days=days))
    keep = ~(left < START)  # members who left before the year are not in the CRM export
    # ... but a few of them are, to make the retention calculation honest: keep 200 * scale of them.
    lapsed_before = np.flatnonzero(~keep)
    keep[rng.choice(lapsed_before, size=min(len(lapsed_before), int(200 * scale)), replace=False)] = True
    home_p = np.array([0.24, 0.30, 0.16, 0.12, 0.18])
    table = pd.DataFrame({
        "join_date": join[keep].normalize(),
        "left_date": left[keep].normalize(),
        "home_store_id": np.array([s[0] for s in _STORES])[rng.choice(5, keep.sum(), p=home_p)],
        "segment": rng.choice(["Gift buyer", "Home improver", "Deal seeker", "Occasional"], keep.sum(),
                              p=[0.3, 0.25, 0.2, 0.25]),
        "age_band": rng.choice(["18-24", "25-34", "35-44", "45-54", "55-64", "65+"], keep.sum(),
                               p=[0.06, 0.17, 0.22, 0.22, 0.18, 0.15]),
        "email_opt_in": rng.random(keep.sum()) < 0.62,
    }).sort_values(["join_date"], kind="stable").reset_index(drop=True)
    table.insert(0, "customer_id", [f"C{i:06d}" for i in range(1, len(table) + 1)])
    return table


def _promo_lookup(stores: list[str], days: int):
    """discount[store, category, day] (fraction) and promo index (+1; 0 = none)."""
    discount = np.zeros((len(stores), len(CATEGORIES), days))
    promo = np.zeros((len(stores), len(CATEGORIES), days), dtype=int)
    for i, p in enumerate(_PROMOTIONS):
        a = (pd.Timestamp(p[2]) - START).days
        b = (pd.Timestamp(p[3]) - START).days + 1
        si = [stores.index(p[4])] if p[4] != "all" else list(range(len(stores)))
        ci = [CATEGORIES.index(p[5])] if p[5] != "all" else list(range(len(CATEGORIES)))
        for s in si:
            for c in ci:
                discount[s, c, max(a, 0):min(b, days)] = p[6]
                promo[s, c, max(a, 0):min(b, days)] = i + 1
    return discount, promo


def _footfall_and_baskets(rng, weeks: int, scale: float):
    """Footfall per store, day and hour, and the baskets (sales) that visitors made.

    Visitors arrive by a day-of-week, hour-of-day and seasonal pattern; each converts with the store's
    rate (higher on promotion days), so sales can never exceed footfall in any store-hour.
    """
    days = weeks * 7
    dates = START + pd.to_timedelta(np.arange(days), unit="D")
    dow = dates.day_of_week.to_numpy()
    text = dates.strftime("%Y-%m-%d")
    holiday = text.isin(_BANK_HOLIDAYS)
    shut_all, shut_large = text.isin(_CLOSED_ALL), text.isin(_CLOSED_LARGE)
    weekday = np.array([0.80, 0.80, 0.85, 0.92, 1.05, 1.45, 0.95])
    season = _season(np.arange(days))
    hour = np.arange(24)
    parts = []
    for si, s in enumerate(_STORES):
        online = s[3] == "online"
        daily = s[9] * scale * season * (1.0 if online else weekday[dow])
        daily = daily * np.where(holiday, 1.25, 1.0) * rng.lognormal(0, 0.12, days)
        opens = np.where(dow == 6, s[7][0], s[6][0])
        closes = np.where(dow == 6, s[7][1], s[6][1])
        if not online:
            closes = np.where(shut_all | (shut_large & (s[5] > SUNDAY_LARGE_SHOP_SQFT)), opens, closes)
        is_open = (hour >= opens[:, None]) & (hour < closes[:, None])
        peak = 20.5 if online else (14.0 if s[3] in ("retail park", "outlet") else 13.0)
        width = 4.0 if online else 2.6
        shape = (np.exp(-0.5 * ((hour + 0.5 - peak) / width) ** 2) + (0.15 if online else 0.05)) * is_open
        total = np.maximum(shape.sum(axis=1, keepdims=True), 1e-12)
        length = (closes - opens) / (24.0 if online else 11.0)
        expected = daily[:, None] * length[:, None] * shape / total
        d, h = np.nonzero(is_open)
        parts.append(np.column_stack([np.full(len(d), si), d, h, expected[d, h]]))
    cell = np.concatenate(parts)
    store_i, day_i, hour_i = (cell[:, k].astype(np.int64) for k in range(3))
    footfall = rng.poisson(cell[:, 3])
    discount, promo = _promo_lookup([s[0] for s in _STORES], days)
    on_offer = discount[store_i, :, day_i].max(axis=1) > 0
    conversion = np.array([s[10] for s in _STORES])[store_i] * np.where(on_offer, 1.12, 1.0)
    conversion = np.minimum(conversion * rng.normal(1, 0.05, len(cell)), 0.95)
    sales = rng.binomial(footfall, conversion)
    b_cell = np.repeat(np.arange(len(cell)), sales)
    second = rng.integers(0, 3600, len(b_cell))
    # Time order across the chain, so transaction ids run in the order the sales happened.
    when = (day_i[b_cell] * 24 + hour_i[b_cell]) * 3600 + second
    order = np.argsort(when * 8 + store_i[b_cell], kind="stable")
    cells = {"store": store_i, "day": day_i, "hour": hour_i, "footfall": footfall}
    baskets = {"store": store_i[b_cell][order], "day": day_i[b_cell][order], "second": when[order]}
    return cells, baskets, discount, promo


def _ids(prefix: str, numbers: np.ndarray, width: int) -> np.ndarray:
    return np.array([f"{prefix}{i:0{width}d}" for i in numbers.tolist()], dtype=object)


def _codes(values: np.ndarray, labels) -> pd.Categorical:
    return pd.Categorical.from_codes(values, categories=list(labels))


def generate(seed: int = CANONICAL_SEED, scale: float = 1.0, weeks: int = 52) -> dict[str, pd.DataFrame]:
    """Make every table of the case study from one seed.

    Parameters
    ----------
    seed : int
        The same seed always gives the same tables. The canonical files in ``datasets/`` use
        ``CANONICAL_SEED``; a learner's variant uses its own seed.
    scale : float, default 1.0
        Trade volume: 1.0 gives about 175,000 transaction lines in a year (the canonical size);
        0.1 a small set for fast tests; 57 about ten million lines for benchmarks.
    weeks : int, default 52
        Trading weeks from Monday 6 January 2025 (at most 52).

    Returns
    -------
    dict of DataFrames
        Keyed by the names in ``TABLES``. The tables agree with each other: the transactions add up to
        the stock table's units sold, footfall is never below the sales in a store-hour, till arrivals
        are the in-store sales in each half hour, and survey respondents are customers who visited.
    """
    seed = int(number(seed, "seed", whole=True))
    scale = float(number(scale, "scale", positive=True))
    weeks = int(number(weeks, "weeks", positive=True, maximum=52, whole=True))
    rng = np.random.default_rng(seed)
    days = weeks * 7
    store_ids = [s[0] for s in _STORES]
    online_i = store_ids.index("HHWEB")
    n_cat = len(CATEGORIES)

    staff, rota = _staff_tables(rng, weeks, scale)
    customers = _customers_table(rng, scale, days)
    cells, b, discount, promo = _footfall_and_baskets(rng, weeks, scale)
    nb = len(b["store"])
    store_b, day_b, week_b = b["store"], b["day"], b["day"] // 7 + 1

    # Till and staff member for each in-store basket: staff on the rota that week, by hours worked.
    till = np.zeros(nb, dtype=np.int64)
    staff_b = np.full(nb, -1)
    skill = np.r_[rng.normal(1.0, 0.12, len(staff)), 1.0]  # link-selling; index -1 = no staff (online)
    service = np.r_[rng.normal(0.0, 0.8, len(staff)), 0.0]  # how customers rate them
    worked = rota["worked_hours"].to_numpy().reshape(len(staff), weeks)
    till_weight = staff["role"].map({"Store manager": 0.3, "Assistant manager": 0.5,
                                     "Supervisor": 0.8}).fillna(1.0).to_numpy()
    staff_store = staff["store_id"].map({s: i for i, s in enumerate(store_ids)}).to_numpy()
    group = store_b * 1000 + week_b
    order = np.argsort(group, kind="stable")
    for idx in np.split(order, np.flatnonzero(np.diff(group[order])) + 1):
        si, wk = store_b[idx[0]], week_b[idx[0]]
        if si == online_i or len(idx) == 0:
            continue
        team = np.flatnonzero(staff_store == si)
        wt = worked[team, wk - 1] * till_weight[team]
        wt = wt if wt.sum() > 0 else np.ones(len(team))
        staff_b[idx] = rng.choice(team, size=len(idx), p=wt / wt.sum())
        tills = np.arange(_STORES[si][8], 0, -1)
        till[idx] = rng.choice(np.arange(1, len(tills) + 1), size=len(idx), p=tills / tills.sum())
    link = np.array([s[12] for s in _STORES])[store_b]
    units_b = 1 + rng.poisson(np.maximum(link * skill[staff_b] - 1, 0.05))

    # Loyalty members: 40 % of shop baskets, 75 % of online orders; a member shops mostly at home.
    cust_b = np.full(nb, -1)
    member = rng.random(nb) < np.where(store_b == online_i, 0.75, 0.40)
    join = (customers["join_date"] - START).dt.days.to_numpy()
    leave = (customers["left_date"] - START).dt.days.fillna(10**6).to_numpy()
    rate = rng.gamma(1.1, 1.0, len(customers)) * np.where(customers["segment"] == "Occasional", 0.4, 1.0)
    home = customers["home_store_id"].map({s: i for i, s in enumerate(store_ids)}).to_numpy()
    for si in range(len(store_ids)):
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

    # Lines: each unit falls in a category (seasonal mix); one line per basket and category.
    share = np.array([c[3] for c in _CATEGORIES])
    lift = np.array([c[4] for c in _CATEGORIES])
    peak = np.maximum(_season(np.arange(days)) - 1.0, 0.0) / 1.6
    mix = share * (1 + (lift - 1) * peak[:, None])
    mix[:21, CATEGORIES.index("Christmas & seasonal")] *= 2.5  # January sale clearance
    cum = np.cumsum(mix / mix.sum(axis=1, keepdims=True), axis=1)
    cum[:, -1] = 1.0
    unit_basket = np.repeat(np.arange(nb), units_b)
    unit_day = day_b[unit_basket]
    # Row d of cum, shifted by d, makes one sorted array: one searchsorted picks every unit's category.
    flat = (cum + np.arange(days)[:, None]).ravel()
    pos = np.searchsorted(flat, unit_day + rng.random(len(unit_basket)), side="right")
    unit_cat = np.minimum(pos - unit_day * n_cat, n_cat - 1)
    key, l_units = np.unique(unit_basket * 8 + unit_cat, return_counts=True)
    l_basket, l_cat = key // 8, key % 8
    first = np.r_[True, l_basket[1:] != l_basket[:-1]]
    start = np.maximum.accumulate(np.where(first, np.arange(len(key)), 0))
    l_no = np.arange(len(key)) - start + 1

    price = np.array([c[1] for c in _CATEGORIES])
    margin = np.array([c[2] for c in _CATEGORIES])
    outlet = np.array([s[3] == "outlet" for s in _STORES])
    l_store, l_day = store_b[l_basket], day_b[l_basket]
    full = np.round(l_units * price[l_cat] * rng.lognormal(0, 0.30, len(key))
                    * np.where(outlet[l_store], 0.7, 1.0), 2)
    disc = np.round(full * discount[l_store, l_cat, l_day], 2)
    inc = np.round(full - disc, 2)
    ex = np.round(inc / (1 + VAT_RATE), 2)
    cost = np.round(full / (1 + VAT_RATE) * (1 - margin[l_cat]) * np.where(outlet[l_store], 1.25, 1.0)
                    * rng.normal(1, 0.03, len(key)), 2)
    l_promo = promo[l_store, l_cat, l_day]
    l_time = b["second"][l_basket]
    l_kind = np.zeros(len(key), dtype=np.int64)  # 0 sale, 1 refund
    basket_ids = _ids("T", np.arange(1, nb + 1), 7)

    # A few refunds (returned goods, put back into stock): the whole line, within 30 days, same store.
    shop_lines = np.flatnonzero(l_store != online_i)
    src = np.sort(rng.choice(shop_lines, size=min(len(shop_lines), max(1, round(6 * scale))),
                             replace=False))
    r_time = l_time[src] + rng.integers(1, 30, len(src)) * 86400
    src, r_time = src[r_time < days * 86400], r_time[r_time < days * 86400]
    n_r = len(src)

    def both(line_values, refund_values):
        return np.concatenate([line_values, refund_values])

    # A refund is taken by whoever of the shop's team (most senior first) is working that week.
    r_week = r_time // (7 * 86400)
    pairs = zip(l_store[src].tolist(), r_week.tolist(), strict=True)
    r_staff = np.array([next(m for m in np.flatnonzero(staff_store == si) if worked[m, wk] > 0)
                        for si, wk in pairs], dtype=np.int64)
    t_time = both(l_time, r_time)
    t_store, t_cat = both(l_store, l_store[src]), both(l_cat, l_cat[src])
    t_units, t_inc, t_ex, t_cost = both(l_units, -l_units[src]), both(inc, -inc[src]), both(ex, -ex[src]), \
        both(cost, -cost[src])
    t_disc = both(disc, np.zeros(n_r))
    t_week = t_time // (7 * 86400) + 1
    ordering = np.argsort(t_time, kind="stable")
    staff_ids = np.append(staff["staff_id"].to_numpy(dtype=object), "")
    cust_ids = np.append(customers["customer_id"].to_numpy(dtype=object), "")
    promo_ids = np.array([""] + [p[0] for p in _PROMOTIONS], dtype=object)
    till_l = both(till[l_basket], till[l_basket][src]).astype(float)
    transactions = pd.DataFrame({
        "transaction_id": both(basket_ids[l_basket], _ids("R", np.arange(1, n_r + 1), 6)),
        "line_no": both(l_no, np.ones(n_r, dtype=np.int64)),
        "type": _codes(both(l_kind, np.ones(n_r, dtype=np.int64)), ["sale", "refund"]),
        "datetime": START + pd.to_timedelta(t_time, unit="s"),
        "week": t_week,
        "store_id": _codes(t_store, store_ids),
        "till": pd.array(np.where(till_l > 0, till_l, np.nan), dtype="Int64"),
        "staff_id": staff_ids[both(staff_b[l_basket], r_staff)],
        "customer_id": cust_ids[both(cust_b[l_basket], cust_b[l_basket][src])],
        "category": _codes(t_cat, CATEGORIES),
        "units": t_units, "sales_inc_vat": t_inc, "sales_ex_vat": t_ex, "discount_inc_vat": t_disc,
        "cost": t_cost, "promo_id": promo_ids[both(l_promo, np.zeros(n_r, dtype=np.int64))],
    }).iloc[ordering].reset_index(drop=True)

    footfall = pd.DataFrame({
        "store_id": _codes(cells["store"], store_ids),
        "date": START + pd.to_timedelta(cells["day"], unit="D"),
        "week": cells["day"] // 7 + 1, "hour": cells["hour"], "footfall": cells["footfall"],
    })
    stock_sums = [np.bincount((t_store * n_cat + t_cat) * weeks + t_week - 1, weights=v,
                              minlength=len(store_ids) * n_cat * weeks)
                  for v in (t_units, t_cost, t_ex, t_disc)]
    basket_value = np.bincount(l_basket, weights=inc, minlength=nb)
    sale = {"store": store_b, "day": day_b, "second": b["second"], "staff": staff_b, "customer": cust_b,
            "units": units_b, "value": basket_value, "till": till}
    tables = {
        "stores": _stores_table(),
        "promotions": pd.DataFrame(_PROMOTIONS, columns=list(_SCHEMA["promotions"])),
        "service_standards": pd.DataFrame(_STANDARDS, columns=list(_SCHEMA["service_standards"])),
        "staff": staff, "rota": rota, "customers": customers, "footfall": footfall,
        "transactions": transactions,
        "stock": _stock_table(rng, stock_sums, weeks),
        "till_queue": _till_queue(rng, sale, online_i, days),
        "surveys": _surveys(rng, sale, staff, service, customers, basket_ids),
        "servqual": _servqual(rng, sale, customers, scale),
        "complaints": _complaints(rng, sale, staff, customers, days),
        "mystery_shop": _mystery_shop(rng, weeks),
    }
    return {name: _typed(name, tables[name]) for name in TABLES}


def _stock_table(rng, sums, weeks: int) -> pd.DataFrame:
    """Weekly stock by store and category, consistent with the transactions.

    Receipts top stock up to about twelve weeks of cover; losses (theft, damage, errors) come off the real
    stock but not the book stock until the quarterly stocktake (weeks 13, 26, 39, 52) finds them, when the
    book is corrected to the count. Units sold are net of refunds (returned goods go back into stock).
    """
    n_series = len(_STORES) * len(CATEGORIES)
    units, cogs, sales, markdown = (s.reshape(n_series, weeks) for s in sums)
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
    out = pd.DataFrame({
        "store_id": _codes(series // len(CATEGORIES), [s[0] for s in _STORES]),
        "category": _codes(series % len(CATEGORIES), CATEGORIES),
        "week": week, "week_start": START + pd.to_timedelta((week - 1) * 7, unit="D"),
        "opening_units": opening.ravel(), "opening_cost": np.round(opening.ravel() * uc, 2),
        "received_units": received.ravel(), "received_cost": np.round(received.ravel() * uc, 2),
        "sold_units": units.ravel(), "cost_of_sales": np.round(cogs.ravel(), 2),
        "sales_ex_vat": np.round(sales.ravel(), 2), "markdown_inc_vat": np.round(markdown.ravel(), 2),
        "closing_book_units": closing.ravel(), "closing_book_cost": np.round(closing.ravel() * uc, 2),
        "counted_units": pd.array(np.where(count >= 0, count, np.nan), dtype="Int64"),
        "counted_cost": np.where(count >= 0, np.round(count * uc, 2), np.nan),
    })
    return out


def _till_queue(rng, sale, online_i, days) -> pd.DataFrame:
    """Arrivals at the tills per half hour (the in-store sales), service times and tills open."""
    shop = sale["store"] != online_i
    slot = sale["second"][shop] // 1800
    key = sale["store"][shop] * (days * 48) + slot
    keys, arrivals = np.unique(key, return_counts=True)
    where = np.searchsorted(keys, key)
    mean_units = np.bincount(where, weights=sale["units"][shop], minlength=len(keys)) / arrivals
    store = keys // (days * 48)
    slot = keys % (days * 48)
    service = np.round(40 + 18 * mean_units * rng.normal(1, 0.1, len(keys)), 1)
    tills = np.array([s[8] for s in _STORES])[store]
    planned = np.clip(np.ceil(arrivals * service / 1800 + 0.4), 1, tills)
    lunch = np.isin((slot % 48) // 2, [12, 13])
    short = rng.random(len(keys)) < np.where(lunch, 0.25, 0.05)  # staff on breaks at lunch
    labels = np.array([f"{m // 2:02d}:{m % 2 * 30:02d}" for m in range(48)], dtype=object)
    return pd.DataFrame({
        "store_id": _codes(store, [s[0] for s in _STORES]),
        "date": START + pd.to_timedelta(slot // 48, unit="D"),
        "week": slot // 48 // 7 + 1,
        "interval_start": labels[slot % 48],
        "arrivals": arrivals,
        "mean_service_seconds": service,
        "tills_open": np.maximum(planned - short, 1).astype(np.int64),
    })


_COMMENTS = {
    "good": ["Lovely shop and really helpful staff.", "{name} helped me find the perfect present.",
             "Quick and friendly at the till.", "Great choice of candles, will be back.",
             "Staff went out of their way to help."],
    "mixed": ["Nice things but a bit pricey.", "Had to wait a while to pay.",
              "Couldn't find the cushion cover I wanted.", "OK visit, nothing special.",
              "Shop was a bit untidy."],
    "poor": ["Queue at the till was far too long.", "No one offered to help me.",
             "Item on the website was not in stock in store.", "Staff member was chatting and ignored me.",
             "Returned a faulty mug and was told to contact the maker."],
}


def _surveys(rng, sale, staff, service, customers, basket_ids) -> pd.DataFrame:
    """Post-visit survey: about 4 % of loyalty members answer after a visit."""
    pick = np.flatnonzero(sale["customer"] >= 0)
    pick = pick[rng.random(len(pick)) < 0.04]
    n = len(pick)
    store = sale["store"][pick]
    gaps = np.array([np.mean(g) for g in _SERVQUAL_GAPS.values()])[store]
    december = (START + pd.to_timedelta(sale["day"][pick], unit="D")).month.to_numpy() == 12
    latent = 9.1 + 2.0 * gaps + 0.4 * service[sale["staff"][pick]] - 0.5 * december + rng.normal(0, 1.4, n)
    nps = np.clip(np.round(latent), 0, 10).astype(int)
    csat = np.clip(np.round(1 + (latent + rng.normal(0, 0.9, n)) / 2.4), 1, 5)
    effort = np.clip(np.round(1 + (latent + rng.normal(0, 1.2, n)) / 1.6), 1, 7)
    band = np.where(nps >= 9, "good", np.where(nps >= 7, "mixed", "poor"))
    choice = rng.integers(0, 5, n)
    has_comment = rng.random(n) < 0.4
    names = np.append(staff["first_name"].to_numpy(dtype=object), "The team")
    comment = np.array([_COMMENTS[bd][c].format(name=names[s]) if keep else ""
                        for bd, c, s, keep in zip(band, choice, sale["staff"][pick], has_comment,
                                                  strict=True)], dtype=object)
    visit = START + pd.to_timedelta(sale["day"][pick], unit="D")
    out = pd.DataFrame({
        "response_id": _ids("V", np.arange(1, n + 1), 5),
        "transaction_id": basket_ids[pick],
        "customer_id": customers["customer_id"].to_numpy()[sale["customer"][pick]],
        "store_id": _codes(store, [s[0] for s in _STORES]),
        "visit_date": visit,
        "response_date": visit + pd.to_timedelta(rng.integers(0, 4, n), unit="D"),
        "nps": nps,
        "csat": np.where(rng.random(n) < 0.03, np.nan, csat),  # a few questions left blank
        "effort": np.where(rng.random(n) < 0.06, np.nan, effort),
        "comment": comment,
    })
    return out


def _servqual(rng, sale, customers, scale) -> pd.DataFrame:
    """SERVQUAL survey: members who visited each store rate expectations and perceptions (1-7)."""
    per_store = max(10, int(round(30 * min(scale, 4))))
    frames = []
    for si, gaps in enumerate(_SERVQUAL_GAPS.values()):
        visits = np.flatnonzero((sale["store"] == si) & (sale["customer"] >= 0))
        _, first = np.unique(sale["customer"][visits], return_index=True)
        chosen = visits[np.sort(rng.choice(first, size=min(per_store, len(first)), replace=False))]
        n = len(chosen)
        e = np.clip(np.round(rng.normal(6.1, 0.7, (n, 22))), 1, 7)
        gap = np.array([gaps[d] for d in _DIMENSION_OF_ITEM])
        p = np.clip(np.round(e + gap + rng.normal(0, 0.8, (n, 22))), 1, 7)
        w = rng.dirichlet(np.array([11, 32, 22, 19, 16]) * 1.5, size=n) * 100
        wi = np.floor(w).astype(int)
        wi[np.arange(n), np.argmax(w - wi, axis=1)] += 100 - wi.sum(axis=1)
        frame = pd.DataFrame(np.hstack([e, p, wi]).astype(int),
                             columns=[*[f"E_Q{i}" for i in range(1, 23)], *[f"P_Q{i}" for i in range(1, 23)],
                                      *[f"w_{d}" for d in _DIMENSIONS]])
        later = sale["day"][chosen] + rng.integers(1, 8, n)
        frame.insert(0, "date", START + pd.to_timedelta(later, unit="D"))
        frame.insert(0, "store_id", [_STORES[si][0]] * n)
        frame.insert(0, "customer_id", customers["customer_id"].to_numpy()[sale["customer"][chosen]])
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True)
    out.insert(0, "response_id", _ids("SQ", np.arange(1, len(out) + 1), 4))
    return out


_COMPLAINT_TYPES = [  # category, share, where it happens, usual outcomes
    ("Stock availability", 0.22, "both", ["Apology", "Item ordered in", "Voucher"]),
    ("Queue or wait", 0.16, "shop", ["Apology", "Voucher"]),
    ("Product fault", 0.15, "both", ["Refund", "Replacement", "Repair"]),
    ("Delivery", 0.14, "online", ["Refund of delivery charge", "Replacement", "Refund"]),
    ("Staff attitude", 0.09, "shop", ["Apology", "Voucher"]),
    ("Refunds and returns", 0.09, "both", ["Refund", "Explanation given"]),
    ("Pricing", 0.07, "both", ["Price matched", "Explanation given"]),
    ("Website", 0.05, "online", ["Apology", "Explanation given"]),
    ("Cleanliness", 0.03, "shop", ["Apology"]),
]


def _complaints(rng, sale, staff, customers, days) -> pd.DataFrame:
    """Complaints/CRM log: about 3 in every 1,000 sales, more in December and January and at the outlet."""
    month = (START + pd.to_timedelta(sale["day"], unit="D")).month.to_numpy()
    online_i = len(_STORES) - 1
    p = 0.003 * np.where(np.isin(month, [12, 1]), 1.6, 1.0) * np.where(sale["store"] == 3, 1.5, 1.0)
    src = np.flatnonzero(rng.random(len(month)) < p)
    n = len(src)
    online = sale["store"][src] == online_i
    category = np.empty(n, dtype=object)
    outcome = np.empty(n, dtype=object)
    for is_online in (False, True):
        rows = np.flatnonzero(online == is_online)
        allowed = [c for c in _COMPLAINT_TYPES if c[2] in ("both", "online" if is_online else "shop")]
        w = np.array([c[1] for c in allowed])
        pick = rng.choice(len(allowed), size=len(rows), p=w / w.sum())
        category[rows] = np.array([c[0] for c in allowed], dtype=object)[pick]
        for k, c in enumerate(allowed):
            these = rows[pick == k]
            outcome[these] = np.array(c[3], dtype=object)[rng.integers(0, len(c[3]), len(these))]
    channel = np.where(online, rng.choice(["Email", "Web form", "Phone", "Social media"], n,
                                          p=[0.5, 0.25, 0.15, 0.10]),
                       rng.choice(["In store", "Email", "Phone", "Social media"], n, p=[0.6, 0.2, 0.1, 0.1]))
    in_store = channel == "In store"
    opened = sale["second"][src] + np.where(in_store, rng.integers(60, 600, n), rng.integers(600, 172800, n))
    busy = np.isin(month[src], [12, 1])
    fcr = np.where(in_store, rng.random(n) < 0.75, rng.random(n) < 0.3)
    ack = np.where(in_store, 0, np.round(rng.lognormal(np.log(7), 0.9, n) * np.where(busy, 1.8, 1) * 3600))
    acknowledged = opened + ack
    resolve = np.where(fcr, rng.integers(120, 1800, n),
                       np.round(rng.lognormal(np.log(2.2), 0.8, n) * np.where(busy, 1.5, 1.0) * 86400))
    closed = acknowledged + resolve
    value = sale["value"][src]
    comp = np.where(outcome == "Voucher", rng.choice([5.0, 10.0, 15.0], n), 0.0)
    comp = np.where(outcome == "Refund", value, np.where(outcome == "Refund of delivery charge", 3.95, comp))
    team = staff.groupby("store_id", sort=False)["staff_id"].apply(lambda s: list(s)[:3]).to_dict()
    handled = [team[_STORES[si][0]][k % len(team[_STORES[si][0]])]
               for si, k in zip(sale["store"][src].tolist(), rng.integers(0, 3, n).tolist(), strict=True)]

    def stamp(seconds):
        return START + pd.to_timedelta(seconds // 60 * 60, unit="s")

    out = pd.DataFrame({
        "store_id": _codes(sale["store"][src], [s[0] for s in _STORES]),
        "customer_id": np.append(customers["customer_id"].to_numpy(dtype=object), "")[sale["customer"][src]],
        "transaction_id": np.where(rng.random(n) < 0.8, _ids("T", src + 1, 7), ""),
        "channel": channel, "category": category,
        "opened_at": stamp(opened), "acknowledged_at": stamp(acknowledged),
        "closed_at": stamp(closed).where(closed < days * 86400),  # still open at the year end
        "first_contact_resolution": fcr, "outcome": outcome, "compensation_gbp": np.round(comp, 2),
        "handled_by": handled,
    })
    out = out.sort_values("opened_at", kind="stable").reset_index(drop=True)
    if len(out):  # one complaint logged twice by mistake
        dup = int(rng.integers(len(out)))
        out = pd.concat([out.iloc[: dup + 1], out.iloc[dup: dup + 1], out.iloc[dup + 1:]], ignore_index=True)
    out.insert(0, "complaint_id", _ids("CP", np.arange(1, len(out) + 1), 4))
    return out


_MYSTERY_QUALITY = {"HH01": 0.55, "HH02": 0.7, "HH03": 0.85, "HH04": 0.4}  # 0 poor .. 1 good


def _mystery_shop(rng, weeks) -> pd.DataFrame:
    """A mystery shopper visits each shop once a month and records each service standard."""
    rows = []
    visit = 0
    end = START + pd.Timedelta(weeks=weeks)
    for month_start in pd.date_range(START.replace(day=1), end, freq="MS"):
        for store, q in _MYSTERY_QUALITY.items():
            day = month_start + pd.Timedelta(days=int(rng.integers(0, 25)))
            if day < START or day >= end or day.strftime("%Y-%m-%d") in _CLOSED_ALL:
                continue
            visit += 1
            at = f"{int(rng.integers(10, 16)):02d}:{int(rng.integers(0, 60)):02d}"
            busy = 1.4 if day.month == 12 else 1.0
            obs = {
                "S01": round(float(rng.gamma(2.0, 60 * busy * (1.4 - q)))),
                "S02": round(float(rng.gamma(2.0, 35 * busy * (1.5 - q)))),
                "S06": float(rng.random() < 0.45 + 0.5 * q),
                "S07": float(np.clip(np.round(rng.normal(2.4 + 2.4 * q, 0.8)), 1, 5)),
                "S08": float(np.clip(np.round(rng.normal(2.8 + 2.0 * q, 0.7)), 1, 5)),
                "S09": float(rng.random() < 0.5 + 0.45 * q),
            }
            for sid, value in obs.items():
                note = ""
                if sid == "S01" and value > 180:
                    note = "Only one till open with a queue of customers."
                if sid == "S08" and value <= 2:
                    note = "Boxes left in the aisle; dusty shelves."
                rows.append([f"MS{visit:03d}", store, day, at, sid, float(value), note])
    return pd.DataFrame(rows, columns=list(_SCHEMA["mystery_shop"]))


# ----------------------------------------------------------------------------------------------------
# Types, files
# ----------------------------------------------------------------------------------------------------
def _typed(name: str, table: pd.DataFrame, source: str = "") -> pd.DataFrame:
    """Check ``table`` has exactly the schema's columns and give each its type."""
    schema = _SCHEMA[name]
    missing = [c for c in schema if c not in table.columns]
    extra = [c for c in table.columns if c not in schema]
    where = f" in {source}" if source else ""
    if missing or extra:
        raise ValueError(f"the {name} table{where} has the wrong columns: missing {missing or 'none'}, "
                         f"unexpected {extra or 'none'}")
    out = pd.DataFrame(index=table.index)
    for col, kind in schema.items():
        values = table[col]
        try:
            out[col] = _as(kind, values)
        except (ValueError, TypeError) as error:
            raise ValueError(f"column {col!r} of the {name} table{where} should hold {kind} values: "
                             f"{error}") from None
    return out


def _as(kind: str, values: pd.Series) -> pd.Series:
    """``values`` as the schema's ``kind``; left alone when already of that type."""
    dtype = values.dtype
    if kind == "str":
        if pd.api.types.is_string_dtype(dtype) and not values.isna().any():
            return values
        return values.fillna("").astype(str)
    if kind == "category":
        if not isinstance(dtype, pd.CategoricalDtype):
            return values.astype(str).astype("category")
        values = values.cat.remove_unused_categories()  # as read back from a file: seen values, sorted
        return values.cat.reorder_categories(sorted(values.cat.categories))
    if kind == "bool":
        return values.astype(bool)
    if kind == "date":
        return pd.to_datetime(values, format="%Y-%m-%d")
    if kind == "datetime":
        return pd.to_datetime(values, format="%Y-%m-%d %H:%M:%S")
    if kind == "int" and pd.api.types.is_integer_dtype(dtype) and not isinstance(dtype, pd.Int64Dtype):
        return values.astype("int64")
    nums = values if pd.api.types.is_numeric_dtype(dtype) else pd.to_numeric(values)
    if kind == "float":
        return nums.astype(float)
    if kind == "int" and nums.isna().any():
        raise ValueError(f"it has a missing value in row {int(np.argmax(nums.isna().to_numpy()))}")
    if (nums.dropna() % 1 != 0).any():
        raise ValueError("it has a value that is not a whole number")
    return nums.astype("int64" if kind == "int" else "Int64")


def data_folder() -> Path:
    """The folder the canonical tables live in: $RETAILKIT_DATA if set, else the project's datasets/."""
    return Path(os.environ.get("RETAILKIT_DATA", Path(__file__).resolve().parents[1] / "datasets"))


def _path(folder: Path, name: str) -> Path:
    return folder / (f"{name}.csv.gz" if name == "transactions" else f"{name}.csv")


def write(tables: dict[str, pd.DataFrame], folder) -> list[Path]:
    """Save generated tables as CSV in ``folder`` (created if needed), formatted the same on any machine.

    Money is rounded to the penny, dates are ``YYYY-MM-DD``, times ``YYYY-MM-DD HH:MM:SS``,
    missing values are empty. The transactions table is gzipped (timestamp 0, so its bytes are stable).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in TABLES:
        table = tables[name].copy()
        for col, kind in _SCHEMA[name].items():
            if kind == "date":
                table[col] = table[col].dt.strftime("%Y-%m-%d").fillna("")
            elif kind == "datetime":
                table[col] = table[col].dt.strftime("%Y-%m-%d %H:%M:%S").fillna("")
        path = _path(folder, name)
        compression = {"method": "gzip", "mtime": 0, "compresslevel": 6} if path.suffix == ".gz" else None
        table.to_csv(path, index=False, lineterminator="\n", compression=compression)
        paths.append(path)
    return paths


@functools.lru_cache(maxsize=4)
def _generated(seed: int) -> dict[str, pd.DataFrame]:
    return generate(seed)


def load(name: str, variant: str | int | None = None) -> pd.DataFrame:
    """Read one table of the case study, with the right types.

    Parameters
    ----------
    name : str
        One of ``TABLES`` (e.g. ``"transactions"``, ``"stock"``), or ``"cdnow"`` for the real CDNOW
        customer purchases.
    variant : str or int, optional
        None for the canonical tables in ``datasets/``; ``"small"`` for the small test set in
        ``datasets/small/``; a whole number makes a learner's own version from that seed (in memory, the
        same every time); any other name reads ``datasets/variants/<variant>/`` (files saved with
        ``write(generate(seed), folder)``).

    Returns
    -------
    DataFrame
        Dates parsed, text codes as categories, counts as integers, missing answers as <NA>.

    Raises
    ------
    ValueError
        If the table name is unknown, or the file's columns or values are not what the data dictionary
        says.
    FileNotFoundError
        If the file is missing.
    """
    if name == "cdnow":
        return _load_cdnow()
    if name not in _SCHEMA:
        raise ValueError(f"there is no table called {name!r}; the tables are: {', '.join(TABLES)}")
    if isinstance(variant, (int, np.integer)) and not isinstance(variant, bool):
        return _generated(int(variant))[name].copy()
    folder = data_folder()
    if variant == "small":
        folder = folder / "small"
    elif variant is not None:
        folder = folder / "variants" / str(variant)
    path = _path(folder, name)
    if not path.exists():
        raise FileNotFoundError(f"the {name} table is missing: no file at {path}. Ask your tutor for the "
                                f"course data, or run `make data` to rebuild it.")
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    raw = raw.replace("", np.nan) if len(raw) else raw
    for col, kind in _SCHEMA[name].items():
        if kind == "str" and col in raw:
            raw[col] = raw[col].fillna("")
        if kind == "bool" and col in raw:
            bad = ~raw[col].isin(["True", "False"])
            if bad.any():
                raise ValueError(f"column {col!r} of {path} should hold True or False, "
                                 f"found {raw.loc[bad, col].iloc[0]!r}")
            raw[col] = raw[col] == "True"
    return _typed(name, raw, str(path))


def _load_cdnow() -> pd.DataFrame:
    """CDNOW: real purchases by 2,357 customers of an online CD shop, Jan 1997 - Jun 1998 (US dollars)."""
    path = data_folder() / "real" / "cdnow_transactions.csv"
    if not path.exists():
        raise FileNotFoundError(f"the CDNOW data is missing: no file at {path}")
    raw = pd.read_csv(path)
    expected = ["_id", "id", "date", "cds_bought", "spent"]
    if list(raw.columns) != expected:
        raise ValueError(f"{path} should have the columns {expected}, found {list(raw.columns)}")
    return pd.DataFrame({
        "customer_id": raw["id"].astype(int),
        "date": pd.to_datetime(raw["date"].astype(str), format="%Y%m%d"),
        "cds_bought": raw["cds_bought"].astype(int),
        "spent_usd": raw["spent"].astype(float),
    })


def store_weeks(footfall: pd.DataFrame, rota: pd.DataFrame) -> pd.DataFrame:
    """Footfall and labour hours worked for each store and week, ready for ``kpi_table``.

    Sums the hourly door counts (online: sessions) and the rota's worked hours per store and week.
    """
    visits = footfall.groupby(["store_id", "week"], observed=True)["footfall"].sum()
    hours = rota.groupby(["store_id", "week"], observed=True)["worked_hours"].sum().rename("labour_hours")
    return pd.concat([visits, hours], axis=1).fillna(0).reset_index()


def main() -> None:
    """Rebuild the canonical tables in datasets/ and the small test set in datasets/small/."""
    folder = data_folder()
    for path in write(generate(CANONICAL_SEED), folder):
        print(f"wrote {path}")
    for path in write(generate(**SMALL), folder / "small"):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
