"""The tutor's and course author's pipeline, one function per step; the CLI is a thin layer over these.

validate -> release -> (learners work) -> autograde -> feedback -> report; ``demo`` runs it all on the
sample cohort.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from grading import answer_key, authoring, sandbox, submissions
from grading.course import Course

SANDBOX_CHECK = "kernel sandbox: sees only Python and the data, no network, not root"


@dataclass
class Check:
    """One line of the validation table."""

    assignment: str
    check: str
    ok: bool
    detail: str = ""
    seconds: float = 0.0


@dataclass
class Result:
    """What happened to one learner's submission."""

    student: str
    ok: bool
    seconds: float
    score: float = 0.0
    max_score: float = 0.0
    problem: str = ""
    feedback: list[str] = field(default_factory=list)


def checks_table(checks: list[Check]) -> str:
    """The validation table as text."""
    return table([[c.assignment, c.check, "ok" if c.ok else "FAILED", c.detail, f"{c.seconds:.1f}"] for c in checks],
                 ["assignment", "check", "result", "detail", "seconds"])


def table(rows: list[list], header: list[str]) -> str:
    """A plain-text table."""
    cells = [header] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _say(message: str) -> None:
    print(message, flush=True)


def require_sandbox(course: Course) -> None:
    """Stop unless the kernel sandbox works here: without it a learner's code could read the answers."""
    if course.unsafe:
        _say("*** WARNING: --unsafe: learners' code runs WITHOUT the sandbox. It can read the answer keys, other "
             "learners' work and your files. Development only: never grade real submissions this way. ***")
    sandbox.check(course.visible, course.secrets(), course.unsafe)


# --- scores from the gradebook ---------------------------------------------------------------------
def scores(course: Course, name: str, student: str) -> dict[str, dict]:
    """Per grade cell: score, max_score, cell type and whether it still needs a tutor's mark."""
    from nbgrader.api import Gradebook, MissingEntry

    out = {}
    with Gradebook(course.db_url, course.manifest["course_id"]) as gb:
        for notebook in course.assignment(name)["notebooks"]:
            try:
                submitted = gb.find_submission_notebook(notebook, name, student)
            except MissingEntry:
                continue
            for grade in submitted.grades:
                out[grade.name] = {"score": float(grade.score or 0.0), "max": float(grade.max_score),
                                   "type": grade.cell_type, "needs_manual": bool(grade.needs_manual_grade),
                                   "auto": grade.auto_score, "manual": grade.manual_score}
    return out


# --- validate ----------------------------------------------------------------------------------------
def _solution_lines(source: Path) -> set[str]:
    """Lines of solution code that appear nowhere else in the source notebook."""
    secret, public, inside = set(), set(), False
    for cell in nbformat.read(source, as_version=4).cells:
        for line in cell.source.splitlines():
            if "### BEGIN SOLUTION" in line:
                inside = True
            elif "### END SOLUTION" in line:
                inside = False
            elif len(line.strip()) >= 12:
                (secret if inside else public).add(line.strip())
    return secret - {line for line in secret if any(line in p for p in public)}


def leaks(course: Course, name: str, key: dict) -> list[str]:
    """Anything in the release folder that a learner must not see: solution code, markers, answers."""
    found = []
    release = course.root / "release" / name
    solution = set()
    for notebook in course.assignment(name)["notebooks"]:
        solution |= _solution_lines(course.root / "source" / name / f"{notebook}.ipynb")
    answers = set()
    for tasks in key.values():
        for spec in tasks.values():
            for places in {spec["decimals"], spec["decimals"] + 1, 4, 6}:
                text = f"{spec['expected']:.{places}f}"
                if len(text.replace("0", "").replace(".", "").replace("-", "")) >= 3:
                    answers.add(text)
    for path in sorted(release.rglob("*")):
        if not path.is_file():
            continue
        text = path.read_text(errors="replace")
        for marker in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
            if marker in text:
                found.append(f"{path.name}: contains {marker!r}")
        for line in solution:
            if line in text:
                found.append(f"{path.name}: contains solution code {line[:40]!r}")
        for value in answers:
            if re.search(rf"(?<![\d.]){re.escape(value)}(?!\d)", text):
                found.append(f"{path.name}: contains an answer value {value}")
    return found


def _submit_as(course: Course, name: str, student: str, notebooks: dict[str, Path]) -> None:
    folder = course.root / "submitted" / student / name
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for notebook, path in notebooks.items():
        shutil.copy(path, folder / f"{notebook}.ipynb")


