"""A tutor decides a marking point in nbgrader's formgrader, in real Chromium, and the portfolio follows.

The demo course is copied first (other tests expect ben's ICR-6 still to be marked), JupyterLab is started
on the copy, and in formgrader's manual grading page the tutor gives ben's ICR-6 marking point of Task 4.3
full credit and a comment, as a tutor would: with the buttons and the comment box, which save themselves.
The gradebook, ``grading.marking.decisions`` and the rebuilt portfolio must then show the decision, and the
marking point already decided (MCS-1 of Task 4.1) must be as it was. Screenshots go to artifacts/screenshots/.
"""

import shutil
import time
from html.parser import HTMLParser

import pytest
from nbgrader.api import Gradebook

from grading import marking, portfolio
from grading.course import Course
from tests.test_browser import SHOTS, jupyter_lab, need_chromium

pytestmark = [pytest.mark.slow, pytest.mark.browser]

NAME = "retail_kpis"
STUDENT = "ben"
TO_MARK = "kpis-w3-customer-feedback-mp-icr-6"  # ICR-6 of Task 4.3: waiting for the tutor in the demo
DECIDED = "kpis-w1-which-shop-mp-mcs-1"  # MCS-1 of Task 4.1: already "not yet", with a comment
COMMENT = "Measure, target and date are all there."


def _record(course: Course, cell: str) -> dict:
    """What the gradebook holds for one of ben's marking points, read afresh."""
    with Gradebook(course.db_url, course.manifest["course_id"]) as gb:
        grade = gb.find_grade(cell, NAME, NAME, STUDENT)
        comment = gb.find_comment(cell, NAME, NAME, STUDENT)
        return {"manual_score": grade.manual_score, "needs_manual_grade": grade.needs_manual_grade,
                "max_score": grade.max_score, "comment": comment.manual_comment}


def _wait_for(course: Course, cell: str, want: dict, seconds: float = 20) -> dict:
    deadline = time.monotonic() + seconds
    while True:
        got = _record(course, cell)
        if all(got[k] == v for k, v in want.items()) or time.monotonic() > deadline:
            return got
        time.sleep(0.25)


class _Rows(HTMLParser):
    """The rows of the portfolio's tables: each row a list of (cell tag, cell class, cell text)."""

    def __init__(self):
        super().__init__()
        self.rows, self._row, self._cell = [], None, None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = [tag, dict(attrs).get("class") or "", ""]
        elif tag == "br" and self._cell is not None:
            self._cell[2] += "\n"

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[2] += data

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(tuple(self._cell))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None


class _EvidenceItems(HTMLParser):
    """The text of each list item of the portfolio (the evidence log's marking points)."""

    def __init__(self):
        super().__init__()
        self.items, self._item = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "li":
            self._item = ""

    def handle_data(self, data):
        if self._item is not None:
            self._item += data

    def handle_endtag(self, tag):
        if tag == "li" and self._item is not None:
            self.items.append(self._item)
            self._item = None


