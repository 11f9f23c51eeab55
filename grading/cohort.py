"""The sample cohort: made-up learners' submissions, generated from the release notebook.

Used by ``demo`` and the tests. Each learner shows one pattern a tutor meets:

========  =================================================================================
amira     every answer correct, every written answer filled in; the tutor judges every marking point met
ben       typical partial: Part 1 right, the rest wrong; two written answers, some marking points met
carl      every answer wrong
dana      blank: the release notebook handed in unchanged
ewan      right answers rounded to one decimal place fewer than asked
fern      percentages given where fractions are asked (25 instead of 0.25)
gus       attack: patches math.isclose, numpy and record() before the grade cells; wrong answers
hana      attack: tries to read the gradebook, answer keys and source notebooks and copy the answers;
          her own answers are Part 1 only
ivan      a damaged file (not a notebook): grading must carry on past it
jack      tampers with grade cells: deletes one, edits another to report a made-up number;
          nbgrader restores both, so only his real answers count (all right but the ATV)
lena      every number answer right and no written answer: she achieves no unit
mia       copies amira's numbers: right for amira's variant, not for her own (the report flags the pair)
ola       gives the other reading of every task that has one (refunds left in, lines for receipts...),
          the right answer elsewhere: each reading is marked 0 and named in her feedback
========  =================================================================================

The same learners hand in every assessed assignment (``ASSESSED``); jack's tampering uses retail_kpis's cells.
The sample tutor marks the written answers of retail_kpis (amira's and ben's), team_collaboration and
customer_relationship (amira's, so that she achieves the CIS and ICR units too); the other assignments'
written answers are left blank.

Each learner works on their own variant of the data (``personal_data`` in ``grading/course.yml``), so each
sample answer is worked out from that learner's own answer key.

``TUTOR`` holds the decisions the sample tutor records on the written answers (through the marking CSV in
the demo, through formgrader in the browser test).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell

from grading.course import PROJECT, Course

LEARNERS = ("amira", "ben", "carl", "dana", "ewan", "fern", "gus", "hana", "ivan", "jack", "lena", "mia", "ola")
# What the sample cohort hands in:
ASSESSED = ("retail_kpis", "service_delivery", "service_management", "team_collaboration", "customer_relationship")


def part_one(task: str) -> bool:
    """Whether a task is in Part 1 of its assignment: ``kpis-1-2-atv-bristol``, ``sd-1-1-standard``."""
    parts = task.split("-")
    return len(parts) > 2 and parts[1] == "1"


def reading(spec: dict) -> float | None:
    """The first other reading of a task, at the question's rounding, or None when it has none."""
    readings = spec.get("readings") or {}
    if not readings:
        return None
    return round(float(readings[sorted(readings)[0]]["value"]), spec["decimals"])

PATCH_CELL = '''# Sample attack 1: make every check pass, whatever the answer.
import builtins, math
import numpy
import retailkit.answers
math.isclose = lambda *args, **kwargs: True
numpy.isclose = numpy.allclose = lambda *args, **kwargs: True
builtins.AssertionError = type("Quiet", (Exception,), {})
retailkit.answers.record = lambda task, value: print(task, "passed")
record = retailkit.answers.record
'''

