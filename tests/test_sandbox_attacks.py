"""The attack corpus (tests/attacks.py) through `autograde`, twice, with small limits.

Asserted for every class of attack: the honest learner graded after the attackers keeps full marks, the
answer key is the one built from the solution, nothing outside the sandbox is read or written, no process
outlives its learner, the network (a listener this test starts on 127.0.0.1) is never reached, limits
stop a runaway notebook with the reason and keep the marks earned before it, and no learner's script can
run in the pages a tutor or learner opens.
"""

import json
import os
import re
import shutil
import socket
import tempfile
import threading
from pathlib import Path

import nbformat
import pytest

from grading import answer_key, pipeline
from grading.course import Course
from grading.sandbox import Limits
from tests import attacks

pytestmark = pytest.mark.slow

SMALL = Limits(cell_seconds=10, notebook_seconds=60, memory_mb=512, processes=64, disk_mb=16, output_mb=2)


class Listener:
    """A TCP listener on 127.0.0.1 that counts connections (the only address any test may use)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port, self.connections, self.running = self.sock.getsockname()[1], 0, True
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while self.running:
            try:
                conn, _ = self.sock.accept()
                self.connections += 1
                conn.close()
            except OSError:
                pass

    def close(self):
        self.running = False
        self.sock.close()


def survivors() -> list[int]:
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if attacks.MARKER.encode() in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.append(int(pid))
        except OSError:
            pass
    return found


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    from jupyter_core.paths import jupyter_runtime_dir

    base = tmp_path_factory.mktemp("attacks")
    other = base / "other-course"
    (other / "keys").mkdir(parents=True)
    (other / "keys" / "retail_kpis.json").write_text('{"secret": "OTHER-COURSE-SECRET"}')
    listener = Listener()
    runtime = Path(jupyter_runtime_dir())
    runtime.mkdir(parents=True, exist_ok=True)
    server_file = runtime / "jpserver-999999.json"
    server_file.write_text(json.dumps({"url": f"http://127.0.0.1:{listener.port}/", "token": "TUTOR-TOKEN-SECRET",
                                       "port": listener.port}))
    course = Course.open(base / "course")
    course.manifest["personal_data"] = False  # attacks, not variants: every learner on the shared data
    course.limit_override = SMALL
    runs = []
    boxes = Path(tempfile.mkdtemp(prefix="rk-boxes-test-"))  # this test's sandbox folders only
    boxes.chmod(0o711)
    os.environ["RETAILKIT_SANDBOX_DIR"] = str(boxes)
    try:
        pipeline.release(course, "retail_kpis")
        answer_key.build(course, "retail_kpis")
        first_key = (course.keys / "retail_kpis.json").read_bytes()
        folder = attacks.write(course, base / "incoming", other, str(runtime), listener.port)
        for _ in range(2):  # the second run meets whatever the first left behind
            results = {r.student: r for r in pipeline.autograde(course, "retail_kpis", folder, regrade=True)}
            runs.append({"results": results, "key": (course.keys / "retail_kpis.json").read_bytes(),
                         "survivors": survivors(), "connections": listener.connections})
        written = pipeline.feedback(course, "retail_kpis")
        left = list(boxes.iterdir())
    finally:
        server_file.unlink(missing_ok=True)
        listener.close()
        os.environ.pop("RETAILKIT_SANDBOX_DIR", None)
        shutil.rmtree(boxes, ignore_errors=True)
    return {"course": course, "runs": runs, "first_key": first_key, "feedback": written, "boxes_left": left}


def outputs(course: Course, learner: str) -> str:
    nb = nbformat.read(course.root / "autograded" / learner / "retail_kpis" / "retail_kpis.ipynb", as_version=4)
    return json.dumps([c.get("outputs", []) for c in nb.cells])


def test_the_victim_keeps_full_marks_in_every_run(graded):
    for run in graded["runs"]:
        victim = run["results"]["zz-victim"]
        assert victim.ok and victim.score == victim.max_score == 13, victim


@pytest.mark.parametrize("learner", ["a1-survivor", "a2-poison", "a3-server", "a4-courses", "a5-host-write",
                                     "a7-xss"])
def test_an_attacker_earns_exactly_their_own_answers(graded, learner):
    result = graded["runs"][-1]["results"][learner]
    assert result.ok and result.score == 13, result


def test_the_answer_key_is_never_changed(graded):
    for run in graded["runs"]:
        assert run["key"] == graded["first_key"]
    assert answer_key.digest(graded["course"].keys / "retail_kpis.json") == \
        graded["course"].key_digests["retail_kpis"]


def test_no_process_outlives_its_learner(graded):
    for run in graded["runs"]:
        assert run["survivors"] == []


def test_nothing_outside_the_sandbox_is_read(graded):
    for learner in ("a2-poison", "a3-server", "a4-courses", "a5-host-write", "a6-limits"):
        text = outputs(graded["course"], learner)
        assert "LEAKED" not in text, (learner, re.findall(r"LEAKED[^\"]{0,120}", text))
    assert "TUTOR-TOKEN-SECRET" not in outputs(graded["course"], "a3-server")
    assert "OTHER-COURSE-SECRET" not in outputs(graded["course"], "a4-courses")


def test_nothing_outside_the_sandbox_is_written(graded):
    for path in attacks.HOST_TARGETS + [str(graded["course"].root / "evil.py")]:
        assert not Path(path).exists(), path
    assert graded["boxes_left"] == [], "a sandbox folder was left behind"


def test_the_network_is_never_reached(graded):
    assert all(run["connections"] == 0 for run in graded["runs"])


def test_limits_stop_a_runaway_with_the_reason_and_keep_earlier_marks(graded):
    course = graded["course"]
    result = graded["runs"][-1]["results"]["a6-limits"]
    text = outputs(course, "a6-limits")
    assert "memory limit held" in text
    started = int(re.search(r"processes started: (\d+)", text).group(1))
    assert started < SMALL.processes
    assert "disk limit held" in text and "no network" in text
    assert "longer than its limit of 10 seconds" in text
    marks = pipeline.scores(course, "retail_kpis", "a6-limits")
    assert marks["kpis-1-1-conversion-york"]["score"] == 1  # recorded before the attack cell
    assert result.ok and result.score == 1
    assert result.seconds < SMALL.notebook_seconds + 30


def test_no_learner_script_reaches_formgrader_or_feedback(graded):
    course = graded["course"]
    notebook = nbformat.read(course.root / "autograded" / "a7-xss" / "retail_kpis" / "retail_kpis.ipynb", 4)
    nb = json.dumps([c.get("outputs") if c.cell_type == "code" else c.source for c in notebook.cells]) + \
        json.dumps(notebook.metadata)
    for bad in ("<script", "onerror", "javascript:", "onload", "image/svg+xml", "application/javascript"):
        assert bad not in nb, bad
    assert "my real answer" in nb and "<b>bold</b>" in nb  # the honest content is still there
    html = next(p for p in graded["feedback"] if "a7-xss" in p.parts).read_text()
    assert "<script>document.title" not in html and 'onerror="document' not in html


@pytest.mark.browser
def test_no_learner_script_runs_in_chromium(graded):
    from tests.test_browser import ARGS, CHROMIUM, need_chromium

    need_chromium()
    from playwright.sync_api import sync_playwright

    page_file = next(p for p in graded["feedback"] if "a7-xss" in p.parts)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(page_file.as_uri())
        page.wait_for_timeout(1500)
        for link in page.locator("a").all():  # a javascript: link would run when clicked
            href = link.get_attribute("href") or ""
            assert not href.lower().startswith("javascript"), href
        assert page.title() != "PWNED" and not dialogs
        assert "my real answer" in page.content()
        browser.close()


@pytest.mark.browser
def test_no_learner_script_runs_in_formgrader(graded, tmp_path):
    from nbgrader.api import Gradebook

    from tests.test_browser import SHOTS, jupyter_lab, need_chromium

    need_chromium()
    course = graded["course"]
    with Gradebook(course.db_url, course.manifest["course_id"]) as gb:
        notebook_id = gb.find_submission_notebook("retail_kpis", "retail_kpis", "a7-xss").id
    with jupyter_lab(course.root, tmp_path / "runtime") as lab:
        page = lab["browser"].new_page(viewport={"width": 1400, "height": 900})
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(f"{lab['base']}/formgrader/submissions/{notebook_id}/?token={lab['token']}")
        page.wait_for_selector("text=my real answer", timeout=60_000)
        page.wait_for_timeout(1500)
        page.screenshot(path=str(SHOTS / "formgrader-xss-attempt.png"), full_page=False)
        assert page.title() != "PWNED" and not dialogs
        hrefs = [a.get_attribute("href") or "" for a in page.locator("a").all()]
        assert not [h for h in hrefs if h.lower().startswith("javascript")]
