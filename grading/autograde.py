"""Autograding a cohort: collect, grade each learner in the sandbox, keep what is unchanged, feedback.

One learner's failure never stops the rest.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from grading import answer_key, marking, submissions, variants
from grading.checks import require_sandbox, say
from grading.course import Course
from grading.gradebook import name_learners, one_writer, scores
from grading.gradebook import release as release_gradebook
from grading.preprocessors import key_path
from grading.release import release


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


def collect(course: Course, name: str, source: Path, names_file: Path | None = None) -> submissions.Collected:
    """See ``grading.submissions.collect``."""
    return submissions.collect(course, name, source, names_file)


def submitted_learners(course: Course, name: str) -> list[str]:
    submitted = course.root / "submitted"
    if not submitted.exists():
        return []
    return sorted(p.name for p in submitted.iterdir() if (p / name).is_dir())


class Grading(list):
    """The results of one autograde run (a list of Result), and what could not be taken or kept."""

    problems: list[str]


def fingerprint_of(course: Course, name: str, student: str) -> str:
    """What a learner's marks depend on: their files, the answer key and the limits."""
    stem = key_path(course.keys, name, course.variant_seeds.get(student)).stem
    digest = hashlib.sha256(course.key_digests.get(stem, "").encode() + repr(course.limits).encode())
    for path in sorted((course.root / "submitted" / student / name).glob("*.ipynb")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def state_path(course: Course, name: str) -> Path:
    return course.root / "state" / f"{name}.json"


def save_state(course: Course, name: str, student: str, fingerprint: str | None) -> None:
    path = state_path(course, name)
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
              regrade: bool = False, workers: int | None = None, scheduler: str | None = None) -> Grading:
    """Autograde every submission of ``name``; one broken submission never stops the rest.

    The submissions are those in ``source`` (a zip or folder), those already collected, and those waiting
    in nbgrader's exchange when one is set up (``Course.exchange_settings``).

    A learner whose files, answer key and limits are unchanged since they were last graded is not graded
    again (their marks, and any written marking, stay as they are) unless ``regrade``. Before the run
    every submitted file is backed up, and after it each is checked byte for byte.

    Learners are graded ``workers`` at a time (default: one per core), each in a process of its own and
    its own sandbox; with ``scheduler`` (a Dask scheduler's address, ``tcp://host:port``) on that Dask
    cluster's workers instead, which must see the course folder at the same path. The marks do not depend
    on the order: each learner's grading is the same nbgrader run, and the SQLite gradebook takes one
    writer at a time (a database server, ``Course.database``, takes them together).
    """
    return autograde_many(course, [name], source, names_file, regrade, workers, scheduler)[name]


@dataclass
class Plan:
    """One assignment's part of a run: its learners, those to grade, and what they are checked against."""

    learners: list[str]
    todo: list[str]
    seeds: dict[str, int]
    fingerprints: dict[str, str]
    kept: dict
    results: Grading


def autograde_many(course: Course, names: list[str], source: Path | None = None, names_file: Path | None = None,
                   regrade: bool = False, workers: int | None = None,
                   scheduler: str | None = None) -> dict[str, Grading]:
    """``autograde`` several assignments in one run (``source``, if given, is for the first); results by name.

    Each learner's notebooks are graded one after another by one worker, in one sandbox of their own: their
    kernels are forks of a Python there that has made the imports (``grading.sandbox.kept_box``), which
    saves about 0.9 s a notebook. The sandbox and its kernels are never lent to another learner.
    """
    for name in names:
        course.assignment(name)
    require_sandbox(course)
    if not scheduler and (workers or default_workers()) > 1:
        worker_pool(workers)  # the workers start now, while the submissions are collected and checked
    if not course.database:  # this process reads marks while the workers write them: take turns too
        one_writer(course.root / "gradebook.lock")
    plans = {name: plan(course, name, source if i == 0 else None, names_file, regrade, workers)
             for i, name in enumerate(names)}
    work: dict[str, list[tuple[str, dict[str, int]]]] = {}
    for name, p in plans.items():
        for student in p.todo:
            work.setdefault(student, []).append((name, p.seeds))
    counts = {name: len(p.results) for name, p in plans.items()}
    for student, outcomes in run_all(course, work, workers, scheduler):
        for name, ok, problem, seconds in outcomes:
            p = plans[name]
            result = result_of(course, name, student, ok, seconds, problem)
            p.results.append(result)
            save_state(course, name, student, p.fingerprints[student] if ok else None)
            counts[name] += 1
            status = f"{result.score:g}/{result.max_score:g} autograded marks" if ok else f"FAILED: {problem}"
            who = f"{student} ({name})" if len(names) > 1 else student
            progress(counts[name], len(p.learners), who, status, result.seconds)
    for p in plans.values():
        p.results.sort(key=lambda r, p=p: p.learners.index(r.student))
        for problem in submissions.verify(course, p.kept):
            p.results.problems.append(problem)
            say(f"  WARNING: {problem}")
    return {name: p.results for name, p in plans.items()}