def selfcheck_data(course: Course, name: str, key: dict) -> dict[str, dict]:
    """The self-check file for each notebook of ``name``: salted hashes made from the answer key."""
    from retailkit.selfcheck import make_entry

    tasks = course.assignment(name)["tasks"]
    return {notebook: {"notebook": notebook, "tasks": {
        task: make_entry(task, spec["expected"], spec["decimals"], spec["form"], tasks[task].get("hint", ""),
                         spec.get("readings"))
        for task, spec in sorted(entries.items())}} for notebook, entries in key.items()}


def _selfcheck_path(course: Course, name: str) -> Path:
    return course.notebooks / name / "selfcheck.json"


def write_selfcheck(course: Course, name: str) -> Path:
    """Rebuild notebooks/<name>/selfcheck.json from the answer key (run the source with papermill)."""
    course.sync_source(name)
    key, _ = answer_key.build(course, name)
    data = selfcheck_data(course, name, key)
    if len(data) != 1:
        raise ValueError("self-check supports one notebook per assignment folder")
    path = _selfcheck_path(course, name)
    path.write_text(json.dumps(next(iter(data.values())), indent=1, sort_keys=True) + "\n")
    course.sync_source(name)
    return path


def validate(course: Course, names: list[str] | None = None) -> list[Check]:
    """Prove every assignment works before release; see the module docstring of grading.__main__."""
    names = names or list(course.manifest["assignments"])
    checks: list[Check] = []
    start = time.perf_counter()
    try:
        require_sandbox(course)
        checks.append(Check("*", SANDBOX_CHECK, True, "UNSAFE: no sandbox" if course.unsafe else "",
                            seconds=time.perf_counter() - start))
    except sandbox.SandboxUnavailable as error:
        checks.append(Check("*", SANDBOX_CHECK, False, str(error)))
        return checks
    api = course.api()
    for name in names:
        course.sync_source(name)
        problems = _manifest_problems(course, name)
        checks.append(Check(name, "notebook grade cells match grading/course.yml", not problems,
                            "; ".join(problems)))
        changes, problems = authoring.sync(course, name, write=False)
        advice = [f"run: python -m grading sync {name}"] if changes else []
        checks.append(Check(name, "hand-in and check cells follow grading/course.yml (sync)",
                            not changes and not problems, "; ".join(problems[:2] + advice)))
        t0 = time.perf_counter()
        try:
            key, _ = answer_key.build(course, name)
            checks.append(Check(name, "papermill runs the source notebook top to bottom", True,
                                _count(sum(len(k) for k in key.values()), "answer"), time.perf_counter() - t0))
        except Exception as error:  # noqa: BLE001 - reported in the table
            checks.append(Check(name, "papermill runs the source notebook top to bottom", False,
                                str(error).splitlines()[-1][:200], time.perf_counter() - t0))
            continue
        loose = second_readings(course, name, key)
        checks.append(Check(name, "every other reading of a number task is ruled out or rounds the same",
                            not loose, "; ".join(loose[:3])))
        shipped = _selfcheck_path(course, name)
        fresh = next(iter(selfcheck_data(course, name, key).values()))
        current = json.loads(shipped.read_text()) if shipped.exists() else None
        checks.append(Check(name, "self-check file matches the solution", current == fresh,
                            "" if current == fresh else f"run: python -m grading selfcheck {name}"))
        t0 = time.perf_counter()
        result = api.generate_assignment(name, force=True)
        checks.append(Check(name, "nbgrader generate_assignment", result["success"],
                            (result.get("error") or "").strip().splitlines()[-1:][0] if not result["success"]
                            else "", time.perf_counter() - t0))
        if not result["success"]:
            continue
        found = leaks(course, name, key)
        checks.append(Check(name, "release has no solution, hidden test or answer value", not found,
                            "; ".join(found[:3])))
        checks += _as_learners(course, name)
    return checks


