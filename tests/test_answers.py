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
    ("about 0.25", 'the text "about 0.25"'), (True, "True or False"), (float("nan"), "not a finite number"),
    (pd.Series([1.0, 2.0]), "a column, not a single number"), ([1, 2], "a list"),
    (pd.DataFrame({"a": [1, 2]}), "a table"),
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
