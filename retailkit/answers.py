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
_THOUSANDS = re.compile(r"^[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d*)?%?$")  # 1,234.5: commas between thousands only
_EXAMPLE = "such as 19.5"
# What a learner would call each container, and what it holds ("a column of 5 values").
_KINDS = {"list": ("a list", "values"), "tuple": ("a list", "values"), "set": ("a set", "values"),
          "Series": ("a column", "values"), "ndarray": ("an array", "numbers"), "Index": ("a list", "names")}


def _too_long(text: str) -> str:
    return text if len(text) <= 30 else text[:27] + "..."


def _not_a_number(value) -> str:
    """What ``value`` is, for a learner, and what to give instead (``value`` is not one number)."""
    kind = type(value).__name__
    if kind == "DataFrame":
        rows, columns = value.shape
        return (f"your answer is a table ({rows} row{'s' * (rows != 1)}, {columns} column{'s' * (columns != 1)}), "
                "not one number: pick the one value the question asks for")
    if kind == "dict":
        return "your answer is a dictionary, not one number: pick the one value the question asks for"
    if kind in _KINDS:
        noun, held = _KINDS[kind]
        size = len(value) if isinstance(value, (list, tuple, set)) else getattr(value, "size", None)
        if size == 0:
            return f"your answer is {noun} with nothing in it, not a number: check the step that picks the rows"
        return f"your answer is {noun} of {size} {held}, not one number: pick the one value the question asks for"
    if callable(value):
        name = getattr(value, "__name__", None) or "command"
        if getattr(value, "__self__", None) is not None and not isinstance(value.__self__, type(numbers)):
            return f"your answer is the command .{name} itself, not its result: add the brackets, as in .{name}()"
        return (f"your answer is the command {name} itself, not its result: add the brackets with the figures "
                f"inside, as in {name}(...)")
    return f"your answer is not a number (Python's name for it is {kind}): give one number, {_EXAMPLE}"


def read_answer(value) -> tuple[float | None, str | None, str | None]:
    """Read any honest form of a number: ``(number, unit, problem)``.

    Accepted: a number of any kind (int, float, ``Decimal``, ``Fraction``, numpy), text such as
    ``"0.195"``, ``"£20.56"``, ``"1,234.5"`` or ``"19.5%"`` (``unit`` is then ``"%"``), and a list, array,
    Series or table holding exactly one number. ``number`` is None when there is no answer (None) or when
    it cannot be read; ``problem`` then says, for a learner, what the answer is and what to give instead.
    It is written to follow "Answer recorded for kpis-1-1: " and to end a sentence (no full stop).

    >>> read_answer("19.5%")
    (19.5, '%', None)
    >>> read_answer([0.195])
    (0.195, None, None)
    >>> read_answer("about twenty")[2]
    "your answer is text that is not a number ('about twenty'): type just the number, such as 19.5"
    >>> read_answer("0,195")[2]
    "your answer has a comma where the decimal point goes ('0,195'): use a full stop, as in 0.195"
    """
    if value is None or value is ...:
        return None, None, None
    if isinstance(value, bool):
        return None, None, f"your answer is True or False, not a number: type the number, {_EXAMPLE}"
    if isinstance(value, (list, tuple)) and len(value) == 1:
        value = value[0]
    if hasattr(value, "to_numpy") and getattr(value, "size", 0) == 1:
        value = value.to_numpy().reshape(-1)[0]  # a one-value Series or table
    if hasattr(value, "item") and getattr(value, "size", 1) == 1 and not isinstance(value, str):
        value = value.item()  # a numpy number, or a one-value array
        if isinstance(value, bool):
            return None, None, f"your answer is True or False, not a number: type the number, {_EXAMPLE}"
    unit = None
    if isinstance(value, str):
        text = value.strip().replace("£", "").replace(" ", "")
        if "," in text and not _THOUSANDS.match(text):
            decimal_comma = text.replace(",", ".")
            if _NUMBER.match(decimal_comma.removesuffix("%")):
                return None, None, (f"your answer has a comma where the decimal point goes ('{_too_long(value)}'): "
                                    f"use a full stop, as in {decimal_comma}")
            text = "?"  # commas in odd places: not a number anyone could be sure of
        text = text.replace(",", "")
        if text.endswith("%"):
            text, unit = text[:-1], "%"
        if not text:
            return None, None, f"your answer is empty text (''): type the number, {_EXAMPLE}"
        if not _NUMBER.match(text):
            return None, None, (f"your answer is text that is not a number ('{_too_long(value)}'): "
                                f"type just the number, {_EXAMPLE}")
        value = float(text)
    if isinstance(value, numbers.Real | decimal.Decimal):  # Decimal is not a numbers.Real
        number = float(value)
        if math.isnan(number) or math.isinf(number):
            return None, None, ("your answer came out as NaN (\"not a number\") or infinity, which usually means "
                                "a division by zero or an empty selection: check the cells that work it out")
        return number, unit, None
    return None, None, _not_a_number(value)


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


def _answer_cell_warning() -> str | None:
    """The line saying the answer cell above stopped with an error (only with ``rk.friendly_errors()`` on)."""
    try:
        from retailkit.friendly import answer_cell_warning

        return answer_cell_warning()
    except Exception:  # noqa: BLE001 - a hand-in never stops over a warning
        return None


def record(task: str, value) -> None:
    """Show the answer for ``task`` so the grader can read it, e.g. ``record("kpis-1-1", 0.195)``.

    In a notebook the answer is shown as one plain line ("Answer recorded for kpis-1-1: 0.195"); the
    grader reads it from the same output (a ``MIME`` data field). Elsewhere it is printed after ``MARKER``.
    When ``rk.friendly_errors()`` is on and the cell run just before (the answer cell) stopped with an
    error, a first line says so: the value shown is then an old one, not the learner's new answer.
    """
    number, unit, problem = read_answer(value)
    payload = {"task": str(task), "value": number}
    if unit:
        payload["unit"] = unit
    if problem:
        payload["problem"] = problem
    shown = "no answer yet" if number is None and not problem else (problem or _shown(number) + (unit or ""))
    line = f"Answer recorded for {task}: {shown}"
    warning = _answer_cell_warning()
    if warning:
        line = f"{warning}\n{line}"
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
