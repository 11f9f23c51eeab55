"""Course checks before release (``validate``): the sandbox, the manifest, the key, the release, the marks.

Also the self-check file an assignment ships with, made from the answer key.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import nbformat

from grading import answer_key, authoring, sandbox, variants
from grading.compare import judge
from grading.course import Course
from grading.gradebook import one_writer, scores

SANDBOX_CHECK = "kernel sandbox: sees only Python and the data, no network, not root"


@dataclass
class Check:
    """One line of the validation table."""

    assignment: str
    check: str
    ok: bool
    detail: str = ""
    seconds: float = 0.0


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


def say(message: str) -> None:
    print(message, flush=True)


def require_sandbox(course: Course) -> None:
    """Stop unless the kernel sandbox works here: without it a learner's code could read the answers."""
    if course.unsafe:
        say("*** WARNING: --unsafe: learners' code runs WITHOUT the sandbox. It can read the answer keys, other "
             "learners' work and your files. Development only: never grade real submissions this way. ***")
    sandbox.check(course.visible, course.secrets(), course.unsafe)


def solution_lines(source: Path) -> set[str]:
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
    """Anything in the release folder a learner must not see: solutions, markers, answers, indicative content."""
    found = []
    release = course.root / "release" / name
    solution = set()
    for notebook in course.assignment(name)["notebooks"]:
        solution |= solution_lines(course.root / "source" / name / f"{notebook}.ipynb")
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
        for task, spec in course.assignment(name).get("written", {}).items():
            for criterion, line in spec["rubric"].items():
                if line.get("indicative") and line["indicative"][:60] in text:
                    found.append(f"{path.name}: contains the indicative content of {task} {criterion}")
    return found


def submit_as(course: Course, name: str, student: str, notebooks: dict[str, Path]) -> None:
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


def selfcheck_path(course: Course, name: str) -> Path:
    return course.notebooks / name / "selfcheck.json"


def write_selfcheck(course: Course, name: str) -> Path:
    """Rebuild notebooks/<name>/selfcheck.json from the answer key (run the source with papermill)."""
    course.sync_source(name)
    key, _ = answer_key.build(course, name, fresh=True)
    data = selfcheck_data(course, name, key)
    if len(data) != 1:
        raise ValueError("self-check supports one notebook per assignment folder")
    path = selfcheck_path(course, name)
    path.write_text(json.dumps(next(iter(data.values())), indent=1, sort_keys=True) + "\n")
    course.sync_source(name)
    return path


def validate(course: Course, names: list[str] | None = None, how_many: int = 50) -> list[Check]:
    """Prove every assignment works before release; see the module docstring of grading.__main__.

    The assignments are checked side by side (one per core, each in a process of its own) while, beside
    them, their solutions run on the learners' variants.
    """
    names = names or list(course.manifest["assignments"])
    start = time.perf_counter()
    try:
        require_sandbox(course)
        checks = [Check("*", SANDBOX_CHECK, True, "UNSAFE: no sandbox" if course.unsafe else "",
                        seconds=time.perf_counter() - start)]
    except sandbox.SandboxUnavailable as error:
        return [Check("*", SANDBOX_CHECK, False, str(error))]
    workers = min(len(names), os.cpu_count() or 1)
    personal = [name for name in names if variants.enabled(course, name)] if how_many else []
    with ThreadPoolExecutor(1) as background:  # the solutions on the variants, while the assignments are checked
        ran = background.submit(run_solutions, course, personal, how_many) if personal else None
        if workers > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
                done = list(pool.map(assignment_checks, [course] * len(names), names))
        else:
            done = [assignment_checks(course, name) for name in names]
        keys = {name: key for name, (_, key) in zip(names, done, strict=True) if key and name in personal}
        more = variant_checks(course, keys, how_many, ran.result()) if keys else {}
    for name, (found, _) in zip(names, done, strict=True):
        checks += found + more.get(name, [])
    return checks


