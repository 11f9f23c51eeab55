"""The tutor's marking of written answers: one decision a marking point, in formgrader or in a CSV file.

Each written task has a rubric in ``grading/course.yml``: the marking points (criteria) it can evidence,
what "met" looks like, and indicative content for the tutor. In the notebook each marking point is an
nbgrader *task* cell worth 1 point, so formgrader shows, under the learner's answer, one score box and one
comment box a marking point: 1 = met, 0 = not yet met ("Full credit" / "No credit" do the same).

Tutors who mark offline use a CSV file instead: ``python -m grading marking <assignment> export`` writes one
row per learner and marking point with the learner's answer, the rubric and any decision made so far;
the tutor fills in ``decision`` (``met`` or ``not yet``) and ``comment``; ``marking <assignment> import`` writes them
into the same gradebook fields formgrader uses, so both routes reach the report and the portfolio. An
empty decision changes nothing, so a file never wipes a mark made in formgrader.
"""

from __future__ import annotations

import csv
import html
from pathlib import Path

import nbformat

from grading.authoring import rubric_id
from grading.course import Course
from grading.gradebook import submitted_notebooks

NO_ANSWER = "No answer was written for this task."
COLUMNS = ["learner_id", "assignment", "task", "criterion", "criterion_text", "met_when", "indicative_content",
           "answer", "decision", "comment"]
DECISIONS = {"met": 1.0, "not yet": 0.0, "not yet met": 0.0}


def rubric_lines(course: Course, name: str):
    """(task, criterion, grade_id, rubric line) for every marking point of the assignment's written tasks."""
    for task, spec in course.assignment(name).get("written", {}).items():
        for criterion, line in spec["rubric"].items():
            yield task, criterion, rubric_id(task, criterion), line


def written_answer(course: Course, name: str, student: str, task: str) -> str:
    """The learner's written answer as they submitted it (markdown text), or ''."""
    for notebook in course.assignment(name)["notebooks"]:
        path = course.root / "submitted" / student / name / f"{notebook}.ipynb"
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception:  # noqa: BLE001 - a missing or damaged file has no answer
            continue
        for cell in nb.cells:
            if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == task:
                return cell.source.strip()
    return ""


def settle(course: Course, name: str, student: str) -> None:
    """After autograde: nothing to mark in a 0-point answer cell; a blank answer meets no marking point.

    Decisions a tutor has already made are never changed.
    """
    written = course.assignment(name).get("written", {})
    with submitted_notebooks(course, name, student) as (gb, notebooks):
        for submitted in notebooks:
            grades = {g.name: g for g in submitted.grades}
            comments = {c.name: c for c in submitted.comments}
            for task in written:
                answer = grades.get(task)
                if answer is None:
                    continue
                blank = answer.auto_score == 0  # nbgrader: the cell is as it was released
                if answer.max_score == 0 and answer.manual_score is None:
                    answer.manual_score, answer.needs_manual_grade = 0.0, False
                for criterion in written[task]["rubric"]:
                    line = grades.get(rubric_id(task, criterion))
                    if blank and line is not None and line.manual_score is None:
                        line.manual_score, line.needs_manual_grade = 0.0, False
                        comment = comments.get(rubric_id(task, criterion))
                        if comment is not None and not comment.manual_comment:
                            comment.manual_comment = NO_ANSWER
            gb.db.commit()


def decisions(course: Course, name: str, student: str) -> dict[str, dict]:
    """grade_id of each marking point -> {"state": met / not yet / to mark, "comment": the tutor's words}."""
    out = {}
    with submitted_notebooks(course, name, student) as (_, notebooks):
        for submitted in notebooks:
            comments = {c.name: c.manual_comment or "" for c in submitted.comments}
            for grade in submitted.grades:
                if grade.cell_type != "markdown" or grade.max_score == 0:
                    continue
                if grade.manual_score is None or grade.needs_manual_grade:
                    state = "to mark"
                else:
                    state = "met" if grade.manual_score >= grade.max_score else "not yet"
                out[grade.name] = {"state": state, "comment": comments.get(grade.name, "")}
    return out


def export_csv(course: Course, name: str, learners: list[str], path: Path) -> Path:
    """Write the offline marking sheet for ``learners``: one row a learner and marking point."""
    criteria = course.manifest["criteria"]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, COLUMNS)
        writer.writeheader()
        for student in learners:
            made = decisions(course, name, student)
            for task, criterion, gid, line in rubric_lines(course, name):
                state = made.get(gid, {}).get("state", "to mark")
                writer.writerow({"learner_id": student, "assignment": name, "task": task, "criterion": criterion,
                                 "criterion_text": criteria[criterion]["text"], "met_when": line["met"],
                                 "indicative_content": line.get("indicative", ""),
                                 "answer": written_answer(course, name, student, task),
                                 "decision": "" if state == "to mark" else state,
                                 "comment": made.get(gid, {}).get("comment", "")})
    return path


