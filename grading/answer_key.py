"""The answer key: run the source notebook (the solution) with papermill, in the grading process.

The expected value of every autograded task comes from actually running the course author's solution
on the data, so the key can never drift from the notebook. The key is written inside the course folder
(``keys/<assignment>.json``), which learners' kernels cannot see.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import time
from pathlib import Path

import nbformat
import papermill
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines

from grading.course import Course
from grading.preprocessors import LimitedRun, read_records
from grading.sandbox import Limits, Sandbox, manager_class


class _KeyClient(LimitedRun, PapermillNotebookClient):
    raise_on_stop = True


class SandboxEngine(NBClientEngine):
    """papermill's nbclient engine, with the kernel in the learners' sandbox and within their limits."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                 stderr_file=None, start_timeout=60, execution_timeout=None, **kwargs):
        box: Sandbox = kwargs["box"]
        client = _KeyClient(nb_man, kernel_name=kernel_name, kernel_manager_class=manager_class(box),
                            startup_timeout=start_timeout, log_output=log_output, stdout_file=stdout_file,
                            stderr_file=stderr_file)
        client.start_limits(box.limits)
        return client.execute()


papermill_engines.register("retailkit-sandbox", SandboxEngine)


def run_source(notebook: Path, workdir: Path, parameters: dict | None = None, visible: list[str] | None = None,
               limits: Limits | None = None, unsafe: bool = False):
    """Execute a source notebook top to bottom with papermill, sandboxed; return the executed notebook.

    The author's solution runs in the same sandbox and limits as a learner's notebook: nothing it starts
    outlives it, and nothing else on the machine (another learner's process included) can reach it.
    """
    out = workdir / f"{notebook.stem}.executed.ipynb"
    with Sandbox(list(visible or []), limits or Limits(), unsafe) as box:
        papermill.execute_notebook(str(notebook), str(out), parameters=parameters or {},
                                   engine_name="retailkit-sandbox", box=box, kernel_name="python3",
                                   progress_bar=False, log_output=False)
    return nbformat.read(out, as_version=4)


def digest(path: Path) -> str:
    """The SHA-256 of a key file, as hex."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build(course: Course, name: str) -> tuple[dict, float]:
    """Make the answer key for assignment ``name``; return it and the seconds the papermill run took."""
    assignment = course.assignment(name)
    tasks = assignment["tasks"]
    key: dict[str, dict] = {}
    start = time.perf_counter()
    course.keys.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=course.keys) as work:
        for notebook in assignment["notebooks"]:
            executed = run_source(course.root / "source" / name / f"{notebook}.ipynb", Path(work),
                                  visible=course.visible, limits=course.limits, unsafe=course.unsafe)
            found, readings = {}, {}
            for cell in executed.cells:
                for record in read_records(cell):
                    task, _, reading = str(record["task"]).partition("~")
                    target = readings.setdefault(task, {}) if reading else found
                    if (reading or task) in target:
                        raise ValueError(f"{notebook}: {record['task']} is recorded twice")
                    target[reading or task] = record
            key[notebook] = {}
            for task_id, spec in tasks.items():
                if task_id not in found:
                    continue
                value = found[task_id]["value"]
                if value is None:
                    raise ValueError(f"{notebook}: the solution for {task_id} gives no number")
                entry = {"expected": value, "decimals": spec["decimals"], "form": spec.get("form", "number"),
                         "hint": spec.get("hint", "")}
                declared, got = spec.get("readings", {}), readings.get(task_id, {})
                if set(declared) != set(got):
                    raise ValueError(f"{notebook}: {task_id} declares readings {sorted(declared)} in "
                                     f"grading/course.yml but the solution records {sorted(got)}")
                if declared:
                    entry["readings"] = {name: {"value": got[name]["value"], "says": declared[name]["says"]}
                                         for name in sorted(declared)}
                key[notebook][task_id] = entry
            missing = (set(found) | set(readings)) - set(tasks)
            if missing:
                raise ValueError(f"{notebook}: tasks {sorted(missing)} are not in grading/course.yml")
    recorded = {t for nb in key.values() for t in nb}
    absent = set(tasks) - recorded
    if absent:
        raise ValueError(f"{name}: the source notebooks never record {sorted(absent)}")
    path = course.keys / f"{name}.json"
    path.write_text(json.dumps(key, indent=1, sort_keys=True))
    path.chmod(0o600)
    course.key_digests[name] = digest(path)  # CompareAnswers refuses a key that differs from this
    path.with_suffix(".sha256").write_text(course.key_digests[name] + "\n")  # for plain nbgrader runs
    return key, time.perf_counter() - start
