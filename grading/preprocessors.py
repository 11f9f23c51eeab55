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

import functools
import hashlib
import json
import re
import time
from pathlib import Path
from types import SimpleNamespace

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.jsonutil import json_clean
from nbclient.output_widget import OutputWidget
from nbclient.util import ensure_async, run_sync
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute, NbGraderPreprocessor
from nbgrader.utils import is_grade, is_solution
from traitlets import Bool, Dict, Integer, List, Unicode

from grading.compare import judge
from grading.repair import SLIPS, label
from grading.sandbox import Limits, Sandbox, kept_box, manager_class
from retailkit.answers import MARKER, MIME, in_form


class WakeSafeOutputWidget(OutputWidget):
    """nbclient's stand-in for an Output widget, sending its updates through the asyncio shell socket.

    The cause of widget cells stalling until the cell time limit (nbclient issue #312): nbclient answers
    each output of an Output widget with a ``comm_msg`` on the shell channel, and jupyter_client's
    ``Session.send`` sends it through a plain synchronous shadow of the asyncio socket. That send can use
    up the socket's "message waiting" signal for an ``execute_reply`` that has just arrived, so the waiting
    coroutine is not woken until its timeout (jupyter_client PR #1059). Sending through the asyncio socket
    itself makes pyzmq look again. Measured: 7 stalls in 30 runs of the four widget cells before, 0 after.
    """

    def _publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys):
        content = json_clean(dict(data=data or {}, comm_id=self.comm_id, **keys))
        session = self.kernel_client.session
        msg = session.msg(msg_type, content=content, parent=self.parent_header, metadata=metadata or {})
        self.kernel_client.shell_channel.socket.send_multipart(session.serialize(msg))


EXPLORE = "explore"  # the tag of cells that only show what-if widgets: grading does not run them


class LimitedRun:
    """For an nbclient notebook client: stop cleanly at a limit, and keep what ran before it.

    A cell that runs past its limit, or past the notebook's, ends the kernel (and with it every process
    the notebook started); so does a kernel that dies (``os._exit``, the memory limit). The cell gets an
    error output naming the reason, the cells after it are not run and say so, and ``stopped`` holds the
    reason. Outputs beyond ``limits.output_mb`` are dropped with a note. With ``raise_on_stop`` the
    reason is raised instead (the answer key must never be built from a half-run solution).
    """

    limits: Limits = Limits()
    raise_on_stop = False
    stopped = ""
    _deadline: float | None = None
    _output_bytes = 0
    _output_cut = False

    def start_limits(self, limits: Limits) -> None:
        self.limits, self.stopped, self._deadline, self._output_bytes, self._output_cut = limits, "", None, 0, False
        self.skip_cells_with_tag = EXPLORE
        self.shutdown_kernel = "immediate"  # the PID namespace ends everything anyway: no need to wait

    async def async_start_new_kernel_client(self):
        kc = await super().async_start_new_kernel_client()
        self.kernel_manager_class.sandbox.seal()  # the kernel has made its sockets: no more files there
        return kc

    def _get_timeout(self, cell):
        left = (self._deadline or time.monotonic()) - time.monotonic()
        return max(1, int(min(self.limits.cell_seconds, left)))

    async def _async_handle_timeout(self, timeout, cell=None):
        over_notebook = self._deadline is not None and time.monotonic() >= self._deadline - 0.5
        self.stopped = (f"the notebook ran longer than its limit of {self.limits.notebook_seconds} seconds"
                        if over_notebook else
                        f"this cell ran longer than its limit of {self.limits.cell_seconds} seconds")
        await ensure_async(self.km.shutdown_kernel(now=True))
        raise CellTimeoutError(self.stopped)

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        if self._deadline is None:
            self._deadline = time.monotonic() + self.limits.notebook_seconds
            self.widget_registry = {**self.widget_registry,
                                    "@jupyter-widgets/output": {"OutputModel": WakeSafeOutputWidget}}
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "").endswith("-check"):
            cell.outputs = []  # the learner's self-check: it needs the release's selfcheck.json, and marks nothing
            return cell
        if self.stopped:
            if cell.cell_type == "code":
                cell.outputs = [NotebookNode(output_type="stream", name="stderr",
                                             text=f"Not run: grading stopped at an earlier cell ({self.stopped}).\n")]
            return cell
        try:
            return await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        except (DeadKernelError, CellTimeoutError) as error:
            if not self.stopped:
                self.stopped = ("the Python kernel stopped during this cell (os._exit, a crash, or the memory "
                                f"limit of {self.limits.memory_mb} MB)")
            if self.raise_on_stop:
                raise RuntimeError(f"cell {cell_index} stopped: {self.stopped}") from error
            text = f"Grading stopped here: {self.stopped}. Answers recorded before this cell are still marked."
            cell.outputs.append(NotebookNode(output_type="error", ename="GradingStopped", evalue=text,
                                             traceback=[text]))
            try:
                await ensure_async(self.km.shutdown_kernel(now=True))
            except Exception:  # noqa: BLE001 - it is already gone
                pass
            return cell

    execute_cell = run_sync(async_execute_cell)

    def output(self, outs, msg, display_id, cell_index):
        size = len(json.dumps(msg.get("content", {}), default=str))
        self._output_bytes += size
        small_answer = MIME in msg.get("content", {}).get("data", {}) and size < 10_000
        if self._output_bytes > self.limits.output_mb * 1024 * 1024 and not small_answer:
            if not self._output_cut:
                self._output_cut = True
                outs.append(NotebookNode(output_type="stream", name="stderr", text=(
                    f"Output cut: this notebook printed more than {self.limits.output_mb} MB.\n")))
            return None
        return super().output(outs, msg, display_id, cell_index)


