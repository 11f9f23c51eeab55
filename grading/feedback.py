"""The learner's feedback page, in a tutor's words: task, verdict, the mistake named, what to look at again.

nbgrader's own page labels cells "Test cell", "Grade cell" and "Student's answer", shows a bare ``0.5``
for half marks and ``0.0 / 1.0`` for a marking point the tutor has not looked at yet. ``FeedbackWords``
runs after nbgrader's ``GetGrades`` and gives every marked cell a ``retailkit`` label and verdict, which
the page template (``grading/templates/feedback``, found before nbgrader's own) shows instead; it also
drops the outputs a learner does not need there (the self-check cells, which do not run at grading, and
the number behind a partial mark).
"""

from __future__ import annotations

import html
import re

from nbformat.v4 import new_output
from nbgrader.preprocessors import NbGraderPreprocessor

from grading.repair import label


def _points(value) -> str:
    value = float(value)
    return f"{value:g} mark" + ("" if value == 1 else "s")


def words(cell, prompts: dict[str, str], waiting: set[str] = frozenset()) -> dict[str, str] | None:
    """The label and verdict for one nbgrader cell of an autograded notebook, or None for other cells.

    ``waiting``: the grade ids the tutor has still to mark (nbgrader's ``needs_manual_grade``).
    """
    meta = cell.metadata.get("nbgrader", {})
    gid, score, points = meta.get("grade_id", ""), meta.get("score"), meta.get("points", 0)
    if gid in waiting:
        score = None
    if meta.get("task"):
        criterion = gid.rsplit("-mp-", 1)[-1].upper()
        verdict = ("Waiting for your tutor" if score is None
                   else "Met" if float(score) >= float(points) > 0 else "Not yet met")
        return {"label": f"Marking point {criterion}", "verdict": verdict}
    if meta.get("solution") and cell.cell_type == "markdown":
        return {"label": f"Your answer: {prompts.get(gid, label(gid))}", "verdict": ""}
    if meta.get("grade") and cell.cell_type == "code":
        if score is None:
            verdict = "Waiting for your tutor"
        elif float(score) >= float(points):
            verdict = f"Right: {_points(points)}"
        elif float(score) > 0:
            verdict = f"Partly right: {float(score):g} of {_points(points)}"
        else:
            verdict = f"Not right yet: 0 of {_points(points)}"
        return {"label": label(gid), "verdict": verdict}
    return None


class FeedbackWords(NbGraderPreprocessor):
    """Give each marked cell a learner's label and verdict; drop outputs that only confuse a learner."""

    def preprocess(self, nb, resources):
        from nbgrader.api import Gradebook, MissingEntry

        about = resources["nbgrader"]
        with Gradebook(about["db_url"]) as gb:
            try:
                graded = gb.find_submission_notebook(about["notebook"], about["assignment"], about["student"])
                waiting = {g.name for g in graded.grades if g.needs_manual_grade}
            except MissingEntry:
                waiting = set()
        prompts = {}
        nb.metadata["retailkit"] = {"title": title(nb) or about["notebook"]}
        for cell in nb.cells:
            gid = cell.metadata.get("nbgrader", {}).get("grade_id", "")
            if gid.endswith("-prompt") and cell.source.lstrip().startswith("#"):
                prompts[gid.removesuffix("-prompt")] = cell.source.splitlines()[0].lstrip("# ").strip()
        for cell in nb.cells:
            gid = cell.metadata.get("nbgrader", {}).get("grade_id", "")
            if gid.endswith("-check"):
                cell.outputs = []  # the self-check runs in the learner's notebook, not at grading
            said = words(cell, prompts, waiting)
            if said is None:
                continue
            cell.metadata["retailkit"] = said
            if cell.cell_type == "code":
                kept = [o for o in cell.get("outputs", []) if o.get("output_type") != "execute_result"]
                cell.outputs = [_as_text(o) for o in kept]
        return nb, resources


def title(nb) -> str:
    """The notebook's title: its first level-1 heading (markdown, or HTML once the sanitiser has rendered it)."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        if cell.source.startswith("# "):
            return cell.source.splitlines()[0][2:].strip()
        found = re.search(r"<h1[^>]*>(.*?)</h1>", cell.source, re.DOTALL)
        if found:
            return html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).replace("¶", "").strip()
    return ""


def _as_text(output):
    """The marker's note as plain text, not as a red error box named after the grader's exception."""
    if output.get("output_type") == "error" and output.get("ename") == "NotCorrect":
        return new_output("stream", name="stdout", text=output.get("evalue", "") + "\n")
    return output