def second_readings(course: Course, name: str, key: dict) -> list[str]:
    """Readings of a number task that give another answer at the stated rounding and that the question does
    not rule out in words (its ``ruled_out`` phrase is missing from the question cell)."""
    tasks = course.assignment(name)["tasks"]
    problems = []
    for notebook, entries in key.items():
        nb = nbformat.read(course.root / "source" / name / f"{notebook}.ipynb", as_version=4)
        questions = {c.metadata.get("nbgrader", {}).get("grade_id"): c.source for c in nb.cells
                     if c.cell_type == "markdown"}
        for task, spec in entries.items():
            text = " ".join(questions.get(f"{task}-question", "").split()).lower()
            d = spec["decimals"]
            for reading, got in spec.get("readings", {}).items():
                if round(float(got["value"]), d) == round(float(spec["expected"]), d):
                    continue
                phrase = tasks[task]["readings"][reading]["ruled_out"]
                if " ".join(phrase.split()).lower() not in text:
                    problems.append(f"{task}: reading '{reading}' gives {float(got['value']):.{d}f}, the key "
                                    f"{float(spec['expected']):.{d}f}, and the question does not say "
                                    f"{phrase!r}")
    return problems


def readings_table(course: Course, name: str, key: dict) -> list[list[str]]:
    """Per task: each reading checked, its value at the stated rounding, and the key's (for tutors' notes)."""
    rows = []
    for entries in key.values():
        for task, spec in entries.items():
            d = spec["decimals"]
            for reading, got in spec.get("readings", {}).items():
                rows.append([task, reading, f"{float(got['value']):.{d}f}", f"{float(spec['expected']):.{d}f}"])
    return rows


def _as_learners(course: Course, name: str) -> list[Check]:
    """Hand in the solution (must score full marks) and the blank release (zero), in a scratch course.

    The scratch course is a throw-away folder with its own gradebook, so these checks can never touch a
    real learner's submission or marks, whatever the learner is called.
    """
    assignment = course.assignment(name)
    checks = []
    scratch = Course.open(tempfile.mkdtemp(prefix=".validate-", dir=course.root), unsafe=course.unsafe)
    scratch.limit_override, scratch.key_digests = course.limit_override, dict(course.key_digests)
    scratch.notebooks, scratch.manifest_path = course.notebooks, course.manifest_path
    try:
        scratch.sync_source(name)
        scratch.keys.mkdir()
        for suffix in (".json", ".sha256"):
            shutil.copy(course.keys / f"{name}{suffix}", scratch.keys / f"{name}{suffix}")
        api = scratch.api()
        api.generate_assignment(name, force=True)
        sources = {nb: scratch.root / "source" / name / f"{nb}.ipynb" for nb in assignment["notebooks"]}
        releases = {nb: scratch.root / "release" / name / f"{nb}.ipynb" for nb in assignment["notebooks"]}
        for student, files, want in (("solution", sources, "full"), ("blank", releases, "zero")):
            t0 = time.perf_counter()
            _submit_as(scratch, name, student, files)
            graded = api.autograde(name, student, force=True)
            auto = {k: v for k, v in scores(scratch, name, student).items() if v["type"] == "code"}
            if want == "full":
                wrong = [k for k, v in auto.items() if v["score"] != v["max"]]
                label = "solution, submitted as a learner, scores full marks"
            else:
                wrong = [k for k, v in auto.items() if v["score"] != 0]
                label = "release, submitted unanswered, scores zero"
            ok = graded["success"] and len(auto) == len(assignment["tasks"]) and not wrong
            detail = f"{sum(v['score'] for v in auto.values()):g}/{sum(v['max'] for v in auto.values()):g}"
            if wrong:
                detail += f"; wrong on {', '.join(wrong[:3])}"
            if not graded["success"]:
                detail = (graded.get("error") or "autograde failed").strip().splitlines()[-1][:200]
            checks.append(Check(name, label, ok, detail, time.perf_counter() - t0))
    finally:
        shutil.rmtree(scratch.root, ignore_errors=True)
    return checks


def _manifest_problems(course: Course, name: str) -> list[str]:
    assignment = course.assignment(name)
    problems = []
    seen_auto, seen_manual = {}, {}
    for notebook in assignment["notebooks"]:
        nb = nbformat.read(course.root / "source" / name / f"{notebook}.ipynb", as_version=4)
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if not meta.get("grade"):
                continue
            target = seen_manual if meta.get("solution") else seen_auto
            target[meta["grade_id"]] = float(meta.get("points", 0))
    for kind, listed, seen in (("autograded", assignment["tasks"], seen_auto),
                               ("written", assignment.get("written", {}), seen_manual)):
        for task_id in sorted(set(listed) ^ set(seen)):
            where = "notebook" if task_id in seen else "grading/course.yml"
            problems.append(f"{kind} task {task_id} is only in the {where}")
        for task_id in sorted(set(listed) & set(seen)):
            if float(listed[task_id]["points"]) != seen[task_id]:
                problems.append(f"{task_id}: {listed[task_id]['points']} points in course.yml, "
                                f"{seen[task_id]:g} in the notebook")
    return problems


