"""Fast checks of the course tool's parts: manifest consistency, leak detection, sandbox, CLI exit codes."""

import json
import shutil

import nbformat
import pytest

from grading import pipeline
from grading.course import PROJECT, Course


@pytest.fixture
def course(tmp_path):
    course = Course.open(tmp_path / "course")
    course.sync_source("retail_kpis")
    return course


def test_manifest_and_notebook_agree(course):
    assert pipeline.manifest_problems(course, "retail_kpis") == []


def test_manifest_mismatch_is_reported(course):
    path = course.root / "source" / "retail_kpis" / "retail_kpis.ipynb"
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if c.get("id") == "1-1-conversion-york")
    cell.metadata.nbgrader["points"] = 3
    nb.cells = [c for c in nb.cells if c.get("id") != "3-2-repeat-cdnow"]
    nbformat.write(nb, path)
    problems = pipeline.manifest_problems(course, "retail_kpis")
    assert "kpis-1-1-conversion-york: 1 points in course.yml, 3 in the notebook" in problems
    assert "autograded task kpis-3-2-repeat-cdnow is only in the grading/course.yml" in problems


def test_leaks_finds_solution_code_markers_and_answer_values(course):
    release = course.root / "release" / "retail_kpis"
    release.mkdir(parents=True)
    shutil.copy(course.root / "source" / "retail_kpis" / "retail_kpis.ipynb", release / "retail_kpis.ipynb")
    key = {"retail_kpis": {"kpis-1-2-atv-bristol": {"expected": 20.5588, "decimals": 2}}}
    found = pipeline.leaks(course, "retail_kpis", key)
    assert any("BEGIN SOLUTION" in f for f in found)
    assert any("solution code" in f for f in found)
    (release / "retail_kpis.ipynb").write_text(json.dumps({"cells": [], "note": "the ATV is 20.56"}))
    assert pipeline.leaks(course, "retail_kpis", key) == ["retail_kpis.ipynb: contains an answer value 20.56"]
    (release / "retail_kpis.ipynb").write_text(json.dumps({"cells": [], "note": "about 0.5 of visitors"}))
    assert pipeline.leaks(course, "retail_kpis", key) == []


def test_the_course_folder_is_private(course):
    assert (course.root.stat().st_mode & 0o777) == 0o700
    assert (course.root / "nbgrader_config.py").exists()


def test_the_sandbox_sees_only_python_retailkit_and_the_data(course):
    visible = course.config().SandboxedExecute.visible_paths
    assert str(PROJECT / "retailkit") in visible and str(PROJECT / "datasets") in visible
    for path in visible:
        assert not str(course.root).startswith(path), "the course folder would be visible"
        assert path != str(PROJECT), "the whole project would be visible"


def test_unknown_assignment_is_named(course):
    with pytest.raises(ValueError, match="no assignment 'kpi' in grading/course.yml; known: start_here, retail_kpis"):
        course.assignment("kpi")


def test_cli_names_an_unknown_assignment_and_exits_non_zero(tmp_path):
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "grading", "report", "nosuch", "--course", str(tmp_path / "c")],
                         capture_output=True, text=True)
    assert out.returncode == 2
    assert "error: there is no assignment 'nosuch'" in out.stderr and "Traceback" not in out.stderr


def test_cli_refuses_fewer_than_one_worker_in_plain_words(tmp_path):
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "grading", "autograde", "retail_kpis", "--workers", "0",
                          "--course", str(tmp_path / "c")], capture_output=True, text=True)
    assert out.returncode == 2
    assert "error: --workers must be 1 or more, got 0" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.slow
