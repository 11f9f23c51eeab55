"""Errors a learner can read: one plain line saying what went wrong and where, the full error one click away.

A notebook turns this on in its setup cell::

    import retailkit as rk
    rk.friendly_errors()

From then on, when a cell stops with an error, the learner sees one line in plain English instead of a
Python traceback, for example::

    Line 1 of this cell: There is no column called 'nmae' in this table: did you mean 'name'? Its
    columns are: store_id, name, town, ...

and, under it, "Show the full error (for your tutor)": the whole traceback, folded away. The same call
shows numpy numbers as plain numbers (``19.5``, not ``np.float64(19.5)``), and lets the hand-in cell
(``record``) and the self-check (``check``) say when the answer cell above them stopped with an error,
so the answer they show is not the new one.

Outside Jupyter (plain ``python``) ``friendly_errors()`` does nothing and returns False.

What it does to "Run all" and to marking
----------------------------------------
IPython's ``set_custom_exc`` only changes what is *shown*. Checked with a real kernel (IPython 9.18,
ipykernel 7.4, nbclient 0.11; see ``tests/test_friendly.py``):

- the execute reply keeps ``status: "error"`` with the real ``ename`` and ``evalue``, because
  ``InteractiveShell.run_code`` records the exception (``result.error_in_exec``) before it calls the
  custom handler. So the kernel still drops the cells queued after it ("Run all" stops at the failing
  cell) and nbclient still raises ``CellExecutionError`` unless errors are allowed;
- but IPython throws away the "structured traceback" the handler returns: without more, the cell gets
  **no** ``error`` output at all and the reply's ``traceback`` is empty. nbgrader scores a test cell by
  looking for an ``error`` output, so a failing test cell would then look passed. The handler therefore
  publishes the error itself, through the shell's ``_showtraceback`` (the call IPython's own
  ``showtraceback`` makes), with the one plain line as the traceback: the cell keeps exactly one
  ``error`` output (real ``ename`` and ``evalue``), and the reply's ``traceback`` is that line.

If the handler itself ever fails, IPython's usual traceback is shown instead: a learner never loses an
error.
"""

from __future__ import annotations

import builtins
import difflib
import html
import re
import sys
import traceback

__all__ = ["friendly_errors", "explain", "last_error", "answer_cell_warning", "ANSWER_CELL_FAILED"]

ANSWER_CELL_FAILED = ("The cell above stopped with an error, so this is not your new answer: fix the error "
                      "and run that cell again.")

_SHOWN_COLUMNS = 20
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")

# What the hooks remember: the one-line message of the cell that is running (set by the handler, read when
# the cell ends), the last cell that ended in an error (execution count, the line) and whether the cell
# that ended last failed. "The cell that ended last" needs no counting: a hand-in cell asks while it runs,
# before its own end is recorded, so it is the cell run just before it, whatever the IPython version's
# rule for when ``execution_count`` goes up.
_state: dict = {"shell": None, "pending": None, "last_error": None, "previous_failed": False}


def _shell():
    """The running IPython shell, or None in plain Python."""
    if "IPython" not in sys.modules:
        return None
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with the course's Jupyter stack
        return None
    return get_ipython()


def friendly_errors(on: bool = True) -> bool:
    """Show errors as one plain line for a learner, with the full error one click away.

    Call it once in a notebook's setup cell; calling it again changes nothing. It also shows numpy
    numbers as plain numbers (``19.5`` rather than ``np.float64(19.5)``).

    Parameters
    ----------
    on : bool, default True
        False puts IPython's usual tracebacks and number display back (for a tutor who is debugging).

    Returns
    -------
    bool
        True when it is switched on (or off) in a running IPython, False outside IPython, where it does
        nothing.

    Examples
    --------
    In plain Python there is nothing to change:

    >>> friendly_errors()
    False
    """
    shell = _shell()
    if shell is None:
        return False
    _numbers_as_plain_text(shell, on)
    events = shell.events
    for name, callback in (("pre_run_cell", _before_cell), ("post_run_cell", _after_cell)):
        if callback in events.callbacks.get(name, []):
            events.unregister(name, callback)
        if on:
            events.register(name, callback)
    if on:
        shell.set_custom_exc((Exception,), _handler)
        _state.update(shell=shell, pending=None)
    else:
        shell.set_custom_exc((), None)
        _state.update(shell=None, pending=None, last_error=None, previous_failed=False)
    return True