# --- release -----------------------------------------------------------------------------------------
def release(course: Course, name: str) -> Path:
    """nbgrader generate_assignment (and release to the exchange when one is configured)."""
    course.sync_source(name)
    api = course.api()
    result = api.generate_assignment(name, force=True)
    if not result["success"]:
        raise RuntimeError(f"generate_assignment failed for {name}:\n{result.get('error', '')}")
    config = course.config()
    if "Exchange" in config and config.Exchange.get("root"):
        result = api.release_assignment(name)
        if not result["success"]:
            raise RuntimeError(f"release to the exchange failed:\n{result.get('error', '')}")
    return course.root / "release" / name


# --- the learner's own workbook --------------------------------------------------------------------------
def workbook(course: Course, name: str, folder: Path | None = None) -> list[str]:
    """Give a learner working on this machine their own copy of ``name``, in ``workbook/<name>/``.

    The copy is made once and then only opened: a learner's notebook is never replaced. When the tutor's
    release has changed since (a corrected question, say), the new version is put beside it as
    ``<notebook> (new release <date>).ipynb`` and the learner's file is left as it is. Other files (the
    self-check, for example) follow the release. Returns what was done, one line each.
    """
    source = release(course, name)
    target = (folder or course.root / "workbook") / name
    target.mkdir(parents=True, exist_ok=True)
    done = []
    for path in sorted(source.rglob("*")):
        if not path.is_file():
            continue
        mine = target / path.relative_to(source)
        mine.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix != ".ipynb":
            shutil.copyfile(path, mine)
            continue
        stamp = mine.with_name(f".{mine.name}.release")  # the release this copy was made from
        if not mine.exists():
            shutil.copyfile(path, mine)
            shutil.copyfile(path, stamp)
            done.append(f"new: {mine}")
        elif stamp.exists() and stamp.read_bytes() == path.read_bytes():
            done.append(f"kept: {mine}")
        else:
            newer = mine.with_name(f"{mine.stem} (new release {dt.date.today().isoformat()}).ipynb")
            shutil.copyfile(path, newer)
            shutil.copyfile(path, stamp)
            done.append(f"kept: {mine} (the tutor's new version is beside it: {newer.name})")
    return done


# --- collecting submissions ----------------------------------------------------------------------------
def collect(course: Course, name: str, source: Path, names_file: Path | None = None) -> submissions.Collected:
    """See ``grading.submissions.collect``."""
    return submissions.collect(course, name, source, names_file)


# --- autograde, feedback -----------------------------------------------------------------------------
def _learners(course: Course, name: str) -> list[str]:
    submitted = course.root / "submitted"
    if not submitted.exists():
        return []
    return sorted(p.name for p in submitted.iterdir() if (p / name).is_dir())


class Grading(list):
    """The results of one autograde run (a list of Result), and what could not be taken or kept."""

    problems: list[str]


def _fingerprint(course: Course, name: str, student: str) -> str:
    """What a learner's marks depend on: their files, the answer key and the limits."""
    digest = hashlib.sha256(course.key_digests.get(name, "").encode() + repr(course.limits).encode())
    for path in sorted((course.root / "submitted" / student / name).glob("*.ipynb")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def _state(course: Course, name: str) -> Path:
    return course.root / "state" / f"{name}.json"


def _save_state(course: Course, name: str, student: str, fingerprint: str | None) -> None:
    path = _state(course, name)
    path.parent.mkdir(exist_ok=True)
    state = json.loads(path.read_text()) if path.exists() else {}
    if fingerprint is None:
        state.pop(student, None)
    else:
        state[student] = fingerprint
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, indent=1, sort_keys=True))
    tmp.replace(path)  # a run killed half-way leaves the state of every learner it finished