def test_a_learners_workbook_is_never_replaced(tmp_path):
    course = Course.open(tmp_path / "course")
    first = pipeline.workbook(course, "start_here")
    mine = course.root / "workbook" / "start_here" / "start_here.ipynb"
    assert f"new: {mine}" in first
    nb = nbformat.read(mine, as_version=4)
    nb.cells[0].source += "\n\nMY ANSWER: conversion is 0.195"
    nbformat.write(nb, mine)
    typed = mine.read_bytes()
    assert any(line.startswith("kept:") for line in pipeline.workbook(course, "start_here"))  # make lab again
    pipeline.release(course, "start_here")  # the tutor releases again
    assert mine.read_bytes() == typed
    released = course.root / "release" / "start_here" / "start_here.ipynb"  # a changed release
    nb = nbformat.read(released, as_version=4)
    nb.cells[0].source += "\n\nA corrected question."
    nbformat.write(nb, released)
    stamp = mine.with_name(".start_here.ipynb.release")
    stamp.write_bytes(b"an older release")
    pipeline.workbook(course, "start_here")
    assert mine.read_bytes() == typed
    assert list(mine.parent.glob("start_here (new release *).ipynb"))


@pytest.mark.slow
def test_validate_never_touches_a_learners_submission_whatever_the_name(tmp_path):
    course = Course.open(tmp_path / "course")
    kept = {}
    for learner in ("zz-check-solution", "zz-check-blank", "solution", "blank"):
        path = course.root / "submitted" / learner / "start_here" / "start_here.ipynb"
        path.parent.mkdir(parents=True)
        path.write_text(f'{{"learner": "{learner}"}}')
        kept[path] = path.read_bytes()
    checks = pipeline.validate(course, ["start_here"])
    assert all(c.ok for c in checks), pipeline.checks_table(checks)
    assert {p: p.read_bytes() for p in kept} == kept
    assert not list(course.root.glob(".validate-*")), "the scratch course was left behind"


def test_exit_codes_a_script_can_trust(tmp_path):
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-m", "grading", "feedback", "Retail_KPIs", "--course",
                          str(tmp_path / "c")], capture_output=True, text=True)
    assert run.returncode == 2 and "no assignment 'Retail_KPIs'" in run.stderr
    run = subprocess.run([sys.executable, "-m", "grading", "feedback", "retail_kpis", "--course",
                          str(tmp_path / "c")], capture_output=True, text=True)
    assert run.returncode == 1 and "Wrote 0 feedback files" in run.stdout


def test_a_project_kept_under_tmp_or_home_stays_visible_in_the_sandbox(tmp_path):
    import subprocess

    from grading.sandbox import Sandbox

    shared = tmp_path / "venv-like"  # tmp_path is under /tmp, which the sandbox replaces with its own
    shared.mkdir()
    (shared / "data.txt").write_text("visible")
    with Sandbox([str(shared)]) as box:
        run = subprocess.run(box.command(["cat", str(shared / "data.txt")]), capture_output=True, text=True,
                             env=box.environment(), preexec_fn=box.preexec, start_new_session=True, timeout=60)
    assert run.stdout == "visible", run.stderr


def test_a_table_a_learner_printed_shows_as_a_table_not_as_style_sheet_words():
    from grading.preprocessors import clean_html

    shown = clean_html("<style scoped>.dataframe tbody tr {x}</style><table><tr><td>1</td></tr></table>"
                       "<SCRIPT>alert(1)</script >ok<script>unclosed")
    assert shown == "<table><tbody><tr><td>1</td></tr></tbody></table>ok"


def test_solution_scripts_run_together_and_one_that_stops_does_not_stop_the_next(tmp_path):
    from grading.answer_key import run_scripts
    from grading.sandbox import Limits

    course = Course.open(tmp_path / "course")
    scripts = {"a/one": "from retailkit.answers import record\nrecord('1.1', 2.5)\nraise ValueError('boom')",
               "b/two": "from retailkit.answers import record\nprint('#retailkit-scrip')\nrecord('2.1', 7)",
               "c/three": "x = 1"}
    found = run_scripts(scripts, course.visible, Limits(), False, 424242)
    assert isinstance(found["a/one"], str) and "ValueError: boom" in found["a/one"] and "424242" in found["a/one"]
    assert [(r["task"], r["value"]) for r in found["b/two"]] == [("2.1", 7)] and found["c/three"] == []
    crashed = run_scripts({"a/one": "import os\nos._exit(3)", "b/two": "x = 1"}, course.visible, Limits(), False, None)
    assert isinstance(crashed["a/one"], str) and isinstance(crashed["b/two"], str)  # the Python itself stopped


