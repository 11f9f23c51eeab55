"""The cohort report from the gradebook: per learner x assessment criterion marks, totals, grade band.

Writes ``reports/<assignment>-criteria.csv`` (one row per learner and criterion, for the centre's
records), ``reports/<assignment>-totals.csv`` (one row per learner) and ``reports/<assignment>.html``
(the tables and three plots: score distribution, per-question facility, per-criterion coverage).
"""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path

import pandas as pd

from grading.autograde import submitted_learners
from grading.course import Course
from grading.gradebook import scores


def band(share: float, bands: list[dict]) -> str:
    """The grade band for a share of the available marks (bands listed highest first)."""
    for b in bands:
        if share >= b["min_share"] - 1e-9:
            return b["band"]
    return bands[-1]["band"]


def marks(course: Course, name: str) -> pd.DataFrame:
    """One row per learner and task: score, max, whether the tutor still has to mark it, criteria."""
    assignment = course.assignment(name)
    tasks = {**assignment["tasks"], **assignment.get("written", {})}
    rows = []
    for student in submitted_learners(course, name):
        done = (course.root / "autograded" / student / name).is_dir()
        got = scores(course, name, student) if done else {}
        for task_id, spec in tasks.items():
            grade = got.get(task_id)
            rows.append({"learner": student, "task": task_id, "written": task_id not in assignment["tasks"],
                         "score": grade["score"] if grade else 0.0, "max": float(spec["points"]),
                         "to_mark": bool(grade and grade["needs_manual"]),
                         "graded": grade is not None, "criteria": spec.get("criteria", [])})
    return pd.DataFrame(rows)


def build(course: Course, name: str) -> dict[str, Path]:
    """Write the CSVs and the HTML page; return their paths."""
    table = marks(course, name)
    out = course.root / "reports"
    out.mkdir(exist_ok=True)
    bands = course.manifest["grade_bands"]
    criteria = course.manifest["criteria"]
    if table.empty:
        raise ValueError(f"no submissions of {name} have been autograded yet")
    per_criterion = table.explode("criteria").groupby(["learner", "criteria"]).agg(
        marks=("score", "sum"), max_marks=("max", "sum"), to_mark=("to_mark", "sum")).reset_index()
    per_criterion["criterion"] = per_criterion["criteria"].map(criteria)
    per_criterion = per_criterion.rename(columns={"criteria": "criterion_id"})
    totals = table.groupby("learner").agg(autograded=("score", lambda s: s[~table.loc[s.index, "written"]].sum()),
                                          written=("score", lambda s: s[table.loc[s.index, "written"]].sum()),
                                          total=("score", "sum"), max_marks=("max", "sum"),
                                          written_to_mark=("to_mark", "sum"),
                                          submitted=("graded", "any")).reset_index()
    totals["share"] = (totals["total"] / totals["max_marks"]).round(3)
    totals["band"] = [band(s, bands) for s in totals["share"]]
    totals["status"] = ["not autograded" if not s else ("provisional: written answers to mark" if m else "final")
                        for s, m in zip(totals["submitted"], totals["written_to_mark"], strict=True)]
    paths = {"criteria_csv": out / f"{name}-criteria.csv", "totals_csv": out / f"{name}-totals.csv",
             "html": out / f"{name}.html"}
    per_criterion[["learner", "criterion_id", "criterion", "marks", "max_marks", "to_mark"]].to_csv(
        paths["criteria_csv"], index=False)
    totals.drop(columns="submitted").to_csv(paths["totals_csv"], index=False)
    paths["html"].write_text(_html(course, name, table, totals, per_criterion))
    return paths


def summary(totals_csv: Path) -> str:
    totals = pd.read_csv(totals_csv)
    return totals[["learner", "autograded", "written", "total", "max_marks", "band", "status"]].to_string(
        index=False)


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
          per_criterion: pd.DataFrame) -> str:
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

        cover = per_criterion.groupby("criterion_id").apply(
            lambda g: (g["marks"] >= 0.5 * g["max_marks"]).mean(), include_groups=False)
        figures.append(("Per-criterion coverage", _share_bars(
            cover, f"Least evidenced: {cover.idxmin()} ({cover.min():.0%} of learners with half its marks)",
            "Learners with at least half the marks for the criterion")))

    title = html.escape(course.assignment(name)["title"])
    parts = [f"<html><head><meta charset='utf-8'><title>Cohort report: {title}</title>",
             "<style>body{font-family:sans-serif;max-width:960px;margin:2em auto}"
             "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}</style></head><body>",
             f"<h1>Cohort report</h1><h2>{title}</h2>",
             f"<p>{len(totals)} learners. Bands: "
             + ", ".join(f"{b['band']} from {100 * b['min_share']:.0f} %" for b in course.manifest["grade_bands"])
             + ". Written answers not yet marked count as 0, so those bands are provisional.</p>",
             "<h2>Learners</h2>", totals.drop(columns="submitted").to_html(index=False),
             "<h2>Cohort summary</h2>", totals.groupby("band").size().rename("learners").to_frame().to_html()]
    for caption, data in figures:
        parts.append(f"<h2>{caption}</h2><img alt='{caption}' src='data:image/png;base64,{data}'>")
    parts.append("<h2>Marks by assessment criterion</h2>")
    parts.append(per_criterion.pivot_table(index="learner", columns="criterion_id", values="marks",
                                           aggfunc="sum").to_html())
    parts.append("<h3>Criteria</h3><ul>" + "".join(
        f"<li><b>{html.escape(k)}</b>: {html.escape(v)}</li>" for k, v in course.manifest["criteria"].items())
        + "</ul></body></html>")
    return "\n".join(parts)
