"""retailkit.friendly: one plain line per error for a learner, checked in a real Jupyter kernel.

One kernel serves the whole module (started once, about two seconds); each test runs a small notebook in
it with nbclient, as "Run all" would, and reads the outputs and the kernel's execute replies. The first
tests call ``explain`` directly, without a kernel.
"""

from __future__ import annotations

import os
import re

import nbformat
import pytest
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbformat.v4 import new_code_cell, new_notebook

import retailkit as rk
from retailkit.answers import MIME
from retailkit.datasets import load
from retailkit.friendly import ANSWER_CELL_FAILED, answer_cell_warning, explain

SETUP = ("import numpy as np\nimport retailkit as rk\nfrom retailkit.answers import record\n"
         "from retailkit.datasets import load\nrk.friendly_errors()")
STORES = [str(c) for c in load("stores").columns]


def _raised(code: str, **names) -> BaseException:
    try:
        exec(code, {**names})
    except Exception as error:  # noqa: BLE001 - the point is to catch it
        return error
    raise AssertionError(f"{code!r} did not raise")


# --- without a kernel -----------------------------------------------------------------------------------

def test_outside_jupyter_it_does_nothing():
    assert rk.friendly_errors() is False and "friendly_errors" in rk.__all__
    assert answer_cell_warning() is None


def test_a_mistyped_column_is_named_with_the_real_columns():
    line = explain(_raised("t['nmae']", t=load("stores")))
    assert line.startswith("There is no column called 'nmae' in this table: did you mean 'name'?")
    assert f"Its columns are: {', '.join(STORES)}." in line


def test_a_mistyped_attribute_of_a_table_is_a_column_too():
    line = explain(_raised("t.sale", t=load("transactions")))
    assert line.startswith("There is no column (or command) called 'sale' in this table: did you mean "
                           "'sales_inc_vat' or 'sales_ex_vat'? Its columns are: transaction_id, ")


@pytest.mark.parametrize(("code", "words"), [
    ("{'a': 1}['b']", "Python could not find 'b' where this cell looked for it (a KeyError): check the spelling."),
    ("rk.conversion_rate('abc', 10)", "conversion_rate says: transactions must be a number, got transactions='abc'"),
    ("rk.conversion_rat", "retailkit has nothing called 'conversion_rat': did you mean 'conversion_rate'?"),
    ("1 / 0", "Something went wrong in this cell: ZeroDivisionError: division by zero"),
    ("t.loc['HH09']", "Nothing in this table is labelled 'HH09' (a row or a column): check the spelling."),
    # found by a learner's run of the notebook: a mis-capitalised name, and two tests without brackets
    ("t[t['store_id'] == 'hh03']['area_sqft'].iloc[0]", "there is no row to pick: the filter kept no rows."),
    ("t[t['area_sqft'] > 1000 & t['tills'] > 2]", "put each test in its own brackets when you join tests"),
    ("t[t['store_id'] == 'HH01' & t['tills'] == 3]", "put each test in its own brackets when you join tests"),
])
def test_other_errors_get_one_plain_line(code, words):
    line = explain(_raised(code, rk=rk, t=load("stores")))
    assert line.startswith(words) and "\n" not in line


# --- in a real kernel -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    """One python3 kernel (this environment's) for the module, on the canonical data."""
    env = {k: v for k, v in os.environ.items() if k != "RETAILKIT_VARIANT"}
    km = KernelManager(kernel_name="python3")
    km.start_kernel(env=env, cwd=str(tmp_path_factory.mktemp("kernel")))
    yield km
    km.shutdown_kernel(now=True)


def run(km, *sources: str, allow_errors: bool = True):
    """Run the cells as one notebook (setup cell first); return the notebook and each cell's execute reply."""
    nb = new_notebook(cells=[new_code_cell(s) for s in (SETUP, *sources)])
    replies: list[dict] = []
    client = NotebookClient(nb, km=km, allow_errors=allow_errors, timeout=60,
                            on_cell_executed=lambda **kw: replies.append(kw["execute_reply"]["content"]))
    try:
        client.execute()
    finally:
        if client.kc is not None:
            client.kc.stop_channels()
    return nb, replies


def errors(cell) -> list[dict]:
    return [o for o in cell.outputs if o.output_type == "error"]


def details(cell) -> dict:
    found = [o.data for o in cell.outputs if o.output_type == "display_data" and "text/html" in o.data]
    assert len(found) == 1, cell.outputs
    return found[0]


def test_a_mistyped_column_in_a_notebook(kernel):
    nb, replies = run(kernel, 't = load("stores")\nt["nmae"]')
    cell, reply = nb.cells[1], replies[1]
    # still an error for the kernel, "Run all", nbclient and nbgrader: status, ename and one error output
    assert reply["status"] == "error" and reply["ename"] == "KeyError"
    [error] = errors(cell)
    assert error.ename == "KeyError" and len(error.traceback) == 1 and reply["traceback"] == error.traceback
    line = error.traceback[0]
    assert line.startswith("Line 2 of this cell: There is no column called 'nmae' in this table")
    assert "did you mean 'name'?" in line and all(c in line for c in STORES)
    # the full traceback is one click away, for the tutor, escaped, without colour codes
    full = details(cell)
    html, text = full["text/html"], full["text/plain"]
    assert html.startswith("<details><summary>Show the full error (for your tutor)</summary><pre>")
    assert html.endswith("</pre></details>") and "KeyError" in html and "get_loc" in html
    assert "\x1b[" not in html and "&#x27;nmae&#x27;" in html and 't[&quot;nmae&quot;]' in html
    assert text.startswith("Full error (for your tutor):") and "KeyError" in text