def assignment_checks(course: Course, name: str) -> tuple[list[Check], dict | None]:
    """One assignment's checks, up to marking the solution and the blank copy; and its key (None if no key)."""
    if not course.database:  # side by side with other assignments' checks: one gradebook writer at a time
        one_writer(course.root / "gradebook.lock")
    course.sync_source(name)
    problems = manifest_problems(course, name)
    checks = [Check(name, "notebook grade cells match grading/course.yml", not problems, "; ".join(problems))]
    changes, problems = authoring.sync(course, name, write=False)
    advice = [f"run: python -m grading sync {name}"] if changes else []
    checks.append(Check(name, "hand-in and check cells follow grading/course.yml (sync)",
                        not changes and not problems, "; ".join(problems[:2] + advice)))
    t0 = time.perf_counter()
    try:
        key, _ = answer_key.build(course, name, fresh=True)
        checks.append(Check(name, "papermill runs the source notebook top to bottom", True,
                            count(sum(len(k) for k in key.values()), "answer"), time.perf_counter() - t0))
    except Exception as error:  # noqa: BLE001 - reported in the table
        checks.append(Check(name, "papermill runs the source notebook top to bottom", False,
                            str(error).splitlines()[-1][:200], time.perf_counter() - t0))
        return checks, None
    loose = second_readings(course, name, key)
    checks.append(Check(name, "every other reading of a number task is ruled out or rounds the same",
                        not loose, "; ".join(loose[:3])))
    shipped = selfcheck_path(course, name)
    fresh = next(iter(selfcheck_data(course, name, key).values()))
    current = json.loads(shipped.read_text()) if shipped.exists() else None
    checks.append(Check(name, "self-check file matches the solution", current == fresh,
                        "" if current == fresh else f"run: python -m grading selfcheck {name}"))
    t0 = time.perf_counter()
    result = course.api().generate_assignment(name, force=True)
    checks.append(Check(name, "nbgrader generate_assignment", result["success"],
                        (result.get("error") or "").strip().splitlines()[-1:][0] if not result["success"]
                        else "", time.perf_counter() - t0))
    if not result["success"]:
        return checks, None
    found = leaks(course, name, key)
    checks.append(Check(name, "release has no solution, hidden test or answer value", not found,
                        "; ".join(found[:3])))
    checks += as_learners(course, name)
    return checks, key


def validation_seeds(how_many: int) -> list[int]:
    """The variants ``validate`` runs the solutions on: a fixed sample, so that a failure can be reproduced."""
    return [variants.seed_for(b"validate", str(i)) for i in range(how_many)]


def run_solutions(course: Course, names: list[str], how_many: int) -> tuple[dict, float]:
    """Every solution of ``names`` as a script, on the canonical data and on ``how_many`` learners' variants.

    The variants are shared out, one sandbox a core; each runs every solution in a fresh copy of a Python
    that has made the imports. Returns the records by seed (None: the canonical data), and the seconds.
    """
    t0 = time.perf_counter()
    scripts = {f"{name}/{nb}": answer_key.solution_script(course.notebooks / name / f"{nb}.ipynb")
               for name in names for nb in course.assignment(name)["notebooks"]}
    seeds = validation_seeds(how_many)
    workers = os.cpu_count() or 1
    variants.prepare(course, seeds, workers)  # made once, then kept for later runs while the code is unchanged
    runs = [None, *seeds]
    shares = [runs[i::workers] for i in range(workers) if runs[i::workers]]
    folder = variants.prepared_folder(course)
    with ThreadPoolExecutor(workers) as pool:
        results = {seed: found for share in pool.map(lambda share: answer_key.run_variants(
            scripts, course.visible, course.limits, course.unsafe, share, folder), shares)
            for seed, found in share.items()}
    return results, time.perf_counter() - t0


def variant_checks(course: Course, keys: dict[str, dict], how_many: int = 50,
                   ran: tuple[dict, float] | None = None) -> dict[str, list[Check]]:
    """The solutions on ``how_many`` learners' variants: they run, score full marks, and every rule holds.

    ``keys`` holds each assignment's canonical key; ``ran`` is what ``run_solutions`` gave, if it has run
    already. The sample of seeds is fixed (``validation_seeds``); each failure names the seed and the rule. A
    ``variant_rules`` entry of the assignment is a Python comparison over the tasks' variables and the facts
    the solution records (``record("fact~<name>", value)``), with ``why`` it matters to a question. First, the
    script route that makes learners' keys must give the canonical key papermill gave.
    """
    results, seconds = ran or run_solutions(course, list(keys), how_many)
    took = seconds / len(keys)
    checks = {}
    for name, key in keys.items():
        differ = []
        for notebook, entries in key.items():
            records = results[None][f"{name}/{notebook}"]
            if isinstance(records, str):
                differ.append(records)
                continue
            again = answer_key.key_from_records(course, name, notebook, records)
            differ += [t for t, e in entries.items() if not math.isclose(again[t]["expected"], e["expected"],
                                                                         rel_tol=1e-12, abs_tol=1e-12)]
        checks[name] = [Check(name, "the solution as a script gives the canonical key (learners' keys are made so)",
                              not differ, f"differs on {', '.join(differ[:3])}" if differ else "", took)]

    def one(seed: int) -> dict[str, list[str]]:
        found = {name: [] for name in keys}
        for script, records in results[seed].items():
            name, notebook = script.split("/")
            if name not in keys:
                continue
            if isinstance(records, str):
                found[name].append(f"variant {seed}: {records}")
                continue
            try:
                entries = answer_key.key_from_records(course, name, notebook, records)
            except ValueError as error:
                found[name].append(f"variant {seed}: {error}")
                continue
            found[name] += variant_problems(course, name, seed, notebook, entries, records)
        return found

    found = [one(seed) for seed in validation_seeds(how_many)]
    for name in keys:
        problems = [p for each in found for p in each[name]]
        checks[name].append(Check(name, f"the solution on {how_many} learners' variants: full marks, every rule holds",
                                  not problems, "; ".join(problems[:3]) + (f" (and {len(problems) - 3} more)"
                                                                          if len(problems) > 3 else ""), took))
    return checks


