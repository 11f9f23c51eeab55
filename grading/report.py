"""The cohort report of one assignment from the gradebook: marks, and each criterion's state per learner.

Writes ``reports/<assignment>-criteria.csv`` (one row per learner and criterion the assignment assesses:
its state from this assignment's evidence, see ``grading.criteria``), ``reports/<assignment>-totals.csv``
(one row per learner: marks and whether marking is finished) and ``reports/<assignment>.html`` (the tables
and three plots: score distribution, per-question facility, criteria met). Unit outcomes, which draw on
every assignment, are in the portfolio (``python -m grading portfolio``).
"""

from __future__ import annotations

import base64
import html
import io
import json
from pathlib import Path

import pandas as pd

from grading.authoring import rubric_id
from grading.autograde import submitted_learners
from grading.course import Course
from grading.criteria import evidence
from grading.gradebook import scores


def marks(course: Course, name: str) -> pd.DataFrame:
    """One row per learner and task: score, max, whether the tutor still has to mark it, criteria.

    A written task's score is the sum of its marking points (1 each when met).
    """
    assignment = course.assignment(name)
    rows = []
    for student in submitted_learners(course, name):
        done = (course.root / "autograded" / student / name).is_dir()
        got = scores(course, name, student) if done else {}
        for task_id, spec in {**assignment["tasks"], **assignment.get("written", {})}.items():
            written = task_id in assignment.get("written", {})
            cells = [rubric_id(task_id, c) for c in spec["rubric"]] if written else [task_id]
            grades = [got[c] for c in cells if c in got]
            rows.append({"learner": student, "task": task_id, "written": written,
                         "score": sum(g["score"] for g in grades), "max": float(spec["points"]),
                         "to_mark": any(g["needs_manual"] for g in grades), "graded": bool(grades),
                         "changed": not written and any(g["manual"] is not None for g in grades),
                         "criteria": spec.get("criteria", [])})
    return pd.DataFrame(rows)


def copies(course: Course, name: str, least: int = 3) -> pd.DataFrame:
    """Learners who handed in another learner's numbers: values that are right for that learner's variant.

    For a pair of learners on different variants, the *telling* tasks are those whose right answers differ
    at the stated rounding; A's answer *fits* B on a telling task when it gets full marks against B's key.
    A is listed when A's answers fit B on at least ``least`` telling tasks and on half of them or more
    (two variants can agree by chance on a task or two; a copier fits nearly all).
    """
    from grading.compare import judge
    from grading.preprocessors import key_path

    folder = course.root / "answers" / name
    given = {p.stem: json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))} if folder.is_dir() else {}
    keys = {}
    for student in given:
        path = key_path(course.keys, name, course.variant_seeds.get(student))
        keys[student] = json.loads(path.read_text()) if path.exists() else {}
    rows = []
    for a, answers in given.items():
        for b, key in keys.items():
            if a == b or course.variant_seeds.get(a) == course.variant_seeds.get(b):
                continue
            telling, fits = 0, []
            for nb, values in answers.items():
                for task, value in values.items():
                    mine, theirs = keys[a].get(nb, {}).get(task), key.get(nb, {}).get(task)
                    if mine is None or theirs is None or judge(theirs["expected"], mine).share == 1:
                        continue
                    telling += 1
                    if value is not None and judge(value, theirs).share == 1:
                        fits.append(task)
            if len(fits) >= least and 2 * len(fits) >= telling:
                rows.append({"learner": a, "values_fit_the_variant_of": b, "tasks": len(fits),
                             "of_telling_tasks": telling, "which": " ".join(sorted(fits))})
    return pd.DataFrame(rows, columns=["learner", "values_fit_the_variant_of", "tasks", "of_telling_tasks", "which"])


def build(course: Course, name: str) -> dict[str, Path]:
    """Write the CSVs and the HTML page; return their paths."""
    from grading import variants

    course.variant_seeds = variants.seeds(course, submitted_learners(course, name), name)
    table = marks(course, name)
    out = course.root / "reports"
    out.mkdir(exist_ok=True)
    criteria = course.manifest["criteria"]
    if table.empty:
        raise ValueError(f"no submissions of {name} have been autograded yet")
    lines = evidence(course)
    lines = lines[(lines["assignment"] == name) & (lines["kind"] == "written")]
    per_criterion = lines.groupby(["learner", "criterion"])["state"].agg(
        lambda s: "met" if "met" in set(s) else "to mark" if "to mark" in set(s) else "not yet met").reset_index()
    per_criterion["criterion_text"] = per_criterion["criterion"].map(lambda c: criteria[c]["text"])
    number = ~table["written"] & ~table["changed"]  # a number mark the tutor changed is theirs, not the computer's
    totals = table.groupby("learner").agg(autograded=("score", lambda s: s[number[s.index]].sum()),
                                          changed_by_tutor=("score", lambda s: s[table.loc[s.index, "changed"]].sum()),
                                          written=("score", lambda s: s[table.loc[s.index, "written"]].sum()),
                                          total=("score", "sum"), max_marks=("max", "sum"),
                                          written_to_mark=("to_mark", "sum"),
                                          submitted=("graded", "any")).reset_index()
    met = per_criterion[per_criterion["state"] == "met"].groupby("learner").size()
    totals["share"] = (totals["total"] / totals["max_marks"]).round(3)
    totals.insert(1, "variant", [course.variant_seeds.get(s, "shared") for s in totals["learner"]])
    totals["criteria_met"] = [int(met.get(s, 0)) for s in totals["learner"]]
    totals["criteria"] = per_criterion["criterion"].nunique()
    totals["status"] = ["not autograded" if not s else ("marking points to mark" if m else "marking finished")
                        for s, m in zip(totals["submitted"], totals["written_to_mark"], strict=True)]
    paths = {"criteria_csv": out / f"{name}-criteria.csv", "totals_csv": out / f"{name}-totals.csv",
             "copies_csv": out / f"{name}-copies.csv", "html": out / f"{name}.html"}
    copied = copies(course, name)
    copied.to_csv(paths["copies_csv"], index=False)
    per_criterion[["learner", "criterion", "criterion_text", "state"]].to_csv(paths["criteria_csv"], index=False)
    totals.drop(columns="submitted").to_csv(paths["totals_csv"], index=False)
    paths["html"].write_text(_html(course, name, table, totals, per_criterion, copied))
    return paths