def import_csv(course: Course, name: str, path: Path) -> list[str]:
    """Write the decisions and comments of a marking sheet into the gradebook; return what changed.

    Every row is checked before anything is written: an unknown learner, task or marking point, or a
    decision other than ``met`` / ``not yet``, stops the import and names the row.
    """
    from nbgrader.api import Gradebook, MissingEntry

    lines = {(task, criterion): gid for task, criterion, gid, _ in rubric_lines(course, name)}
    rows, problems = [], []
    with path.open(newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        missing = {"learner_id", "task", "criterion", "decision", "comment"} - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{path} lacks the column(s) {', '.join(sorted(missing))}: start from the file "
                             f"`python -m grading marking {name} export` writes")
        for number, row in enumerate(reader, 2):
            if row.get("assignment") and row["assignment"] != name:
                problems.append(f"row {number}: assignment {row['assignment']!r}, not {name!r}")
                continue
            gid = lines.get((row["task"], row["criterion"]))
            decision = (row["decision"] or "").strip().lower()
            if gid is None:
                problems.append(f"row {number}: {row['task']} has no marking point {row['criterion']}")
            elif decision and decision not in DECISIONS:
                problems.append(f"row {number}: decision must be 'met' or 'not yet' (or empty), got {decision!r}")
            elif decision or (row.get("comment") or "").strip():
                rows.append((number, row["learner_id"], gid, decision, (row.get("comment") or "").strip()))
    changes = []
    with Gradebook(course.db_url, course.manifest["course_id"]) as gb:
        found = []
        for number, student, gid, decision, comment in rows:
            try:
                notebook = next(nb for nb in course.assignment(name)["notebooks"]
                                if gid in {g.name for g in gb.find_submission_notebook(nb, name, student).grades})
                found.append((student, gid, decision, comment, gb.find_grade(gid, notebook, name, student),
                              gb.find_comment(gid, notebook, name, student)))
            except (MissingEntry, StopIteration):
                problems.append(f"row {number}: learner {student!r} has no graded submission of {name}")
        if problems:
            raise ValueError(f"{path}: nothing was imported; fix these rows first:\n  " + "\n  ".join(problems))
        for student, gid, decision, comment, grade, note in found:
            if decision and grade.manual_score != DECISIONS[decision] or decision and grade.needs_manual_grade:
                grade.manual_score, grade.needs_manual_grade = DECISIONS[decision], False
                changes.append(f"{student} {gid}: {decision}")
            if comment and comment != (note.manual_comment or ""):
                note.manual_comment = comment
                changes.append(f"{student} {gid}: comment")
        gb.db.commit()
    return changes


def guide(course: Course, name: str, path: Path) -> Path:
    """The tutor's marking guide for ``name`` (HTML): each written task's marking points and indicative content."""
    assignment = course.assignment(name)
    criteria = course.manifest["criteria"]
    parts = [f"<!doctype html><html lang='en-GB'><head><meta charset='utf-8'><title>Marking guide: "
             f"{html.escape(assignment['title'])}</title><style>body{{font-family:sans-serif;max-width:900px;"
             "margin:2em auto;line-height:1.4}dt{font-weight:bold;margin-top:1em}</style></head><body>",
             f"<h1>Marking guide (tutors only)</h1><p>{html.escape(assignment['title'])}. For each marking point "
             "record <b>met</b> (1) or <b>not yet met</b> (0) and a comment, in formgrader or in the CSV from "
             f"<code>python -m grading marking {html.escape(name)} export</code>. Indicative content is what an "
             "answer may contain, not a model answer: credit any answer that meets the point.</p>"]
    for task, spec in assignment.get("written", {}).items():
        parts.append(f"<h2>{html.escape(spec.get('title', task))} <small>({html.escape(task)})</small></h2><dl>")
        for criterion, line in spec["rubric"].items():
            parts.append(f"<dt>{criterion}: {html.escape(criteria[criterion]['text'])}</dt>"
                         f"<dd><p><i>Met when:</i> {html.escape(line['met'])}</p>"
                         f"<p><i>Indicative content:</i> {html.escape(line.get('indicative', '(none given)'))}"
                         "</p></dd>")
        parts.append("</dl>")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(parts) + "</body></html>", encoding="utf-8")
    return path
