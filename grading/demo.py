"""The whole tutor cycle on the sample cohort: validate, release, collect, autograde, feedback, report."""

from __future__ import annotations

import csv
import hashlib
import shutil
import time
from pathlib import Path

from grading import cohort, marking, pipeline, portfolio, report
from grading.course import PROJECT, Course


def run(root: Path = PROJECT / "course" / "demo", name: str = "retail_kpis") -> dict:
    """Run the cycle in a fresh course folder ``root``; return what happened and where the report is."""
    if root.exists():
        shutil.rmtree(root)
    course = Course.open(root)
    # A fixed course secret, so the sample learners get the same variants every run (a real course makes a
    # random one: grading.variants.secret).
    (course.root / "secret.key").write_text(hashlib.sha256(b"retailkit demo course").hexdigest() + "\n")
    (course.root / "secret.key").chmod(0o600)
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
    sheet = marking.export_csv(course, name, cohort.LEARNERS, course.root / "marking" / f"{name}.csv")
    tutor_marks(sheet)
    changes = marking.import_csv(course, name, sheet)
    print(f"\nThe sample tutor marked the written answers offline: {len(changes)} decisions and comments "
          f"imported from {sheet}")
    (course.root / "tutors.csv").write_text("learner_id,tutor\n" + "".join(
        f"{s},{'T. Patel' if i % 2 else 'R. Jones'}\n" for i, s in enumerate(cohort.LEARNERS)))
    files = pipeline.feedback(course, name, results)
    paths = report.build(course, name)
    made = portfolio.build(course)
    print(f"\nFeedback: {len(files)} HTML files in {course.root / 'feedback'}")
    print(f"Report:   {paths['html']}")
    print(f"CSV:      {paths['criteria_csv']}\n          {paths['totals_csv']}\n")
    print(report.summary(paths["totals_csv"]))
    print(f"\nPortfolios: {len(made['pages'])} HTML, {len(made['pdfs'])} PDF in {course.root / 'portfolio'}")
    print(f"Cohort matrix {made['matrix'].name}, IQA sample {made['iqa'].name}, unit outcomes "
          f"{made['unit_outcomes'].name}, Moodle import {made['moodle'].name}")
    print(f"\nvalidate took {timings['validate']:.1f} s; autograding {len(results)} submissions took "
          f"{timings['autograde']:.1f} s")
    return {"course": course, "checks": checks, "results": results, "feedback": files, "report": paths,
            "portfolio": made, "timings": timings}


def tutor_marks(sheet: Path) -> None:
    """Fill in the marking sheet as the sample tutor would (``cohort.TUTOR``)."""
    with sheet.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        decision = cohort.TUTOR.get((row["learner_id"], row["task"], row["criterion"]))
        if decision:
            row["decision"], row["comment"] = decision
    with sheet.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, marking.COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
