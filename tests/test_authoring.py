"""A course author adds an assignment the documented way: question, solution, one manifest entry, `sync`."""

import nbformat
import pytest
import yaml
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from grading import authoring, pipeline
from grading.course import GRADING, Course


def _author(tmp_path, decimals=0):
    notebooks = tmp_path / "notebooks"
    (notebooks / "throwaway").mkdir(parents=True)
    setup = new_code_cell("import retailkit as rk\nfrom retailkit.answers import record\n"
                          "from retailkit.datasets import load\nfrom retailkit.selfcheck import check\n"
                          'stores = load("stores")')
    question = new_markdown_cell("### Task 1\n\nHow many shops and websites are in `stores`? A whole number.")
    answer = new_code_cell("stores_count = None  # replace None with your answer, a whole number\n"
                           "### BEGIN SOLUTION\nstores_count = len(stores)\n### END SOLUTION")
    answer.metadata["nbgrader"] = {"grade": False, "grade_id": "tw-1-stores-answer", "locked": False,
                                   "schema_version": 3, "solution": True}
    answer.id = "1-stores-answer"
    nb = new_notebook(cells=[setup, question, answer])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, notebooks / "throwaway" / "throwaway.ipynb")
    manifest = yaml.safe_load((GRADING / "course.yml").read_text())
    manifest["assignments"] = {"throwaway": {
        "title": "Throw-away", "units": [], "notebooks": ["throwaway"],
        "tasks": {"tw-1-stores": {"variable": "stores_count", "points": 2, "decimals": decimals, "form": "number",
                                  "criteria": [], "hint": "Count the rows of stores."}}}}
    (tmp_path / "course.yml").write_text(yaml.safe_dump(manifest))
    course = Course.open(tmp_path / "course")
    course.notebooks, course.manifest_path = notebooks, tmp_path / "course.yml"
    return course


def test_sync_writes_the_cells_once_and_checks_the_words(tmp_path):
    course = _author(tmp_path)
    changes, problems = authoring.sync(course, "throwaway")
    assert changes and not problems
    nb = nbformat.read(course.notebooks / "throwaway" / "throwaway.ipynb", as_version=4)
    hand_in = nb.cells[3]
    assert hand_in.metadata.nbgrader["points"] == 2 and hand_in.metadata.nbgrader["grade_id"] == "tw-1-stores"
    assert 'record("tw-1-stores", stores_count)' in hand_in.source
    assert nb.cells[4].source == 'check("tw-1-stores", stores_count)'
    assert authoring.sync(course, "throwaway") == ([], [])  # idempotent
    wrong = _author(tmp_path / "again", decimals=2)
    _, problems = authoring.sync(wrong, "throwaway")
    assert problems == ["throwaway: tw-1-stores: the answer cell's words do not say 'to 2 decimal places' "
                        "(grading/course.yml: 2 decimals, number)"]


def test_the_shipped_notebooks_follow_the_manifest(tmp_path):
    course = Course.open(tmp_path / "course")
    for name in course.manifest["assignments"]:
        assert authoring.sync(course, name, write=False) == ([], []), name


@pytest.mark.slow
def test_a_new_assignment_made_the_authors_way_validates(tmp_path):
    course = _author(tmp_path)
    authoring.sync(course, "throwaway")
    pipeline.write_selfcheck(course, "throwaway")
    checks = pipeline.validate(course, ["throwaway"], how_many=5)
    assert all(c.ok for c in checks), pipeline.checks_table(checks)
    assert any("2/2" in c.detail for c in checks)
