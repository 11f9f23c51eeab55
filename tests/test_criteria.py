"""Criterion-referenced outcomes: the rules of grading.criteria on small, hand-made evidence tables."""

from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
import yaml

from grading.course import GRADING, load_manifest
from grading.criteria import EVIDENCE_COLUMNS, criterion_states, unit_outcomes

UNITS_DIR = Path(__file__).resolve().parents[2] / "shared" / "units"

MANIFEST = {
    "units": {"U": {"title": "Unit U"}, "V": {"title": "Unit V"}},
    "criteria": {"U-1": {"unit": "U", "text": "One."}, "U-2": {"unit": "U", "text": "Two."},
                 "V-1": {"unit": "V", "text": "Vee."}},
    "higher_grades": [],
    "assignments": {"a": {"title": "A", "units": ["U"], "tasks": {
        "n1": {"points": 1, "criteria": ["U-1", "U-2"]}, "n2": {"points": 1, "criteria": []}},
        "written": {"w1": {"rubric": {"U-1": {"met": "x"}, "U-2": {"met": "y"}}, "points": 2,
                           "criteria": ["U-1", "U-2"]}}}},
}


def course(higher=()):
    return SimpleNamespace(manifest={**MANIFEST, "higher_grades": list(higher)})


def row(learner, task, kind, criterion, score, state):
    return dict(zip(EVIDENCE_COLUMNS, [learner, "a", task, task, kind, criterion, score, 1.0, state, "", "", ""],
                    strict=True))


def outcome(rows, higher=()):
    table = pd.DataFrame(rows, columns=EVIDENCE_COLUMNS)
    people = sorted(set(table["learner"]))
    states = criterion_states(course(higher), table, people)
    return states, unit_outcomes(course(higher), table, states).set_index(["learner", "unit"])


def numbers_right(learner):
    return [row(learner, "n1", "number", "U-1", 1, "right"), row(learner, "n1", "number", "U-2", 1, "right"),
            row(learner, "n2", "number", None, 1, "right")]


def test_every_number_right_and_nothing_written_achieves_no_unit():
    rows = numbers_right("lena") + [row("lena", "w1", "written", c, 0, "not yet") for c in ("U-1", "U-2")]
    states, units = outcome(rows)
    assert set(states["state"]) == {"not yet met", "not assessed yet"}
    assert units.loc[("lena", "U"), "outcome"] == "Not yet achieved"
    assert units.loc[("lena", "U"), "missing"] == "U-1 U-2"


def test_every_criterion_met_achieves_the_unit_and_a_criterion_no_task_assesses_is_named():
    rows = [row("amira", "w1", "written", c, 1, "met") for c in ("U-1", "U-2")]
    states, units = outcome(rows)
    assert units.loc[("amira", "U"), "outcome"] == "Achieved"
    assert units.loc[("amira", "V"), "outcome"] == "Not yet achieved"
    assert states.set_index("criterion").loc["V-1", "state"] == "not assessed yet"


def test_one_marking_point_waiting_for_the_tutor_keeps_the_unit_open():
    rows = [row("ben", "w1", "written", "U-1", 1, "met"), row("ben", "w1", "written", "U-2", 0, "to mark")]
    states, units = outcome(rows)
    assert units.loc[("ben", "U"), "outcome"] == "Not yet achieved" and units.loc[("ben", "U"), "to_mark"] == 1


def test_no_score_counts_twice_in_a_units_marks():
    # n1 is mapped to two criteria of unit U: its one mark counts once; each marking point once.
    rows = numbers_right("amira") + [row("amira", "w1", "written", c, 1, "met") for c in ("U-1", "U-2")]
    _, units = outcome(rows)
    assert units.loc[("amira", "U"), "marks"] == 3 and units.loc[("amira", "U"), "max_marks"] == 3


@pytest.mark.parametrize(("numbers", "grade"), [(True, "Distinction"), (False, "Achieved")])
def test_higher_grades_sit_on_top_of_achieved(numbers, grade):
    higher = [{"grade": "Distinction", "min_share": 0.9}, {"grade": "Merit", "min_share": 0.8}]
    rows = (numbers_right("x") if numbers else []) + [row("x", "w1", "written", c, 1, "met") for c in ("U-1", "U-2")]
    _, units = outcome(rows, higher)
    assert units.loc[("x", "U"), "grade"] == grade  # 3/3 = 100 %; without numbers 2/3 = 67 %
    _, units = outcome(numbers_right("y") + [row("y", "w1", "written", "U-1", 1, "met")], higher)
    assert units.loc[("y", "U"), "grade"] == "Not yet achieved"  # a high share never replaces a criterion


def bad_manifest(tmp_path, change):
    manifest = yaml.safe_load((GRADING / "course.yml").read_text())
    change(manifest)
    path = tmp_path / "course.yml"
    path.write_text(yaml.safe_dump(manifest))
    return path


@pytest.mark.parametrize(("change", "words"), [
    (lambda m: m["criteria"]["MCS-1"].update(unit="XYZ"), "criterion MCS-1 needs a `unit`"),
    (lambda m: m["assignments"]["retail_kpis"]["written"]["kpis-w1-which-shop"]["rubric"]["MCS-1"].pop("met"),
     "needs a rubric"),
    (lambda m: m.update(higher_grades=[{"grade": "Merit", "min_share": 0.6}, {"grade": "D", "min_share": 0.8}]),
     "highest first"),
    (lambda m: m["assignments"]["retail_kpis"]["tasks"]["kpis-1-2-atv-bristol"].update(criteria=["MCS-F"]),
     "unknown criteria ['MCS-F']"),
])
def test_a_manifest_mistake_is_named(tmp_path, change, words):
    with pytest.raises(ValueError, match=words.replace("[", r"\[").replace("]", r"\]").replace("`", ".")):
        load_manifest(bad_manifest(tmp_path, change))


def test_written_tasks_take_points_and_criteria_from_their_rubric():
    written = load_manifest()["assignments"]["retail_kpis"]["written"]
    assert written["kpis-w3-customer-feedback"]["points"] == 3
    assert written["kpis-w3-customer-feedback"]["criteria"] == ["MCS-3", "MCS-4", "ICR-6"]


@pytest.mark.skipif(not UNITS_DIR.is_dir(), reason="the unit texts (shared/units) are not beside this checkout")
def test_every_examiner_marking_point_of_the_single_unit_files_is_a_criterion():
    manifest = load_manifest()
    for unit, info in manifest["units"].items():
        text = (UNITS_DIR / info["file"]).read_text()
        if "Examiner Marking Points\n-" not in text:
            continue  # the relationship unit's points are spread over two files: counted by hand (6)
        points = [line for line in text.split("Examiner Marking Points")[1].splitlines() if line.startswith("- ")]
        assert len(points) == sum(c["unit"] == unit for c in manifest["criteria"].values()), unit