class SandboxedExecute(LimitedRun, Execute):
    """Execute the notebook in a sandboxed kernel (see ``grading.sandbox``), within the limits."""

    visible_paths = List(Unicode(), help="What the learner's kernel may read (read-only).").tag(config=True)
    unsafe = Bool(False, help="Run without the sandbox (development only, never for learners' work).").tag(
        config=True)
    notebook_timeout = Integer(Limits.notebook_seconds, help="Seconds for the whole notebook.").tag(config=True)
    memory_mb = Integer(Limits.memory_mb, help="Memory for all the learner's processes, MB.").tag(config=True)
    processes = Integer(Limits.processes, help="Processes and threads.").tag(config=True)
    disk_mb = Integer(Limits.disk_mb, help="Size of the private home folder (and of /tmp), MB.").tag(config=True)
    output_mb = Integer(Limits.output_mb, help="Everything the notebook prints or shows, MB.").tag(config=True)
    variants = Dict(Integer(), help="Each learner's case-study seed (grading.variants): their kernel reads their "
                                    "own data. A learner not listed works on the canonical data.").tag(config=True)

    variant_data = Unicode("", help="The folder of the learners' prepared variants (grading.variants.prepared), "
                                     "lent read-only to each learner's own kernel.").tag(config=True)

    def sandbox_limits(self) -> Limits:
        return Limits(self.timeout, self.notebook_timeout, self.memory_mb, self.processes, self.disk_mb,
                      self.output_mb)

    def preprocess(self, nb, resources=None, km=None):
        self.start_limits(self.sandbox_limits())
        student = (resources or {}).get("nbgrader", {}).get("student")
        seed = self.variants.get(student)
        data = Path(self.variant_data) / f"{seed}.data" if seed is not None and self.variant_data else None
        data = str(data) if data and data.is_file() else None
        where = (list(self.visible_paths), self.limits, self.unsafe, seed, data)
        box = kept_box(student, *where) if student else None  # this learner's, when several are graded in a row
        if box is not None:
            return self._run(nb, resources, km, box)
        with Sandbox(*where) as box:
            return self._run(nb, resources, km, box)

    def _run(self, nb, resources, km, box: Sandbox):
        self.kernel_manager_class = manager_class(box)
        resources = dict(resources or {})
        original = dict(resources.get("metadata", {}))
        resources["metadata"] = {**original, "path": str(box.folder)}
        nb, resources = super().preprocess(nb, resources, km=km)
        resources["metadata"] = original
        resources["grading_stopped"] = self.stopped
        return nb, resources


def check_schema_once() -> None:
    """Make nbgrader check its cell-metadata schema once, not once per cell (0.7 s of CPU per notebook).

    nbgrader validates each grade cell's metadata with ``jsonschema.validate``, which first checks the
    schema itself, every time. Here the schema's validator is made once and kept; each cell's metadata is
    still validated in full, and the same (best-matching) error is raised.
    """
    import jsonschema
    from nbgrader.nbgraderformat import common

    if getattr(common.jsonschema, "kept", False):
        return
    validators: dict[int, jsonschema.protocols.Validator] = {}

    def validate(instance, schema):
        if id(schema) not in validators:
            kind = jsonschema.validators.validator_for(schema)
            kind.check_schema(schema)
            validators[id(schema)] = kind(schema)
        error = jsonschema.exceptions.best_match(validators[id(schema)].iter_errors(instance))
        if error is not None:
            raise error

    common.jsonschema = SimpleNamespace(validate=validate, kept=True)


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
    text = f"{label(task)}: {message}"
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
    key_digests = Dict(Unicode(), help="SHA-256 of each key (by file stem) as the course tool built it; a key "
                                       "that differs is refused.").tag(config=True)
    variants = Dict(Integer(), help="Each learner's case-study seed: their answers are marked against the key "
                                    "for their own data.").tag(config=True)
    answers_directory = Unicode("", help="Where each learner's reported values are kept (<assignment>/<learner>"
                                         ".json), for the copy check in the report.").tag(config=True)

    def preprocess(self, nb, resources):
        assignment = resources["nbgrader"]["assignment"]
        notebook = resources["nbgrader"]["notebook"]
        student = resources["nbgrader"].get("student")
        path = key_path(Path(self.key_directory), assignment, self.variants.get(student))
        if not path.exists():
            raise FileNotFoundError(f"no answer key at {path}: run `validate` or `autograde` through the "
                                    "course tool, which makes it")
        data = path.read_bytes()
        recorded = self.key_digests.get(path.stem)
        if recorded is None and path.with_suffix(".sha256").exists():
            recorded = path.with_suffix(".sha256").read_text().strip()
        if recorded is None or hashlib.sha256(data).hexdigest() != recorded:
            raise RuntimeError(f"the answer key {path} is not the one the course tool built: refusing to mark "
                               "with it (run autograde again to rebuild it)")
        key = json.loads(data)[notebook]
        stopped = resources.get("grading_stopped", "")
        given = {}
        slips = nb.metadata.get(SLIPS, {})
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
                if not records and stopped:
                    problem = f"grading stopped before this answer ({stopped})"
                verdict = judge(None, spec, problem)
            else:
                value = in_form(records[0].get("value"), records[0].get("unit"), spec.get("form", "number"))
                verdict = judge(value, spec, records[0].get("problem"))
                given[task] = value
            message = verdict.message + (f" ({slips[task]})" if task in slips else "")
            cell.outputs = verdict_outputs(task, verdict.share, points, message)
        if self.answers_directory and student:
            folder = Path(self.answers_directory) / assignment
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{student}.json").write_text(json.dumps({notebook: given}, sort_keys=True))
        return nb, resources