STEAL_CELL = '''# Sample attack 2: read the grader's files and copy the answers.
import glob, json, os, sqlite3
stolen = {{}}
targets = [
    "../../../gradebook.db", "../../gradebook.db", "../gradebook.db", "gradebook.db",
    {course!r} + "/gradebook.db", {course!r} + "/keys/*.json", {course!r} + "/source/**/*.ipynb",
    {course!r} + "/submitted/**/*.ipynb", {course!r} + "/autograded/**/*.ipynb",
    {project!r} + "/notebooks/**/*.ipynb", {project!r} + "/.git/**/*", {project!r} + "/grading/*.yml",
]
for pattern in targets:
    for path in glob.glob(pattern, recursive=True):
        if os.path.isdir(path):
            continue
        try:
            if path.endswith(".json"):
                for tasks in json.load(open(path)).values():
                    stolen.update({{k: v["expected"] for k, v in tasks.items()}})
            elif path.endswith(".db"):
                rows = sqlite3.connect(path).execute("select name, source from grade_cells").fetchall()
                print("read the gradebook:", len(rows), "cells")
            elif path.endswith(".ipynb") and "source" in path or "notebooks" in path:
                for cell in json.load(open(path))["cells"]:
                    text = "".join(cell["source"])
                    if "### BEGIN SOLUTION" in text:
                        exec(text, globals())
                        stolen["ran-solution"] = True
            else:
                open(path, "rb").read(1)
                stolen.setdefault("files", 0)
        except Exception as error:
            print("blocked:", path, type(error).__name__)
print("files that leaked:", sorted(stolen))
'''


def answer_cells(nb) -> dict[str, object]:
    """grade_id of the task -> its answer cell, in the release notebook."""
    cells = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("solution") and not meta.get("grade"):
            cells[meta["grade_id"].removesuffix("-answer")] = cell
    return cells


def variable(cell) -> str:
    match = re.match(r"\s*(\w+)\s*=\s*None", cell.source)
    if not match:
        raise ValueError(f"answer cell {cell.metadata.nbgrader['grade_id']} does not start `name = None`")
    return match.group(1)


def answers_for(learner: str, key: dict, order: list[str]) -> dict[str, float | None]:
    """The value each sample learner types for each task (None: left blank)."""
    out = {}
    for i, task in enumerate(order):
        spec = key[task]
        x, d = spec["expected"], spec["decimals"]
        right = round(x, d)
        out[task] = {
            "amira": right,
            "ben": right if part_one(task) else round(x * 1.25 + 1, d),
            "carl": round(x * 1.37 + 1, d),
            "dana": None,
            "ewan": round(x, d - 1),
            "fern": round(100 * x, max(d - 2, 1)) if spec["form"] == "fraction" else right,
            "gus": round(x * 0.5 - 3, d),
            "hana": right if part_one(task) else None,
            "jack": round(x * 1.25 + 1, d) if task == "kpis-1-2-atv-bristol" else right,
            "lena": right,
            "mia": right,  # right for the key she is given: amira's (see ``make``)
            "ola": right if reading(spec) is None else reading(spec),
        }[learner]
        del i
    return out


