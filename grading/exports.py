"""Files for the centre's systems: unit outcomes per learner, and a Moodle gradebook import.

``unit-outcomes.csv`` (UTF-8, comma-separated, header row), one row per learner and unit:
``learner_id, name, unit, unit_title, outcome`` (Achieved / Not yet achieved), ``grade`` (the outcome, or a
higher grade from ``higher_grades``), ``criteria_met, criteria, to_mark`` (counts), ``missing`` (the ids of
the criteria not yet met, space-separated), ``marks, max_marks`` (the unit's marks, each task once).

``moodle-grades.csv`` follows Moodle's "Import grades from CSV file" (Grades > Import > CSV file): UTF-8,
comma-separated, every field in double quotes, one header row, the same number of fields in every row.
Moodle matches nothing by header text: on its mapping screen the tutor maps "ID number" to the learner's
ID number, each grade column to a grade item and each "(Feedback)" column to "Feedback for" that item, and
sets the name columns to Ignore. Columns: ``ID number``, ``First name``, ``Last name``; per assignment
``<title> (Real)`` (marks, "." as the decimal point) and ``<title> (Feedback)``; per unit ``Unit <id>
outcome`` (a word of the scale ``Not yet achieved,Achieved`` followed by any higher grades, exactly as
written) and ``Unit <id> outcome (Feedback)``. A learner with no submission of an assignment has empty cells
in its two columns; Moodle reads an empty grade cell as "clear this grade", so check those learners on the
import preview.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from grading.course import Course


def scale(course: Course) -> list[str]:
    """The words of the unit-outcome scale, lowest first, as the Moodle scale must be created."""
    return ["Not yet achieved", "Achieved", *[g["grade"] for g in reversed(course.manifest.get("higher_grades") or [])]]


def write(course: Course, units: pd.DataFrame, people: dict[str, str], table: pd.DataFrame,
          out: Path) -> dict[str, Path]:
    """Write unit-outcomes.csv and moodle-grades.csv into ``out``; return their paths."""
    outcomes = units.assign(name=[people.get(s, s) for s in units["learner"]]).rename(columns={"learner": "learner_id"})
    columns = ["learner_id", "name", "unit", "unit_title", "outcome", "grade", "criteria_met", "criteria", "to_mark",
               "missing", "marks", "max_marks"]
    outcomes[columns].to_csv(out / "unit-outcomes.csv", index=False, encoding="utf-8")

    manifest = course.manifest
    marks = table.drop_duplicates(["learner", "assignment", "task", "kind", "criterion"])
    numbers = marks[marks["kind"] == "number"].drop_duplicates(["learner", "assignment", "task"])
    totals = pd.concat([numbers, marks[marks["kind"] == "written"]]).groupby(["learner", "assignment"])["score"].sum()
    taken = [a for a in manifest["assignments"] if a in set(table["assignment"])]
    header = ["ID number", "First name", "Last name"]
    for name in taken:
        title = manifest["assignments"][name]["title"]
        header += [f"{title} (Real)", f"{title} (Feedback)"]
    for unit in manifest["units"]:
        header += [f"Unit {unit} outcome", f"Unit {unit} outcome (Feedback)"]
    rows = []
    for student in sorted(set(units["learner"])):
        first, _, last = people.get(student, student).partition(" ")
        row = [student, first, last]
        for name in taken:
            got = totals.get((student, name))
            maximum = _max_marks(manifest["assignments"][name])
            row += ["" if got is None else f"{got:g}",
                    "" if got is None else f"{got:g} of {maximum:g} marks; see your feedback and portfolio."]
        for unit in manifest["units"]:
            r = units[(units["learner"] == student) & (units["unit"] == unit)].iloc[0]
            still = f" Still needed: {r.missing}." if r.missing else ""
            row += [r.grade, f"{r.criteria_met} of {r.criteria} criteria met.{still}"]
        rows.append(row)
    path = out / "moodle-grades.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, quoting=csv.QUOTE_ALL)
        writer.writerow(header)
        writer.writerows(rows)
    return {"unit_outcomes": out / "unit-outcomes.csv", "moodle": path}


def _max_marks(assignment: dict) -> float:
    return (sum(float(t["points"]) for t in assignment.get("tasks", {}).values())
            + sum(float(w["points"]) for w in assignment.get("written", {}).values()))
