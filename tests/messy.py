"""Honest but messy hand-ins, as retail staff make them, generated from the release notebook.

Every learner here answers every task right unless the case says otherwise, so any mark lost is the
slip's doing. ``write`` makes the notebooks; ``CASES`` says what each learner did and what they should
get. Run by ``tests/test_messy_submissions.py``.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell

from grading import cohort
from grading.course import Course

# learner -> (what they did, autograded marks out of 13 they should get)
CASES = {
    "copied-answer": ("pasted task 1.1's answer cell twice", 13),
    "split-answer": ("split task 1.2's answer cell in two", 13),
    "cut-task": ("cut task 1.3's answer cell", 12),
    "recreated-written": ("deleted a written-answer cell and wrote the answer in a new cell", 13),
    "duplicate-grade-id": ("copied task 1.1's hand-in cell", 13),
    "stripped-metadata": ("opened it in another tool that removed all cell metadata", 13),
    "exit-last-cell": ("added os._exit() in the last cell", 13),
    "honest-forms": ("typed Decimal, text, '19.5%', a list and a one-value table", 13),
    "shadowed-helper": ("named a variable `record`", 13),
    "sleepy": ("left three time.sleep(120) cells in: the time limit stops the notebook after task 1.1", 1),
}


def _cells(nb) -> dict[str, int]:
    return {c.get("id"): i for i, c in enumerate(nb.cells)}


def write(course: Course, out: Path, name: str = "retail_kpis") -> Path:
    """Write ``out/<learner>/<name>.ipynb`` for every case; return ``out``."""
    key = json.loads((course.keys / f"{name}.json").read_text())[name]
    for learner in CASES:
        nb = nbformat.read(course.root / "release" / name / f"{name}.ipynb", as_version=4)
        answers = cohort.answer_cells(nb)
        values = cohort.answers_for("amira", key, [t for t in key if t in answers])
        names = {task: cohort.variable(cell) for task, cell in answers.items()}
        for task, value in values.items():
            answers[task].source = f"{names[task]} = {value!r}"
        at = _cells(nb)
        if learner == "copied-answer":
            i = at["1-1-conversion-york-answer"]
            nb.cells.insert(i + 1, copy.deepcopy(nb.cells[i]))
            nb.cells[i + 1].id = "copy-of-answer"
        elif learner == "split-answer":
            i = at["1-2-atv-bristol-answer"]
            first, second = copy.deepcopy(nb.cells[i]), copy.deepcopy(nb.cells[i])
            first.source, second.source = "x = 1  # my working", nb.cells[i].source
            second.id = "split-second-half"
            nb.cells[i:i + 1] = [first, second]
        elif learner == "cut-task":
            del nb.cells[at["1-3-upt-leeds-answer"]]
        elif learner == "recreated-written":
            i = next(i for i, c in enumerate(nb.cells) if c.cell_type == "markdown"
                     and c.metadata.get("nbgrader", {}).get("solution"))
            nb.cells[i] = new_markdown_cell(cohort.WRITTEN["kpis-w1-which-shop"])
        elif learner == "duplicate-grade-id":
            i = at["1-1-conversion-york"]
            nb.cells.insert(i + 1, copy.deepcopy(nb.cells[i]))
            nb.cells[i + 1].id = "copy-of-record"
        elif learner == "stripped-metadata":
            for cell in nb.cells:
                cell.metadata = {}
        elif learner == "exit-last-cell":
            nb.cells.append(new_code_cell("import os\nos._exit(0)"))
        elif learner == "honest-forms":
            forms = ["__import__('decimal').Decimal({v!r})", "{v!r}", "[{v!r}]", "__import__('pandas').DataFrame("
                     "{{'answer': [{v!r}]}})"]
            for n, (task, value) in enumerate(values.items()):
                var = names[task]
                if key[task]["form"] == "fraction" and n % 2:
                    answers[task].source = f"{var} = '{round(100 * value, key[task]['decimals'])}%'"
                else:
                    answers[task].source = f"{var} = " + forms[n % len(forms)].format(v=str(value) if n % 4 == 1
                                                                                      else value)
        elif learner == "shadowed-helper":
            nb.cells.insert(at["setup"] + 1, new_code_cell("record = 'my best week'\ncheck = 5"))
        elif learner == "sleepy":
            for cell_id in ("1-1-conversion-york-check", "1-2-atv-bristol-check", "1-3-upt-leeds-check"):
                if cell_id in at:
                    nb.cells.insert(_cells(nb)[cell_id] + 1, new_code_cell("import time\ntime.sleep(120)"))
        (out / learner).mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, out / learner / f"{name}.ipynb")
    return out