def plan(course: Course, name: str, source: Path | None, names_file: Path | None, regrade: bool,
         workers: int | None) -> Plan:
    """Before grading ``name``: its key and release, the hand-ins collected, the learners' variants and keys."""
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
        say(f"Collected {len(got.learners)} submissions from {source}")
        for problem in got.problems:
            say(f"  NOT TAKEN: {problem}")
        name_learners(course, got.names)
    if course.exchange_root:  # also any hand-ins waiting there
        collected = course.api().collect(name)  # hand-ins from the exchange (a hub's, or `python -m grading lab`)
        if not collected["success"]:
            results.problems.append(f"collecting from the exchange failed: {short(collected.get('error', ''))}")
    kept = submissions.backup(course)
    learners = submitted_learners(course, name)
    course.variant_seeds = variants.seeds(course, learners, name)
    seeds = sorted({course.variant_seeds[s] for s in learners if s in course.variant_seeds})
    if seeds:  # each learner's variant made once, then their key; both kept while the code is unchanged
        from concurrent.futures import ThreadPoolExecutor

        variants.prepare(course, seeds, workers or default_workers())
        with ThreadPoolExecutor(workers or default_workers()) as pool:  # each key runs in its own sandbox
            list(pool.map(lambda seed: answer_key.build(course, name, seed), seeds))
    state = json.loads(state_path(course, name).read_text()) if state_path(course, name).exists() else {}
    fingerprints = {student: fingerprint_of(course, name, student) for student in learners}
    unchanged = [s for s in learners if not regrade and state.get(s) == fingerprints[s]
                 and (course.root / "autograded" / s / name).exists()]
    for count, student in enumerate(unchanged, 1):
        result = result_of(course, name, student, True, 0.0)
        results.append(result)
        progress(count, len(learners), student, f"{result.score:g}/{result.max_score:g} (unchanged since it "
                                                  "was graded: kept)", 0.0)
    todo = [s for s in learners if s not in unchanged]
    return Plan(learners, todo, dict(course.variant_seeds), fingerprints, kept, results)


def result_of(course: Course, name: str, student: str, ok: bool, seconds: float, problem: str = "") -> Result:
    """A learner's Result, with their autograded marks from the gradebook (none when grading failed)."""
    auto = [v for v in scores(course, name, student).values() if v["type"] == "code"] if ok else []
    return Result(student, ok, seconds, sum(v["score"] for v in auto), sum(v["max"] for v in auto), problem)


def grade_one(course: Course, name: str, student: str) -> tuple[str, bool, str, float]:
    """Autograde one learner with nbgrader in the sandbox and settle their written marking.

    Runs here, in a worker process or on a Dask worker; returns (learner, ok, problem, seconds).
    """
    t0 = time.perf_counter()
    if not course.database:
        one_writer(course.root / "gradebook.lock")
    try:
        damaged = damage_of(course, name, student)
        if damaged:
            raise ValueError(damaged)
        graded = course.api().autograde(name, student, force=True)
        ok, problem = graded["success"], ""
        if not ok:
            problem = short(graded.get("error") or graded.get("log") or "autograde failed")
        else:
            marking.settle(course, name, student)
    except Exception as error:  # noqa: BLE001 - one learner's failure must not stop the cohort
        ok, problem = False, short(str(error))
    finally:
        release_gradebook(everything=True)
    return student, ok, problem, time.perf_counter() - t0


def grade_learner(course: Course, student: str, jobs: list[tuple[str, dict[str, int]]]) -> list[tuple]:
    """Grade one learner's assignments (``jobs``: each name with its learners' seeds), one after another.

    With more than one, the learner's kernels are forks of a zygote in a sandbox kept for them alone for
    these jobs (``grading.sandbox.kept_for``). Returns (assignment, ok, problem, seconds) for each.
    """
    from contextlib import nullcontext

    from grading.sandbox import kept_for

    done = []
    used = [seeds.get(student) for _, seeds in jobs]
    variant = max(set(used), key=used.count)  # the data most of their notebooks work on (their own, usually)
    with kept_for(student, variant) if used.count(variant) > 1 else nullcontext():
        for name, seeds in jobs:
            course.variant_seeds = seeds
            done.append((name, *grade_one(course, name, student)[1:]))
    return done


