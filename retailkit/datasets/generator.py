"""The seeded generator: every table of the case study from one seed.

:func:`generate` runs a list of named steps in a fixed order. Each step that draws random numbers takes
the one generator ``rng``, so the order of the steps is part of the data: moving a step changes every
table after it. The steps live in :mod:`~retailkit.datasets.people` (stores, staff, customers),
:mod:`~retailkit.datasets.trade` (footfall, baskets, transactions, stock) and
:mod:`~retailkit.datasets.feedback` (till queues, surveys, SERVQUAL, complaints, mystery shopping, and
last the follow-up trial, which draws after every other table).
"""

from __future__ import annotations

import functools
import os
import pickle
import zlib

import numpy as np
import pandas as pd

from retailkit._checks import number
from retailkit.datasets.constants import (
    CANONICAL_SEED,
    PROMOTIONS,
    STANDARDS,
    TABLES,
    TRAINED_LINK_SELLING,
    TRAINED_SERVICE,
)
from retailkit.datasets.feedback import (
    complaints_table,
    follow_ups_table,
    mystery_shop_table,
    review_log_table,
    risks_table,
    servqual_table,
    surveys_table,
    team_feedback_table,
    till_queue_table,
)
from retailkit.datasets.people import customers_table, staff_and_rota, staff_manner, stores_table, trained_servers
from retailkit.datasets.schema import SCHEMA, typed
from retailkit.datasets.shifts import plan_shifts, shifts_table
from retailkit.datasets.trade import (
    basket_lines,
    basket_units,
    basket_values,
    expected_footfall,
    loyalty_members,
    pick_refunds,
    priced_lines,
    promotion_calendar,
    sales_ledger,
    stock_table,
    tills_and_servers,
    transactions_table,
    visitors_and_baskets,
)


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

    staff, rota = staff_and_rota(rng, weeks, scale)
    cover, rota = plan_shifts(staff, rota, weeks)  # draws nothing; adds a senior's overtime to the rota
    customers = customers_table(rng, scale, days)
    offers = promotion_calendar(days)
    footfall_cells = expected_footfall(rng, weeks, scale)
    footfall, baskets = visitors_and_baskets(rng, footfall_cells, offers)
    skill, service = staff_manner(rng, len(staff))
    baskets.till, baskets.staff = tills_and_servers(rng, baskets, staff, cover)
    lift = trained_servers(staff, baskets.staff, baskets.week)  # Swindon's product training, from week 27
    baskets.units = basket_units(rng, baskets, skill[baskets.staff] * np.where(lift, TRAINED_LINK_SELLING, 1.0))
    baskets.customer = loyalty_members(rng, baskets, customers)
    lines = basket_lines(rng, baskets, days)
    priced_lines(rng, lines, baskets, offers)
    baskets.value = basket_values(lines, baskets)
    refunds = pick_refunds(rng, lines, baskets, staff, cover, scale, days)
    ledger = sales_ledger(lines, refunds, baskets, staff, customers)
    stock = stock_table(rng, ledger, weeks)
    till_queue, short = till_queue_table(rng, baskets, days)

    tables = {
        "stores": stores_table(),
        "promotions": pd.DataFrame(PROMOTIONS, columns=list(SCHEMA["promotions"])),
        "service_standards": pd.DataFrame(STANDARDS, columns=list(SCHEMA["service_standards"])),
        "staff": staff, "rota": rota, "customers": customers, "footfall": footfall,
        "transactions": transactions_table(ledger),
        "stock": stock,
        "till_queue": till_queue,
        "surveys": surveys_table(rng, baskets, staff, service[baskets.staff] + TRAINED_SERVICE * lift,
                                 customers, short),
        "servqual": servqual_table(rng, baskets, customers, scale),
        "complaints": complaints_table(rng, baskets, staff, customers, days),
        "mystery_shop": mystery_shop_table(rng, weeks),
        "risks": risks_table(rng),  # new draws from here on change no table above
    }
    tables["team_feedback"] = team_feedback_table(rng, staff, rota, weeks)
    tables["shifts"] = shifts_table(staff, cover)
    tables["review_log"] = review_log_table(till_queue, tables["mystery_shop"], weeks)
    tables["follow_ups"] = follow_ups_table(rng, tables["surveys"], tables["complaints"], tables["transactions"],
                                            weeks)  # draws after every other table's
    return {name: typed(name, tables[name]) for name in TABLES}


PREPARED = "RETAILKIT_VARIANT_DATA"  # a file saved by ``save_prepared``: the grader's copy of one variant


@functools.lru_cache(maxsize=4)
def generated(seed: int) -> dict[str, pd.DataFrame]:
    """``generate(seed)``, kept for the next call (a learner's variant, read several times).

    When ``$RETAILKIT_VARIANT_DATA`` names a file that ``save_prepared`` made for this seed, the tables are
    read from it (0.05 s) instead of generated (about 1 s): the grader prepares each learner's variant once
    and lends it, read-only, to every notebook it grades for them.
    """
    path = os.environ.get(PREPARED)
    if path and os.path.isfile(path):
        with open(path, "rb") as f:
            kept = pickle.loads(zlib.decompress(f.read()))
        if kept.get("seed") == seed:
            return kept["tables"]
    return generate(seed)


def save_prepared(seed: int, path) -> None:
    """Save ``generate(seed)`` to ``path`` for ``generated`` (compressed, about 3.5 MB; written atomically)."""
    data = zlib.compress(pickle.dumps({"seed": seed, "tables": generate(seed)}, protocol=5), 1)
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.chmod(tmp, 0o644)  # the learner's sandboxed user reads it, through a read-only bind of this file only
    os.replace(tmp, path)