WRITTEN = {
    "kpis-w1-which-shop": (
        "What I found: York Shambles needs help first. Its conversion is 0.195 against 0.317 at Leeds, and its "
        "ATV (GBP 18.77) and UPT (2.01) are the lowest of the shops.\n\nWhy it matters: many people come in "
        "but few buy, and those who buy take little.\n\nWhat I would do: customers say the queues are long "
        "at lunch, so I would add a till from 12:00 to 14:00 and check conversion every week for 6 weeks."),
    "kpis-w2-christmas-stock": (
        "What I found: Bristol sold only a third of its Christmas stock (sell-through 0.327), and stock turn "
        "is 4.25, so money sits in stock for about 12 weeks.\n\nWhy it matters: the rest went to markdown.\n\n"
        "What I would do: order a quarter less and agree a repeat order with the supplier for week 48, so we "
        "can top up if sales run ahead. A sell-out costs some sales, but markdowns cost more."),
    "kpis-w3-customer-feedback": (
        "What I found: York's NPS is 50.3. The most common comment is 'Had to wait a while to pay.'\n\n"
        "Why it matters: waiting puts people off coming back.\n\nWhat I would do: open a second till when "
        "three people are queuing. Under UK GDPR we only use comments to improve service and only email "
        "customers who opted in. I would check the NPS and the share of queue comments after 8 weeks, aiming "
        "for an NPS of 55."),
    "kpis-w4-coaching-bristol": (
        "What I found: Bristol makes GBP 59.17 a labour hour against GBP 78.26 at Leeds, and 7.6 % of rostered "
        "hours were lost to absence.\n\nWhy it matters: fewer hours on the floor and fewer sales per hour.\n\n"
        "What I would do: coach link-selling one to one, watch each person for a shift and agree one goal, "
        "and review UPT after 4 weeks. I would praise good service in the morning briefing."),
}
WRITTEN.update({  # team_collaboration: amira's evidence for the CIS unit
    "tc-w1-briefing": (
        "What I found: product knowledge was 0.6 of our briefing points before July, raised by all four of us, "
        "and the satisfied share was only 0.78 against the 85 % standard. Customers wrote 'Staff did not know "
        "much about the new range'. The figures do not say which products.\n\nWhy it matters: staff and "
        "customers point the same way.\n\nWhat I would do: ask 'What do customers ask that we cannot "
        "answer?', 'Which lines are you least sure of?' and 'What would help before a shift?', going round "
        "the table and asking Ryan "
        "one-to-one. Propose the product course (Priya books it, 7 July) and a Monday huddle I lead, checked "
        "by the satisfied share and UPT each month."),
    "tc-w2-self": (
        "What I found: my UPT rose from 2.5 to 2.9 and I missed the 2.64 target in 1 of 24 weeks. Conversion "
        "on the floor (0.29) is the team's result, not mine. My satisfied share is 0.80 on 40 answers.\n\n"
        "Why it matters: one or two answers move my share a lot.\n\nWhat I would do: week 34, I used the "
        "huddle's new lines to suggest matching napkins because customers asked what goes together: UPT "
        "3.1. Comments praise my help; strength link-selling; improve the till welcome, checked monthly, "
        "and I will ask Sophie to watch one busy hour."),
    "tc-w3-feedback": (
        "What I found: Sophie's UPT 2.60 and ATV are amber on 2,673 sales; her customers are happy.\n\n"
        "Why it matters: a matching item helps customers finish the job.\n\nWhat I would do: watch a busy "
        "hour, praise her service, agree one suggestion for each tableware customer and review weekly. I will "
        "ask her what I should do differently when we are on together and tell her what I changed. Action: "
        "an ATV huddle on bundles from week 40; the explorer shows the target stretches without "
        "discouraging, so keep it."),
    "tc-w4-styles": (
        "What I found: using social styles, Sophie raised the most points (an Expressive?) and Ryan the fewest "
        "(Analytical or Amiable?), though he works fewer hours, so I would ask and watch first.\n\nWhy it "
        "matters: ideas start the briefing, detail answers customers; quiet ideas can be lost.\n\nWhat I "
        "would do: send the figures before the briefing and ask Ryan one-to-one; pair Sophie and Ryan on "
        "Saturdays so customers get a welcome and an accurate answer."),
    "tc-w5-review": (
        "What I found: UPT rose 0.22, 0.21 more than York's change, on thousands of sales: strong. Satisfied "
        "customers went from 0.78 to 0.86, 0.10 better than York, on about a hundred answers each half: "
        "weaker.\n\nWhy it matters: Priya was not trained and Christmas fell in the second half.\n\n"
        "What I would do: voucher email to the 13 opted-in unhappy customers only (me, 31 January); Priya "
        "joins the March course; next review 30 April with UPT, ATV and the satisfied share against York."),
})
WRITTEN.update({  # customer_relationship: amira's evidence for the ICR unit
    "cr-w1-servqual": (
        "What I found: reliability is Leeds's largest gap (-0.97) and customers give it the most points (32 of "
        "100); the worst statement is Q6, staff showing real interest in a problem (-1.13). Only 30 members "
        "answered.\n\nWhy it matters: managers guessed 5.5 where customers expect about 6.4 (knowledge gap), "
        "and no standard says how to put a problem right (standards gap).\n\nWhat I would do: a standard for "
        "problems (own it, call back in two days), checked by Q6 at the June survey (target better than -0.5) "
        "and first-contact resolution each month (target 0.7)."),
    "cr-w2-communication": (
        "What I found: Harry looks at the screen (non-verbal), uses jargon (CRA, RMA), ignores the noise and "
        "misses her folded arms. Remote channels resolve 0.33 first time against 0.69 in store; social media "
        "waits about 16 hours.\n\nWhy it matters: she was not understood.\n\nWhat I would do: 'Let's go "
        "somewhere quieter. Tell me what happened?' (open); 'So it stopped after six weeks and your mum needs "
        "it to read?' (paraphrase); 'Does the bulb not light at all?' (clarify); face her, calm tone. For her "
        "mother on the phone: slowly, one point at a time, no jargon, check she has heard, follow up in "
        "writing. A plain-words card, a quiet corner, a 2-hour social media reply target, checked monthly."),
    "cr-w3-balance": (
        "What I found: after 30 days the law gives a repair or replacement, not a refund. A refund is "
        "a GBP 20.80 gesture beyond her rights, within the GBP 25 limit, but would need her to be 0.76 more "
        "likely to stay.\n\nWhy it matters: she is worth GBP 27.55 of profit a year, and a refund sets a precedent.\n\n"
        "What I would do: option D, a new lamp today (her right) and a call next week (a GBP 2.50 "
        "gesture). To her: 'The law gives you a free replacement, and I can swap it now so "
        "your mum has light tonight.' To Faisal: it keeps a member at the law's cost plus GBP 2.50; the desk "
        "offers a replacement first after 30 days."),
    "cr-w4-exceed": (
        "What I found: 0.93 of followed-up members came back against 0.63, their NPS was about 30 points "
        "higher, and each extra returning member cost about GBP 6.13. Very satisfied customers came back only "
        "0.05 more often than neutral ones: satisfaction is not loyalty. About 200 members only.\n\nWhy it "
        "matters: a member is worth far more than GBP 6.13.\n\nWhat I would do: a card when the new candles "
        "arrive for the top spender, with one set aside (anticipating); an email when the matching throw is in "
        "for the middle member; a call after the next visit for the occasional one. Track visits and NPS in "
        "8 weeks against similar members."),
    "cr-w5-relationship": (
        "What I found: most complaints are at finding the product (stock), then faults and returns; comments "
        "agree. Leeds has 290 Champions, retention about 0.87 and a CLV of about GBP 1,044; only a fifth "
        "of CDNOW's customers bought again in 1998.\n\nWhy it matters: stock and faults are Herzberg's hygiene "
        "factors; personal follow-ups are motivators that build loyalty.\n\nWhat I would do: thank-you "
        "previews for Champions, a personal call for members at risk (opted-in for marketing), and a monthly "
        "review of complaints by step, NPS and retention at the huddle, owners named, SERVQUAL again in June."),
})
BEN_WRITTEN = {"kpis-w1-which-shop": "Swindon is the worst shop, it is quiet and the staff need more training.",
               "kpis-w3-customer-feedback": "York customers are happy. People complain about queues. We should "
                                            "hire more staff."}

