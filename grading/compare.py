"""The one place that decides whether a numeric answer is right: the shared tolerance helper.

A task's specification comes from the answer key (made by running the source notebook in the grading
process), never from the learner's notebook: ``expected`` value, ``decimals`` the question asks for, the
``form`` of the answer (fraction, percent or number) and a ``hint`` that points to the method.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Verdict:
    """What an answer earns: a share of the task's points (0, 0.5 or 1) and a message for the learner."""

    share: float
    message: str


def tolerance(decimals: int, expected: float) -> float:
    """Half a unit in the last decimal place asked for, plus a hair for floating-point noise."""
    return 0.5 * 10.0 ** (-decimals) + 1e-9 * max(1.0, abs(expected))


def close(value: float, expected: float, decimals: int) -> bool:
    """True when ``value`` is ``expected`` to the number of decimal places the question asks for."""
    return abs(value - expected) <= tolerance(decimals, expected)


def _places(n: int) -> str:
    return "a whole number" if n == 0 else f"{n} decimal place{'s' if n != 1 else ''}"


def judge(value, spec: dict, problem: str | None = None) -> Verdict:
    """Mark one answer against its specification.

    Full marks within the stated rounding; half marks for the right answer rounded to fewer decimal
    places than asked; no marks otherwise, with a message that names the likely mistake (a percentage
    where a fraction was asked, or the reverse; a ratio upside down; the wrong sign) but never the answer.
    """
    expected = float(spec["expected"])
    decimals = int(spec["decimals"])
    form = spec.get("form", "number")
    hint = spec.get("hint", "")
    if problem:
        return Verdict(0.0, f"Not marked: {problem}.")
    if value is None:
        return Verdict(0.0, "No answer was given: replace None with your answer.")
    value = float(value)
    if close(value, expected, decimals):
        return Verdict(1.0, "Correct.")
    for reading in spec.get("readings", {}).values():  # another reading of the question, named
        if reading["value"] is not None and close(value, float(reading["value"]), decimals):
            return Verdict(0.0, f"Not correct: {reading['says']}. {hint}".strip())
    for fewer in range(decimals - 1, max(decimals - 3, -1), -1):  # one or two places fewer
        rounded = round(expected, fewer)
        if rounded != 0 and abs(value - rounded) <= 1e-9 * max(1.0, abs(expected)):
            return Verdict(0.5, f"Right, but rounded to {_places(fewer)}: the question asks for "
                                f"{_places(decimals)}. Half marks.")
    if form == "fraction" and close(value / 100, expected, decimals):
        return Verdict(0.0, "This looks like a percentage (x 100). The question asks for a fraction, "
                            "e.g. 0.25 rather than 25.")
    if form == "percent" and close(value * 100, expected, max(decimals - 2, 0)):
        return Verdict(0.0, "This looks like a fraction. The question asks for a percentage, "
                            "e.g. 25.0 rather than 0.25.")
    if expected != 0 and value != 0 and math.isclose(value * expected, 1.0, rel_tol=0.01):
        return Verdict(0.0, f"Not correct: your ratio looks upside down. {hint}".strip())
    if expected != 0 and close(-value, expected, decimals):
        return Verdict(0.0, f"Not correct: check the sign (which figure comes first?). {hint}".strip())
    return Verdict(0.0, f"Not correct. {hint}".strip())
