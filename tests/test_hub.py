"""The real classroom, end to end: JupyterHub, nbgrader's exchange and the course tool, in real Chromium.

``grading.hub`` sets up a JupyterHub on 127.0.0.1 with local accounts for a tutor and two learners, and the
round trip runs as a class would run it. The tutor releases an assignment; each learner logs in, fetches it
in the Assignments tab, answers (amira right, on her own variant of the data; ben wrong), and submits; the
tutor collects and autogrades with the course tool (sandbox, each learner's variant from their hub name),
gives a written answer's marking point full credit in formgrader, and releases feedback; each learner
fetches their own. File permissions keep each person's work their own. Screenshots: artifacts/screenshots/.

It needs root (the hub starts each server as its user), npm and patchelf (``make test`` installs
them); the users' Python environment is kept in /var/cache/retailkit-hub-env between runs.
"""

import os
import pwd
import re
import secrets
import shutil
import subprocess
import tempfile
from pathlib import Path

import nbformat
import pytest

from grading import hub as hubs
from grading.course import PROJECT
from tests.test_browser import ARGS, CHROMIUM, SHOTS, _free_port, need_chromium

pytestmark = [pytest.mark.slow, pytest.mark.browser]

NAME = "retail_kpis"
TASK = "kpis-1-2-atv-bristol"  # Task 1.2, ATV at Bristol: its answer cell is "1-2-atv-bristol-answer"
WRITTEN = "kpis-w1-which-shop"  # a written answer, and one of its marking points
POINT = "kpis-w1-which-shop-mp-mcs-1"
TUTOR, AMIRA, BEN = "rk-tutor", "rk-amira", "rk-ben"


def _solution(task: str) -> str:
    """The author's working for a task, as a careful learner would type it."""
    nb = nbformat.read(PROJECT / "notebooks" / NAME / f"{NAME}.ipynb", as_version=4)
    source = next(c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == f"{task}-answer")
    working = source.split("### BEGIN SOLUTION\n")[1].split("### END SOLUTION")[0]
    return working


def _remove_accounts():
    for name in (TUTOR, AMIRA, BEN):
        subprocess.run(["pkill", "-u", name], capture_output=True)
        subprocess.run(["userdel", "--remove", name], capture_output=True)


@pytest.fixture(scope="module")
def classroom():
    need_chromium()
    if os.geteuid() != 0:
        pytest.skip("the hub starts each person's server as their own user: it needs root")
    missing = [tool for tool in ("npm", "patchelf", "runuser", "useradd") if shutil.which(tool) is None]
    if missing:
        message = f"THE HUB TEST CANNOT RUN: {', '.join(missing)} missing (make test installs them)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    _remove_accounts()
    folder = Path(tempfile.mkdtemp(prefix="rk-hub-"))
    place = hubs.Hub(folder, TUTOR, [AMIRA, BEN], secrets.token_urlsafe(9), _free_port(),
                     env=Path("/var/cache/retailkit-hub-env"),
                     server_args=["--LabApp.expose_app_in_browser=True"])  # the test reads the page's state
    process = None
    try:
        hubs.setup(place)
        process = hubs.start(place)
        from playwright.sync_api import sync_playwright

        SHOTS.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            try:
                yield {"hub": place, "browser": browser}
            finally:
                browser.close()
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        _remove_accounts()
        if (folder / "jupyterhub.log").exists():  # kept for a failure's reasons
            shutil.copy(folder / "jupyterhub.log", SHOTS.parent / "jupyterhub.log")
        shutil.rmtree(folder, ignore_errors=True)


def _log_in(classroom, user: str):
    """A browser page logged in to the hub as ``user``, on their JupyterLab once it has started."""
    place = classroom["hub"]
    context = classroom["browser"].new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.goto(f"{place.url}/hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", place.password)
    page.click("#login_submit")
    try:
        page.wait_for_url(f"**/user/{user}/lab**")
    except Exception:
        page.screenshot(path=str(SHOTS / f"hub-{user}-login-failed.png"))
        raise
    page.wait_for_function("() => window.jupyterapp && "
                           "window.jupyterapp.commands.hasCommand('nbgrader:open-assignment-list')")
    return page


