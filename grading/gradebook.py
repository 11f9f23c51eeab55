"""Reading and writing nbgrader's gradebook for the course tool: marks per grade cell, learners' names."""

from __future__ import annotations

import re
from contextlib import contextmanager

from grading.course import Course


@contextmanager
def submitted_notebooks(course: Course, name: str, student: str):
    """An open gradebook and the learner's graded notebooks of assignment ``name`` (commit to keep changes)."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(course.db_url, course.manifest["course_id"]) as gb:
        found = []
        for notebook in course.assignment(name)["notebooks"]:
            try:
                found.append(gb.find_submission_notebook(notebook, name, student))
            except MissingEntry:
                continue
        yield gb, found


def scores(course: Course, name: str, student: str) -> dict[str, dict]:
    """Per grade cell: score, max_score, cell type and whether it still needs a tutor's mark."""
    out = {}
    with submitted_notebooks(course, name, student) as (_, notebooks):
        for submitted in notebooks:
            for grade in submitted.grades:
                out[grade.name] = {"score": float(grade.score or 0.0), "max": float(grade.max_score),
                                   "type": grade.cell_type, "needs_manual": bool(grade.needs_manual_grade),
                                   "auto": grade.auto_score, "manual": grade.manual_score}
    return out


def name_learners(course: Course, names: dict[str, str]) -> None:
    """Keep each learner's name as handed in (first word, the rest) in the gradebook, for formgrader."""
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url, course.manifest["course_id"]) as gb:
        for student, person in names.items():
            person = re.sub(r"[<>&\"`]", "", person)  # a name is shown in formgrader's pages: no markup
            first, _, last = person.strip().partition(" ")
            gb.update_or_create_student(student, first_name=first, last_name=last)
