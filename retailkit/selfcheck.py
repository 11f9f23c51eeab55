"""Self-check: instant, specific feedback on a number answer, without giving the answer away.

``check("kpis-1-1-conversion-york", conversion_york)`` says whether the answer is right, right but
rounded differently from what the question asks, a percentage where a fraction was asked (or the
reverse), upside down, the wrong sign, or wrong, with a hint that points to the method.

How it works without revealing anything: the assignment folder holds ``selfcheck.json`` with, for each
task, a salt and salted SHA-256 hashes of the answer written at the question's rounding, and of its
common wrong forms (x 100, / 100, 1 / x, -x) at a few roundings. ``check`` writes your answer the same
way and compares hashes. A hash cannot be turned back into the number. (nbgrader's "hashed autotest" is
the same idea.) Passing a self-check is a good sign, not a mark: your tutor's autograder marks the work.
"""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path

from retailkit.answers import in_form, read_answer
from retailkit.datasets.files import current_variant

__all__ = ["check", "verdict", "make_entry", "FILE"]

FILE = "selfcheck.json"


def _hash(salt: str, text: str) -> str:
    return hashlib.sha256(f"{salt}|{text}".encode()).hexdigest()[:20]


def _text(value: float, places: int) -> str:
    """The number as written to ``places`` decimal places ("-0.00" is written "0.00")."""
    text = f"{value:.{places}f}"
    return text.lstrip("-") if float(text) == 0 else text


def in_words(places: int) -> str:
    return "a whole number" if places == 0 else f"{places} decimal place{'s' if places != 1 else ''}"


def places_written(value: float) -> int:
    """How many decimal places the learner wrote (0 to 6)."""
    for k in range(7):
        if abs(round(value, k) - value) < 1e-9 * max(1.0, abs(value)):
            return k
    return 6


def _label(task: str) -> str:
    if task.startswith("start-"):
        return "Practice task"
    parts = task.split("-")
    numbers = [p for p in parts[1:3] if p.isdigit()]
    return f"Task {'.'.join(numbers)}" if len(numbers) == 2 else "This task"


def make_entry(task: str, expected: float, decimals: int, form: str = "number", hint: str = "",
               readings: dict | None = None) -> dict:
    """The self-check record for one task: hashes only, never the value. Used by the course tool.

    ``readings`` (from the answer key): other readings of the question, ``{name: {"value", "says"}}``;
    an answer that matches one is told what it ``says`` ("this leaves refunds in the sales").
    """
    salt = hashlib.sha256(f"retailkit-selfcheck|{task}".encode()).hexdigest()[:16]
    x, d = float(expected), int(decimals)

    def forms(value: float, places: range) -> dict[str, str]:
        """Hashes of a wrong form at each rounding, leaving out roundings that come to zero."""
        return {str(k): _hash(salt, _text(value, k)) for k in places if float(_text(value, k)) != 0}

    hashes = {"correct": _hash(salt, _text(x, d)),
              "rounded": {str(k): _hash(salt, _text(x, k)) for k in range(max(d - 2, 0), d)
                          if round(x, k) != 0},
              "sign": forms(-x, range(0, d + 1)) if x != 0 else {}}
    if x != 0:
        hashes["inverse"] = forms(1 / x, range(0, d + 3))
    if form == "fraction":
        hashes["percent"] = forms(100 * x, range(0, d + 1))
    if form == "percent":
        hashes["fraction"] = forms(x / 100, range(0, d + 3))
    others = [(_hash(salt, _text(float(r["value"]), d)), r["says"]) for r in (readings or {}).values()
              if r.get("value") is not None and _text(float(r["value"]), d) != _text(x, d)]
    if others:
        hashes["readings"] = [{"hash": h, "says": says} for h, says in others]
    return {"label": _label(task), "decimals": d, "form": form, "hint": hint, "salt": salt, "hashes": hashes}


def _find(start: Path | None = None) -> Path | None:
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / FILE).exists():
            return folder / FILE
    return None