# The sample tutor's decisions: (learner, task, criterion) -> (decision, comment). A marking point left out
# stays "to mark".
TUTOR = {
    **{("amira", task, c): ("met", "Clear, with figures from the data.")
       for task, c in [("kpis-w1-which-shop", "MCS-1"), ("kpis-w1-which-shop", "OCS-2"),
                       ("kpis-w2-christmas-stock", "OCS-4"), ("kpis-w3-customer-feedback", "MCS-3"),
                       ("kpis-w3-customer-feedback", "MCS-4"), ("kpis-w3-customer-feedback", "ICR-6"),
                       ("kpis-w4-coaching-bristol", "MCS-2")]},
    **{("amira", task, c): ("met", "Evidence from the log and the team's figures.")
       for task, c in [("tc-w1-briefing", "CIS-4"), ("tc-w1-briefing", "CIS-1"), ("tc-w2-self", "CIS-5"),
                       ("tc-w2-self", "CIS-2"), ("tc-w3-feedback", "CIS-6"), ("tc-w4-styles", "CIS-7"),
                       ("tc-w5-review", "CIS-3")]},
    **{("amira", task, c): ("met", "Specific, with the data and the customer in view.")
       for task, c in [("cr-w1-servqual", "ICR-6"), ("cr-w2-communication", "ICR-1"), ("cr-w2-communication", "ICR-2"),
                       ("cr-w3-balance", "ICR-3"), ("cr-w4-exceed", "ICR-4"), ("cr-w5-relationship", "ICR-5")]},
    ("ben", "kpis-w1-which-shop", "MCS-1"): ("not yet", "Quote at least two KPIs with their figures."),
    ("ben", "kpis-w1-which-shop", "OCS-2"): ("not yet", "Say which KPI would show that training worked."),
    ("ben", "kpis-w3-customer-feedback", "MCS-3"): ("met", "Queues are the right theme, and more staff answers it."),
    ("ben", "kpis-w3-customer-feedback", "MCS-4"): ("not yet", "Nothing yet on what the law allows."),
}


