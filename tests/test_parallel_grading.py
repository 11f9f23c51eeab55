"""Grading a cohort in parallel gives exactly the marks of grading it one learner at a time.

- the SQLite gradebook takes one writer at a time across processes, and loses no write;
- the demo (which grades on a pool of processes, one a core) and a sequential regrade agree cell by cell;
- a Dask cluster (a LocalCluster on loopback) grades the cohort into a PostgreSQL gradebook, started by the
  test from Debian's packages on a loopback port, with the same marks again;
- two sandboxes at the same time never share a user id, so one learner's processes cannot use up
  another's process limit.

PostgreSQL: `make test` installs Debian's `postgresql` when it can (root with apt-get); without it the
PostgreSQL test is skipped with a loud message, and fails under CI (``CI`` set), like the browser tests.
"""

from __future__ import annotations

import glob
import itertools
import multiprocessing
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from grading import autograde, gradebook, pipeline
from grading.course import Course
from grading.sandbox import Sandbox, _uid_file

NAME = "retail_kpis"


def _write_students(args) -> list[tuple[float, float]]:
    db_url, lock, tag, n = args
    gradebook.one_writer(lock)
    from nbgrader.api import Gradebook

    held = []
    for i in range(n):
        with Gradebook(db_url, "course") as gb:
            start = time.monotonic()
            gb.update_or_create_student(f"{tag}{i}", first_name=tag)
            time.sleep(0.02)  # a writer that takes its time, as nbgrader's do over many cells
            held.append((start, time.monotonic()))
    return held


