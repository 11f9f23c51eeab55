"""The whole tutor cycle on the sample cohort: validate, release, collect, autograde, feedback, report."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from grading import cohort, pipeline, report
from grading.course import PROJECT, Course


def run(root: Path = PROJECT / "course" / "demo", name: str = "retail_kpis") -> dict:
    """Run the cycle in a fresh course folder ``root``; return what happened and where the report is."""
    if root.exists():
        shutil.rmtree(root)
    course = Course.open(root)
    timings = {}

    t0 = time.perf_counter()
    checks = pipeline.validate(course)
    timings["validate"] = time.perf_counter() - t0
    print(pipeline.checks_table(checks))
    if not all(c.ok for c in checks):
        raise SystemExit("validation failed: see the table above")

    pipeline.release(course, name)
    incoming = cohort.make(course, name, course.root / "incoming" / name)
    print(f"\nSample cohort: {len(cohort.LEARNERS)} learners in {incoming}")

    t0 = time.perf_counter()
    results = pipeline.autograde(course, name, incoming)
    timings["autograde"] = time.perf_counter() - t0
    files = pipeline.feedback(course, name, results)
    paths = report.build(course, name)
    print(f"\nFeedback: {len(files)} HTML files in {course.root / 'feedback'}")
    print(f"Report:   {paths['html']}")
    print(f"CSV:      {paths['criteria_csv']}\n          {paths['totals_csv']}\n")
    print(report.summary(paths["totals_csv"]))
    print(f"\nvalidate took {timings['validate']:.1f} s; autograding {len(results)} submissions took "
          f"{timings['autograde']:.1f} s")
    return {"course": course, "checks": checks, "results": results, "feedback": files, "report": paths,
            "timings": timings}
