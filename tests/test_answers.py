"""retailkit.answers.record: what a learner's grade cell prints for the grader to read."""

import json

import numpy as np
import pandas as pd
import pytest

from retailkit.answers import MARKER, record


def reported(capsys):
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith(MARKER))
    return json.loads(line[len(MARKER):])


@pytest.mark.parametrize(("value", "expected"), [
    (0.25, 0.25), (3, 3.0), (np.float64(1.5), 1.5), (np.int64(7), 7.0), (pd.Series([2.5]).sum(), 2.5),
    (np.array([4.0]), 4.0), (None, None),
])
def test_numbers_are_reported(capsys, value, expected):
    record("t1", value)
    assert reported(capsys) == {"task": "t1", "value": expected}


@pytest.mark.parametrize(("value", "words"), [
    ("about 0.25", "your answer is text that is not a number ('about 0.25'): type just the number"),
    (True, "True or False, not a number"), (np.bool_(True), "True or False, not a number"),
    (float("nan"), 'came out as NaN ("not a number") or infinity'),
    (pd.Series([1.0, 2.0]), "a column of 2 values, not one number"), ([1, 2], "a list of 2 values"),
    ([], "a list with nothing in it"), (pd.Series([], dtype=float), "a column with nothing in it"),
    (pd.DataFrame({"a": [1, 2]}), "a table (2 rows, 1 column), not one number"),
    (np.array([1.0, 2.0, 3.0]), "an array of 3 numbers"), ({"a": 1}, "a dictionary"),
    ("", "empty text"), ("0,195", "a comma where the decimal point goes ('0,195'): use a full stop, as in 0.195"),
    ("1,2,3", "text that is not a number"),
    (pd.Series([1.0]).sum, "the command .sum itself, not its result: add the brackets, as in .sum()"),
    (record, "the command record itself, not its result"), (1 + 2j, "not a number (Python's name for it is complex)"),
])
def test_other_things_are_explained(capsys, value, words):
    record("t2", value)
    got = reported(capsys)
    assert got["value"] is None and words in got["problem"]


@pytest.mark.parametrize(("value", "number", "unit"), [
    (__import__("decimal").Decimal("0.195"), 0.195, None), ("0.195", 0.195, None), ("19.5%", 19.5, "%"),
    ([0.195], 0.195, None), (pd.DataFrame({"conversion": [0.195]}), 0.195, None), ("£1,234.50", 1234.5, None),
    (__import__("fractions").Fraction(1, 4), 0.25, None),
])
def test_every_honest_form_of_a_number_is_read(capsys, value, number, unit):
    record("t3", value)
    got = reported(capsys)
    assert got["value"] == number and got.get("unit") == unit and "problem" not in got


def test_the_learner_sees_a_plain_confirmation(capsys):
    record("kpis-1-1", 0.195)
    assert "Answer recorded for kpis-1-1: 0.195" in capsys.readouterr().out


@pytest.mark.parametrize("value", ["about 0.25", True, float("nan"), [1, 2], pd.DataFrame({"a": [1, 2]}), len, ""])
def test_problems_read_as_the_end_of_a_sentence_for_a_learner(capsys, value):
    """Problems follow "Answer recorded for t4: " and "Not marked: " and get a full stop: no type names."""
    record("t4", value)
    problem = reported(capsys)["problem"]
    assert problem.startswith("your answer ") and not problem.endswith(".")
    for jargon in ("str", "float", "NoneType", "bool", "list[", "ndarray", "DataFrame", "builtin"):
        assert jargon not in problem.replace("first", "").split("(Python's name")[0], problem