def test_one_writer_at_a_time_loses_no_gradebook_write(tmp_path, monkeypatch):
    from nbgrader.api import Gradebook

    monkeypatch.setenv("PATH", os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"])  # alembic
    db_url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(db_url, "course"):
        pass  # the tables, made once
    jobs = [(db_url, str(tmp_path / "gradebook.lock"), tag, 6) for tag in "abcd"]
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        held = sorted(span for spans in pool.map(_write_students, jobs) for span in spans)
    assert all(end <= next_start for (_, end), (next_start, _) in itertools.pairwise(held)), "two writers at once"
    with Gradebook(db_url, "course") as gb:
        assert len(gb.students) == 24


def test_two_sandboxes_at_once_run_as_different_users():
    with Sandbox() as one, Sandbox() as two:
        if not one.as_root:
            pytest.skip("grading does not run as root here: the kernel runs as this user")
        assert one.uid != two.uid and min(one.uid, two.uid) >= 2_000_000
        held = one.uid
    assert not _uid_file(held).exists()  # given back


def auto_marks(course: Course, learners: list[str], name: str = NAME) -> dict[tuple[str, str], float | None]:
    """Every autograded cell's mark in the gradebook, by (learner, grade cell)."""
    marks = {}
    for student in learners:
        for cell, v in gradebook.scores(course, name, student).items():
            if v["type"] == "code":
                marks[(student, cell)] = v["auto"]
    return marks


def copy_course(demo_course, to: Path, **kwargs) -> Course:
    shutil.copytree(demo_course["course"].root, to, symlinks=True)
    return Course.open(to, **kwargs)


@pytest.mark.slow
def test_parallel_grading_gives_the_marks_of_one_at_a_time(demo_course, tmp_path):
    graded = demo_course["cycles"][NAME]["results"]  # the demo grades on a pool, one learner a core
    course = copy_course(demo_course, tmp_path / "course")
    again = autograde.autograde(course, NAME, regrade=True, workers=1)
    assert [(r.student, r.ok, r.score) for r in again] == [(r.student, r.ok, r.score) for r in graded]
    learners = [r.student for r in again if r.ok]
    assert auto_marks(course, learners) == auto_marks(demo_course["course"], learners)
    assert len(auto_marks(course, learners)) == len(learners) * len(course.assignment(NAME)["tasks"])


@pytest.mark.slow
def test_one_command_grades_several_assignments_with_the_marks_of_one_at_a_time(demo_course, tmp_path):
    """``autograde A B``: one set of workers, kept from one assignment to the next; the same marks."""
    names = ["retail_kpis", "service_delivery"]
    course = copy_course(demo_course, tmp_path / "course")
    run = subprocess.run([sys.executable, "-m", "grading", "autograde", *names, "--regrade", "--course",
                          str(course.root)], capture_output=True, text=True)
    assert [line for line in run.stdout.splitlines() if not line.startswith(" ")][:3:2] == ["retail_kpis:",
                                                                                             "service_delivery:"]
    assert "Exception ignored" not in run.stderr and "Traceback" not in run.stderr
    for name in names:
        learners = [r.student for r in demo_course["cycles"][name]["results"] if r.ok]
        assert learners
        assert auto_marks(course, learners, name) == auto_marks(demo_course["course"], learners, name)


# --- PostgreSQL from Debian, on a loopback port, for the Dask test ------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def postgres():
    """A PostgreSQL server of our own on 127.0.0.1 (trust for the local user `tutor`); its SQLAlchemy URL."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        message = ("POSTGRESQL TEST SKIPPED: PostgreSQL is not installed. Run `make test` as root on "
                   "Debian/Ubuntu (it installs the `postgresql` package) to run it.")
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is missing under CI: " + message)
        pytest.skip(message)
    bin_dir = Path(found[-1]).parent
    pytest.importorskip("psycopg", reason="psycopg is installed with the project's dev extras")
    data = Path(tempfile.mkdtemp(prefix="rk-postgres-"))  # (pytest's own folders are root's alone)
    as_user: list[str] = []
    if os.geteuid() == 0:  # the server refuses to run as root: run it as nobody, in a folder nobody owns
        shutil.chown(data, "nobody", "nogroup")
        as_user = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"]
    port = _free_port()
    subprocess.run([*as_user, str(bin_dir / "initdb"), "-D", str(data / "db"), "-A", "trust", "-U", "tutor",
                    "--no-sync"], check=True, capture_output=True, cwd=data)
    subprocess.run([*as_user, str(bin_dir / "pg_ctl"), "-D", str(data / "db"), "-l", str(data / "log"), "-w",
                    "-o", f"-h 127.0.0.1 -p {port} -k {data}", "start"], check=True, capture_output=True, cwd=data)
    try:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={port} user=tutor dbname=postgres", autocommit=True) as c:
            c.execute("CREATE DATABASE gradebook")
        yield f"postgresql+psycopg://tutor@127.0.0.1:{port}/gradebook"
    finally:
        subprocess.run([*as_user, str(bin_dir / "pg_ctl"), "-D", str(data / "db"), "-m", "immediate", "stop"],
                       capture_output=True, cwd=data)
        shutil.rmtree(data, ignore_errors=True)


@pytest.mark.slow
def test_a_dask_cluster_grades_into_postgresql_with_the_same_marks(demo_course, postgres, tmp_path):
    distributed = pytest.importorskip("distributed", reason="dask.distributed comes with the dev extras")
    course = copy_course(demo_course, tmp_path / "course", database=postgres)
    pipeline.release(course, NAME)  # the assignment and its cells, into the new gradebook
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        start = time.perf_counter()
        results = autograde.autograde(course, NAME, regrade=True, scheduler=cluster.scheduler_address)
        seconds = time.perf_counter() - start
    graded = demo_course["cycles"][NAME]["results"]
    assert [(r.student, r.ok, r.score) for r in results] == [(r.student, r.ok, r.score) for r in graded]
    learners = [r.student for r in results if r.ok]
    assert auto_marks(course, learners) == auto_marks(demo_course["course"], learners)
    from sqlalchemy import create_engine, text

    with create_engine(postgres).connect() as db:  # the marks are in PostgreSQL
        graded_rows = db.execute(text("SELECT count(*) FROM submitted_assignment")).scalar()
    assert graded_rows == len(learners)
    print(f"Dask LocalCluster, 2 workers, PostgreSQL gradebook: {len(results)} learners in {seconds:.1f} s")