def test_a_tutor_decides_a_marking_point_in_formgrader_and_the_portfolio_shows_it(demo_course, tmp_path):
    need_chromium()
    shared = demo_course["course"]
    shared_before = _record(shared, TO_MARK)
    assert shared_before["needs_manual_grade"] and shared_before["manual_score"] is None

    copy = tmp_path / "course"
    shutil.copytree(shared.root, copy)
    course = Course.open(copy)
    # formgrader takes its gradebook from nbgrader's CourseDirectory.db_url, whose default is
    # <CourseDirectory.root>/gradebook.db; the course's nbgrader_config.py sets root to its own folder.
    assert course.db_url == f"sqlite:///{copy.resolve() / 'gradebook.db'}"
    assert "os.path.dirname(os.path.abspath(__file__))" in (copy / "nbgrader_config.py").read_text()

    decided_before = _record(course, DECIDED)
    assert decided_before["manual_score"] == 0 and not decided_before["needs_manual_grade"]
    assert decided_before["comment"]
    assert marking.decisions(course, NAME, STUDENT)[TO_MARK]["state"] == "to mark"
    with Gradebook(course.db_url, course.manifest["course_id"]) as gb:
        submission_id = gb.find_submission_notebook(NAME, NAME, STUDENT).id

    with jupyter_lab(course.root, tmp_path / "jupyter-runtime") as lab:
        page = lab["browser"].new_page(viewport={"width": 1400, "height": 900})
        page.set_default_timeout(60_000)
        problems = []
        page.on("pageerror", lambda error: problems.append(str(error)))

        # As a tutor: Manual Grading -> the assignment -> the notebook -> ben's submission.
        page.goto(f"{lab['base']}/formgrader?token={lab['token']}")
        page.get_by_role("link", name="Manual Grading").click()
        page.get_by_role("link", name=NAME, exact=True).first.click()
        page.wait_for_url(f"**/formgrader/gradebook/{NAME}")
        page.get_by_role("link", name=NAME, exact=True).first.click()
        page.wait_for_url(f"**/formgrader/gradebook/{NAME}/{NAME}")
        page.locator(f"td.name a[href$='/submissions/{submission_id}']:visible").click()  # names are hidden
        page.wait_for_url(f"**/formgrader/submissions/{submission_id}/**")
        page.wait_for_function("() => window.formgrader && formgrader.grades && formgrader.grades.loaded "
                               "&& formgrader.comments && formgrader.comments.loaded")

        cell = page.locator(".nbgrader_cell", has=page.locator(f"input.score#{TO_MARK}"))
        score = cell.locator(f"input.score#{TO_MARK}")
        comment_box = cell.locator(f"textarea#{TO_MARK}-comment")
        assert "needs_manual_grade" in (score.get_attribute("class") or "")
        assert score.input_value() == "" and comment_box.input_value() == ""
        decided = page.locator(".nbgrader_cell", has=page.locator(f"input.score#{DECIDED}"))
        assert decided.locator(f"input.score#{DECIDED}").input_value() == "0"
        assert decided.locator(f"textarea#{DECIDED}-comment").input_value() == decided_before["comment"]

        cell.scroll_into_view_if_needed()
        cell.locator("button.full-credit").click()
        comment_box.click()
        comment_box.press_sequentially(COMMENT)
        comment_box.press("Tab")  # formgrader saves a comment when its box changes and loses focus

        saved = _wait_for(course, TO_MARK, {"manual_score": 1, "needs_manual_grade": False, "comment": COMMENT})
        assert saved == {"manual_score": 1, "needs_manual_grade": False, "max_score": 1, "comment": COMMENT}
        assert score.input_value() == "1"
        assert "needs_manual_grade" not in (score.get_attribute("class") or "")

        page.wait_for_timeout(1500)  # formgrader's scrolling animation and its "saved" ticks fading
        cell.evaluate("el => el.scrollIntoView({block: 'center'})")
        page.wait_for_timeout(300)
        page.screenshot(path=str(SHOTS / "formgrader-marking-point.png"))

        assert _record(course, DECIDED) == decided_before
        assert _record(shared, TO_MARK) == shared_before  # the shared demo course was not touched
        made = marking.decisions(course, NAME, STUDENT)
        assert made[TO_MARK] == {"state": "met", "comment": COMMENT}
        assert made[DECIDED] == {"state": "not yet", "comment": decided_before["comment"]}

        built = portfolio.build(course, make_pdf=False)
        ben = course.root / "portfolio" / f"{STUDENT}.html"
        assert ben in built["pages"]
        text = ben.read_text(encoding="utf-8")
        rows = _Rows()
        rows.feed(text)
        icr6 = [r for r in rows.rows if r and r[0][0] == "th" and r[0][2].startswith("ICR-6:")]
        assert len(icr6) == 1, icr6
        _, (_, state_class, state), (_, _, evidence) = icr6[0]
        assert state == "Met" and "met" in state_class.split()
        assert f"Met ({COMMENT})" in evidence
        assert "Still needed" not in evidence
        items = _EvidenceItems()
        items.feed(text)
        assert f"ICR-6: Met. Tutor: {COMMENT}" in items.items
        assert f"<li>ICR-6: <b>Met</b>. Tutor: {COMMENT}</li>" in text

        shot = lab["browser"].new_page(viewport={"width": 1200, "height": 900})
        shot.goto(ben.resolve().as_uri())
        shot.get_by_role("row", name="ICR-6").first.scroll_into_view_if_needed()
        shot.evaluate("() => window.scrollBy(0, -200)")
        shot.screenshot(path=str(SHOTS / "portfolio-after-formgrader.png"))
        shot.close()
        page.close()
    # Offline, nbconvert's MathJax (from a CDN) does not load and formgrader's init stops there, after it
    # has bound the score and comment boxes: saving works, its keyboard shortcuts do not. Nothing else may fail.
    assert [p for p in problems if "MathJax" not in p] == []
