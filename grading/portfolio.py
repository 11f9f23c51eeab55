"""Each learner's evidence portfolio, the cohort matrix, the IQA sample and the exports for the centre.

``python -m grading portfolio`` writes, in ``<course>/portfolio/``:

- ``<learner>.html`` and ``<learner>.pdf``: every criterion of every unit, its state, and its evidence
  (assignment, task, the answer or an excerpt, the mark, the tutor's decision and comment, the date), with
  the gaps still to fill. The PDF is the same page printed by headless Chromium.
- ``cohort-matrix.html`` / ``.csv``: learners x criteria (met / to mark / not yet), with unit outcomes.
- ``iqa-sample.html`` / ``.csv``: learners for the internal quality assurer, spread across tutors, unit
  outcomes and assignments (``tutors.csv`` in the course folder, columns ``learner_id,tutor``, says who
  marked whom; without it every learner counts as one tutor's).
- ``unit-outcomes.csv`` and ``moodle-grades.csv``: see ``grading/exports.py`` for their columns.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import html
import math
import shutil
import subprocess
import tempfile
from pathlib import Path

import pandas as pd

from grading.course import Course
from grading.criteria import outcomes
from grading.marking import NO_ANSWER
from grading.repair import label

STATE_WORDS = {"met": "Met", "to mark": "Waiting for the tutor", "not yet met": "Not yet met",
               "not assessed yet": "Not assessed yet", "not yet": "Not yet met", "right": "Right",
               "not right": "Not right"}
STYLE = """
body{font-family:"DejaVu Sans",Arial,sans-serif;max-width:60em;margin:2em auto;line-height:1.4;color:#111}
table{border-collapse:collapse;width:100%;margin:.5em 0 1em}
th,td{border:1px solid #999;padding:4px 6px;text-align:left;vertical-align:top;font-size:.9em}
th{background:#eee} .state{font-weight:bold} .met{background:#e6f2e6} .gap{background:#fdf0e0}
table{table-layout:fixed} table.map th[scope=row]{width:45%;font-weight:normal} td.state{width:14%}
table.map th[scope=col]:first-child{width:45%} table.map th[scope=col]:nth-child(2){width:14%}
blockquote{margin:.3em 0;padding:.3em .6em;border-left:4px solid #999;white-space:pre-wrap}
table.summary th[scope=col]:first-child{width:40%} h2{border-bottom:2px solid #333}
tr,section.evidence{break-inside:avoid} @page{size:A4;margin:14mm}
@media print{body{margin:0;max-width:none}}
"""


def names(course: Course) -> dict[str, str]:
    """Learner id -> the name the gradebook holds (the id when it holds none)."""
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url, course.manifest["course_id"]) as gb:
        return {s.id: " ".join(p for p in (s.first_name, s.last_name) if p) or s.id for s in gb.students}


def tutors(course: Course) -> dict[str, str]:
    """Learner id -> tutor, from ``<course>/tutors.csv`` (columns learner_id,tutor) when there is one."""
    path = course.root / "tutors.csv"
    if not path.exists():
        return {}
    with path.open(newline="", encoding="utf-8-sig") as f:
        return {row["learner_id"].strip(): row["tutor"].strip() for row in csv.DictReader(f)}


def _excerpt(text: str, limit: int = 900) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " [...]"


def learner_page(course: Course, student: str, person: str, table: pd.DataFrame, states: pd.DataFrame,
                 units: pd.DataFrame) -> str:
    """The portfolio of one learner as an HTML page (learners' words are escaped).

    It has three parts: a summary of the units; for each unit, its criteria mapped to the evidence (by
    reference E1, E2... for written answers, by task for number answers) with what is still needed; and
    the evidence log, where each written answer appears once, whole, with the tutor's decision on each
    marking point.
    """
    e = html.escape
    manifest = course.manifest
    title = f"Evidence portfolio: {person}"
    mine_units = units[units["learner"] == student]
    mine = table[table["learner"] == student]
    higher = bool(manifest.get("higher_grades"))
    # An answer left as released (settled "No answer was written") is a gap, not evidence.
    written = mine[(mine["kind"] == "written") & (mine["comment"] != NO_ANSWER)]
    refs = {key: f"E{i}" for i, key in enumerate(dict.fromkeys(zip(written["assignment"], written["task"],
                                                                      strict=True)), 1)}
    parts = [f"<!doctype html><html lang='en-GB'><head><meta charset='utf-8'><title>{e(title)}</title>"
             f"<style>{STYLE}</style></head><body>",
             f"<h1>{e(title)}</h1>",
             f"<p>Learner ID: <b>{e(student)}</b>. {e(manifest['title'])}. Made on {dt.date.today():%d %B %Y} "
             "from the gradebook.</p>",
             "<p>A unit is achieved when every one of its criteria is met. A criterion is met when a tutor has "
             "judged a written answer to meet it. Right number answers are listed as supporting evidence: they "
             "cannot meet a criterion on their own.</p>",
             "<h2>Summary</h2><table class='summary'><caption>Units and their outcomes</caption><thead><tr>"
             "<th scope='col'>Unit</th><th scope='col'>Criteria met</th><th scope='col'>Outcome</th>"
             + ("<th scope='col'>Grade</th>" if higher else "")
             + "<th scope='col'>Criteria still needed</th></tr></thead><tbody>"]
    for row in mine_units.itertuples():
        parts.append(f"<tr><th scope='row'>{e(row.unit)}: {e(row.unit_title)}</th><td>{row.criteria_met} of "
                     f"{row.criteria}</td><td class='state'>{e(row.outcome)}</td>"
                     + (f"<td>{e(row.grade)}</td>" if higher else "")
                     + f"<td>{e(row.missing) or 'none'}</td></tr>")
    parts.append("</tbody></table><h2>Criteria and their evidence</h2>")
    for unit, info in manifest["units"].items():
        outcome = mine_units.loc[mine_units["unit"] == unit, "outcome"]
        parts.append(f"<h3>{e(unit)}: {e(info['title'])}: {e(outcome.iloc[0] if len(outcome) else '')}</h3>"
                     "<table class='map'><thead><tr><th scope='col'>Criterion</th><th scope='col'>State</th>"
                     "<th scope='col'>Evidence</th></tr></thead><tbody>")
        for cid, criterion in manifest["criteria"].items():
            if criterion["unit"] != unit:
                continue
            state = states.loc[(states["learner"] == student) & (states["criterion"] == cid), "state"].iloc[0]
            here = mine[mine["criterion"] == cid]
            items = [f"<b>{refs[(r.assignment, r.task)]}</b> {e(r.title)}: {STATE_WORDS[r.state]}"
                     + (f" ({e(r.comment)})" if r.comment else "")
                     for r in here[here["kind"] == "written"].itertuples() if (r.assignment, r.task) in refs]
            right = here[(here["kind"] == "number") & (here["state"] == "right")]
            if len(right):  # named by assignment: every assignment has a Task 1.1
                items.append("Supporting, right number answers: " + "; ".join(
                    f"{e(course.assignment(a)['title'].split(':')[0])}: " + ", ".join(e(label(t)) for t in rows["task"])
                    for a, rows in right.groupby("assignment", sort=False)))
            if state != "met":
                items.append(f"<i>Still needed:</i> {e(gap_text(course, cid, state))}")
            css = "met" if state == "met" else "gap"
            parts.append(f"<tr><th scope='row'>{e(cid)}: {e(criterion['text'])}</th><td class='state {css}'>"
                         f"{STATE_WORDS[state]}</td><td>{'<br>'.join(items) or 'none yet'}</td></tr>")
        parts.append("</tbody></table>")
    parts.append("<h2>Evidence log</h2>")
    for (name, task), ref in refs.items():
        lines = written[(written["assignment"] == name) & (written["task"] == task)]
        first = lines.iloc[0]
        decisions = "".join(f"<li>{e(r.criterion)}: <b>{STATE_WORDS[r.state]}</b>"
                            + (f". Tutor: {e(r.comment)}" if r.comment else "") + "</li>" for r in lines.itertuples())
        assignment_title = manifest["assignments"][name]["title"]
        parts.append(f"<section class='evidence'><h3>{ref}: {e(first.title)}</h3><p>Written answer in "
                     f"<i>{e(assignment_title)}</i>, handed in {e(british(first.date))}.</p><blockquote>"
                     f"{e(first.answer) or '(no answer written)'}</blockquote><p>Marking points:</p><ul>{decisions}"
                     "</ul></section>")
    numbers = mine[mine["kind"] == "number"].drop_duplicates(["assignment", "task"])
    if len(numbers):
        parts.append("<h3>Number answers</h3><table class='numbers'><thead><tr><th scope='col'>Task</th>"
                     "<th scope='col'>Result</th><th scope='col'>Mark</th><th scope='col'>Criteria it supports"
                     "</th></tr></thead><tbody>")
        for r in numbers.itertuples():
            supports = " ".join(c for c in mine.loc[(mine["task"] == r.task) & (mine["assignment"] == r.assignment),
                                                     "criterion"] if isinstance(c, str)) or "(a key concept)"
            result = r.answer or STATE_WORDS[r.state]
            parts.append(f"<tr><td>{e(label(r.task))} ({e(r.assignment)})</td><td>{e(result)}</td>"
                         f"<td>{r.score:g} of {r.max:g}</td><td>{e(supports)}</td></tr>")
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "\n".join(parts)


def british(day: str) -> str:
    """An ISO date as a reader in the UK writes it: '2026-11-29' -> '29 November 2026'."""
    try:
        return f"{dt.date.fromisoformat(day):%-d %B %Y}"
    except ValueError:
        return day


def gap_text(course: Course, cid: str, state: str) -> str:
    """What a learner still has to do for criterion ``cid``, in plain words."""
    tasks = [f"{a['title']}: {w.get('title', t)}" for a in course.manifest["assignments"].values()
             for t, w in a.get("written", {}).items() if cid in w["rubric"]]
    if state == "not assessed yet":
        return "no assignment in this workbook assesses this criterion yet; your tutor will plan other evidence."
    if state == "to mark":
        return "your tutor has not marked this yet."
    return "a written answer that meets this marking point, in " + "; or ".join(tasks) + "."


def pdf(html_path: Path, pdf_path: Path) -> Path | None:
    """Print ``html_path`` to ``pdf_path`` with headless Chromium; None when Chromium is not installed."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        return None
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}",
                        "--no-pdf-header-footer", f"--print-to-pdf={pdf_path}", html_path.resolve().as_uri()],
                       check=True, capture_output=True, timeout=120)
    return pdf_path


def matrix(course: Course, states: pd.DataFrame, units: pd.DataFrame, people: dict[str, str]) -> pd.DataFrame:
    """Learners x criteria (state words), then one column per unit's outcome."""
    wide = states.pivot(index="learner", columns="criterion", values="state")[list(course.manifest["criteria"])]
    wide = wide.replace({"met": "Met", "to mark": "To mark", "not yet met": "Not yet", "not assessed yet": "-"})
    outcome = units.pivot(index="learner", columns="unit", values="grade")
    outcome.columns = [f"{u} outcome" for u in outcome.columns]
    wide = wide.join(outcome)
    wide.insert(0, "name", [people.get(s, s) for s in wide.index])
    return wide.rename_axis("learner_id").reset_index()


def iqa_sample(course: Course, table: pd.DataFrame, units: pd.DataFrame, size: int | None = None) -> pd.DataFrame:
    """A sample for internal quality assurance: every tutor, outcome and assignment represented.

    Strata are (tutor, assignment, the units the learner has achieved). One learner is
    drawn from each stratum in turn, in an order fixed by a hash of the course id and the learner id (the
    same cohort always gives the same sample), until ``size`` learners are chosen (default: the larger of
    3 and a fifth of the cohort, and never fewer than the strata).
    """
    marked_by = tutors(course)
    manifest = course.manifest
    strata: dict[tuple, list[str]] = {}
    for name in manifest["assignments"]:
        taken = sorted(set(table.loc[table["assignment"] == name, "learner"]))
        for student in taken:
            won = units.loc[(units["learner"] == student) & (units["outcome"] == "Achieved"), "unit"]
            outcome = f"achieved {' '.join(won)}" if len(won) else "no unit achieved yet"
            strata.setdefault((marked_by.get(student, "(not recorded)"), name, outcome), []).append(student)

    def order(student: str) -> str:
        return hashlib.sha256(f"{manifest['course_id']}:{student}".encode()).hexdigest()

    learners = sorted(set(table["learner"]))
    size = size or max(3, math.ceil(len(learners) / 5), len(strata))
    queues = {k: sorted(v, key=order) for k, v in sorted(strata.items())}
    chosen: dict[str, str] = {}
    while len(chosen) < min(size, len(learners)) and any(queues.values()):
        for key, queue in queues.items():
            while queue and queue[0] in chosen:
                queue.pop(0)
            if queue and len(chosen) < size:
                chosen[queue.pop(0)] = f"tutor {key[0]}, {key[1]}, {key[2]}"
    return pd.DataFrame([{"learner_id": s, "tutor": marked_by.get(s, "(not recorded)"), "why": why}
                         for s, why in chosen.items()])


def build(course: Course, make_pdf: bool = True) -> dict[str, object]:
    """Write every portfolio, the matrix, the IQA sample and the exports; return their paths."""
    from grading import exports

    table, states, units = outcomes(course)
    if table.empty:
        raise ValueError("no submission has been autograded yet: run autograde first")
    people = names(course)
    out = course.root / "portfolio"
    out.mkdir(exist_ok=True)
    pages, pdfs = [], []
    for student in sorted(set(states["learner"])):
        page = out / f"{student}.html"
        page.write_text(learner_page(course, student, people.get(student, student), table, states, units),
                        encoding="utf-8")
        pages.append(page)
        if make_pdf and (made := pdf(page, page.with_suffix(".pdf"))):
            pdfs.append(made)
    wide = matrix(course, states, units, people)
    wide.to_csv(out / "cohort-matrix.csv", index=False)
    sample = iqa_sample(course, table, units)
    sample.to_csv(out / "iqa-sample.csv", index=False)
    _write_tables(out / "cohort-matrix.html", "Cohort matrix: criteria met",
                  "One row a learner: each criterion's state (Met, To mark, Not yet, - not assessed yet) and each "
                  "unit's outcome.", wide)
    linked = sample.assign(portfolio=[f"<a href='{s}.html'>{html.escape(people.get(s, s))}</a>"
                                      for s in sample["learner_id"]])
    _write_tables(out / "iqa-sample.html", "Sample for internal quality assurance",
                  "Learners chosen so that every tutor, assignment and outcome is represented. Open each "
                  "portfolio to check the tutor's decisions against the evidence.", linked, escape=False)
    csvs = exports.write(course, units, people, table, out)
    return {"pages": pages, "pdfs": pdfs, "matrix": out / "cohort-matrix.html", "iqa": out / "iqa-sample.html",
            **csvs}


def _write_tables(path: Path, title: str, intro: str, frame: pd.DataFrame, escape: bool = True) -> None:
    path.write_text(f"<!doctype html><html lang='en-GB'><head><meta charset='utf-8'><title>{html.escape(title)}"
                    f"</title><style>{STYLE}</style></head><body><h1>{html.escape(title)}</h1><p>{html.escape(intro)}"
                    f"</p>{frame.to_html(index=False, escape=escape, na_rep='')}</body></html>", encoding="utf-8")
