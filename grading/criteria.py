"""Criterion-referenced outcomes: each learner's evidence for each criterion, and which units are achieved.

The rules (also written in ``grading/course.yml``, where a centre changes the higher grades):

- A **criterion** is *met* when a tutor has judged a marking point for it met in a written answer. It is
  *to mark* while such a marking point waits for the tutor, *not yet met* otherwise, and *not assessed yet*
  when no assignment of the course has a marking point for it.
- A right **number answer** (full marks) is listed under each criterion it is mapped to as supporting
  evidence; a wrong one is not listed. Number answers never meet a criterion on their own, so no unit can be
  achieved on numbers alone.
- A **unit** is *Achieved* when every one of its criteria is met, else *Not yet achieved*. A higher grade
  (``higher_grades``, highest first; none by default) is given on top of Achieved when the learner's share of
  the unit's marks reaches its ``min_share``. The unit's marks are those of every task with a criterion in
  the unit, each task counted once, whatever number of criteria it maps to.
"""

from __future__ import annotations

import datetime as dt

import nbformat
import pandas as pd

from grading.authoring import rubric_id
from grading.autograde import submitted_learners
from grading.course import Course
from grading.gradebook import scores
from grading.marking import decisions, written_answer
from grading.repair import label

EVIDENCE_COLUMNS = ["learner", "assignment", "task", "title", "kind", "criterion", "score", "max", "state", "answer",
                    "comment", "date"]


def learners(course: Course) -> list[str]:
    """Every learner with a submission of any assignment."""
    return sorted({s for name in course.manifest["assignments"] for s in submitted_learners(course, name)})


def _when(course: Course, name: str, student: str) -> str:
    """The date a submission was handed in (nbgrader's timestamp.txt), else the day it was collected."""
    folder = course.root / "submitted" / student / name
    stamp = folder / "timestamp.txt"
    text = stamp.read_text().strip() if stamp.exists() else ""
    try:
        return dt.datetime.fromisoformat(text.replace(" UTC", "")).date().isoformat()
    except ValueError:
        return dt.date.fromtimestamp(folder.stat().st_mtime).isoformat()


def _verdicts(course: Course, name: str, student: str) -> dict[str, str]:
    """Task -> the marker's note on a number answer, from the autograded notebook (e.g. 'right: ...')."""
    out = {}
    for notebook in course.assignment(name)["notebooks"]:
        path = course.root / "autograded" / student / name / f"{notebook}.ipynb"
        if not path.exists():
            continue
        for cell in nbformat.read(path, as_version=4).cells:
            task = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            for output in cell.get("outputs", []):
                text = output.get("text") or output.get("evalue") or ""
                if task and text.startswith(f"{label(task)}: "):
                    out[task] = text[len(label(task)) + 2:].strip()
    return out


def evidence(course: Course) -> pd.DataFrame:
    """One row per learner, task and criterion it can evidence (see the module's rules for ``state``)."""
    rows = []
    for name, assignment in course.manifest["assignments"].items():
        for student in submitted_learners(course, name):
            if not (course.root / "autograded" / student / name).is_dir():
                continue
            got, made = scores(course, name, student), decisions(course, name, student)
            notes, date = _verdicts(course, name, student), _when(course, name, student)
            for task, spec in assignment.get("tasks", {}).items():
                grade = got.get(task, {"score": 0.0, "max": float(spec["points"])})
                right = grade["score"] >= grade["max"] > 0
                for criterion in spec.get("criteria", []) or [None]:
                    rows.append({"learner": student, "assignment": name, "task": task, "title": task,
                                 "kind": "number", "criterion": criterion, "score": grade["score"],
                                 "max": grade["max"], "state": "right" if right else "not right",
                                 "answer": notes.get(task, ""), "comment": "", "date": date})
            for task, spec in assignment.get("written", {}).items():
                answer = written_answer(course, name, student, task)
                for criterion in spec["rubric"]:
                    made_here = made.get(rubric_id(task, criterion), {"state": "to mark", "comment": ""})
                    rows.append({"learner": student, "assignment": name, "task": task,
                                 "title": spec.get("title", task), "kind": "written", "criterion": criterion,
                                 "score": 1.0 if made_here["state"] == "met" else 0.0, "max": 1.0,
                                 "state": made_here["state"], "answer": answer, "comment": made_here["comment"],
                                 "date": date})
    return pd.DataFrame(rows, columns=EVIDENCE_COLUMNS)


