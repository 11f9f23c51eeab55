"""Put a learner's notebook back into the shape nbgrader needs, so one slip costs one task, not the notebook.

Learners paste a cell twice, split one, cut one, re-create a written answer in a new cell, or open the file
in a tool that drops cell metadata. nbgrader then stops on the whole notebook. ``RepairStructure`` runs
first in autograde, on the copy being graded (the learner's submitted file is never changed), and compares
the notebook with the released one:

- a task's cells that lost their nbgrader metadata get it back when the cell id still matches;
- a copy of a task's cell (pasted, split, or a duplicated id) becomes an ordinary cell; for a written
  answer, the parts are joined into the first so the tutor reads all of it;
- a written answer typed into a new cell where the old one was is taken as the answer;
- a cell that is missing (cut) is put back from the release, empty, and that task loses its mark only.

Each repair is noted in plain words in the notebook's metadata; ``CompareAnswers`` adds the note to that
task's verdict and the first cell of the graded copy lists them all for the tutor and the learner.
"""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat
from nbformat.v4 import new_markdown_cell
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

SLIPS = "retailkit_slips"


def task_of(grade_id: str) -> str:
    """The task a cell belongs to: ``kpis-1-1-conversion-york-answer`` -> ``kpis-1-1-conversion-york``."""
    for suffix in ("-answer", "-check", "-question", "-prompt"):
        if grade_id.endswith(suffix):
            return grade_id[: -len(suffix)]
    return grade_id


def label(grade_id: str) -> str:
    """How a learner names the task: 'Task 1.1', 'Written task W1'."""
    parts = task_of(grade_id).split("-")
    if len(parts) > 2 and parts[1].isdigit() and parts[2].isdigit():
        return f"Task {parts[1]}.{parts[2]}"
    if len(parts) > 1 and parts[1].startswith("w") and parts[1][1:].isdigit():
        return f"Written task {parts[1].upper()}"
    return f"Task {task_of(grade_id)}"


def _gid(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def repair(nb, release) -> tuple[object, dict[str, str]]:
    """Return the repaired notebook and the slips found, {task: what happened, in plain words}."""
    ref = [c for c in release.cells if _gid(c)]
    by_id = {_gid(c): c for c in ref}
    by_cell_id = {c.get("id"): c for c in ref if c.get("id")}
    slips: dict[str, str] = {}
    seen: dict[str, object] = {}
    cells = []
    for cell in nb.cells:
        gid = _gid(cell)
        if gid is None and cell.get("id") in by_cell_id:  # metadata lost, cell id kept
            model = by_cell_id[cell["id"]]
            if model.cell_type == cell.cell_type and _gid(model) not in seen:
                cell.metadata["nbgrader"] = copy.deepcopy(model.metadata["nbgrader"])
                gid = _gid(cell)
                slips.setdefault(task_of(gid), f"{label(gid)}: the notebook had lost its marking labels "
                                              "(opened in another program?); they were put back.")
        if gid is not None and (gid not in by_id or by_id[gid].cell_type != cell.cell_type):
            cell.metadata.pop("nbgrader", None)
            gid = None
        if gid is not None and gid in seen:
            first = seen[gid]
            cell.metadata.pop("nbgrader", None)
            meta = first.metadata["nbgrader"]
            if meta.get("solution") and cell.cell_type == "markdown":
                first.source = first.source.rstrip() + "\n\n" + cell.source
                slips[task_of(gid)] = (f"{label(gid)}: your answer was in more than one cell; the parts were "
                                       "joined so your tutor reads all of it.")
                continue
            what = "answer cell" if meta.get("solution") else "hand-in cell"
            slips[task_of(gid)] = (f"{label(gid)}: the {what} was copied or split; the first copy is the "
                                   "marked one and the other runs as an ordinary cell.")
        elif gid is not None:
            seen[gid] = cell
        cells.append(cell)
    # Cells still missing: a written answer typed in a new cell where the old one was, or a cut cell.
    for index, model in enumerate(ref):
        gid = _gid(model)
        if gid in seen:
            continue
        before = next((seen[_gid(m)] for m in reversed(ref[:index]) if _gid(m) in seen), None)
        at = cells.index(before) + 1 if before is not None else 0
        follower = cells[at] if at < len(cells) else None
        meta = model.metadata["nbgrader"]
        if (follower is not None and _gid(follower) is None and follower.cell_type == model.cell_type
                and meta.get("solution")):
            follower.metadata["nbgrader"] = copy.deepcopy(meta)
            seen[gid] = follower
            slips[task_of(gid)] = (f"{label(gid)}: your answer was in a new cell in the right place; it was "
                                   "taken as your answer.")
            continue
        restored = copy.deepcopy(model)
        cells.insert(at, restored)
        seen[gid] = restored
        if meta.get("solution"):
            slips[task_of(gid)] = (f"{label(gid)}: the answer cell was missing (cut or deleted), so there was "
                                   "no answer to mark; it has been put back empty.")
        elif meta.get("grade"):
            slips.setdefault(task_of(gid), f"{label(gid)}: the hand-in cell was missing from the submission; "
                                           "it was put back, so your answer was still marked.")
    nb.cells = cells
    return nb, slips


class RepairStructure(NbGraderPreprocessor):
    """First step of autograde: repair the notebook's structure against the release (see module docs)."""

    release_directory = Unicode("", help="The course's release/ folder.").tag(config=True)

    def preprocess(self, nb, resources):
        name, notebook = resources["nbgrader"]["assignment"], resources["nbgrader"]["notebook"]
        path = Path(self.release_directory) / name / f"{notebook}.ipynb"
        if not path.exists():
            return nb, resources
        nb, slips = repair(nb, nbformat.read(path, as_version=4))
        if slips:
            nb.metadata[SLIPS] = slips
            note = new_markdown_cell("**Notes from grading**\n\n" + "\n".join(f"- {s}" for s in slips.values()))
            note.metadata["retailkit"] = "slips"
            nb.cells.insert(0, note)
        return nb, resources