def _assignments(page):
    """The Assignments tab, in front (JupyterLab may have brought back a notebook in front of it)."""
    page.evaluate("async () => await window.jupyterapp.commands.execute('nbgrader:open-assignment-list')")
    page.locator(".lm-TabBar-tab", has_text="Assignments").first.click()


def _as_user(user: str, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(["runuser", "-u", user, "--", *argv], capture_output=True, text=True, timeout=60)


def _as_tutor_python(place, code: str) -> str:
    """Run Python as the tutor, in their course (as in a terminal of their JupyterLab); return what it printed."""
    return hubs.as_tutor(place, [str(place.python), "-c", code]).stdout.strip()


def _hand_in(classroom, user: str, answer: str, written: str) -> None:
    """Log in, fetch the assignment, type an answer and a written answer, save, and submit."""
    page = _log_in(classroom, user)
    tools = page.evaluate("""() => ['nbgrader:open-formgrader', 'nbgrader:open-create-assignment',
        'nbgrader:open-course-list'].map(c => window.jupyterapp.commands.hasCommand(c))""")
    assert tools == [False, False, False]  # a learner never sees the tutor's tools
    _assignments(page)
    row = page.locator("#released_assignments_list .list_item", has_text=NAME).first
    row.locator("button", has_text="Fetch").click()
    page.wait_for_selector(f"#fetched_assignments_list >> text={NAME}")
    page.screenshot(path=str(SHOTS / f"hub-{user}-fetched.png"))
    path = f"{NAME}/{NAME}.ipynb"
    page.evaluate(f"async () => await window.jupyterapp.commands.execute('docmanager:open', {{path: '{path}'}})")
    page.wait_for_function("""(path) => { const w = window.jupyterapp.shell.currentWidget;
        return w && w.context && w.context.path === path && w.context.isReady; }""", arg=path)
    page.evaluate("""async ([answer, written, task, writtenId]) => {
        const w = window.jupyterapp.shell.currentWidget;
        for (const cell of w.content.widgets) {
            const id = cell.model.metadata.nbgrader && cell.model.metadata.nbgrader.grade_id;
            if (id === task + '-answer') cell.model.sharedModel.setSource(answer);
            if (id === writtenId) cell.model.sharedModel.setSource(written);
        }
        await window.jupyterapp.commands.execute('docmanager:save'); }""", [answer, written, TASK, WRITTEN])
    page.wait_for_function("() => !window.jupyterapp.shell.currentWidget.context.model.dirty")
    _assignments(page)
    row = page.locator("#fetched_assignments_list .list_item", has_text=NAME).first
    row.locator("button", has_text="Submit").click()
    page.wait_for_selector(f"#submitted_assignments_list >> text={NAME}")
    page.screenshot(path=str(SHOTS / f"hub-{user}-submitted.png"))
    page.context.close()


def test_a_class_round_trip_through_the_hub(classroom):
    place = classroom["hub"]
    released = hubs.tutor_command(place, "release", NAME)
    assert "course retail-skills-l3" in released.stdout, released.stdout

    mine = _solution(TASK)
    _hand_in(classroom, AMIRA, f"atv_bristol = None\n{mine}",
             "## What I found\nBristol converts least.\n## Why it matters\nLost sales.\n## What I would do\nTrain.")
    _hand_in(classroom, BEN, "atv_bristol = 1.0", "")
    ben_copy = Path(pwd.getpwnam(BEN).pw_dir) / NAME / f"{NAME}.ipynb"
    assert "atv_bristol = 1.0" in ben_copy.read_text()
    typed = ben_copy.read_bytes()
    hubs.tutor_command(place, "release", NAME)  # the tutor releases again: ben's copy stays as he typed it
    assert ben_copy.read_bytes() == typed

    # Each person's work is theirs alone: no learner reads another's, the tutor's course or the hand-ins.
    amira_home, tutor_home = pwd.getpwnam(AMIRA).pw_dir, pwd.getpwnam(TUTOR).pw_dir
    for argv in (["cat", str(ben_copy)], ["ls", f"{tutor_home}/course"], ["ls", tutor_home],
                 ["ls", str(place.folder / "exchange" / "retail-skills-l3" / "inbound")]):
        refused = _as_user(AMIRA, *argv)
        assert refused.returncode != 0 and "Permission denied" in refused.stderr, (argv, refused)
    assert _as_user(BEN, "ls", amira_home).returncode != 0

    graded = hubs.tutor_command(place, "autograde", NAME)
    marks = dict(re.findall(r"(rk-\w+): (\d+(?:\.\d+)?)/\d+ autograded marks", graded.stdout))
    assert set(marks) == {AMIRA, BEN}, graded.stdout + graded.stderr
    assert float(marks[AMIRA]) >= 1 and float(marks[BEN]) == 0, graded.stdout

    # The tutor gives amira's written answer's marking point full credit in formgrader.
    page = _log_in(classroom, TUTOR)
    submission = _as_tutor_python(place, "from nbgrader.api import Gradebook; from grading.course import Course; "
                                  "c = Course.open(); gb = Gradebook(c.db_url, c.manifest['course_id']); "
                                  f"print(gb.find_submission_notebook({NAME!r}, {NAME!r}, {AMIRA!r}).id)")
    page.goto(f"{place.url}/user/{TUTOR}/formgrader/gradebook/{NAME}/{NAME}")
    page.locator(f"td.name a[href$='/submissions/{submission}']:visible").click()  # names are hidden
    page.wait_for_url(f"**/formgrader/submissions/{submission}/**")
    page.wait_for_function("() => window.formgrader && formgrader.grades && formgrader.grades.loaded")
    cell = page.locator(".nbgrader_cell", has=page.locator(f"input.score#{POINT}"))
    cell.scroll_into_view_if_needed()
    cell.locator("button.full-credit").click()
    page.wait_for_function(f"() => document.querySelector('input.score#{POINT}').value === '1'")
    page.wait_for_timeout(1500)
    page.screenshot(path=str(SHOTS / "hub-tutor-formgrader.png"))
    page.context.close()

    fed = hubs.tutor_command(place, "feedback", NAME)
    assert "not in the exchange" not in fed.stdout, fed.stdout

    for user in (AMIRA, BEN):
        page = _log_in(classroom, user)
        _assignments(page)
        page.locator("#submitted_assignments_list button:visible", has_text="Fetch Feedback").first.click()
        page.wait_for_selector("#submitted_assignments_list >> text=view feedback")
        page.screenshot(path=str(SHOTS / f"hub-{user}-feedback.png"))
        page.context.close()
        pages = list((Path(pwd.getpwnam(user).pw_dir) / NAME / "feedback").rglob(f"{NAME}.html"))
        assert len(pages) == 1, pages
        text = re.sub(r"<[^>]+>", "", pages[0].read_text())  # the words, without the highlighting's tags
        if user == AMIRA:  # her page: her own words, her right answer, her marking point met
            assert "Bristol converts least" in text and "Right: 1 mark" in text
        else:  # his page: his answer marked, nothing of amira's
            assert "Bristol converts least" not in text and "Right: 1 mark" not in text
            assert "atv_bristol = 1.0" in text
    amira_feedback = next((Path(amira_home) / NAME / "feedback").rglob(f"{NAME}.html"))
    assert _as_user(BEN, "cat", str(amira_feedback)).returncode != 0  # each sees only their own
