"""The workbook as a learner and a tutor meet it: real JupyterLab in real headless Chromium.

JupyterLab is started on a free loopback port on the course made by the demo cycle. For each release
notebook the test runs every cell and checks there is no error output; it types an answer and reads the
self-check; it moves a widget slider and checks the widget's output changes; and it opens nbgrader's
assignment list and formgrader. A screenshot of each page is saved in artifacts/screenshots/.

Chromium comes from Debian (`make test` installs it when it can). Without it these tests are skipped
with a loud message, except under CI, where they must run.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage"]


def need_chromium():
    if CHROMIUM:
        return
    message = ("BROWSER TESTS SKIPPED: Chromium is not installed. Run `make test` as root on Debian/Ubuntu "
               "(it installs the `chromium` package) to run them.")
    if os.environ.get("CI"):
        pytest.fail("Chromium is missing under CI: " + message)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def jupyter_lab(course_root: Path, runtime: Path):
    """Real JupyterLab on a free loopback port over ``course_root``, and Chromium: yields base, token, browser."""
    port, token = _free_port(), "retailkit-test-token"
    settings = runtime / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text('{"fetchNews": "false", "checkForUpdates": false}')
    config = runtime / "config"  # an exchange folder, so the learners' assignment list has somewhere to look
    config.mkdir()
    (config / "nbgrader_config.py").write_text(f"c = get_config()\nc.Exchange.root = {str(runtime / 'exchange')!r}\n")
    (runtime / "exchange").mkdir()
    (runtime / "exchange").chmod(0o777)
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(runtime), "RETAILKIT_COURSE": str(course_root),
           "JUPYTERLAB_SETTINGS_DIR": str(runtime / "settings"), "JUPYTER_CONFIG_DIR": str(config)}
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    log = open(runtime / "lab.log", "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={course_root}", "--allow-root",
         "--LabApp.expose_app_in_browser=True", "--ServerApp.open_browser=False"],
        cwd=course_root, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail("JupyterLab did not start:\n" + (runtime / "lab.log").read_text()[-3000:])
            time.sleep(0.5)
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield {"base": base, "token": token, "browser": browser}
        finally:
            browser.close()
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
            log.close()


@pytest.fixture(scope="module")
def lab(demo_course, tmp_path_factory):
    need_chromium()
    course = demo_course["course"]
    with jupyter_lab(course.root, tmp_path_factory.mktemp("jupyter-runtime")) as running:
        yield {**running, "course": course}


def _open(lab, path):
    page = lab["browser"].new_page(viewport={"width": 1400, "height": 900})
    page.set_default_timeout(60_000)
    workspace = f"test-{time.monotonic_ns()}"  # a fresh workspace: no tabs restored from earlier pages
    page.goto(f"{lab['base']}/lab/workspaces/{workspace}/tree/{path}?reset&token={lab['token']}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    page.wait_for_function("""(path) => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
        const k = w && w.context && w.context.path === path && w.sessionContext.session
                  && w.sessionContext.session.kernel;
        return k && k.status === 'idle'; }""", arg=path, timeout=90_000)
    return page


def _run_all(page):
    page.evaluate("async () => await window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function("""() => { const w = window.jupyterapp.shell.currentWidget;
        const busy = [...document.querySelectorAll('.jp-InputArea-prompt')].some(p => p.textContent.includes('*'));
        return !busy && w.sessionContext.session.kernel.status === 'idle'; }""", timeout=180_000)


def _errors(page) -> list[str]:
    texts = page.eval_on_selector_all(
        ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']", "els => els.map(e => e.innerText)")
    return [t for t in texts if "Error" in t or "Traceback" in t]


def _run_cells(page, cell_ids):
    page.evaluate("""async (ids) => {
        const nb = window.jupyterapp.shell.currentWidget.content;
        for (const id of ids) {
            nb.activeCellIndex = nb.widgets.findIndex(c => c.model.id === id);
            await window.jupyterapp.commands.execute('notebook:run-cell');
        } }""", cell_ids)
    page.wait_for_function(
        "() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status === 'idle'")


def _set_source(page, cell_id, text):
    page.evaluate("""([id, text]) => { const nb = window.jupyterapp.shell.currentWidget.content;
        nb.widgets.find(c => c.model.id === id).model.sharedModel.setSource(text); }""", [cell_id, text])


def _cell_text(page, cell_id) -> str:
    return page.evaluate("""(id) => { const nb = window.jupyterapp.shell.currentWidget.content;
        const cell = nb.widgets.find(c => c.model.id === id); return cell.node.innerText; }""", cell_id)


SHOW = {"service_delivery": ["review-log", "howto-4-peak", "bristol-risks"],
        "service_management": ["scorecard", "plot-visits", "explorer"],
        "team_collaboration": ["plot-upt", "scorecard", "explorer"],
        "customer_relationship": ["plot-items", "case", "explorer", "journey"]}  # cells to screenshot too


@pytest.mark.parametrize("assignment", ["start_here", "retail_kpis", "service_delivery", "service_management",
                                        "team_collaboration", "customer_relationship"])
def test_release_notebook_runs_top_to_bottom_without_errors(lab, assignment):
    page = _open(lab, f"release/{assignment}/{assignment}.ipynb")
    _run_all(page)
    assert _errors(page) == []
    page.screenshot(path=str(SHOTS / f"{assignment}.png"))
    for cell_id in SHOW.get(assignment, ()):  # pages looked at by a person: scroll the cell into view
        page.evaluate("""async (id) => { const nb = window.jupyterapp.shell.currentWidget.content;
            const at = nb.widgets.findIndex(c => c.model.id === id);
            await nb.scrollToItem(at, "start"); await new Promise(r => setTimeout(r, 500));
            await nb.scrollToItem(at, "start"); }""", cell_id)  # again, once the cells above are drawn
        page.wait_for_timeout(500)
        page.screenshot(path=str(SHOTS / f"{assignment}-{cell_id}.png"))
    page.close()


def test_self_check_gives_feedback_in_the_browser(lab):
    page = _open(lab, "release/start_here/start_here.ipynb")
    _run_all(page)
    assert "no answer yet" in _cell_text(page, "1-stores-check")
    _set_source(page, "1-stores-answer", "stores_count = 4")
    _run_cells(page, ["1-stores-answer", "1-stores", "1-stores-check"])
    assert "not right yet" in _cell_text(page, "1-stores-check")
    _set_source(page, "1-stores-answer", "stores_count = 5")
    _run_cells(page, ["1-stores-answer", "1-stores", "1-stores-check"])
    text = _cell_text(page, "1-stores-check")
    assert "these checks passed" in text
    page.locator(".jp-Cell", has_text="these checks passed").first.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "start_here-selfcheck.png"))
    page.close()


def test_a_widget_renders_and_reacts(lab):
    page = _open(lab, "release/retail_kpis/retail_kpis.ipynb")
    _run_all(page)
    cell = page.locator(".jp-Cell", has_text="Till staffing explorer").last
    cell.scroll_into_view_if_needed()
    output = cell.locator(".widget-output")
    output.locator("img").first.wait_for()
    before_text, before_img = output.inner_text(), output.locator("img").first.get_attribute("src")
    handle = cell.locator(".widget-slider", has_text="Tills open").locator(".noUi-handle")
    handle.click()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("""([sel, old]) => { const el = document.querySelectorAll(sel);
        return [...el].some(e => e.innerText.includes('%') && e.innerText !== old); }""",
                           arg=[".widget-output", before_text])
    after_img = output.locator("img").first.get_attribute("src")
    assert output.inner_text() != before_text
    assert after_img != before_img, "the chart did not change when the slider moved"
    page.screenshot(path=str(SHOTS / "retail_kpis-till-explorer.png"))
    page.close()


def test_nbgrader_assignment_list_and_formgrader_load(lab):
    page = lab["browser"].new_page(viewport={"width": 1400, "height": 900})
    page.goto(f"{lab['base']}/formgrader?token={lab['token']}")
    page.wait_for_selector("text=retail_kpis", timeout=60_000)
    assert "Manage Assignments" in page.content()
    page.screenshot(path=str(SHOTS / "formgrader.png"))
    page.goto(f"{lab['base']}/lab/workspaces/assignments?reset&token={lab['token']}")
    page.wait_for_function(
        "() => window.jupyterapp && window.jupyterapp.commands.hasCommand('nbgrader:open-assignment-list')",
        timeout=90_000)
    page.evaluate("async () => await window.jupyterapp.commands.execute('nbgrader:open-assignment-list')")
    page.wait_for_selector("text=Released assignments", timeout=60_000)
    page.locator("text=Released assignments").first.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "assignment-list.png"))
    page.close()