def last_error() -> tuple[int, str] | None:
    """The last cell that ended in an error since ``friendly_errors()``: (its execution count, the line shown)."""
    return _state["last_error"]


def answer_cell_warning() -> str | None:
    """``ANSWER_CELL_FAILED`` when the cell run just before this one ended in an error, else None.

    Used by ``record`` and ``check``: the hand-in and self-check cells come straight after the answer cell,
    so when that cell stopped with an error, the value they show is an old one (or the starting None).
    Only when ``friendly_errors()`` is on in a running kernel; it never raises.
    """
    try:
        if _state["shell"] is None or _state["shell"] is not _shell():
            return None
        return ANSWER_CELL_FAILED if _state["previous_failed"] else None
    except Exception:  # noqa: BLE001 - a warning must never stop a hand-in
        return None


# --- the cell hooks and the handler ------------------------------------------------------------------------

def _before_cell(info=None) -> None:
    _state["pending"] = None


def _after_cell(result) -> None:
    """Remember whether the cell that just ended failed, and the last one that did (SyntaxError included)."""
    if result is None:
        return
    failed = not result.success
    _state["previous_failed"] = failed
    if failed:
        error = result.error_before_exec if result.error_before_exec is not None else result.error_in_exec
        line = _state["pending"] or f"{type(error).__name__}: {error}"
        _state["last_error"] = (result.execution_count, line)
    _state["pending"] = None


def _handler(shell, etype, value, tb, tb_offset=None):
    """IPython custom exception handler: the plain line as the error output, then the folded full error."""
    try:
        line = explain(value, tb, shell)
        full = _full_traceback(shell, etype, value, tb, tb_offset)
    except Exception:  # noqa: BLE001 - never lose the learner's error: show it the usual way
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
        return None
    _state["pending"] = line
    shell._showtraceback(etype, value, [line])  # the error output that nbgrader and "Run all" rely on
    try:
        from IPython.display import display

        summary = "Show the full error (for your tutor)"
        display({"text/html": f"<details><summary>{summary}</summary><pre>{html.escape(full)}</pre></details>",
                 "text/plain": f"Full error (for your tutor):\n{full}"}, raw=True)
    except Exception:  # noqa: BLE001 - the plain line is already shown; the details are a bonus
        pass
    return None


def _full_traceback(shell, etype, value, tb, tb_offset) -> str:
    """The traceback IPython would have shown, without colour codes (the standard one if that fails)."""
    try:
        stb = shell.InteractiveTB.structured_traceback(etype, value, tb, tb_offset=tb_offset)
        return _ANSI.sub("", shell.InteractiveTB.stb2text(stb))
    except Exception:  # noqa: BLE001
        return "".join(traceback.format_exception(etype, value, tb))


# --- the one line ---------------------------------------------------------------------------------------------

def explain(error: BaseException, tb=None, shell=None) -> str:
    """One plain line for a learner: what went wrong and, when known, on which line of which cell.

    Parameters
    ----------
    error : BaseException
        The exception.
    tb : traceback, optional
        Its traceback (``error.__traceback__`` when not given); it tells the line and, for a missing
        column, the table's columns.
    shell : IPython shell, optional
        Tells which code came from notebook cells, and the names a mistyped name may have meant.

    Returns
    -------
    str
        The line, e.g. ``"Line 2 of this cell: Python does not know the name 'sales_yrok': ..."``.

    Examples
    --------
    >>> explain(ZeroDivisionError("division by zero"))
    'Something went wrong in this cell: ZeroDivisionError: division by zero'
    >>> explain(NameError("name 'conversion_yrok' is not defined", name="conversion_yrok"))
    "Python does not know the name 'conversion_yrok': run the cells above first, or check the spelling."
    """
    tb = tb if tb is not None else error.__traceback__
    frames = list(traceback.walk_tb(tb)) if tb is not None else []
    where = _where(error, frames, shell)
    message = _message(error, frames, shell)
    if message is None:
        place = f"in {where}" if where else "in this cell"
        return f"Something went wrong {place}: {type(error).__name__}: {_first_line(error)}"
    return f"{where[0].upper()}{where[1:]}: {message}" if where else message


