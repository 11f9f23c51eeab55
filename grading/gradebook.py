"""Reading and writing nbgrader's gradebook for the course tool: marks per grade cell, learners' names."""

from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path

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


_held = {"depth": 0, "fd": -1, "path": ""}


def one_writer(lock_file: str | Path) -> None:
    """From now on, in this process, an nbgrader gradebook is open only while holding ``lock_file``.

    Several processes grading into one SQLite gradebook take turns: each holds an exclusive lock on the file
    from opening a ``Gradebook`` to closing it (nbgrader opens one for moments, never while a notebook
    runs), so no writer meets "database is locked" and no write is lost. Nested gradebooks in one process
    share the lock. A database server (PostgreSQL) takes concurrent writers and needs none of this.
    """
    import fcntl
    import os

    from nbgrader import api

    _held["path"] = str(lock_file)
    if getattr(api.Gradebook, "_one_writer", False):
        return
    opened, closed = api.Gradebook.__init__, api.Gradebook.close

    def acquire() -> None:
        if _held["depth"] == 0 and os.path.isdir(os.path.dirname(_held["path"])):  # (a course folder removed
            fd = os.open(_held["path"], os.O_RDWR | os.O_CREAT, 0o600)           # since: nothing to share)
            fcntl.flock(fd, fcntl.LOCK_EX)
            _held["fd"] = fd
        _held["depth"] += 1

    def __init__(self, *args, **kwargs):  # noqa: N807 - wraps nbgrader's method of the same name
        acquire()
        try:
            opened(self, *args, **kwargs)
        except BaseException:
            release()
            raise

    def close(self):
        try:
            closed(self)
        finally:
            release()

    api.Gradebook.__init__, api.Gradebook.close, api.Gradebook._one_writer = __init__, close, True


def release(everything: bool = False) -> None:
    """Give up this process's hold on the gradebook lock (all of it with ``everything``: after a run)."""
    import fcntl
    import os

    if _held["depth"] == 0:
        return
    _held["depth"] = 0 if everything else _held["depth"] - 1
    if _held["depth"] == 0 and _held["fd"] >= 0:
        fcntl.flock(_held["fd"], fcntl.LOCK_UN)
        os.close(_held["fd"])
        _held["fd"] = -1