def classify(entry: dict, answer: float) -> tuple[str, str]:
    """The kind of answer and a message for the learner.

    Kinds: "correct", "reading", "rounded", "percent", "fraction", "inverse", "sign" or "wrong". It is the
    one rule for every kind of mistake: the tutor's autograder (``grading.compare.judge``) marks with this
    same function, so the two never disagree.

    Each kind compares the answer, written to a number of decimal places, with a hashed target written the
    same way: the answer is right when it reads the same as the key at the places the question asks for.
    """
    salt, d, hashes = entry["salt"], entry["decimals"], entry["hashes"]
    if _hash(salt, _text(answer, d)) == hashes["correct"]:
        precision = "the nearest whole number" if d == 0 else in_words(d)
        return "correct", f"these checks passed: the value is right, rounded to {precision}."
    for reading in hashes.get("readings", []):
        if _hash(salt, _text(answer, d)) == reading["hash"]:
            return "reading", f"not right yet: {reading['says']}. {entry['hint']}"
    k = places_written(answer)
    if answer == 0:
        return "wrong", f"not right yet. {entry['hint']}"
    if k < d and hashes["rounded"].get(str(k)) == _hash(salt, _text(answer, k)):
        return "rounded", (f"the value is right, but it is rounded to {in_words(k)}. "
                           f"The question asks for {in_words(d)}.")
    def matches(kind: str) -> bool:
        """The answer, at the places the learner wrote (or the most this kind keeps), is this kind's value."""
        table = hashes.get(kind, {})
        if not table:
            return False
        places = min(k, max(int(p) for p in table))
        return table.get(str(places)) == _hash(salt, _text(answer, places))

    if matches("percent"):
        return "percent", "this looks like a percentage. The question asks for a fraction: 25 % is 0.25."
    if matches("fraction"):
        return "fraction", "this looks like a fraction. The question asks for a percentage: 0.25 is 25 %."
    if matches("inverse"):
        return "inverse", f"this looks upside down: check which figure goes on top. {entry['hint']}"
    if matches("sign"):
        return "sign", f"check the sign: which figure comes first? {entry['hint']}"
    return "wrong", f"not right yet. {entry['hint']}"


def verdict(task: str, answer, folder=None) -> tuple[str, str]:
    """The kind of result ("correct", "rounded", "percent", ... "blank", "unavailable") and its message."""
    path = _find(Path(folder) if folder else None)
    if path is None:
        return "unavailable", ("Self-check is not available here (no selfcheck.json in this folder). Your answer "
                               "is still recorded for marking.")
    data, seed = json.loads(path.read_text()), current_variant()
    mine = data.get("variants", {}).get(str(seed)) or (data if data.get("variant") == seed else None)
    if mine is None:
        return "unavailable", ("Self-check is not available for your variant of the data (the selfcheck.json here "
                               "is for other numbers). Your answer is still recorded for marking.")
    entries = mine["tasks"]
    if task not in entries:
        return "unknown", f"There is no self-check for {task!r}: check the task name."
    entry = entries[task]
    number, unit, problem = read_answer(answer)
    number = in_form(number, unit, entry.get("form", "number"))
    if problem:
        kind, text = "invalid", f"{problem}."
    elif number is None:
        kind, text = "blank", "no answer yet: replace None with your answer and run the cell again."
    elif not math.isfinite(number):
        kind, text = "invalid", "that is not a finite number."
    else:
        kind, text = classify(entry, number)
    mark = "✓" if kind == "correct" else "✗" if kind in ("wrong", "invalid", "reading") else "•"
    text = f"{mark} {entry['label']}: {text}"
    if kind == "correct":
        text += "\n  (A self-check is a good sign, not a mark: your tutor's autograder marks the work.)"
    return kind, text


def check(task: str, answer, folder=None) -> None:
    """Check an answer and print feedback. Never stops the notebook: problems are explained, not raised.

    With ``rk.friendly_errors()`` on, a first line says when the cell run just before (the answer cell)
    stopped with an error: the answer checked is then an old one, not the learner's new answer.
    """
    from retailkit.answers import _answer_cell_warning

    warning = _answer_cell_warning()
    if warning:
        print(warning)
    print(verdict(task, answer, folder)[1])