def _first_line(error: BaseException) -> str:
    text = " ".join(str(error).split()) or "(no message)"
    return text if len(text) <= 300 else text[:297] + "..."


def _where(error, frames, shell) -> str:
    """Where, in the learner's cells: "line 2 of this cell", "line 4 of cell [7]" (a function defined there)."""
    cells = getattr(getattr(shell, "compile", None), "_filename_map", None) or {}
    if isinstance(error, SyntaxError) and error.filename in cells and error.lineno:
        return f"line {error.lineno} of this cell"  # the cell could not be read, so it is the one running
    found = [(frame.f_code.co_filename, line) for frame, line in frames if frame.f_code.co_filename in cells]
    if not found:
        return ""
    filename, line = found[-1]  # the innermost line of the learner's own code; the outermost is this cell
    return f"line {line} of this cell" if filename == found[0][0] else f"line {line} of cell [{cells[filename]}]"


def _library_frames(frames):
    """The frames below the learner's code (pandas, retailkit ...), innermost first."""
    for frame, _ in reversed(frames):
        name = frame.f_globals.get("__name__", "")
        if name == "__main__" or name.startswith("IPython"):
            break
        yield frame


def _message(error, frames, shell) -> str | None:
    if isinstance(error, SyntaxError):
        what = getattr(error, "msg", "") or str(error)
        return (f"Python cannot read this code ({type(error).__name__}: {what}): check the brackets, quotes, "
                f"commas and colons, and the spaces at the start of the line.")
    if isinstance(error, NameError) and not isinstance(error, UnboundLocalError):
        return _unknown_name(error, shell)
    if isinstance(error, KeyError):
        return _missing_key(error, frames)
    if isinstance(error, AttributeError):
        return _missing_attribute(error, frames)
    if isinstance(error, IndexError) and "out-of-bounds" in str(error):
        return ("there is no row to pick: the filter kept no rows. Check the spelling and capitals of the "
                "names you compare with, for example \"Soft furnishings\" or \"HH03\".")
    if (isinstance(error, TypeError) and ("'rand_'" in str(error) or "'ror_'" in str(error))
            or isinstance(error, ValueError) and "truth value of a Series is ambiguous" in str(error)):
        return ("put each test in its own brackets when you join tests with & or |, for example "
                "(stock[\"week\"] >= 40) & (stock[\"store_id\"] == \"HH01\").")
    if isinstance(error, ValueError | TypeError) and frames:
        raised_in = frames[-1][0].f_globals.get("__name__", "")
        if raised_in.startswith("retailkit"):  # retailkit's messages are written for learners already
            called = [f.f_code.co_name for f in _library_frames(frames)
                      if f.f_globals.get("__name__", "").startswith("retailkit")]
            return f"{called[-1]} says: {error}" if called and not called[-1].startswith("_") else str(error)
    return None


def _closest(word: str, candidates) -> str | None:
    """The known name (or two) that ``word`` most likely meant, quoted: "'sales'", "'sales_inc_vat' or ..."."""
    names = [str(c) for c in candidates]
    found = difflib.get_close_matches(word, names, n=1, cutoff=0.7)
    if not found and len(word) >= 3:  # a short form of a longer name: 'sale' for sales_inc_vat
        found = [n for n in names if word.lower() in n.lower()][:2]
    return " or ".join(repr(n) for n in found) or None


def _unknown_name(error: NameError, shell) -> str:
    name = getattr(error, "name", None)
    if not name:
        match = re.search(r"name '(\w+)' is not defined", str(error))
        name = match.group(1) if match else None
    if not name:
        return f"Python does not know a name in this cell ({error}): run the cells above first, or check the spelling."
    known = set(dir(builtins))
    if shell is not None:
        hidden = getattr(shell, "user_ns_hidden", {})
        known |= {k for k in shell.user_ns if not k.startswith("_") and k not in hidden}
    near = _closest(name, known - {name})
    if near:
        return (f"Python does not know the name {name!r}: did you mean {near}? If not, run the cells above "
                f"first, or check the spelling.")
    return f"Python does not know the name {name!r}: run the cells above first, or check the spelling."


