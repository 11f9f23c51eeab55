"""Benchmark: autograding a cohort on every assignment, ours against plain nbgrader, in one run.

The same submissions (each learner hands in the release notebook of every assignment) are graded four
ways on this machine, with the course's own nbgrader configuration (the sandbox, the limits, the answer
keys and the learners' prepared variants, built beforehand so that no way pays for them):

- baseline (1.00x): plain ``nbgrader autograde <assignment> --force`` in the course folder, one learner
  after another, as a tutor would run it;
- the hand split: plain nbgrader, the cohort split by hand into one concurrent ``--student`` process per
  core plus one (three on 2 cores), as a tutor could do with several terminals;
- ours: ``python -m grading autograde <every assignment> --regrade``, one command (a pool of processes, one
  a core, started once);
- ours from cold: the same after deleting the learners' answer keys and prepared variants, so that it
  pays for making them (each learner's variant once, then their key for each assignment).

Printed: the machine's core count; seconds, notebooks a minute and speed-up of each way; for each
assignment, the seconds one learner's notebook takes to grade; the share of that time that is the
kernel's start, the imports and loading the learner's data (a sandboxed kernel running only the setup
cell, against the whole graded notebook); one learner's notebooks graded one at a time and in a row (their
kernels forked from a zygote); how long the command line takes to answer ``--help``; and,
unless ``--no-validate``, the whole course's ``validate``, the first time (making the variants it runs on)
and again. Ratios compare figures measured in this run only.

Run with ``make bench`` or ``python benchmarks/bench_grading.py --learners 30``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from grading import answer_key, autograde, pipeline, variants
from grading.course import Course

NBGRADER = str(Path(sys.executable).with_name("nbgrader"))


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def hand_in(course: Course, name: str, learners: list[str]) -> None:
    """Each learner hands in the release notebooks; their answer keys are built (not timed)."""
    pipeline.release(course, name)
    for learner in learners:
        folder = course.root / "submitted" / learner / name
        folder.mkdir(parents=True, exist_ok=True)
        for notebook in course.assignment(name)["notebooks"]:
            shutil.copy(course.root / "release" / name / f"{notebook}.ipynb", folder)
    course.variant_seeds = variants.seeds(course, learners, name)
    for seed in sorted(set(course.variant_seeds.values())):
        answer_key.build(course, name, seed)


def plain(course: Course, name: str, pattern: str = "*") -> subprocess.Popen:
    """Plain nbgrader on the learners whose ids match ``pattern`` (nbgrader's --student takes a glob)."""
    return subprocess.Popen([NBGRADER, "autograde", name, "--force", f"--student={pattern}"], cwd=course.root,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def hand_split(course: Course, name: str, processes: int) -> None:
    """Plain nbgrader, ``processes`` at once, each on the learners whose id ends in its own digits."""
    groups = [[d for d in range(10) if d % processes == k] for k in range(processes)]
    running = [plain(course, name, "b??[" + "".join(map(str, digits)) + "]") for digits in groups if digits]
    for process in running:
        process.wait()


def ours(course: Course, names: list[str]) -> None:
    """One command for every assignment, as a tutor grades a week's hand-ins: one set of workers for all."""
    subprocess.run([sys.executable, "-m", "grading", "autograde", *names, "--regrade", "--course", str(course.root)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def one_notebook(course: Course, name: str, learner: str) -> float:
    """Seconds to grade one learner's notebook, as autograde does (nbgrader, sandbox, marking)."""
    return autograde.grade_one(course, name, learner)[3]


def one_learner(course: Course, names: list[str], learner: str) -> tuple[float, float]:
    """Seconds to grade one learner's notebooks one at a time (a fresh kernel each), and in a row (forked)."""
    jobs = [(name, variants.seeds(course, [learner], name)) for name in names]
    apart = timed(lambda: [autograde.grade_learner(course, learner, [job]) for job in jobs])
    return apart, timed(lambda: autograde.grade_learner(course, learner, jobs))


def setup_only(course: Course, name: str, learner: str) -> float:
    """Seconds to start the learner's sandboxed kernel and run only the setup cell (imports, their data).

    Run with nbclient directly: through nbgrader, the cells left out would be put back from the release.
    """
    from nbclient import NotebookClient

    from grading.preprocessors import LimitedRun
    from grading.sandbox import Sandbox, manager_class

    class Client(LimitedRun, NotebookClient):
        pass

    notebook = course.assignment(name)["notebooks"][0]
    nb = nbformat.read(course.root / "submitted" / learner / name / f"{notebook}.ipynb", as_version=4)
    nb.cells = [next(c for c in nb.cells if c.cell_type == "code")]
    seed = course.variant_seeds.get(learner)
    data = str(variants.prepared(course, seed)) if seed is not None else None
    start = time.perf_counter()
    with Sandbox(course.visible, course.limits, course.unsafe, seed, data) as box:
        client = Client(nb, kernel_manager_class=manager_class(box), resources={"metadata": {"path": str(box.folder)}})
        client.start_limits(box.limits)
        client.execute()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--assignments", nargs="*", help="default: every assignment")
    parser.add_argument("--no-validate", action="store_true", help="skip timing the whole course's validate")
    parser.add_argument("--no-cohort", action="store_true", help="skip grading the cohort four ways")
    args = parser.parse_args()
    cores = autograde.default_workers()
    root = Path(tempfile.mkdtemp(prefix="bench-grading-"))
    learners = [f"b{i:03d}" for i in range(args.learners)]
    try:
        course = Course.open(root / "course")
        names = args.assignments or list(course.manifest["assignments"])
        for name in names:
            course.sync_source(name)
            answer_key.build(course, name)
            hand_in(course, name, learners)
        help_seconds = timed(lambda: subprocess.run([sys.executable, "-m", "grading", "autograde", "--help"],
                                                    check=True, capture_output=True))
        rows: dict[str, float] = {}
        if args.no_cohort:
            rows = dict.fromkeys(("baseline", "split", "ours", "cold"), float("nan"))
        else:
            rows["baseline"] = sum(timed(lambda n=n: plain(course, n).wait()) for n in names)
            rows["split"] = sum(timed(lambda n=n: hand_split(course, n, cores + 1)) for n in names)
            rows["ours"] = timed(lambda: ours(course, names))
            for made in [*course.keys.glob("*@*"), course.root / "cache"]:
                shutil.rmtree(made) if made.is_dir() else made.unlink()
            rows["cold"] = timed(lambda: ours(course, names))
        per_notebook, share = {}, {}
        for name in names:
            course.variant_seeds = variants.seeds(course, learners, name)
            whole = statistics.median(one_notebook(course, name, learners[i % len(learners)]) for i in range(3))
            setup = statistics.median(setup_only(course, name, learners[i % len(learners)]) for i in range(3))
            per_notebook[name], share[name] = whole, setup / whole
        learner_runs = [one_learner(course, names, learners[i % len(learners)]) for i in range(3)]
        apart, in_a_row = (statistics.median(run[k] for run in learner_runs) for k in (0, 1))
        validate_seconds = None  # first from cold (it makes the 50 variants it runs on), then as it runs after
        if not args.no_validate:
            shutil.rmtree(variants.prepared_folder(course), ignore_errors=True)
            validate_seconds = [timed(lambda: pipeline.validate(course, names)) for _ in range(2)]
    finally:
        shutil.rmtree(root, ignore_errors=True)

    notebooks = len(learners) * len(names)
    print(f"Machine: {cores} cores (os.sched_getaffinity) of {os.cpu_count()}; {args.learners} learners x "
          f"{len(names)} assignments = {notebooks} notebooks")
    labels = {"baseline": "plain nbgrader, one after another (baseline)",
              "split": f"plain nbgrader, split by hand into {cores + 1} processes",
              "ours": f"ours: python -m grading autograde ({cores} workers)",
              "cold": "ours from cold (makes the variants and keys too)"}
    print(f"{'way':<58} {'seconds':>8} {'nb/min':>7} {'vs baseline':>12} {'vs hand split':>14}")
    for key, label in labels.items() if not args.no_cohort else ():
        s = rows[key]
        print(f"{label:<58} {s:8.1f} {60 * notebooks / s:7.1f} {rows['baseline'] / s:11.2f}x "
              f"{rows['split'] / s:13.2f}x")
    print("\nOne learner's notebook, graded in the sandbox (median of 3), and the share of it that is the kernel's "
          "start, the imports and loading the learner's data (a kernel running the setup cell alone, median of 3):")
    for name in names:
        print(f"  {name:<24} {per_notebook[name]:5.2f} s   start + imports + data {share[name]:5.0%}")
    print(f"\nOne learner's {len(names)} notebooks (median of 3): {apart:.2f} s one at a time, each kernel started "
          f"afresh; {in_a_row:.2f} s in a row, each kernel a fork of their own zygote ({apart / in_a_row:.2f}x)")
    print(f"\nThe command line answers --help in {help_seconds:.2f} s")
    if validate_seconds is not None:
        print(f"Whole-course validate ({len(names)} assignments, 50 variants each): {validate_seconds[0]:.0f} s the "
              f"first time (it makes the variants), {validate_seconds[1]:.0f} s each time after")


if __name__ == "__main__":
    main()
