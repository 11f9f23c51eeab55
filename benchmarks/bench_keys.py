"""Benchmark: answer keys for learners' own variants, against one papermill run of the solution.

Baseline (1.00): the canonical key, made by papermill running the source notebook in the sandbox. Then, in
the same run: one learner's key (the solution as a script on the learner's variant, in the sandbox), the
same key again (kept: the source has not changed), and the keys of a cohort of 30 learners.

Run with ``make bench`` or ``python benchmarks/bench_keys.py --learners 30``.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from grading import answer_key, variants
from grading.course import Course


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--assignment", default="retail_kpis")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-keys-"))
    try:
        course = Course.open(root / "course")
        course.sync_source(args.assignment)
        name = args.assignment
        seeds = variants.seeds(course, [f"learner-{i:03d}" for i in range(args.learners)], name) or \
            {f"learner-{i:03d}": variants.seed_for(b"bench", str(i)) for i in range(args.learners)}
        baseline = timed(lambda: answer_key.build(course, name))
        first = next(iter(seeds.values()))
        one = timed(lambda: answer_key.build(course, name, first))
        kept = timed(lambda: answer_key.build(course, name, first))
        cohort = timed(lambda: [answer_key.build(course, name, s) for s in seeds.values()])
    finally:
        shutil.rmtree(root, ignore_errors=True)
    rows = [("canonical key, papermill (baseline)", baseline), ("one learner's key, script", one),
            ("the same key again (kept)", kept), (f"a cohort of {args.learners} learners' keys", cohort)]
    print(f"{'what':<40} {'seconds':>8} {'ratio':>7}")
    for label, seconds in rows:
        print(f"{label:<40} {seconds:8.2f} {seconds / baseline:6.2f}x")
    per = cohort / args.learners
    print(f"per learner in the cohort: {per:.2f} s = {per / baseline:.2f}x one papermill run")


if __name__ == "__main__":
    main()
