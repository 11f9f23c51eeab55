"""The answer key: run the source notebook (the solution) on the data, in the grading sandbox.

The expected value of every autograded task comes from actually running the course author's solution
on the data, so the key can never drift from the notebook. The key is written inside the course folder
(``keys/<assignment>.json``), which learners' kernels cannot see.

The canonical key is made by papermill (the notebook in a kernel, top to bottom). A learner's variant key
(``keys/<assignment>@<seed>.json``) is made by running the notebook's code cells as one Python script in
the same sandbox with ``RETAILKIT_VARIANT=<seed>``: about four times faster, and ``validate`` proves that
the script and papermill give the same canonical key. Every key is kept while the source notebook and its
manifest entry are unchanged (their SHA-256 is stored beside the key), so a cohort runs the solution once
per learner at most, and grading one late learner again does not run it at all; ``validate`` and the
self-check file always run the solution afresh (``fresh=True``).
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import papermill
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines

from grading import variants
from grading.course import Course
from grading.preprocessors import LimitedRun, key_path, read_records
from grading.sandbox import DATA_INSIDE, Limits, Sandbox, manager_class
from retailkit.answers import MARKER


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
                                   progress_bar=False, log_output=False, request_save_on_cell_execute=False)
    return nbformat.read(out, as_version=4)


def digest(path: Path) -> str:
    """The SHA-256 of a key file, as hex."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def solution_script(notebook: Path) -> str:
    """The code cells of a source notebook as one script (cells tagged ``explore`` and shell lines left out)."""
    cells = nbformat.read(notebook, as_version=4).cells
    return "\n\n".join("\n".join(line for line in c.source.splitlines() if not line.lstrip().startswith(("%", "!")))
                       for c in cells if c.cell_type == "code" and "explore" not in c.metadata.get("tags", []))


SECTION = "#retailkit-script:"  # a line that starts each script's part of the output
STOPPED = "#retailkit-stopped:"  # a line saying the script stopped on an error, and which
VARIANT = "#retailkit-variant:"  # a line that starts each variant's part of the output


# The Python that runs the solutions on each variant (``run_variants``): the imports once, then a fork a variant.
DRIVER = """
import json, os, sys, traceback
import pandas, matplotlib.pyplot, retailkit
for seed, data in {runs!r}:
    pid = os.fork()
    if pid:
        os.waitpid(pid, 0)
        continue
    if seed is not None:
        os.environ["RETAILKIT_VARIANT"] = str(seed)
    if data:
        os.environ["RETAILKIT_VARIANT_DATA"] = data
    print({VARIANT!r} + json.dumps(seed), flush=True)
    for name, script in {scripts!r}:
        print({SECTION!r} + name, flush=True)
        try:
            exec(compile(script, name, "exec"), {{"__name__": "__main__"}})
        except BaseException as error:
            print({STOPPED!r} + json.dumps(traceback.format_exception_only(error)[-1].strip()))
    print({VARIANT!r} + "finished", flush=True)
    os._exit(0)
"""


def run_scripts(scripts: dict[str, str], visible: list[str], limits: Limits, unsafe: bool, seed: int | None,
                data: Path | None = None) -> dict[str, list[dict] | str]:
    """Run solution scripts one after another in one sandboxed Python, imports and data loaded once.

    They run on variant ``seed``, its tables prepared in ``data`` if given. Returns each script's records
    (``record`` markers), or the error it stopped on (a string); each script runs in a namespace of its
    own, and one that stops does not stop the next.
    """
    return run_variants(scripts, visible, limits, unsafe, [seed], data)[seed]


def run_variants(scripts: dict[str, str], visible: list[str], limits: Limits, unsafe: bool,
                 seeds: list[int | None], data: Path | None = None) -> dict[int | None, dict[str, list[dict] | str]]:
    """``run_scripts`` on several variants in one sandbox, the imports made once.

    Each variant runs in a fresh copy of that Python (``os.fork``), so nothing one variant leaves behind
    reaches the next.

    ``data`` is one variant's prepared file (``grading.variants.prepared``), or the folder of those made for
    ``seeds`` (``<seed>.data``), lent read-only: only the author's solutions run here, never a learner's code.
    Returns the records for each seed.
    """
    inside = None if data is None else str(data) if unsafe else DATA_INSIDE
    if inside and data.is_dir():
        runs = [(seed, None if seed is None else f"{inside}/{int(seed)}.data") for seed in seeds]
    else:
        runs = [(seed, inside if seed is not None else None) for seed in seeds]
    driver = DRIVER.format(runs=runs, scripts=list(scripts.items()), VARIANT=VARIANT, SECTION=SECTION,
                           STOPPED=STOPPED)
    with Sandbox(visible, limits, unsafe, None, str(data) if data is not None else None) as box:
        run = subprocess.run(box.command([sys.executable, "-"]), input=driver, capture_output=True, text=True,
                             env=box.environment(), cwd=box.folder, preexec_fn=box.preexec,
                             start_new_session=True, timeout=limits.notebook_seconds * len(scripts) * len(seeds))
    found: dict[int | None, dict[str, list[dict] | str]] = {seed: {} for seed in seeds}
    seed, current, finished = None, None, set()
    for line in run.stdout.splitlines():
        if line == VARIANT + "finished":
            finished.add(seed)
        elif line.startswith(VARIANT):
            seed, current = json.loads(line[len(VARIANT):]), None
        elif line.startswith(SECTION):
            current = line[len(SECTION):]
            found[seed][current] = []
        elif line.startswith(STOPPED) and current is not None:
            found[seed][current] = f"the solution stopped on variant {seed}: {json.loads(line[len(STOPPED):])}"
        elif line.startswith(MARKER) and isinstance(found[seed].get(current), list):
            found[seed][current].append(json.loads(line[len(MARKER):]))
    tail = (run.stderr or run.stdout).strip().splitlines()
    for seed in seeds:  # a variant whose Python stopped: the script it was in, and those after it
        started = list(found[seed])
        for name in scripts:
            if name not in found[seed] or (seed not in finished and name == started[-1]):
                found[seed][name] = f"the solution stopped on variant {seed}: {tail[-1] if tail else 'it ended'}"
    return found


