"""The shared tolerance helper: every autograded number is judged here and only here."""

import pytest

from grading.compare import close, judge, tolerance

FRACTION = {"expected": 0.19512, "decimals": 3, "form": "fraction", "hint": "Conversion = transactions / footfall."}
PERCENT = {"expected": 42.645, "decimals": 1, "form": "percent", "hint": "Margin = (sales - cost) / sales."}
MONEY = {"expected": 20.5588, "decimals": 2, "form": "number", "hint": "ATV = sales / transactions."}


def test_tolerance_is_half_a_unit_in_the_last_place():
    assert tolerance(2, 20.0) == pytest.approx(0.005, rel=1e-4)
    assert close(20.56, 20.5588, 2) and close(20.5588, 20.5588, 2)
    assert not close(20.55, 20.5588, 2)


@pytest.mark.parametrize(("spec", "value", "share", "words"), [
    (FRACTION, 0.195, 1.0, "Correct"),
    (FRACTION, 0.19512, 1.0, "Correct"),            # more places than asked is still right
    (FRACTION, 0.2, 0.5, "the question asks for 3 decimal places. Half marks"),
    (FRACTION, 19.5, 0.0, "looks like a percentage"),
    (FRACTION, 1 / 0.19512, 0.0, "upside down"),
    (FRACTION, 0.25, 0.0, "Conversion = transactions / footfall"),
    (FRACTION, 0, 0.0, "Not correct"),              # zero is never 'rounded'
    (FRACTION, None, 0.0, "No answer"),
    (PERCENT, 42.6, 1.0, "Correct"),
    (PERCENT, 43, 0.5, "rounded to a whole number"),
    (PERCENT, 0.426, 0.0, "looks like a fraction"),
    (MONEY, 20.56, 1.0, "Correct"),
    (MONEY, -20.56, 0.0, "check the sign"),
    (MONEY, 20.6, 0.5, "Half marks"),
    (MONEY, 21.0, 0.5, "rounded to a whole number"),
    (MONEY, 25.0, 0.0, "ATV = sales / transactions"),
])
def test_verdicts(spec, value, share, words):
    verdict = judge(value, spec)
    assert verdict.share == share
    assert words in verdict.message


def test_messages_never_give_the_answer_away():
    for value in (0.2, 19.5, 0.25, 5.0, None, -0.195):
        message = judge(value, FRACTION).message
        assert "0.195" not in message and "0.19512" not in message


def test_a_problem_reported_by_record_scores_zero():
    verdict = judge(None, MONEY, problem="your answer is a str, not a single number")
    assert verdict.share == 0 and "not a single number" in verdict.message


def test_another_reading_of_the_question_is_named_by_marker_and_self_check(tmp_path):
    import json

    from retailkit.selfcheck import FILE, make_entry, verdict

    readings = {"gross": {"value": 139.4188, "says": "this leaves refunds in the sales: take them off"}}
    spec = {"expected": 139.4148, "decimals": 2, "form": "number", "hint": "Sales / area.", "readings": readings}
    got = judge(139.42, spec)
    assert got.share == 0 and "this leaves refunds in the sales" in got.message
    assert judge(139.41, spec).share == 1
    entry = make_entry("kpis-1-4-density-swindon", 139.4148, 2, "number", "Sales / area.", readings)
    (tmp_path / FILE).write_text(json.dumps({"notebook": "x", "tasks": {"kpis-1-4-density-swindon": entry}}))
    kind, text = verdict("kpis-1-4-density-swindon", 139.42, folder=tmp_path)
    assert kind == "reading" and "this leaves refunds in the sales" in text
    assert "139.42" not in json.dumps(entry)  # hashes only


def test_validate_fails_a_reading_the_question_does_not_rule_out(tmp_path):
    import nbformat

    from grading import pipeline
    from grading.course import Course

    course = Course.open(tmp_path / "course")
    course.sync_source("retail_kpis")
    key = {"retail_kpis": {"kpis-1-4-density-swindon": {
        "expected": 139.4148, "decimals": 2, "form": "number",
        "readings": {"gross": {"value": 139.4188, "says": "x"}, "vat": {"value": 139.4149, "says": "y"}}}}}
    assert pipeline.second_readings(course, "retail_kpis", key) == []  # the question says "net of refunds"
    path = course.root / "source" / "retail_kpis" / "retail_kpis.ipynb"
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.get("id") == "1-4-density-swindon-question":
            cell.source = cell.source.replace("net of\nrefunds", "")
    nbformat.write(nb, path)
    found = pipeline.second_readings(course, "retail_kpis", key)
    assert len(found) == 1 and "reading 'gross' gives 139.42, the key 139.41" in found[0]
