"""The autograder's verdict on a numeric answer: marks and a message, by the self-check's one rule.

``judge`` classifies with ``retailkit.selfcheck.classify`` (so the learner's self-check and the marks never
disagree) and turns the kind of answer into a share of the points and a message for the tutor and learner.

A task's specification comes from the answer key (made by running the source notebook in the grading
process), never from the learner's notebook: ``expected`` value, ``decimals`` the question asks for, the
``form`` of the answer (fraction, percent or number) and a ``hint`` that points to the method.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Verdict:
    """What an answer earns: a share of the task's points (0, 0.5 or 1) and a message for the learner."""

    share: float
    message: str
    kind: str = ""  # as retailkit.selfcheck.classify names it


def tolerance(decimals: int, expected: float) -> float:
    """Half a unit in the last decimal place asked for, plus a hair for floating-point noise."""
    return 0.5 * 10.0 ** (-decimals) + 1e-9 * max(1.0, abs(expected))


def close(value: float, expected: float, decimals: int) -> bool:
    """True when ``value`` is ``expected`` to the number of decimal places the question asks for."""
    return abs(value - expected) <= tolerance(decimals, expected)


MESSAGES = {
    "correct": "Correct.",
    "percent": "This looks like a percentage (x 100). The question asks for a fraction, e.g. 0.25 rather than 25.",
    "fraction": "This looks like a fraction. The question asks for a percentage, e.g. 25.0 rather than 0.25.",
    "inverse": "Not correct: your ratio looks upside down. {hint}",
    "sign": "Not correct: check the sign (which figure comes first?). {hint}",
    "wrong": "Not correct. {hint}",
}
SHARES = {"correct": 1.0, "rounded": 0.5}


def judge(value, spec: dict, problem: str | None = None) -> Verdict:
    """Mark one answer against its specification, by the self-check's own rule (``retailkit.selfcheck.classify``).

    Full marks when the answer reads the same as the key at the decimal places asked for; half marks for
    the right answer rounded to one or two places fewer; no marks otherwise, with a message that names the
    likely mistake (another reading of the question, a percentage where a fraction was asked or the
    reverse, a ratio upside down, the wrong sign) but never the answer.
    """
    from retailkit.selfcheck import classify, in_words, make_entry, places_written

    decimals, hint = int(spec["decimals"]), spec.get("hint", "")
    if problem:
        return Verdict(0.0, f"Not marked: {problem}.", "invalid")
    if value is None:
        return Verdict(0.0, "No answer was given: replace None with your answer.", "blank")
    value = float(value)
    entry = make_entry("task", float(spec["expected"]), decimals, spec.get("form", "number"), hint,
                       spec.get("readings"))
    kind, text = classify(entry, value)
    if kind == "reading":
        message = "Not correct: " + text.removeprefix("not right yet: ")
    elif kind == "rounded":
        message = (f"Right, but rounded to {in_words(places_written(value))}: the question asks for "
                   f"{in_words(decimals)}. Half marks.")
    else:
        message = MESSAGES[kind].format(hint=hint).strip()
    return Verdict(SHARES.get(kind, 0.0), message, kind)