def summary(totals_csv: Path) -> str:
    totals = pd.read_csv(totals_csv)
    return totals[["learner", "variant", "autograded", "written", "total", "max_marks", "criteria_met",
                   "criteria", "status"]].to_string(index=False)


def _png(fig) -> str:
    """The figure as base64 PNG for an <img> tag; the figure is closed."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode()


def _share_bars(shares: pd.Series, title: str, xlabel: str) -> str:
    """Horizontal bars of shares (0-1), one per index label, in the house style; base64 PNG."""
    import matplotlib.pyplot as plt

    from retailkit.plots import GOOD, percent_axis

    fig, ax = plt.subplots(figsize=(6.5, 0.3 * len(shares) + 1.2))
    ax.barh(shares.index, shares.to_numpy(), color=GOOD)
    ax.invert_yaxis()
    ax.set(title=title, xlabel=xlabel, xlim=(0, 1))
    percent_axis(ax, axis="x")
    return _png(fig)


def _html(course: Course, name: str, table: pd.DataFrame, totals: pd.DataFrame,
          per_criterion: pd.DataFrame, copied: pd.DataFrame) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from retailkit.plots import GOOD as colour  # Okabe-Ito blue, colour-blind safe
    from retailkit.plots import house_style, percent_axis

    figures = []
    with house_style():
        fig, ax = plt.subplots(figsize=(6, 3))
        ax.hist(totals["share"], bins=[i / 10 for i in range(11)], color=colour, edgecolor="white")
        ax.set(title=f"Half the learners gained {totals['share'].median():.0%} of the marks or less",
               xlabel="Share of available marks", ylabel="Learners")
        percent_axis(ax, axis="x")
        figures.append(("Score distribution", _png(fig)))

        auto = table[~table["written"] & table["graded"]]
        facility = (auto.groupby("task")["score"].sum() / auto.groupby("task")["max"].sum()).sort_index()
        figures.append(("Per-question facility", _share_bars(
            facility, f"Hardest question: {facility.idxmin()} ({facility.min():.0%} of marks gained)",
            "Facility: share of the marks gained")))

        cover = per_criterion.groupby("criterion")["state"].apply(lambda s: (s == "met").mean())
        if len(cover):
            figures.append(("Criteria met", _share_bars(
                cover, f"Least often met: {cover.idxmin()} ({cover.min():.0%} of learners)",
                "Learners who met the criterion in this assignment")))

    title = html.escape(course.assignment(name)["title"])
    parts = [f"<html><head><meta charset='utf-8'><title>Cohort report: {title}</title>",
             "<style>body{font-family:sans-serif;max-width:960px;margin:2em auto}"
             "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}</style></head><body>",
             f"<h1>Cohort report</h1><h2>{title}</h2>",
             f"<p>{len(totals)} learners. A criterion is met when the tutor has judged a marking point for it "
             "met; marking points not yet marked show as 'to mark'. Unit outcomes draw on every assignment: "
             "see the portfolios (python -m grading portfolio).</p>",
             "<h2>Learners</h2>", totals.drop(columns="submitted").to_html(index=False),
             "<h2>Numbers that fit another learner's data</h2>",
             "<p>Each learner works on their own variant of the case study. These learners handed in numbers "
             "that are right for a classmate's variant and not for their own: ask them how they worked.</p>"
             + (copied.to_html(index=False) if len(copied) else "<p>None found.</p>")]
    for caption, data in figures:
        parts.append(f"<h2>{caption}</h2><img alt='{caption}' src='data:image/png;base64,{data}'>")
    parts.append("<h2>Criteria met in this assignment</h2>")
    if len(per_criterion):
        parts.append(per_criterion.pivot(index="learner", columns="criterion", values="state").to_html())
    parts.append("<h3>Criteria</h3><ul>" + "".join(
        f"<li><b>{html.escape(k)}</b>: {html.escape(v['text'])}</li>" for k, v in course.manifest["criteria"].items()
        if k in set(per_criterion["criterion"])) + "</ul></body></html>")
    return "\n".join(parts)