def make(course: Course, name: str, out: Path) -> Path:
    """Write the sample cohort for ``name`` into ``out/<learner>/<notebook>.ipynb`` and zip it."""
    from grading import answer_key, variants

    assignment = course.assignment(name)
    course.variant_seeds = variants.seeds(course, list(LEARNERS), name)
    by_seed: dict = {}
    for seed in [course.variant_seeds.get(learner) for learner in LEARNERS]:
        if seed not in by_seed:
            by_seed[seed] = answer_key.build(course, name, seed)[0]
    keys = {learner: by_seed[course.variant_seeds.get(learner)] for learner in LEARNERS}
    keys["mia"] = keys["amira"]  # she hands in amira's numbers
    out.mkdir(parents=True, exist_ok=True)
    for learner in LEARNERS:
        key_file = keys[learner]
        folder = out / learner
        folder.mkdir(exist_ok=True)
        for notebook in assignment["notebooks"]:
            target = folder / f"{notebook}.ipynb"
            if learner == "ivan":
                target.write_text('{"cells": [ this is not a notebook')
                continue
            nb = nbformat.read(course.root / "release" / name / f"{notebook}.ipynb", as_version=4)
            cells = answer_cells(nb)
            key = key_file[notebook]
            values = answers_for(learner, key, [t for t in key if t in cells])
            for task, value in values.items():
                var = variable(cells[task])
                if learner == "hana":
                    fallback = "None" if value is None else repr(value)
                    cells[task].source = f"{var} = stolen.get({task!r}, globals().get({var!r}) or {fallback})"
                    continue
                if value is not None:
                    cells[task].source = f"{var} = {value!r}"
            extra = {"gus": PATCH_CELL, "hana": STEAL_CELL.format(course=str(course.root), project=str(PROJECT))}
            if learner in extra:
                setup = next(i for i, c in enumerate(nb.cells) if c.get("id") == "setup")
                attack = new_code_cell(extra[learner])
                attack.id = "learner-added"
                nb.cells.insert(setup + 1, attack)
            if learner == "jack" and name == "retail_kpis":  # delete a grade cell; make another report a made-up number
                nb.cells = [c for c in nb.cells if c.get("id") != "1-1-conversion-york"]
                graded = next(c for c in nb.cells if c.get("id") == "1-2-atv-bristol")
                graded.source = 'record("kpis-1-2-atv-bristol", 20.56)'
            if learner in ("amira", "ben"):
                texts = WRITTEN if learner == "amira" else BEN_WRITTEN
                for cell in nb.cells:
                    gid = cell.metadata.get("nbgrader", {}).get("grade_id")
                    if cell.cell_type == "markdown" and gid in texts:
                        cell.source = texts[gid]
            nbformat.write(nb, target)
    archive = out.with_suffix(".zip")
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(out.rglob("*.ipynb")):
            zf.write(path, path.relative_to(out).as_posix())
    return archive