def run_all(course: Course, work: dict[str, list[tuple[str, dict[str, int]]]], workers: int | None = None,
            scheduler: str | None = None):
    """Grade each learner's jobs (``work``), yielding (learner, [(assignment, ok, problem, seconds)...])."""
    if not work:
        return
    if scheduler:
        from dask.distributed import Client, as_completed

        with Client(scheduler) as client:
            futures = {client.submit(grade_learner, course, s, jobs, key=f"grade-{s}-{'-'.join(n for n, _ in jobs)}",
                                     pure=False): s for s, jobs in work.items()}
            for future in as_completed(futures):
                yield _outcome(future, futures[future], work)
        return
    if max(1, min(workers or default_workers(), len(work))) == 1:
        for student, jobs in work.items():
            yield student, grade_learner(course, student, jobs)
        return
    from concurrent.futures import as_completed as finished

    pool = worker_pool(workers)
    futures = {pool.submit(grade_learner, course, s, jobs): s for s, jobs in work.items()}
    for future in finished(futures):
        yield _outcome(future, futures[future], work)


_pool: dict = {}  # this process's grading workers, kept for the next assignment graded in the same run


def worker_pool(workers: int | None = None):
    """The grading workers: ``workers`` processes (default: one per core), started at once and kept.

    Started before the submissions are collected, each worker imports nbgrader while this process works;
    kept, a command that grades several assignments starts them once. A new pool is made when the number,
    the environment or the Python path changes (a worker sees both as they were when it started), or when a
    worker has died.
    """
    import multiprocessing
    import os
    import sys
    from concurrent.futures import ProcessPoolExecutor

    workers = workers or default_workers()
    key = (workers, tuple(sorted(os.environ.items())), tuple(sys.path))
    if _pool.get("key") != key or getattr(_pool["pool"], "_broken", False):
        stop_workers()
        _pool.update(key=key, pool=ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")))
        for _ in range(workers):
            _pool["pool"].submit(_warm)
    return _pool["pool"]


def stop_workers() -> None:
    """Stop the kept workers (at exit too: before Python takes its modules down under them)."""
    pool = _pool.pop("pool", None)
    _pool.pop("key", None)
    if pool is not None:
        pool.shutdown(cancel_futures=True)


atexit.register(stop_workers)


def _warm() -> None:
    """In a new worker: import what grading a learner needs, so that the first learner does not wait for it."""
    import nbgrader.apps  # noqa: F401

    import grading.preprocessors  # noqa: F401


def _outcome(future, student: str, work: dict) -> tuple[str, list[tuple]]:
    """A finished learner's outcomes; a worker that died (out of memory, killed) fails that learner only."""
    try:
        return student, future.result()
    except Exception as error:  # noqa: BLE001 - one learner's failure must not stop the cohort
        problem = short(f"the grading worker stopped: {type(error).__name__}: {error}")
        return student, [(name, False, problem, 0.0) for name, _ in work[student]]


def default_workers() -> int:
    """One learner at a time per core this process may use."""
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def progress(i: int, n: int, student: str, status: str, seconds: float) -> None:
    bar = "#" * round(20 * i / n)
    say(f"  [{bar:<20}] {i}/{n} {student}: {status} ({seconds:.1f} s)")


def damage_of(course: Course, name: str, student: str) -> str:
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


def short(error: str) -> str:
    lines = [line.strip() for line in error.strip().splitlines() if line.strip()]
    for line in reversed(lines):
        if "Error" in line or "error" in line:
            return line[:200]
    return (lines[-1] if lines else "unknown error")[:200]


def feedback(course: Course, name: str, results: list[Result] | None = None) -> list[Path]:
    """Per-learner feedback HTML (nbgrader generate_feedback); returns the files written."""
    api = course.api()
    learners = [r.student for r in results if r.ok] if results is not None else submitted_learners(course, name)
    written, exchange = [], course.exchange_root
    for student in learners:
        if not (course.root / "autograded" / student / name).exists():
            continue
        result = api.generate_feedback(name, student, force=True)
        if not result["success"]:
            say(f"  feedback for {student} failed: {short(result.get('error', ''))}")
            continue
        written += sorted((course.root / "feedback" / student / name).glob("*.html"))
        if exchange:  # learners fetch it in the Assignments tab
            released = api.release_feedback(name, student)
            if not released["success"]:
                say(f"  feedback for {student} is not in the exchange (give them the page instead): "
                    f"{short(released.get('error', ''))}")
    return written


def summary_json(results: list[Result]) -> str:
    return json.dumps([r.__dict__ for r in results], indent=1)
