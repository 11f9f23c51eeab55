"""Handing in an answer: ``record(task, value)`` shows the answer the tutor's grader will mark.

The grading cells of each assignment call ``record`` with the variable you filled in. It only reports
your answer: it does not know the right one, and it cannot mark anything. Marking happens later, in the
tutor's grading program, outside your notebook.
"""

from __future__ import annotations

import decimal
import json
import math
import numbers
import re

MARKER = "RETAILKIT-ANSWER "
MIME = "application/vnd.retailkit.answer+json"

__all__ = ["record", "read_answer", "in_form", "MARKER", "MIME"]


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def read_answer(value) -> tuple[float | None, str | None, str | None]:
    """Read any honest form of a number: ``(number, unit, problem)``.

    Accepted: a number of any kind (int, float, ``Decimal``, ``Fraction``, numpy), text such as
    ``"0.195"``, ``"£20.56"``, ``"1,234.5"`` or ``"19.5%"`` (``unit`` is then ``"%"``), and a list, array,
    Series or table holding exactly one number. ``number`` is None when there is no answer (None) or when
    it cannot be read; ``problem`` then says, for a learner, what form to give.

    >>> read_answer("19.5%")
    (19.5, '%', None)
    >>> read_answer([0.195])
    (0.195, None, None)
    >>> read_answer("about 20")[2]
    'your answer is the text "about 20"; type just the number, for example 0.25'
    """
    if value is None or value is ...:
        return None, None, None
    if isinstance(value, bool):
        return None, None, "your answer is True or False; it should be a number"
    if isinstance(value, (list, tuple)) and len(value) == 1:
        value = value[0]
    if hasattr(value, "to_numpy") and getattr(value, "size", 0) == 1:
        value = value.to_numpy().reshape(-1)[0]  # a one-value Series or table
    if hasattr(value, "item") and getattr(value, "size", 1) == 1 and not isinstance(value, str):
        value = value.item()  # a numpy number, or a one-value array
    unit = None
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("£", "").replace(" ", "")
        if text.endswith("%"):
            text, unit = text[:-1], "%"
        if not _NUMBER.match(text):
            shown = value if len(value) <= 30 else value[:27] + "..."
            return None, None, f'your answer is the text "{shown}"; type just the number, for example 0.25'
        value = float(text)
    if isinstance(value, numbers.Real | decimal.Decimal):  # Decimal is not a numbers.Real
        number = float(value)
        if math.isnan(number) or math.isinf(number):
            return None, None, "your answer is not a finite number (NaN or infinity)"
        return number, unit, None
    kind = {"list": "a list", "tuple": "a list", "dict": "a dictionary", "DataFrame": "a table",
            "Series": "a column", "ndarray": "a list of numbers"}.get(type(value).__name__, "not a number")
    return None, None, f"your answer is {kind}, not a single number; give one number, for example 0.25"


def in_form(number: float | None, unit: str | None, form: str) -> float | None:
    """The answer in the question's form: ``"19.5%"`` is 0.195 where a fraction is asked, else 19.5.

    >>> in_form(19.5, "%", "fraction"), in_form(19.5, "%", "percent"), in_form(0.195, None, "fraction")
    (0.195, 19.5, 0.195)
    """
    if number is not None and unit == "%" and form == "fraction":
        return number / 100
    return number


def _as_number(value):
    """The answer as a float, or None (no answer), or an explanation of why it cannot be read."""
    number, _, problem = read_answer(value)
    return number, problem


def _shown(number) -> str:
    return str(int(number)) if float(number).is_integer() else repr(number)


def record(task: str, value) -> None:
    """Show the answer for ``task`` so the grader can read it, e.g. ``record("kpis-1-1", 0.195)``.

    In a notebook the answer is shown as one plain line ("Answer recorded for kpis-1-1: 0.195"); the
    grader reads it from the same output (a ``MIME`` data field). Elsewhere it is printed after ``MARKER``.
    """
    number, unit, problem = read_answer(value)
    payload = {"task": str(task), "value": number}
    if unit:
        payload["unit"] = unit
    if problem:
        payload["problem"] = problem
    shown = "no answer yet" if number is None and not problem else (problem or _shown(number) + (unit or ""))
    line = f"Answer recorded for {task}: {shown}"
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover - IPython comes with the course's Jupyter stack
        get_ipython = None
    if get_ipython is not None and getattr(get_ipython(), "kernel", None) is not None:
        display({MIME: payload, "text/plain": line}, raw=True)
        return
    print(MARKER + json.dumps(payload))
    print(line)
