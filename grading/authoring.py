"""One source per task: ``grading/course.yml`` says what a number task is; ``sync`` writes the cells that follow.

A course author writes, in the source notebook, the question (a markdown cell) and the answer cell:

    conversion_york = None  # replace None with your answer, a fraction to 3 decimal places
    ### BEGIN SOLUTION
    ...
    ### END SOLUTION

with nbgrader metadata ``grade_id: <task>-answer, solution: true`` (JupyterLab's "Create Assignment" tool, or
copy a cell), and one manifest entry: ``variable``, ``points``, ``decimals``, ``form``, ``hint``,
``criteria`` (and any other ``readings``). ``python -m grading sync <assignment>`` then writes, right after
each answer cell, the locked hand-in cell (``record``, with the task's points) and the check cell, with
their nbgrader metadata. It is idempotent (a second run changes nothing) and ``validate`` re-checks it. It
also checks that the answer cell's words agree with the declared rounding and form.

A written task is its question and its answer cell (markdown, ``grade_id: <task>``) and a ``rubric`` in the
manifest. ``sync`` writes, after the answer cell, one locked nbgrader *task* cell a marking point
(``<task>-mp-<criterion>``, 1 point: met or not yet met), so formgrader asks the tutor for each one, with a
comment box; the answer cell itself carries no points. Indicative content never goes into a notebook.
"""

from __future__ import annotations

import json
import re

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell


def words_for(decimals: int, form: str) -> list[str]:
    """The words an answer cell's comment must contain for this rounding and form.

    >>> words_for(3, "fraction"), words_for(1, "percent"), words_for(0, "number")
    (['a fraction', 'to 3 decimal places'], ['a percentage', 'to 1 decimal place'], ['a whole number'])
    """
    rounding = "a whole number" if decimals == 0 else f"to {decimals} decimal place{'s' if decimals != 1 else ''}"
    kind = {"fraction": ["a fraction"], "percent": ["a percentage"]}.get(form, [])
    return [*kind, rounding]


def _meta(grade_id: str, grade: bool, points: float | None = None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": True, "schema_version": 3, "solution": False}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def task_cells(task: str, spec: dict, cell_id: str) -> list:
    """The hand-in and check cells for ``task``, as generated."""
    var = spec["variable"]
    hand_in = new_code_cell(f'from retailkit.answers import record  # hands in your answer for marking\n'
                            f'record("{task}", {var})', metadata=_meta(task, True, spec["points"]))
    hand_in.id = cell_id
    check = new_code_cell(f'check("{task}", {var})', metadata=_meta(f"{task}-check", False))
    check.id = f"{cell_id}-check"
    return [hand_in, check]


def rubric_id(task: str, criterion: str) -> str:
    """The grade_id of a written task's marking point: ``kpis-w1-which-shop-mp-mcs-1``."""
    return f"{task}-mp-{criterion.lower()}"


def rubric_cells(task: str, spec: dict, criteria: dict, units: dict) -> list:
    """One locked nbgrader task cell for each marking point of written task ``task``."""
    cells = []
    for criterion, line in spec["rubric"].items():
        unit = units[criteria[criterion]["unit"]]["title"]
        meta = _meta(rubric_id(task, criterion), False, 1)
        meta["nbgrader"]["task"] = True
        cell = new_markdown_cell(f"**Marking point {criterion}** ({unit}): {criteria[criterion]['text']}\n\n"
                                 f"*Met when:* {line['met']}", metadata=meta)
        cell.id = rubric_id(task, criterion)
        cells.append(cell)
    return cells


def sync_notebook(nb, tasks: dict, written: dict | None = None, manifest: dict | None = None
                  ) -> tuple[list[str], list[str]]:
    """Bring the generated cells of ``nb`` in line with the tasks; return (changes, problems)."""
    changes, problems = [], []
    written = written or {}
    generated = set(tasks) | {f"{t}-check" for t in tasks}
    generated |= {rubric_id(t, c) for t, spec in written.items() for c in spec["rubric"]}
    answers = {}
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if gid.endswith("-answer") and gid[: -len("-answer")] in tasks:
            answers[gid[: -len("-answer")]] = cell
    before = [(c.get("id"), c.source, json.dumps(c.metadata, sort_keys=True)) for c in nb.cells]
    kept = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") not in generated]
    cells = []
    for cell in kept:
        cells.append(cell)
        gid = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if gid in written and cell.cell_type == "markdown":
            cell.metadata["nbgrader"]["points"] = 0  # the marks are on the marking points below
            cells += rubric_cells(gid, written[gid], manifest["criteria"], manifest["units"])
            answers[gid] = cell
            continue
        task = gid[: -len("-answer")] if gid.endswith("-answer") else None
        if task in tasks and task in answers:
            spec = tasks[task]
            first = cell.source.splitlines()[0] if cell.source else ""
            match = re.match(r"\s*(\w+)\s*=\s*None\s*#(.*)", first)
            if not match or match.group(1) != spec["variable"]:
                problems.append(f"{task}: the answer cell must start `{spec['variable']} = None  # ...`")
            else:
                missing = [w for w in words_for(int(spec["decimals"]), spec.get("form", "number"))
                           if w not in match.group(2)]
                if missing:
                    problems.append(f"{task}: the answer cell's words do not say {' and '.join(map(repr, missing))}"
                                    f" (grading/course.yml: {spec['decimals']} decimals, {spec.get('form', 'number')})")
            cells += task_cells(task, spec, (cell.get("id") or task).removesuffix("-answer"))
    nb.cells = cells
    after = [(c.get("id"), c.source, json.dumps(c.metadata, sort_keys=True)) for c in nb.cells]
    if after != before:
        old = {b[0]: b for b in before}
        for item in after:
            if old.get(item[0]) != item:
                changes.append(f"wrote cell {item[0]}")
    nb.metadata.setdefault("retailkit", {})["synced_tasks"] = sorted(answers)  # read back by sync()
    return changes, problems


def sync(course, name: str, write: bool = True) -> tuple[list[str], list[str]]:
    """Sync every notebook of assignment ``name`` with ``grading/course.yml``; return (changes, problems)."""
    assignment = course.assignment(name)
    all_changes, all_problems, found = [], [], set()
    for notebook in assignment["notebooks"]:
        path = course.notebooks / name / f"{notebook}.ipynb"
        nb = nbformat.read(path, as_version=4)
        changes, problems = sync_notebook(nb, assignment.get("tasks", {}), assignment.get("written", {}),
                                          course.manifest)
        found |= set(nb.metadata["retailkit"].pop("synced_tasks"))
        if not nb.metadata["retailkit"]:
            nb.metadata.pop("retailkit")
        all_changes += [f"{notebook}: {c}" for c in changes]
        all_problems += [f"{notebook}: {p}" for p in problems]
        if changes and write:
            nbformat.write(nb, path)
    for task in sorted(set(assignment.get("tasks", {})) - found):
        all_problems.append(f"{task}: no answer cell (grade_id {task}-answer) in any notebook of {name}")
    for task in sorted(set(assignment.get("written", {})) - found):
        all_problems.append(f"{task}: no written answer cell (markdown, grade_id {task}) in any notebook of {name}")
    return all_changes, all_problems
