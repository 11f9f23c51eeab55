"""The tutor's exchange: releasing to it, again, and where the tutor's own settings live.

A college's hub keeps nbgrader's exchange in its own place (``c.Exchange.root`` in a Jupyter config folder,
or in the course folder's ``nbgrader_config.py``); the course tool must release there, release again
without fuss, and never delete the tutor's settings. A learner's fetched copy is never changed.
"""

import os
import pwd
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from grading import pipeline
from grading.course import CONFIG_END, OLD_CONFIG_HEADER, Course

NBGRADER = str(Path(sys.executable).with_name("nbgrader"))


@pytest.fixture
def released(tmp_path, monkeypatch):
    """start_here released to an exchange that a Jupyter config folder names, as on a hub."""
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    exchange.chmod(0o777)
    config = tmp_path / "etc-jupyter"
    config.mkdir()
    (config / "nbgrader_config.py").write_text(f"c = get_config()\nc.Exchange.root = {str(exchange)!r}\n")
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(config))
    course = Course.open(tmp_path / "course")
    pipeline.release(course, "start_here")
    return {"exchange": exchange, "course": course}


def test_the_tutors_own_lines_in_the_course_config_are_kept_and_their_exchange_is_used(tmp_path):
    course = Course.open(tmp_path / "course")
    path = course.root / "nbgrader_config.py"
    assert CONFIG_END in path.read_text()
    with path.open("a") as f:
        f.write(f"c.Exchange.root = {str(tmp_path / 'hub-exchange')!r}  # the tutor's\n")
    course = Course.open(course.root, database="sqlite:///" + str(tmp_path / "elsewhere.db"))  # rewrites its part
    text = path.read_text()
    assert "the tutor's" in text.split(CONFIG_END)[1] and "elsewhere.db" in text.split(CONFIG_END)[0]
    assert course.config().Exchange.root == str(tmp_path / "hub-exchange")


def test_a_course_config_from_before_the_markers_keeps_the_tutors_lines(tmp_path):
    course = Course.open(tmp_path / "course")
    path = course.root / "nbgrader_config.py"
    ours = path.read_text().split(CONFIG_END)[0].splitlines(True)[1:]  # the tool's lines, as it wrote them before
    path.write_text(OLD_CONFIG_HEADER + "\n" + "".join(ours) + "c.Exchange.timezone = 'Europe/London'\n")
    Course.open(course.root)
    text = path.read_text()
    assert text.count("exec(open(") == 1 and OLD_CONFIG_HEADER not in text
    assert text.split(CONFIG_END)[1] == "c.Exchange.timezone = 'Europe/London'\n"


def test_the_exchange_set_in_a_jupyter_config_folder_is_used_and_a_broken_tutor_file_is_named(tmp_path,
                                                                                            monkeypatch):
    config = tmp_path / "etc-jupyter"
    config.mkdir()
    (config / "nbgrader_config.py").write_text(f"c = get_config()\nc.Exchange.root = {str(tmp_path / 'x')!r}\n")
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(config))
    course = Course.open(tmp_path / "course")
    assert course.config().Exchange.root == str(tmp_path / "x")
    with (course.root / "nbgrader_config.py").open("a") as f:
        f.write("c.Exchange.root = (\n")
    with pytest.raises(ValueError, match="nbgrader_config.py has an error"):
        course.config()


@pytest.mark.slow
def test_releasing_again_replaces_the_exchange_copy_and_never_a_learners_fetched_work(tmp_path, released):
    exchange, course = released["exchange"], released["course"]
    course_id = course.manifest["course_id"]
    outbound = exchange / course_id / "outbound" / "start_here" / "start_here.ipynb"
    assert outbound.is_file()

    home = tmp_path / "learner"
    home.mkdir()
    learner = {**os.environ, "HOME": str(home)}

    def fetch(*extra):
        return subprocess.run([NBGRADER, "fetch_assignment", "start_here", f"--course={course_id}", *extra],
                              cwd=home, env=learner, capture_output=True, text=True, timeout=120)

    assert fetch().returncode == 0
    mine = home / "start_here" / "start_here.ipynb"
    nb = nbformat.read(mine, as_version=4)
    nb.cells[-1].source = "my own working, typed in class"
    nbformat.write(nb, mine)

    pipeline.release(course, "start_here")  # again: no "add --force" traceback
    assert outbound.is_file()
    fetch()  # nbgrader refuses to fetch over an existing copy
    fetch("--replace")  # and --replace only brings back files that are missing
    assert "my own working, typed in class" in mine.read_text()


def test_autograde_pointed_at_the_exchanges_inbound_folder_says_what_to_do(tmp_path):
    from grading import submissions

    inbound = tmp_path / "inbound"
    (inbound / "amira+retail_kpis+2026-11-29 10:00:00.000000 UTC+abc123").mkdir(parents=True)
    course = Course.open(tmp_path / "course")
    got = submissions.collect(course, "retail_kpis", inbound)
    assert not got.learners and "exchange inbound folder" in got.problems[0]
    assert "python -m grading autograde retail_kpis` with no folder" in got.problems[0]


@pytest.mark.slow
def test_feedback_for_a_cohort_handed_in_both_through_the_exchange_and_as_files(tmp_path, released):
    exchange, course = released["exchange"], released["course"]
    course_id = course.manifest["course_id"]

    me = pwd.getpwuid(os.getuid()).pw_name  # nbgrader's exchange knows a learner by their Unix account
    home = tmp_path / "me"  # this account fetches and submits through the exchange
    home.mkdir()
    amira = {**os.environ, "HOME": str(home)}
    for step in ("fetch_assignment", "submit"):
        run = subprocess.run([NBGRADER, step, "start_here", f"--course={course_id}"], cwd=home, env=amira,
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
    files = tmp_path / "from-the-vle" / "ben"  # ben's file came from the VLE instead
    files.mkdir(parents=True)
    shutil.copy(course.root / "release" / "start_here" / "start_here.ipynb", files)

    results = pipeline.autograde(course, "start_here", files.parent)
    assert sorted(r.student for r in results if r.ok) == sorted([me, "ben"])
    written = pipeline.feedback(course, "start_here")
    assert {p.parts[-3] for p in written} == {me, "ben"}  # both pages, with no crash
    assert list((exchange / course_id / "feedback").glob("*.html"))  # the exchange learner's, for their tab
    run = subprocess.run([NBGRADER, "fetch_feedback", "start_here", f"--course={course_id}"], cwd=home, env=amira,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and list((home / "start_here" / "feedback").rglob("start_here.html")), run.stderr