def autograde(course: Course, name: str, source: Path | None = None, names_file: Path | None = None,
              regrade: bool = False) -> Grading:
    """Autograde every submission of ``name``; one broken submission never stops the rest.

    A learner whose files, answer key and limits are unchanged since they were last graded is not graded
    again (their marks, and any written marking, stay as they are) unless ``regrade``. Before the run
    every submitted file is backed up, and after it each is checked byte for byte.
    """
    course.assignment(name)
    require_sandbox(course)
    course.sync_source(name)
    answer_key.build(course, name)
    if not (course.root / "release" / name).exists():
        release(course, name)
    results = Grading()
    results.problems = []
    submissions.backup(course)
    if source is not None:
        got = collect(course, name, Path(source), names_file)
        results.problems += got.problems
        _say(f"Collected {len(got.learners)} submissions from {source}")
        for problem in got.problems:
            _say(f"  NOT TAKEN: {problem}")
        _name_learners(course, got.names)
    kept = submissions.backup(course)
    api = course.api()
    learners = _learners(course, name)
    state = json.loads(_state(course, name).read_text()) if _state(course, name).exists() else {}
    for i, student in enumerate(learners, 1):
        t0 = time.perf_counter()
        fingerprint = _fingerprint(course, name, student)
        done = (course.root / "autograded" / student / name).exists() and state.get(student) == fingerprint
        if done and not regrade:
            marks = scores(course, name, student)
            auto = [v for v in marks.values() if v["type"] == "code"]
            result = Result(student, True, 0.0, sum(v["score"] for v in auto), sum(v["max"] for v in auto))
            results.append(result)
            _progress(i, len(learners), student, f"{result.score:g}/{result.max_score:g} (unchanged since it "
                                                  "was graded: kept)", 0.0)
            continue
        damaged = _damaged(course, name, student)
        try:
            if damaged:
                raise ValueError(damaged)
            graded = api.autograde(name, student, force=True)
            ok, problem = graded["success"], ""
            if not ok:
                problem = _short(graded.get("error") or graded.get("log") or "autograde failed")
        except Exception as error:  # noqa: BLE001 - one learner's failure must not stop the cohort
            ok, problem = False, _short(str(error))
        marks = scores(course, name, student) if ok else {}
        auto = [v for v in marks.values() if v["type"] == "code"]
        result = Result(student, ok, time.perf_counter() - t0, sum(v["score"] for v in auto),
                        sum(v["max"] for v in auto), problem)
        results.append(result)
        _save_state(course, name, student, fingerprint if ok else None)
        status = f"{result.score:g}/{result.max_score:g} autograded marks" if ok else f"FAILED: {problem}"
        _progress(i, len(learners), student, status, result.seconds)
    for problem in submissions.verify(course, kept):
        results.problems.append(problem)
        _say(f"  WARNING: {problem}")
    return results


def _progress(i: int, n: int, student: str, status: str, seconds: float) -> None:
    bar = "#" * round(20 * i / n)
    _say(f"  [{bar:<20}] {i}/{n} {student}: {status} ({seconds:.1f} s)")


def _name_learners(course: Course, names: dict[str, str]) -> None:
    """Keep each learner's name as handed in (first word, the rest) in the gradebook, for formgrader."""
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url, course.manifest["course_id"]) as gb:
        for student, person in names.items():
            person = re.sub(r"[<>&\"`]", "", person)  # a name is shown in formgrader's pages: no markup
            first, _, last = person.strip().partition(" ")
            gb.update_or_create_student(student, first_name=first, last_name=last)


def _damaged(course: Course, name: str, student: str) -> str:
    """Why a submitted notebook cannot be graded at all (not JSON, not a notebook), or ''."""
    for notebook in course.assignment(name)["notebooks"]:
        path = course.root / "submitted" / student / name / f"{notebook}.ipynb"
        if not path.exists():
            continue
        try:
            nbformat.read(path, as_version=4)
        except Exception as error:  # noqa: BLE001 - any unreadable file is reported the same way
            return (f"{notebook}.ipynb is damaged or is not a notebook ({type(error).__name__}); ask the "
                    "learner to download it again from JupyterLab (File > Download) and resubmit")
    return ""


def _short(error: str) -> str:
    lines = [line.strip() for line in error.strip().splitlines() if line.strip()]
    for line in reversed(lines):
        if "Error" in line or "error" in line:
            return line[:200]
    return (lines[-1] if lines else "unknown error")[:200]


def feedback(course: Course, name: str, results: list[Result] | None = None) -> list[Path]:
    """Per-learner feedback HTML (nbgrader generate_feedback); returns the files written."""
    api = course.api()
    learners = [r.student for r in results if r.ok] if results is not None else _learners(course, name)
    written = []
    for student in learners:
        if not (course.root / "autograded" / student / name).exists():
            continue
        result = api.generate_feedback(name, student, force=True)
        if not result["success"]:
            _say(f"  feedback for {student} failed: {_short(result.get('error', ''))}")
            continue
        written += sorted((course.root / "feedback" / student / name).glob("*.html"))
    return written


def summary_json(results: list[Result]) -> str:
    return json.dumps([r.__dict__ for r in results], indent=1)


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
