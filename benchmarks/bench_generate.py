"""Benchmark: making a case-study variant per learner, for a cohort of 200, on 2 cores.

A variant is the full set of case-study tables (every table, 52 weeks, the canonical size) made from the
learner's own seed. Timed in the same run against a baseline: reading the canonical tables from their
CSV files with ``datasets.load`` (what a notebook does anyway). Also times writing one variant to CSV.

Run with ``make bench`` or ``python benchmarks/bench_generate.py --learners 200 --workers 2``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor

from retailkit import datasets


def make(seed: int) -> int:
    tables = datasets.generate(seed)
    return sum(len(t) for t in tables.values())


def read_canonical() -> int:
    return sum(len(datasets.load(name)) for name in datasets.TABLES)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    make(0)  # warm up imports
    start = time.perf_counter()
    read_canonical()
    t_read = time.perf_counter() - start

    start = time.perf_counter()
    rows = make(1)
    t_one = time.perf_counter() - start

    with tempfile.TemporaryDirectory() as folder:
        tables = datasets.generate(2)
        start = time.perf_counter()
        datasets.write(tables, folder)
        t_write = time.perf_counter() - start

    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        total = sum(pool.map(make, range(1000, 1000 + args.learners), chunksize=4))
    t_cohort = time.perf_counter() - start

    print(f"one variant: {len(datasets.TABLES)} tables, {rows:,} rows")
    print(f"{'step':<46}{'seconds':>9}{'x baseline':>12}")
    print(f"{'baseline: load() the canonical tables from CSV':<46}{t_read:>9.2f}{1:>12.2f}")
    print(f"{'generate one variant in memory':<46}{t_one:>9.2f}{t_one / t_read:>12.2f}")
    print(f"{'write one variant to CSV':<46}{t_write:>9.2f}{t_write / t_read:>12.2f}")
    label = f"generate {args.learners} variants on {args.workers} processes"
    print(f"{label:<46}{t_cohort:>9.1f}{t_cohort / t_read:>12.1f}")
    print(f"{total:,} rows in all; target: {args.learners} variants well under 60 s -> "
          f"{'met' if t_cohort < 45 else 'NOT met'}")


if __name__ == "__main__":
    main()