def assessed(course: Course) -> set[str]:
    """The criteria some written task of the course has a marking point for."""
    return {c for a in course.manifest["assignments"].values() for w in a.get("written", {}).values()
            for c in w["rubric"]}


def criterion_states(course: Course, table: pd.DataFrame, people: list[str]) -> pd.DataFrame:
    """One row per learner and criterion: state (met / to mark / not yet met / not assessed yet)."""
    can = assessed(course)
    written = table[table["kind"] == "written"]
    rows = []
    for student in people:
        mine = written[written["learner"] == student]
        for cid, criterion in course.manifest["criteria"].items():
            states = set(mine.loc[mine["criterion"] == cid, "state"])
            state = ("met" if "met" in states else "to mark" if "to mark" in states
                     else "not yet met" if cid in can else "not assessed yet")
            rows.append({"learner": student, "unit": criterion["unit"], "criterion": cid, "state": state})
    return pd.DataFrame(rows, columns=["learner", "unit", "criterion", "state"])


def unit_outcomes(course: Course, table: pd.DataFrame, states: pd.DataFrame) -> pd.DataFrame:
    """One row per learner and unit: criteria met, outcome, share of the unit's marks, grade."""
    manifest = course.manifest
    unit_of = {cid: c["unit"] for cid, c in manifest["criteria"].items()}
    table = table.assign(unit=table["criterion"].map(unit_of))
    numbers = table[table["kind"] == "number"].drop_duplicates(["learner", "assignment", "task", "unit"])
    lines = table[table["kind"] == "written"]  # one row a marking point: each belongs to one criterion
    marks = pd.concat([numbers, lines]).groupby(["learner", "unit"])["score"].sum()
    unit_max = {unit: 0.0 for unit in manifest["units"]}
    for assignment in manifest["assignments"].values():
        for spec in assignment.get("tasks", {}).values():
            for unit in {unit_of[c] for c in spec.get("criteria", [])}:
                unit_max[unit] += float(spec["points"])
        for spec in assignment.get("written", {}).values():
            for criterion in spec["rubric"]:
                unit_max[unit_of[criterion]] += 1.0
    rows = []
    for (student, unit), group in states.groupby(["learner", "unit"], sort=False):
        got = float(marks.get((student, unit), 0.0))
        share = got / unit_max[unit] if unit_max[unit] else 0.0
        met = int((group["state"] == "met").sum())
        achieved = met == len(group)
        grade = "Achieved" if achieved else "Not yet achieved"
        if achieved:
            grade = next((g["grade"] for g in manifest.get("higher_grades") or [] if share >= g["min_share"] - 1e-9),
                         grade)
        rows.append({"learner": student, "unit": unit, "unit_title": manifest["units"][unit]["title"],
                     "criteria_met": met, "criteria": len(group), "to_mark": int((group["state"] == "to mark").sum()),
                     "outcome": "Achieved" if achieved else "Not yet achieved", "grade": grade,
                     "marks": got, "max_marks": unit_max[unit], "share": round(share, 3),
                     "missing": " ".join(group.loc[group["state"] != "met", "criterion"])})
    return pd.DataFrame(rows)


def outcomes(course: Course) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(evidence, criterion states, unit outcomes) for every learner of the course."""
    table = evidence(course)
    people = learners(course)
    states = criterion_states(course, table, people)
    return table, states, unit_outcomes(course, table, states)