def _columns(table) -> str:
    names = [str(c) for c in table.columns]
    shown = ", ".join(names[:_SHOWN_COLUMNS])
    return shown + (f" and {len(names) - _SHOWN_COLUMNS} more" if len(names) > _SHOWN_COLUMNS else "")


def _no_column(word, table, what: str = "column") -> str:
    near = _closest(str(word), table.columns)
    if near:
        return (f"There is no {what} called {word!r} in this table: did you mean {near}? "
                f"Its columns are: {_columns(table)}.")
    return (f"There is no {what} called {word!r} in this table. Its columns are: {_columns(table)} "
            "(check the spelling).")


def _table_in(frames):
    """The pandas table the failing library code was working on, and the key it was given.

    Also whether it was a lookup by row label (``.loc``) rather than by column name.
    """
    pandas = sys.modules.get("pandas")
    if pandas is None:
        return None, None, False
    library = list(_library_frames(frames))
    by_label = any(f.f_code.co_filename.replace("\\", "/").endswith("pandas/core/indexing.py") for f in library)
    for frame in library:
        for name in ("self", "obj"):
            table = frame.f_locals.get(name)
            if isinstance(table, pandas.DataFrame):
                return table, frame.f_locals.get("key"), by_label
    return None, None, by_label


def _missing_key(error: KeyError, frames) -> str:
    key = error.args[0] if error.args else None
    table, asked, by_label = _table_in(frames)
    if table is not None and not by_label:
        asked = key if asked is None else asked
        several = isinstance(asked, list | set) or getattr(asked, "ndim", 0) > 0  # a list, array or Index of names
        wanted = list(asked) if several else [asked]
        missing = [k for k in wanted if _hashable(k) and k not in table.columns]
        if missing:
            return _no_column(missing[0], table)
    if table is not None and by_label:
        return (f"Nothing in this table is labelled {key!r} (a row or a column): check the spelling. "
                f"Its columns are: {_columns(table)}.")
    return f"Python could not find {key!r} where this cell looked for it (a KeyError): check the spelling."


def _hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _missing_attribute(error: AttributeError, frames) -> str | None:
    name, obj = getattr(error, "name", None), getattr(error, "obj", None)
    pandas = sys.modules.get("pandas")
    if pandas is not None and isinstance(obj, pandas.DataFrame) and name:
        return _no_column(name, obj, "column (or command)")
    if name is None or obj is None:
        return None
    near = _closest(name, [n for n in dir(obj) if not n.startswith("_")])
    if isinstance(obj, type(sys)):
        owner = f"{obj.__name__} has nothing called {name!r}"
    elif pandas is not None and isinstance(obj, pandas.Series):
        owner = f"A column has no command called {name!r}"
    else:
        owner = f"A {type(obj).__name__} has nothing called {name!r}"
    return f"{owner}: did you mean {near}?" if near else f"{owner} (check the spelling)."


# --- numbers ---------------------------------------------------------------------------------------------------

def _plain(value, printer, cycle) -> None:
    printer.text(str(value))


def _numbers_as_plain_text(shell, on: bool) -> None:
    """``np.float64(19.5)`` shows as 19.5 and ``np.int64(3)`` as 3 (numpy 2 shows the type otherwise)."""
    numpy = sys.modules.get("numpy")
    if numpy is None:
        try:
            import numpy
        except ImportError:  # pragma: no cover - numpy comes with pandas
            return
    formatter = shell.display_formatter.formatters["text/plain"]
    kinds, todo = {numpy.bool_}, [numpy.floating, numpy.integer]
    while todo:  # the concrete types: np.float64 has its own __repr__, which would win over its base's printer
        kind = todo.pop()
        kinds.add(kind)
        todo += kind.__subclasses__()
    for kind in kinds:
        if on:
            formatter.for_type(kind, _plain)
        else:
            formatter.type_printers.pop(kind, None)
