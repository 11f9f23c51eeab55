"""Steps of the generator: the stores, their staff and rota, the loyalty members."""

from __future__ import annotations

import numpy as np
import pandas as pd

from retailkit.datasets.constants import (
    FIRST_NAMES,
    PRODUCT_TRAINING,
    SQ_FT_PER_M2,
    START,
    STORE_IDS,
    STORES,
    TRAINED_ROLES,
)


def store_numbers(store_ids: pd.Series) -> np.ndarray:
    """Each store id as its index in STORES."""
    return store_ids.map({s: i for i, s in enumerate(STORE_IDS)}).to_numpy()


def stores_table() -> pd.DataFrame:
    """The stores table, from the case-study facts."""
    rows = []
    for s in STORES:
        rows.append({"store_id": s.store_id, "name": s.name, "town": s.town, "format": s.format,
                     "region": s.region, "area_sqft": s.area_sqft, "area_m2": round(s.area_sqft / SQ_FT_PER_M2, 1),
                     "opens": f"{s.hours.opens:02d}:00", "closes": f"{s.hours.closes % 24:02d}:00",
                     "sunday_opens": f"{s.sunday_hours.opens:02d}:00",
                     "sunday_closes": f"{s.sunday_hours.closes % 24:02d}:00", "tills": s.tills})
    return pd.DataFrame(rows)


def staff_and_rota(rng, weeks: int, scale: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each store's team, and the weekly rota: hours rostered, worked and lost to absence."""
    staff = staff_table(rng, scale)
    return staff, rota_table(rng, staff, weeks)


def staff_table(rng, scale: float) -> pd.DataFrame:
    """The staff of each store (made-up names), drawn from ``rng``."""
    rows = []
    n = 0
    for s in STORES:
        managers, supervisors, assistants = s.team
        roles = [(name, 37.5) for name in managers] + [("Supervisor", 30.0)] * supervisors
        assistants = max(1, round(assistants * max(1.0, scale) ** 0.5))  # bigger teams for big volumes
        role = "Customer service advisor" if s.online else "Sales assistant"
        roles += [(role, float(rng.choice([16.0, 20.0, 24.0, 30.0]))) for _ in range(assistants)]
        for name, hours in roles:
            n += 1
            years = rng.uniform(0.1, 9.0) if name != "Sales assistant" else rng.uniform(0.05, 4.0)
            rows.append({"staff_id": f"ST{n:03d}", "first_name": FIRST_NAMES[(n - 1) % len(FIRST_NAMES)],
                         "store_id": s.store_id, "role": name, "contracted_hours": hours,
                         "start_date": (START - pd.Timedelta(days=int(years * 365))).normalize()})
    return pd.DataFrame(rows)


def rota_table(rng, staff: pd.DataFrame, weeks: int) -> pd.DataFrame:
    """Contracted hours, overtime in December, absence (sickness, holiday) at random."""
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
    return pd.DataFrame({
        "staff_id": np.repeat(staff["staff_id"].to_numpy(), weeks),
        "store_id": np.repeat(staff["store_id"].to_numpy(), weeks),
        "week": np.tile(w, k),
        "week_start": np.tile(START + pd.to_timedelta((w - 1) * 7, unit="D"), k),
        "rostered_hours": rostered.ravel(),
        "worked_hours": (rostered - absence).ravel(),
        "absence_hours": absence.ravel(),
    })


def customers_table(rng, scale: float, days: int) -> pd.DataFrame:
    """The loyalty-scheme members, drawn from ``rng``."""
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
        "home_store_id": np.array(STORE_IDS)[rng.choice(5, keep.sum(), p=home_p)],
        "segment": rng.choice(["Gift buyer", "Home improver", "Deal seeker", "Occasional"], keep.sum(),
                              p=[0.3, 0.25, 0.2, 0.25]),
        "age_band": rng.choice(["18-24", "25-34", "35-44", "45-54", "55-64", "65+"], keep.sum(),
                               p=[0.06, 0.17, 0.22, 0.22, 0.18, 0.15]),
        "email_opt_in": rng.random(keep.sum()) < 0.62,
    }).sort_values(["join_date"], kind="stable").reset_index(drop=True)
    table.insert(0, "customer_id", [f"C{i:06d}" for i in range(1, len(table) + 1)])
    return table


def staff_manner(rng, n_staff: int) -> tuple[np.ndarray, np.ndarray]:
    """Each member of staff's link-selling skill and how customers rate them.

    The last entry (-1) is for no member of staff (online).
    """
    skill = np.r_[rng.normal(1.0, 0.12, n_staff), 1.0]
    service = np.r_[rng.normal(0.0, 0.8, n_staff), 0.0]
    return skill, service


def trained_servers(staff: pd.DataFrame, served_by: np.ndarray, week: np.ndarray) -> np.ndarray:
    """Whether each sale was served by someone after their product training (``PRODUCT_TRAINING``).

    ``served_by`` is the row of the staff table (-1 online); ``week`` the sale's trading week.
    """
    a = PRODUCT_TRAINING
    was_trained = np.r_[((staff["store_id"] == a.store_id) & staff["role"].isin(TRAINED_ROLES)).to_numpy(), False]
    return was_trained[served_by] & (week >= a.week)
