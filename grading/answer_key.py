"""The answer key: run the source notebook (the solution) with papermill, in the grading process.

The expected value of every autograded task comes from actually running the course author's solution
on the data, so the key can never drift from the notebook. The key is written inside the course folder
(``keys/<assignment>.json``), which learners' kernels cannot see.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import nbformat
import papermill

from grading.course import Course
from grading.preprocessors import read_records


def run_source(notebook: Path, workdir: Path, parameters: dict | None = None):
    """Execute a source notebook top to bottom with papermill; return the executed notebook."""
    out = workdir / f"{notebook.stem}.executed.ipynb"
    papermill.execute_notebook(str(notebook), str(out), parameters=parameters or {}, cwd=str(notebook.parent),
                               kernel_name="python3", progress_bar=False, log_output=False)
    return nbformat.read(out, as_version=4)


def build(course: Course, name: str) -> tuple[dict, float]:
    """Make the answer key for assignment ``name``; return it and the seconds the papermill run took."""
    assignment = course.assignment(name)
    tasks = assignment["tasks"]
    key: dict[str, dict] = {}
    start = time.perf_counter()
    course.keys.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=course.keys) as work:
        for notebook in assignment["notebooks"]:
            executed = run_source(course.root / "source" / name / f"{notebook}.ipynb", Path(work))
            found = {}
            for cell in executed.cells:
                for record in read_records(cell):
                    if record["task"] in found:
                        raise ValueError(f"{notebook}: task {record['task']} is recorded twice")
                    found[record["task"]] = record
            key[notebook] = {}
            for task_id, spec in tasks.items():
                if task_id not in found:
                    continue
                value = found[task_id]["value"]
                if value is None:
                    raise ValueError(f"{notebook}: the solution for {task_id} gives no number")
                key[notebook][task_id] = {"expected": value, "decimals": spec["decimals"],
                                          "form": spec.get("form", "number"), "hint": spec.get("hint", "")}
            missing = set(found) - set(tasks)
            if missing:
                raise ValueError(f"{notebook}: tasks {sorted(missing)} are not in grading/course.yml")
    recorded = {t for nb in key.values() for t in nb}
    absent = set(tasks) - recorded
    if absent:
        raise ValueError(f"{name}: the source notebooks never record {sorted(absent)}")
    path = course.keys / f"{name}.json"
    path.write_text(json.dumps(key, indent=1, sort_keys=True))
    path.chmod(0o600)
    return key, time.perf_counter() - start