def key_path(directory: Path, assignment: str, seed: int | None = None) -> Path:
    """Where the answer key of ``assignment`` is kept: ``<assignment>.json``, or ``<assignment>@<seed>.json``."""
    return directory / (f"{assignment}.json" if seed is None else f"{assignment}@{int(seed)}.json")


# --- learner content is untrusted wherever a person looks at it ---------------------------------------------
SAFE_TAGS = {"a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "h1", "h2", "h3",
             "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "span", "strong", "sub", "sup",
             "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul"}
SAFE_ATTRIBUTES = {"a": ["href", "title"], "img": ["src", "alt", "title"], "td": ["colspan", "rowspan"],
                   "th": ["colspan", "rowspan"], "table": ["class"], "div": ["class"], "span": ["class"]}
BASE64 = re.compile(r"^[A-Za-z0-9+/=\s]*$")
UNSHOWN = re.compile(r"<(style|script)\b.*?(</\1\s*>|$)", re.IGNORECASE | re.DOTALL)


@functools.lru_cache(maxsize=4096)  # each learner's copy repeats the release's text: clean it once a process
def clean_html(text: str) -> str:
    """HTML with only harmless tags and attributes kept: no script, no event handlers, no javascript: links."""
    import bleach

    text = UNSHOWN.sub("", text)  # bleach keeps the text of a tag it strips: a style sheet would show as words
    return bleach.clean(text, tags=SAFE_TAGS, attributes=SAFE_ATTRIBUTES, protocols={"http", "https", "mailto"},
                        strip=True, strip_comments=True)


@functools.lru_cache(maxsize=4096)
def clean_markdown(text: str) -> str:
    """A learner's markdown, rendered and cleaned: the same text on the page, with nothing that can run."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return clean_html(markdown2html_mistune(text))


def _clean_data(data: dict) -> dict:
    kept = {}
    for mime, value in data.items():
        text = "".join(value) if isinstance(value, list) else value
        if mime == "text/plain" or mime == MIME:
            kept[mime] = value
        elif mime in ("image/png", "image/jpeg") and isinstance(text, str) and BASE64.match(text):
            kept[mime] = value
        elif mime == "text/html" and isinstance(text, str):
            kept[mime] = clean_html(text)
    if not kept:
        kept["text/plain"] = "[output not shown: it could only be displayed as a web page or a widget]"
    return kept


class SanitizeLearnerContent(NbGraderPreprocessor):
    """Neutralise HTML, JavaScript, SVG, LaTeX and markdown from a learner before a person's browser shows it.

    Runs last in autograde, on the copy that formgrader and the feedback pages are made from (the learner's
    submitted file is kept as it was). Outputs keep plain text, PNG/JPEG images and cleaned HTML tables;
    markdown and raw cells are rendered and cleaned with bleach; widget state and attachments are dropped.
    """

    def preprocess(self, nb, resources):
        nb.metadata.pop("widgets", None)
        for cell in nb.cells:
            cell.pop("attachments", None)
            if cell.cell_type == "markdown":
                cell.source = clean_markdown(cell.source)
            elif cell.cell_type == "raw":
                cell.source = clean_html(cell.source)
                cell.metadata.pop("format", None)
                cell.metadata.pop("raw_mimetype", None)
            elif cell.cell_type == "code":
                for output in cell.get("outputs", []):
                    if "data" in output:
                        output["data"] = _clean_data(output["data"])
                        output["metadata"] = {}
        return nb, resources
