"""Source notebooks as committed: outputs stripped, stable ids, nbgrader metadata, course manifest."""

from pathlib import Path

import nbformat
import pytest

from grading.course import load_manifest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").rglob("*.ipynb"))


def test_there_are_notebooks():
    assert NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_with_outputs_stripped(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: run `make strip`"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_cell_ids_and_grade_ids_are_unique_and_readable(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    ids = [c.id for c in nb.cells]
    assert len(ids) == len(set(ids))
    grade_ids = [c.metadata["nbgrader"]["grade_id"] for c in nb.cells if "nbgrader" in c.metadata]
    assert len(grade_ids) == len(set(grade_ids))
    assert all(g.replace("-", "").isalnum() and g == g.lower() for g in grade_ids)


def test_the_kpi_notebook_says_which_data_the_learner_is_working_on():
    nb = nbformat.read(ROOT / "notebooks" / "retail_kpis" / "retail_kpis.ipynb", as_version=4)
    setup = next(c for c in nb.cells if c.get("id") == "setup")
    assert "print(variant_note())" in setup.source


def test_manifest_lists_every_assignment_folder():
    manifest = load_manifest()
    folders = {p.name for p in (ROOT / "notebooks").iterdir() if p.is_dir() and not p.name.startswith(".")}
    assert folders == set(manifest["assignments"])
    assert set(manifest["units"]) == {"OCS", "MCS", "CIS", "ICR"}
    for cid, criterion in manifest["criteria"].items():
        assert cid.startswith(criterion["unit"] + "-") and criterion["text"].endswith(".")


def test_every_number_task_has_a_hint_and_a_common_mistake_in_its_part():
    manifest = load_manifest()
    for name, assignment in manifest["assignments"].items():
        for task in assignment["tasks"].values():
            assert task["hint"] and task["form"] in {"fraction", "percent", "number"}
        if len(assignment["tasks"]) < 3:  # the practice notebook
            continue
        nb = nbformat.read(ROOT / "notebooks" / name / f"{assignment['notebooks'][0]}.ipynb", as_version=4)
        part, callouts, task_part = "", set(), {}
        for cell in nb.cells:
            if cell.cell_type != "markdown":
                continue
            if cell.source.startswith("## "):
                part = cell.source.splitlines()[0]
            if "Common mistake" in cell.source:
                callouts.add(part)
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
            if grade_id.removesuffix("-question") in assignment["tasks"]:
                task_part[grade_id.removesuffix("-question")] = part
        assert set(task_part) == set(assignment["tasks"])
        for task, where in task_part.items():
            assert where in callouts, f"{task}: no 'Common mistake' callout in its part ({where})"
