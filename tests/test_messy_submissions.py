"""Honest but messy hand-ins (tests/messy.py) through `autograde`, with small limits.

Each slip costs the affected task only, the verdict names the slip in plain words, every honest form of
a number is read, a stray `sleep` meets the time limit, and the learner's own file is never changed.
"""

import json

import nbformat
import pytest

from grading import answer_key, pipeline
from grading.course import Course
from grading.sandbox import Limits
from tests import messy

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("messy")
    course = Course.open(base / "course")
    course.manifest["personal_data"] = False  # slips, not variants: every learner on the shared data
    course.limit_override = Limits(cell_seconds=5, notebook_seconds=60)
    pipeline.release(course, "retail_kpis")
    answer_key.build(course, "retail_kpis")
    folder = messy.write(course, base / "incoming")
    handed_in = {p.parent.name: p.read_bytes() for p in folder.glob("*/retail_kpis.ipynb")}
    results = {r.student: r for r in pipeline.autograde(course, "retail_kpis", folder)}
    return {"course": course, "results": results, "handed_in": handed_in}


def _verdicts(course, learner) -> str:
    nb = nbformat.read(course.root / "autograded" / learner / "retail_kpis" / "retail_kpis.ipynb", as_version=4)
    return json.dumps([c.get("outputs", []) for c in nb.cells] + [nb.cells[0].source])


@pytest.mark.parametrize("learner", sorted(messy.CASES))
def test_each_slip_costs_only_the_affected_task(graded, learner):
    result = graded["results"][learner]
    assert result.ok, result.problem
    assert result.score == messy.CASES[learner][1], messy.CASES[learner][0]


@pytest.mark.parametrize(("learner", "words"), [
    ("copied-answer", "Task 1.1: the answer cell was copied or split; the first copy is the marked one"),
    ("split-answer", "Task 1.2: the answer cell was copied or split"),
    ("duplicate-grade-id", "Task 1.1: the hand-in cell was copied or split"),
    ("cut-task", "Task 1.3: the answer cell was missing (cut or deleted)"),
    ("recreated-written", "Written task W1: your answer was in a new cell in the right place"),
    ("stripped-metadata", "had lost its marking labels"),
    ("sleepy", "this cell ran longer than its limit of 5 seconds"),
    ("exit-last-cell", "the Python kernel stopped during this cell"),
])
def test_the_slip_is_named_in_plain_words(graded, learner, words):
    assert words in _verdicts(graded["course"], learner)


def test_a_recreated_written_answer_reaches_the_tutor(graded):
    course = graded["course"]
    marks = pipeline.scores(course, "retail_kpis", "recreated-written")
    written = {k: v for k, v in marks.items() if v["type"] == "markdown"}
    points = {k: v for k, v in written.items() if k.startswith("kpis-w1-which-shop-mp-")}
    assert len(points) == 2 and all(v["needs_manual"] for v in points.values())  # the tutor's to mark
    nb = nbformat.read(course.root / "autograded" / "recreated-written" / "retail_kpis" / "retail_kpis.ipynb", 4)
    assert any("York Shambles needs help first" in c.source for c in nb.cells
               if c.metadata.get("nbgrader", {}).get("grade_id", "").startswith("kpis-w1"))


def test_the_learners_own_file_is_never_changed(graded):
    for learner, data in graded["handed_in"].items():
        path = graded["course"].root / "submitted" / learner / "retail_kpis" / "retail_kpis.ipynb"
        assert path.read_bytes() == data, learner


def test_a_rerun_keeps_every_mark_and_grades_only_what_changed(graded, tmp_path):
    course = graded["course"]
    before = {s: pipeline.scores(course, "retail_kpis", s) for s in messy.CASES}
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url, course.manifest["course_id"]) as gb:  # the tutor marks a written answer
        grade = gb.find_grade("kpis-w1-which-shop-mp-mcs-1", "retail_kpis", "retail_kpis", "copied-answer")
        grade.manual_score, grade.needs_manual_grade = 1, False
        gb.db.commit()
    state = pipeline.state_path(course, "retail_kpis")
    saved = json.loads(state.read_text())
    state.write_text(json.dumps({k: v for k, v in saved.items() if k < "h"}))  # as if killed half-way
    late = tmp_path / "late"
    (late / "late-learner").mkdir(parents=True)
    source = course.root / "submitted" / "honest-forms" / "retail_kpis" / "retail_kpis.ipynb"
    (late / "late-learner" / "retail_kpis.ipynb").write_bytes(source.read_bytes())
    again = {r.student: r for r in pipeline.autograde(course, "retail_kpis", late)}
    regraded = sorted(s for s, r in again.items() if r.seconds > 0)
    assert regraded == sorted(["late-learner"] + [s for s in messy.CASES if s >= "h"])
    assert again["late-learner"].score == 13
    after = {s: pipeline.scores(course, "retail_kpis", s) for s in messy.CASES}
    for learner in messy.CASES:
        assert {k: v["score"] for k, v in after[learner].items() if v["type"] == "code"} == \
            {k: v["score"] for k, v in before[learner].items() if v["type"] == "code"}, learner
    marked = after["copied-answer"]["kpis-w1-which-shop-mp-mcs-1"]
    assert marked["manual"] == 1 and not marked["needs_manual"]  # the tutor's marking stays final