def variant_problems(course: Course, name: str, seed: int, notebook: str, entries: dict,
                     records: list[dict]) -> list[str]:
    """What is wrong with one notebook's key on variant ``seed``.

    That is a number that cannot be marked, a loose reading, or a ``variant_rules`` entry that fails.
    """
    assignment = course.assignment(name)
    names = {t: s["variable"] for t, s in assignment["tasks"].items()}
    found = []
    for task, entry in entries.items():
        value = entry["expected"]
        if not isinstance(value, (int, float)) or not math.isfinite(value) or judge(value, entry).share < 1:
            found.append(f"variant {seed}: {task} gives {value!r}, which cannot be marked")
    found += [f"variant {seed}: {p}" for p in second_readings(course, name, {notebook: entries})]
    values = {names[t]: e["expected"] for t, e in entries.items()} | answer_key.facts(records)
    for rule in assignment.get("variant_rules", []):
        try:
            holds = bool(eval(rule["rule"], {"__builtins__": {}}, values))  # noqa: S307 - the author's rule
        except Exception as error:  # noqa: BLE001 - a broken rule is reported like a failed one
            holds = False
            rule = {**rule, "why": f"{rule['why']}; the rule itself failed: {error}"}
        if not holds:
            found.append(f"variant {seed}: {rule['rule']} does not hold ({rule['why']})")
    return found


def second_readings(course: Course, name: str, key: dict) -> list[str]:
    """Readings of a number task that round differently and that the question does not rule out.

    A reading is ruled out when its ``ruled_out`` phrase is in the question cell.
    """
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


def as_learners(course: Course, name: str) -> list[Check]:
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
        if variants.enabled(course, name):  # each on their own data: two of the variants the solutions run on
            scratch.variant_seeds = dict(zip(("solution", "blank"), validation_seeds(2), strict=True))
            variants.prepared_folder(scratch).mkdir(parents=True)
            for seed in scratch.variant_seeds.values():  # made once for the course, and kept
                shutil.copy(variants.prepared(course, seed), variants.prepared_folder(scratch))
                answer_key.build(scratch, name, seed)
        api = scratch.api()
        api.generate_assignment(name, force=True)
        sources = {nb: scratch.root / "source" / name / f"{nb}.ipynb" for nb in assignment["notebooks"]}
        releases = {nb: scratch.root / "release" / name / f"{nb}.ipynb" for nb in assignment["notebooks"]}
        for student, files, want in (("solution", sources, "full"), ("blank", releases, "zero")):
            t0 = time.perf_counter()
            submit_as(scratch, name, student, files)
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


def manifest_problems(course: Course, name: str) -> list[str]:
    """Where the notebooks and grading/course.yml disagree on tasks, marking points or points."""
    assignment = course.assignment(name)
    problems = []
    seen_auto, seen_manual, seen_points = {}, {}, {}
    for notebook in assignment["notebooks"]:
        nb = nbformat.read(course.root / "source" / name / f"{notebook}.ipynb", as_version=4)
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("task"):
                seen_points[meta["grade_id"]] = float(meta.get("points", 0))
            if not meta.get("grade"):
                continue
            target = seen_manual if meta.get("solution") else seen_auto
            target[meta["grade_id"]] = float(meta.get("points", 0))
    written = assignment.get("written", {})
    listed_points = {authoring.rubric_id(t, c): 1.0 for t, spec in written.items() for c in spec["rubric"]}
    for kind, listed, seen in (("autograded task", {t: s["points"] for t, s in assignment["tasks"].items()}, seen_auto),
                               ("written task", dict.fromkeys(written, 0), seen_manual),
                               ("marking point", listed_points, seen_points)):
        for task_id in sorted(set(listed) ^ set(seen)):
            where = "notebook" if task_id in seen else "grading/course.yml"
            problems.append(f"{kind} {task_id} is only in the {where}")
        for task_id in sorted(set(listed) & set(seen)):
            if float(listed[task_id]) != seen[task_id]:
                problems.append(f"{task_id}: {listed[task_id]:g} points in course.yml, {seen[task_id]:g} in the "
                                "notebook")
    return problems


def count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