def script_records(course: Course, name: str, seed: int | None) -> dict[str, list[dict]]:
    """The records of each source notebook of ``name`` run as a script on variant ``seed``; raises if one stops."""
    notebooks = course.assignment(name)["notebooks"]
    scripts = {nb: solution_script(course.root / "source" / name / f"{nb}.ipynb") for nb in notebooks}
    found = run_scripts(scripts, course.visible, course.limits, course.unsafe, seed,
                        variants.prepared(course, seed) if seed is not None else None)
    for records in found.values():
        if isinstance(records, str):
            raise RuntimeError(records)
    return found


def source_digest(course: Course, name: str) -> str:
    """SHA-256 of what a key depends on: a kept key is valid while it holds.

    That is the source notebooks, their manifest entry, and the case-study data and ``retailkit`` code the
    solution runs on.
    """
    from retailkit.datasets import data_folder

    h = hashlib.sha256(json.dumps(course.assignment(name), sort_keys=True, default=str).encode())
    for notebook in course.assignment(name)["notebooks"]:
        h.update((course.root / "source" / name / f"{notebook}.ipynb").read_bytes())
    for path in sorted(data_folder().rglob("*")):
        if path.is_file():
            h.update(path.name.encode() + path.read_bytes())
    h.update(variants.code_digest().encode())
    return h.hexdigest()


def key_from_records(course: Course, name: str, notebook: str, records: list[dict]) -> dict:
    """The key entries of one notebook from the solution's records; raises when they disagree with the manifest."""
    tasks = course.assignment(name)["tasks"]
    found, readings = {}, {}
    for record in records:
        task, _, reading = str(record["task"]).partition("~")
        target = readings.setdefault(task, {}) if reading else found
        if (reading or task) in target:
            raise ValueError(f"{notebook}: {record['task']} is recorded twice")
        target[reading or task] = record
    key = {}
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
            entry["readings"] = {r: {"value": got[r]["value"], "says": declared[r]["says"]} for r in sorted(declared)}
        key[task_id] = entry
    missing = (set(found) | set(readings)) - set(tasks) - {"fact"}
    if missing:
        raise ValueError(f"{notebook}: tasks {sorted(missing)} are not in grading/course.yml")
    return key


def facts(records: list[dict]) -> dict[str, float | None]:
    """The facts a solution records about the data (``record("fact~<name>", value)``), for variant rules."""
    return {str(r["task"]).partition("~")[2]: r["value"] for r in records if str(r["task"]).startswith("fact~")}


def build(course: Course, name: str, seed: int | None = None, fresh: bool = False) -> tuple[dict, float]:
    """Make (or reuse) the answer key of ``name`` for variant ``seed``; return it and the seconds it took.

    A key made from the same source is reused unless ``fresh`` (run the solution again in any case).
    """
    assignment = course.assignment(name)
    start = time.perf_counter()
    course.keys.mkdir(parents=True, exist_ok=True)
    path = key_path(course.keys, name, seed)
    stamp = path.with_suffix(".source")
    made_from = source_digest(course, name)
    if not fresh and path.exists() and stamp.exists() and stamp.read_text().strip() == made_from:
        course.key_digests[path.stem] = digest(path)
        return json.loads(path.read_text()), time.perf_counter() - start
    key: dict[str, dict] = {}
    scripted = script_records(course, name, seed) if seed is not None else {}
    with tempfile.TemporaryDirectory(dir=course.keys) as work:
        for notebook in assignment["notebooks"]:
            records = scripted.get(notebook)
            if seed is None:
                executed = run_source(course.root / "source" / name / f"{notebook}.ipynb", Path(work),
                                      visible=course.visible, limits=course.limits, unsafe=course.unsafe)
                records = [r for cell in executed.cells for r in read_records(cell)]
            key[notebook] = key_from_records(course, name, notebook, records)
    absent = set(assignment["tasks"]) - {t for nb in key.values() for t in nb}
    if absent:
        raise ValueError(f"{name}: the source notebooks never record {sorted(absent)}")
    path.write_text(json.dumps(key, indent=1, sort_keys=True))
    path.chmod(0o600)
    stamp.write_text(made_from + "\n")
    course.key_digests[path.stem] = digest(path)  # CompareAnswers refuses a key that differs from this
    path.with_suffix(".sha256").write_text(course.key_digests[path.stem] + "\n")  # for plain nbgrader runs
    return key, time.perf_counter() - start
