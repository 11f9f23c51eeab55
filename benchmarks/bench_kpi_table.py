"""Benchmark: the store x week KPI table from 10 million transaction lines.

Three ways to the same table, timed in one run so the figures are ratios, not machine-dependent seconds:

- floor: one numpy pass per column (np.bincount on a store x week key) and the divisions; nothing can
  be much faster in Python.
- retailkit: ``retailkit.kpi_table`` (pandas groupby plus the checked KPI functions).
- naive: a row-by-row Python loop, timed on a sample and scaled up per row.

Run with ``make bench`` (or ``python benchmarks/bench_kpi_table.py --rows 1000000`` for a quick look).
The three results are compared, so a fast wrong answer fails the benchmark.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from retailkit import datasets, kpi_table


def floor(codes: np.ndarray, week: np.ndarray, first, units, sales, cost, n_stores: int, n_weeks: int):
    """Everything the KPI table needs, in one bincount per column."""
    key = codes.astype(np.int64) * n_weeks + (week - 1)
    size = n_stores * n_weeks
    count = np.bincount(key, weights=first, minlength=size)
    u = np.bincount(key, weights=units, minlength=size)
    s = np.bincount(key, weights=sales, minlength=size)
    c = np.bincount(key, weights=cost, minlength=size)
    keep = count > 0
    return count[keep], s[keep] / count[keep], u[keep] / count[keep], (s[keep] - c[keep]) / s[keep]


def naive(codes, week, first, units, sales, cost):
    """Row by row, the way a spreadsheet macro would do it."""
    acc: dict[tuple[int, int], list[float]] = {}
    for store, wk, f, u, s, c in zip(codes.tolist(), week.tolist(), first.tolist(), units.tolist(),
                                     sales.tolist(), cost.tolist(), strict=True):
        row = acc.setdefault((store, wk), [0, 0.0, 0.0, 0.0])
        row[0] += f
        row[1] += u
        row[2] += s
        row[3] += c
    return {k: (v[0], v[2] / v[0], v[1] / v[0], (v[2] - v[3]) / v[2]) for k, v in acc.items()}


def best_of(repeats: int, func, *args):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        out = func(*args)
        times.append(time.perf_counter() - start)
    return min(times), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=57.0,
                        help="case-study trade volume; 57 gives about 10 million lines")
    parser.add_argument("--sample", type=int, default=200_000, help="rows for the naive loop")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    start = time.perf_counter()
    table = datasets.generate(seed=1, scale=args.scale)["transactions"]
    made = time.perf_counter() - start
    rows = len(table)
    codes = table["store_id"].cat.codes.to_numpy()
    week = table["week"].to_numpy().astype(np.int64)
    first = ((table["line_no"] == 1) & (table["type"] == "sale")).to_numpy().astype(float)
    units = table["units"].to_numpy().astype(float)
    sales = table["sales_ex_vat"].to_numpy()
    cost = table["cost"].to_numpy()
    n_stores, n_weeks = len(table["store_id"].cat.categories), int(week.max())

    t_floor, (count, atv, upt, margin) = best_of(args.repeats, floor, codes, week, first, units, sales,
                                                 cost, n_stores, n_weeks)
    t_kit, kit = best_of(args.repeats, kpi_table, table)
    n = min(args.sample, rows)
    t_sample, slow = best_of(1, naive, codes[:n], week[:n], first[:n], units[:n], sales[:n], cost[:n])
    t_naive = t_sample * rows / n

    # The three must agree before their speeds mean anything.
    assert np.array_equal(kit["transactions"].to_numpy(), count)
    for name, ref in [("atv", atv), ("upt", upt), ("gross_margin_pct", margin)]:
        np.testing.assert_allclose(kit[name].to_numpy(), ref, rtol=1e-9, err_msg=name)
    sample_kit = kpi_table(table.iloc[:n])
    head = sample_kit.iloc[0]
    key = (int(table["store_id"].cat.categories.get_loc(head["store_id"])), int(head["week"]))
    assert slow[key][0] == head["transactions"]
    np.testing.assert_allclose(slow[key][1], head["atv"], rtol=1e-9)

    print(f"KPI table (store x week) from {rows:,} transaction lines; {len(kit)} rows out; "
          f"data made in {made:.1f} s")
    print(f"{'method':<34}{'seconds':>10}{'x floor':>10}")
    print(f"{'floor: numpy bincount, one pass':<34}{t_floor:>10.3f}{1:>10.2f}")
    print(f"{'retailkit.kpi_table':<34}{t_kit:>10.3f}{t_kit / t_floor:>10.2f}")
    print(f"{'naive row loop (scaled from ' + format(n, ',') + ')':<34}{t_naive:>10.1f}"
          f"{t_naive / t_floor:>10.0f}")
    print(f"retailkit is {t_naive / t_kit:.0f}x faster than the row loop; target: within 3x of the floor "
          f"-> {'met' if t_kit <= 3 * t_floor else 'NOT met'}")


if __name__ == "__main__":
    main()