def test_nbgrader_checks_its_schema_once_and_still_refuses_bad_cell_metadata():
    import jsonschema
    from nbformat.v4 import new_code_cell
    from nbgrader.nbgraderformat import ValidationError, common
    from nbgrader.nbgraderformat.v3 import MetadataValidatorV3

    from grading.preprocessors import check_schema_once

    check_schema_once()
    assert common.jsonschema is not jsonschema and common.jsonschema.kept
    cell = new_code_cell("x = 1", metadata={"nbgrader": {"schema_version": 3, "grade": True, "solution": False,
                                                          "locked": False, "grade_id": "t", "points": 1}})
    MetadataValidatorV3().validate_cell(cell)
    cell.metadata.nbgrader["points"] = "one"
    with pytest.raises(ValidationError, match="'one' is not of type 'number'"):
        MetadataValidatorV3().validate_cell(cell)


def test_iri_grammars_wait_until_an_iri_is_checked():
    """The grading processes skip rfc3987_syntax's 0.9 s start, and an IRI check still gives the real answer."""
    import subprocess
    import sys

    probe = ("import sys, grading, jsonschema\n"
             "print(hasattr(sys.modules['rfc3987_syntax'], '__file__'))\n"
             "checker = jsonschema.FormatChecker()\n"
             "print(checker.conforms('https://example.org/caf\u00e9', 'iri'), checker.conforms('no iri: %%', 'iri'))\n"
             "print(hasattr(sys.modules['rfc3987_syntax'], '__file__'))\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "True", "False", "True"]


def test_variants_run_in_one_sandbox_each_in_a_fresh_copy_of_python(tmp_path):
    from grading.answer_key import run_variants
    from grading.sandbox import Limits

    course = Course.open(tmp_path / "course")
    script = ("import os, retailkit\nfrom retailkit.answers import record\n"
              "record('seed', int(os.environ['RETAILKIT_VARIANT']))\n"
              "record('left', getattr(retailkit, 'left_behind', 0))\nretailkit.left_behind = 1\n"
              "if os.environ['RETAILKIT_VARIANT'] == '2':\n    os._exit(1)\n")
    found = run_variants({"a/one": script, "b/two": "x = 1"}, course.visible, Limits(), False, [1, 2, 3])
    assert [(r["task"], r["value"]) for r in found[1]["a/one"]] == [("seed", 1), ("left", 0)]
    assert found[1]["b/two"] == [] and found[3]["b/two"] == []
    assert [(r["task"], r["value"]) for r in found[3]["a/one"]] == [("seed", 3), ("left", 0)]
    assert isinstance(found[2]["a/one"], str) and isinstance(found[2]["b/two"], str)  # its Python stopped


def test_autograde_takes_several_assignments_or_one_with_its_submissions(course, tmp_path):
    from grading.__main__ import autograde_targets

    handins = tmp_path / "handins.zip"
    handins.write_bytes(b"")
    assert autograde_targets(course, ["retail_kpis", "start_here"], None) == (["retail_kpis", "start_here"], None)
    assert autograde_targets(course, ["retail_kpis", str(handins)], None) == (["retail_kpis"], handins)
    assert autograde_targets(course, ["retail_kpis"], handins) == (["retail_kpis"], handins)
    with pytest.raises(ValueError, match="a zip or folder of submissions is for one assignment, got 2"):
        autograde_targets(course, ["retail_kpis", "start_here", str(handins)], None)
    with pytest.raises(ValueError, match="there is no assignment 'nosuch.zip'"):
        autograde_targets(course, ["retail_kpis", "nosuch.zip"], None)
