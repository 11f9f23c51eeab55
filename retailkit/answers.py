"""Handing in an answer: ``record(task, value)`` shows the answer the tutor's grader will mark.

The grading cells of each assignment call ``record`` with the variable you filled in. It only reports
your answer: it does not know the right one, and it cannot mark anything. Marking happens later, in the
tutor's grading program, outside your notebook.
"""

from __future__ import annotations

import json
import math
import numbers

MARKER = "RETAILKIT-ANSWER "
MIME = "application/vnd.retailkit.answer+json"

__all__ = ["record", "MARKER", "MIME"]


def _as_number(value):
    """The answer as a float, or None (no answer), or an explanation of why it cannot be read."""
    if value is None or value is ...:
        return None, None
    if isinstance(value, bool):
        return None, "your answer is True or False; it should be a number"
    if hasattr(value, "item") and getattr(value, "size", 1) == 1 and not isinstance(value, str):
        value = value.item()  # a numpy number, or a one-value array or Series
    if isinstance(value, numbers.Real):
        number = float(value)
        if math.isnan(number) or math.isinf(number):
            return None, "your answer is not a finite number (NaN or infinity)"
        return number, None
    kind = type(value).__name__
    return None, f"your answer is a {kind}, not a single number"


def _shown(number) -> str:
    return str(int(number)) if float(number).is_integer() else repr(number)


def record(task: str, value) -> None:
    """Show the answer for ``task`` so the grader can read it, e.g. ``record("kpis-1-1", 0.195)``.

    In a notebook the answer is shown as one plain line ("Answer recorded for kpis-1-1: 0.195"); the
    grader reads it from the same output (a ``MIME`` data field). Elsewhere it is printed after ``MARKER``.
    """
    number, problem = _as_number(value)
    payload = {"task": str(task), "value": number}
    if problem:
        payload["problem"] = problem
    shown = "no answer yet" if number is None and not problem else (problem or _shown(number))
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
