"""nbgrader preprocessors that keep the learner's kernel from judging itself.

Wired into ``Autograde.autograde_preprocessors`` by ``grading/nbgrader_config.py``:

- ``SandboxedExecute`` runs the submission in the kernel sandbox (see ``grading.sandbox``).
- ``CompareAnswers`` runs next, in the grading process: it reads the answers the autograder cells
  reported with ``retailkit.answers.record``, marks them against the answer key with
  ``grading.compare.judge`` and replaces each autograder cell's output with the verdict. nbgrader's own
  ``SaveAutoGrades`` then scores the cells from those outputs as usual (an error scores 0, a number is
  partial credit, anything else full marks), so the gradebook and formgrader show every mark.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from nbformat import NotebookNode
from nbgrader.preprocessors import Execute, NbGraderPreprocessor
from nbgrader.utils import is_grade, is_solution
from traitlets import List, Unicode

from grading.compare import judge
from grading.sandbox import Sandbox, SandboxKernelManager
from retailkit.answers import MARKER, MIME


class SandboxedExecute(Execute):
    """Execute the notebook in a sandboxed kernel, in a private folder outside the course."""

    hidden_paths = List(Unicode(), help="Folders the learner's kernel must not see.").tag(config=True)
    read_only_paths = List(Unicode(), help="Folders the learner's kernel must not change.").tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        workdir = tempfile.mkdtemp(prefix="rk-grade-")
        box = Sandbox(list(self.hidden_paths), list(self.read_only_paths), workdir)
        self.kernel_manager_class = type("BoxedKernelManager", (SandboxKernelManager,), {"sandbox": box})
        resources = dict(resources or {})
        original = dict(resources.get("metadata", {}))
        resources["metadata"] = {**original, "path": workdir}
        try:
            nb, resources = super().preprocess(nb, resources, km=km)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        resources["metadata"] = original
        return nb, resources


def read_records(cell) -> list[dict]:
    """The answers a cell reported with ``record``: its data field in a notebook, or marker lines."""
    found = []
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if output.get("output_type") in ("display_data", "execute_result") and MIME in data:
            payload = data[MIME]
            ok = isinstance(payload, dict) and isinstance(payload.get("value"), (int, float, type(None)))
            found.append(payload if ok else {"task": payload.get("task") if isinstance(payload, dict) else None,
                                              "value": None, "problem": "the answer could not be read"})
            continue
        if output.get("output_type") != "stream" or output.get("name") != "stdout":
            continue
        for line in output.get("text", "").splitlines():
            if line.startswith(MARKER):
                try:
                    found.append(json.loads(line[len(MARKER):]))
                except json.JSONDecodeError:
                    found.append({"task": None, "value": None, "problem": "the answer could not be read"})
    return found


def verdict_outputs(task: str, share: float, points: float, message: str) -> list[NotebookNode]:
    """The outputs nbgrader will score: an error for 0, a number for partial credit, text for full."""
    text = f"{task}: {message}"
    if share <= 0:
        return [NotebookNode(output_type="error", ename="NotCorrect", evalue=text, traceback=[text])]
    shown = [NotebookNode(output_type="stream", name="stdout", text=text + "\n")]
    if share < 1:
        shown.append(NotebookNode(output_type="execute_result", execution_count=None, metadata={},
                                  data={"text/plain": repr(round(share * points, 4))}))
    return shown


class CompareAnswers(NbGraderPreprocessor):
    """Mark reported answers against the answer key, outside the learner's kernel."""

    key_directory = Unicode(
        "", help="Folder holding <assignment>.json answer keys (inside the course folder, hidden from "
                 "learners' kernels).").tag(config=True)

    def preprocess(self, nb, resources):
        assignment = resources["nbgrader"]["assignment"]
        notebook = resources["nbgrader"]["notebook"]
        path = Path(self.key_directory) / f"{assignment}.json"
        if not path.exists():
            raise FileNotFoundError(f"no answer key at {path}: run `validate` or `autograde` through the "
                                    "course tool, which makes it")
        key = json.loads(path.read_text())[notebook]
        for cell in nb.cells:
            if cell.cell_type != "code" or not is_grade(cell) or is_solution(cell):
                continue
            task = cell.metadata.nbgrader["grade_id"]
            spec = key.get(task)
            if spec is None:
                raise KeyError(f"autograder cell {task!r} has no entry in the answer key {path}")
            points = float(cell.metadata.nbgrader["points"])
            records = [r for r in read_records(cell) if r.get("task") == task]
            if len(records) != 1:
                problem = "no answer was reported" if not records else "the answer was reported more than once"
                verdict = judge(None, spec, problem)
            else:
                verdict = judge(records[0].get("value"), spec, records[0].get("problem"))
            cell.outputs = verdict_outputs(task, verdict.share, points, verdict.message)
        return nb, resources
