"""The whole tutor cycle on the sample cohort: validate, release, collect, autograde, feedback, report."""

from __future__ import annotations

import csv
import hashlib
import shutil
import time
from pathlib import Path

from grading import cohort, marking, pipeline, portfolio, report
from grading.course import PROJECT, Course

# assignments whose written answers the sample tutor marks
MARKED = ("retail_kpis", "team_collaboration", "customer_relationship")


def run(root: Path = PROJECT / "course" / "demo", names: tuple[str, ...] = cohort.ASSESSED) -> dict:
    """Run the cycle in a fresh course folder ``root`` for each of ``names``; return what happened.

    The keys ``results``, ``feedback`` and ``report`` are the first assignment's; ``cycles`` has them all.
    """
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
    (course.root / "tutors.csv").write_text("learner_id,tutor\n" + "".join(
        f"{s},{'T. Patel' if i % 2 else 'R. Jones'}\n" for i, s in enumerate(cohort.LEARNERS)))

    cycles = {}
    for name in names:
        pipeline.release(course, name)
        incoming = cohort.make(course, name, course.root / "incoming" / name)
        print(f"\n{name}: sample cohort of {len(cohort.LEARNERS)} learners in {incoming}")
        t0 = time.perf_counter()
        results = pipeline.autograde(course, name, incoming)
        timings[f"autograde {name}"] = time.perf_counter() - t0
        if name in MARKED:  # the sample tutor marks these assignments' written answers
            sheet = marking.export_csv(course, name, cohort.LEARNERS, course.root / "marking" / f"{name}.csv")
            tutor_marks(sheet)
            changes = marking.import_csv(course, name, sheet)
            print(f"\nThe sample tutor marked the written answers offline: {len(changes)} decisions and "
                  f"comments imported from {sheet}")
        files = pipeline.feedback(course, name, results)
        paths = report.build(course, name)
        cycles[name] = {"results": results, "feedback": files, "report": paths}
        print(f"\nFeedback: {len(files)} HTML files in {course.root / 'feedback'}")
        print(f"Report:   {paths['html']}")
        print(f"CSV:      {paths['criteria_csv']}\n          {paths['totals_csv']}\n")
        print(report.summary(paths["totals_csv"]))
    made = portfolio.build(course)
    print(f"\nPortfolios: {len(made['pages'])} HTML, {len(made['pdfs'])} PDF in {course.root / 'portfolio'}")
    print(f"Cohort matrix {made['matrix'].name}, IQA sample {made['iqa'].name}, unit outcomes "
          f"{made['unit_outcomes'].name}, Moodle import {made['moodle'].name}")
    graded = "; ".join(f"{name} {len(c['results'])} submissions in {timings[f'autograde {name}']:.1f} s"
                       for name, c in cycles.items())
    print(f"\nvalidate took {timings['validate']:.1f} s; autograding: {graded}")
    first = cycles[names[0]]
    return {"course": course, "checks": checks, "results": first["results"], "feedback": first["feedback"],
            "report": first["report"], "cycles": cycles, "portfolio": made, "timings": timings}


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