def test_an_unknown_name_suggests_the_close_one(kernel):
    nb, replies = run(kernel, "conversion_york = 0.195", "print(conversion_yrok)")
    [error] = errors(nb.cells[2])
    assert replies[2]["status"] == "error" and error.ename == "NameError"
    assert error.traceback == ["Line 1 of this cell: Python does not know the name 'conversion_yrok': did you "
                               "mean 'conversion_york'? If not, run the cells above first, or check the spelling."]


def test_numpy_numbers_show_as_plain_numbers(kernel):
    nb, _ = run(kernel, "np.float64(19.5)", "np.int64(3)", "np.float64(19.5) * 2, np.True_")
    shown = [c.outputs[0].data["text/plain"] for c in nb.cells[1:]]
    assert shown == ["19.5", "3", "(39.0, True)"]


def test_the_hand_in_says_when_the_answer_cell_failed(kernel, tmp_path):
    nb, replies = run(
        kernel,
        "conversion_york = 0.195",
        "conversion_york = transactions / footfal",      # the answer cell stops: the old value stays
        'record("kpis-1-1-conversion-york", conversion_york)',
        "conversion_york = 0.2",                          # fixed and run again
        'record("kpis-1-1-conversion-york", conversion_york)',
        "conversion_york = 0.2 +",                        # a SyntaxError never reaches run_code
        f'from retailkit.selfcheck import check\ncheck("kpis-1-1-conversion-york", conversion_york, {str(tmp_path)!r})',
    )
    assert [r["status"] for r in replies] == ["ok", "ok", "error", "ok", "ok", "ok", "error", "ok"]
    stale, fresh = nb.cells[3].outputs[0].data, nb.cells[5].outputs[0].data
    assert stale["text/plain"] == f"{ANSWER_CELL_FAILED}\nAnswer recorded for kpis-1-1-conversion-york: 0.195"
    assert stale[MIME] == {"task": "kpis-1-1-conversion-york", "value": 0.195}  # the grader reads the same
    assert fresh["text/plain"] == "Answer recorded for kpis-1-1-conversion-york: 0.2"
    assert nb.cells[7].outputs[0].text.startswith(ANSWER_CELL_FAILED + "\nSelf-check is not available here")
    assert errors(nb.cells[6])[0].traceback[0].startswith("Line 1 of this cell: Python cannot read this code")


def test_run_all_still_stops_at_the_failing_cell(kernel):
    # nbclient (papermill, nbgrader's autograder without allow_errors): the run raises at the cell
    with pytest.raises(CellExecutionError, match="There is no column called 'nmae'"):
        run(kernel, 't = load("stores")\nt["nmae"]', "after = 1", allow_errors=False)
    # JupyterLab's "Run all" sends every cell at once; the kernel drops the queue after an error reply
    kc = kernel.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=30)
        first, second = kc.execute("import retailkit as rk\nrk.friendly_errors()\n1 / 0"), kc.execute("ran = 1")
        replies = {}
        while len(replies) < 2:
            msg = kc.get_shell_msg(timeout=30)
            replies[msg["parent_header"]["msg_id"]] = msg["content"]["status"]
        assert replies == {first: "error", second: "aborted"}
    finally:
        kc.stop_channels()


def test_a_broken_handler_falls_back_to_the_usual_traceback_and_off_means_off(kernel):
    nb, replies = run(
        kernel,
        "import retailkit.friendly as f\nkept = f.explain\nf.explain = lambda *a, **k: 1 / 0\n{}['x']",
        "f.explain = kept\nrk.friendly_errors(False)\n{}['y']",
        'record("t", 1)',
        "rk.friendly_errors()\nrk.friendly_errors()\n"
        "print(sum(c.__module__ == 'retailkit.friendly' for c in get_ipython().events.callbacks['post_run_cell']))",
    )
    assert [r["status"] for r in replies[1:]] == ["error", "error", "ok", "ok"]
    for cell in nb.cells[1:3]:  # IPython's own traceback: several coloured lines, still one error output
        [error] = errors(cell)
        assert error.ename == "KeyError" and len(error.traceback) > 1 and "\x1b[" in "".join(error.traceback)
    assert ANSWER_CELL_FAILED not in nb.cells[3].outputs[0].data["text/plain"]  # off: no warning either
    assert nb.cells[4].outputs[0].text == "1\n"  # calling it twice registers it once


def test_the_notebook_saves_the_plain_line(kernel, tmp_path):
    """What a tutor opens later (the .ipynb) holds the line and the folded traceback, nothing coloured."""
    nb, _ = run(kernel, "pd_total = undefined_total + 1")
    path = tmp_path / "saved.ipynb"
    nbformat.write(nb, path)
    saved = nbformat.read(path, as_version=4).cells[1].outputs
    assert [o["output_type"] for o in saved] == ["error", "display_data"]
    assert not re.search(r"\x1b\[", saved[0]["traceback"][0])
