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


@pytest.mark.parametrize("spec, value, share, words", [
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
