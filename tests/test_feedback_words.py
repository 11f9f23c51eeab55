"""The feedback page's words for each marked cell (grading.feedback), without a gradebook."""

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell

from grading.feedback import title, words


def cell(kind, grade_id, **meta):
    made = (new_code_cell if kind == "code" else new_markdown_cell)("x")
    made.metadata["nbgrader"] = {"grade_id": grade_id, **meta}
    return made


@pytest.mark.parametrize(("made", "said"), [
    (cell("code", "kpis-1-1-conversion-york", grade=True, score=1.0, points=1), ("Task 1.1", "Right: 1 mark")),
    (cell("code", "kpis-2-3-x", grade=True, score=0.5, points=1), ("Task 2.3", "Partly right: 0.5 of 1 mark")),
    (cell("code", "kpis-2-3-x", grade=True, score=0.0, points=2), ("Task 2.3", "Not right yet: 0 of 2 marks")),
    (cell("md", "kpis-w1-shop-mp-mcs-1", task=True, score=1.0, points=1), ("Marking point MCS-1", "Met")),
    (cell("md", "kpis-w1-shop-mp-ocs-2", task=True, score=0.0, points=1), ("Marking point OCS-2", "Not yet met")),
])
def test_each_marked_cell_gets_a_label_and_a_verdict_in_plain_words(made, said):
    assert tuple(words(made, {}).values()) == said


def test_a_marking_point_the_tutor_has_not_looked_at_is_waiting_not_failed():
    made = cell("md", "kpis-w1-shop-mp-icr-6", task=True, score=0.0, points=1)
    assert words(made, {}, waiting={"kpis-w1-shop-mp-icr-6"})["verdict"] == "Waiting for your tutor"


def test_a_written_answer_is_named_by_its_question_and_other_cells_get_nothing():
    answer = cell("md", "kpis-w1-shop", solution=True, grade=True, score=0.0, points=0)
    assert words(answer, {"kpis-w1-shop": "Task 4.1: Which shop first?"})["label"] == \
        "Your answer: Task 4.1: Which shop first?"
    assert words(new_markdown_cell("plain"), {}) is None


def test_the_title_is_found_before_and_after_the_sanitiser_renders_it():
    nb = nbformat.v4.new_notebook(cells=[new_markdown_cell("# Retail KPIs: how are shops doing?\n\nText")])
    assert title(nb) == "Retail KPIs: how are shops doing?"
    nb.cells[0].source = '<h1 id="t">Retail KPIs &amp; more<a class="anchor-link" href="#t">¶</a></h1>'
    assert title(nb) == "Retail KPIs & more"
