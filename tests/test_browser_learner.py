"""The learner's JupyterLab (`make lab`) in real Chromium: where it opens, what it offers, how work is handed in.

It lands on start_here with no news pop-up; the tutor's tools (Formgrader, Create Assignment, the course
list) are not there, on the page or on the server; and *Submit* in the Assignments tab hands the notebook
in to the local exchange, where the tutor's `autograde` (with no submissions given) collects and grades it.
"""

import getpass
import os
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from grading import lab, pipeline
from grading.course import Course
from grading.sandbox import Limits
from tests.test_browser import ARGS, CHROMIUM, SHOTS, _free_port, need_chromium

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture(scope="module")
def learner_lab(tmp_path_factory):
    need_chromium()
    base_dir = tmp_path_factory.mktemp("learner-lab")
    course = Course.open(base_dir / "course")
    course.limit_override = Limits(cell_seconds=60, notebook_seconds=300)
    lab.prepare(course)  # what `make lab` does before it starts JupyterLab
    port, token = _free_port(), "learner-test-token"
    argv, env = lab.command(course, port)
    argv += ["--no-browser", "--ip=127.0.0.1", "--allow-root", f"--IdentityProvider.token={token}",
             "--LabApp.expose_app_in_browser=True"]
    env["JUPYTER_RUNTIME_DIR"] = str(base_dir / "runtime")
    log = open(base_dir / "lab.log", "w")
    server = subprocess.Popen(argv, env=env, cwd=course.root / "workbook", stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail("the learner's JupyterLab did not start:\n" + (base_dir / "lab.log").read_text()[-3000:])
            time.sleep(0.5)
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield {"base": base, "token": token, "browser": browser, "course": course}
        finally:
            browser.close()
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
            log.close()


def test_the_learner_lands_on_start_here_without_the_tutors_tools(learner_lab):
    page = learner_lab["browser"].new_page(viewport={"width": 1400, "height": 900})
    page.set_default_timeout(90_000)
    page.goto(f"{learner_lab['base']}/?token={learner_lab['token']}")
    page.wait_for_function("""() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
        return w && w.context && w.context.path === 'start_here/start_here.ipynb'; }""")
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    tools = page.evaluate("""() => ['nbgrader:open-formgrader', 'nbgrader:open-create-assignment',
        'nbgrader:open-course-list', 'nbgrader:open-assignment-list']
        .map(c => window.jupyterapp.commands.hasCommand(c))""")
    assert tools == [False, False, False, True]
    assert not page.locator(".jp-toast-message, .Toastify__toast").count()  # no news pop-up
    page.screenshot(path=str(SHOTS / "learner-landing.png"))
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{learner_lab['base']}/formgrader?token={learner_lab['token']}", timeout=10)
    assert refused.value.code == 404  # not on the server either
    page.close()


def test_submit_in_the_assignments_tab_reaches_the_tutors_autograde(learner_lab):
    course = learner_lab["course"]
    page = learner_lab["browser"].new_page(viewport={"width": 1400, "height": 900})
    page.set_default_timeout(90_000)
    page.goto(f"{learner_lab['base']}/lab/workspaces/submit?reset&token={learner_lab['token']}")
    page.wait_for_function("() => window.jupyterapp && "
                           "window.jupyterapp.commands.hasCommand('nbgrader:open-assignment-list')")
    page.evaluate("async () => await window.jupyterapp.commands.execute('nbgrader:open-assignment-list')")
    page.wait_for_selector("#fetched_assignments_list >> text=start_here")
    row = page.locator("#fetched_assignments_list .list_item", has_text="start_here").first
    row.locator("button", has_text="Submit").click()
    page.wait_for_selector("#submitted_assignments_list >> text=start_here")
    page.screenshot(path=str(SHOTS / "learner-submitted.png"))
    page.close()
    inbound = course.root / "exchange" / course.manifest["course_id"] / "inbound"
    assert [p.name for p in inbound.iterdir() if p.name.startswith(f"{getpass.getuser()}+start_here+")]
    results = pipeline.autograde(course, "start_here")  # no submissions given: the exchange's are collected
    learner = os.environ.get("JUPYTERHUB_USER") or getpass.getuser()
    assert [r.student for r in results] == [learner] and results[0].ok
    assert results[0].max_score == 1


def test_a_mistyped_column_gives_one_plain_line_and_the_written_answer_keeps_its_headings(learner_lab):
    path = "retail_kpis/retail_kpis.ipynb"
    page = learner_lab["browser"].new_page(viewport={"width": 1400, "height": 900})
    page.set_default_timeout(90_000)
    page.goto(f"{learner_lab['base']}/lab/workspaces/typo/tree/{path}?reset&token={learner_lab['token']}")
    page.wait_for_function("""(path) => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
        const k = w && w.context && w.context.path === path && w.sessionContext.session
                  && w.sessionContext.session.kernel;
        return k && k.status === 'idle'; }""", arg=path)
    # Run the setup cell, then a learner's cell with a mistyped column, as a learner would type it.
    page.evaluate("""async () => { const w = window.jupyterapp.shell.currentWidget;
        const cells = w.content.widgets; const i = cells.findIndex(c => c.model.id === 'setup');
        w.content.activeCellIndex = i;
        await window.jupyterapp.commands.execute('notebook:run-cell');
        await window.jupyterapp.commands.execute('notebook:insert-cell-below');
        w.content.activeCell.model.sharedModel.setSource('transactions["sale"].sum()');
        await window.jupyterapp.commands.execute('notebook:run-cell'); }""")
    page.wait_for_selector("text=There is no column called 'sale'")
    shown = page.locator(".jp-OutputArea-output", has_text="There is no column called 'sale'").first
    assert "Its columns are:" in shown.inner_text() and "Traceback" not in shown.inner_text()
    assert page.locator("summary", has_text="Show the full error").count() >= 1
    shown.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "learner-short-error.png"))
    scaffold = page.evaluate("""() => window.jupyterapp.shell.currentWidget.content.widgets
        .filter(c => c.model.metadata.nbgrader && c.model.metadata.nbgrader.grade_id === 'kpis-w1-which-shop')
        .map(c => c.model.sharedModel.getSource())[0]""")
    assert "What I found" in scaffold and "Why it matters" in scaffold and "What I would do" in scaffold
    note = page.locator(".jp-OutputArea-output", has_text="You are working on").first.inner_text()
    seed = (learner_lab["course"].root / "workbook" / "retail_kpis" / "retailkit-variant.txt").read_text().strip()
    assert f"your own variant of the case study: number {seed}" in note  # the variant she is graded on
    page.close()
