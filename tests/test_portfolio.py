"""The sample cohort's portfolios, marking sheet round trip and exports, on the demo course (real gradebook)."""

import csv
import shutil

import pandas as pd
import pytest
from nbgrader.api import Gradebook

from grading import cohort, exports, marking
from grading.criteria import outcomes

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def course(demo_course):
    return demo_course["course"]


@pytest.fixture(scope="module")
def made(demo_course):
    return demo_course["portfolio"]


def test_numbers_alone_achieve_nothing_and_every_criterion_met_achieves_the_unit(course):
    _, states, units = outcomes(course)
    units = units.set_index(["learner", "unit"])
    assert units.loc[("lena", "MCS"), "outcome"] == "Not yet achieved"  # 13/13 numbers, nothing written
    assert (units.xs("lena", level="learner")["criteria_met"] == 0).all()
    assert units.loc[("amira", "MCS"), "outcome"] == "Achieved"  # every MCS marking point judged met
    assert units.loc[("amira", "CIS"), "outcome"] == "Achieved"  # team_collaboration: CIS-1 to CIS-7 met
    assert units.loc[("amira", "CIS"), "criteria_met"] == 7
    assert units.loc[("lena", "CIS"), "outcome"] == "Not yet achieved"
    assert units.loc[("amira", "ICR"), "outcome"] == "Achieved"  # customer_relationship: ICR-1 to ICR-6 met
    assert units.loc[("amira", "ICR"), "criteria_met"] == 6
    assert units.loc[("amira", "OCS"), "outcome"] == "Not yet achieved"  # service_delivery's are not marked
    assert units.loc[("amira", "OCS"), "missing"] == "OCS-1 OCS-3"
    assert units.loc[("ben", "MCS"), "missing"] == "MCS-1 MCS-2 MCS-4"


def test_the_tutors_csv_decisions_reach_the_gradebook_and_the_portfolio(course, made):
    with Gradebook(course.db_url, course.manifest["course_id"]) as gb:
        grade = gb.find_grade("kpis-w1-which-shop-mp-ocs-2", "retail_kpis", "retail_kpis", "ben")
        note = gb.find_comment("kpis-w1-which-shop-mp-ocs-2", "retail_kpis", "retail_kpis", "ben")
        assert grade.manual_score == 0 and not grade.needs_manual_grade
        assert note.manual_comment == "Say which KPI would show that training worked."
    ben = (course.root / "portfolio" / "ben.html").read_text()
    assert "Say which KPI would show that training worked." in ben
    assert "Swindon is the worst shop" in ben  # his answer, in the evidence log
    assert "Waiting for the tutor" in ben  # ICR-6 of Task 4.3 is not marked yet


def test_a_blank_written_answer_is_settled_not_left_for_the_tutor(course):
    with Gradebook(course.db_url, course.manifest["course_id"]) as gb:
        for cell in ("kpis-w2-christmas-stock-mp-ocs-4", "kpis-w4-coaching-bristol-mp-mcs-2"):
            grade = gb.find_grade(cell, "retail_kpis", "retail_kpis", "ben")
            assert grade.manual_score == 0 and not grade.needs_manual_grade
            assert gb.find_comment(cell, "retail_kpis", "retail_kpis", "ben").manual_comment == marking.NO_ANSWER
        answer = gb.find_grade("kpis-w1-which-shop", "retail_kpis", "retail_kpis", "amira")
        assert answer.max_score == 0 and not answer.needs_manual_grade  # marks live on the marking points


def test_a_bad_marking_sheet_changes_nothing_and_names_the_rows(course, tmp_path):
    sheet = marking.export_csv(course, "retail_kpis", ["ben"], tmp_path / "sheet.csv")
    rows = list(csv.DictReader(sheet.open(encoding="utf-8")))
    assert "indicative_content" in rows[0] and rows[0]["answer"].startswith("Swindon")
    rows[0]["decision"], rows[1]["criterion"] = "yes please", "MCS-9"
    rows[2]["decision"] = "met"
    with sheet.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, marking.COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    before = marking.decisions(course, "retail_kpis", "ben")
    with pytest.raises(ValueError, match=r"row 2: decision must be 'met' or 'not yet'.*\n.*row 3: "):
        marking.import_csv(course, "retail_kpis", sheet)
    assert marking.decisions(course, "retail_kpis", "ben") == before


def test_an_empty_decision_never_wipes_a_mark_and_a_second_import_changes_nothing(course, tmp_path):
    sheet = marking.export_csv(course, "retail_kpis", ["amira"], tmp_path / "sheet.csv")
    before = marking.decisions(course, "retail_kpis", "amira")
    rows = list(csv.DictReader(sheet.open(encoding="utf-8")))
    assert {r["decision"] for r in rows} == {"met"}
    for r in rows:
        r["decision"], r["comment"] = "", ""
    with sheet.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, marking.COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    assert marking.import_csv(course, "retail_kpis", sheet) == []
    assert marking.decisions(course, "retail_kpis", "amira") == before


def test_the_portfolio_maps_every_criterion_and_keeps_tutor_only_content_out(course, made):
    page = (course.root / "portfolio" / "amira.html").read_text()
    for cid in course.manifest["criteria"]:
        assert f"{cid}: " in page
    # four written answers from retail_kpis, five from team_collaboration, five from customer_relationship
    assert page.count("<section class='evidence'>") == 14 and "E4</b> Coaching the Bristol team" in page
    assert "E9</b> The team&#x27;s review of the change: Met" in page
    assert "E14</b> Your plan to improve the relationship: Met" in page
    assert "Still needed:</i> a written answer that meets this marking point, in " in page  # OCS: left blank
    # every assignment has a Task 1.1: number evidence is named by its assignment
    assert "Supporting, right number answers: Retail KPIs: Task 1.1" in page
    assert "; Service delivery: Task " in page
    for name in ("retail_kpis", "team_collaboration", "customer_relationship"):
        for spec in course.manifest["assignments"][name]["written"].values():
            for line in spec["rubric"].values():
                assert line["indicative"] not in page
    release = (course.root / "release" / "retail_kpis" / "retail_kpis.ipynb").read_text()
    assert "indicative" not in release.lower() and "Marking point MCS-2" in release


def test_portfolio_pdfs_are_printed_when_chromium_is_there(course, made):
    if shutil.which("chromium") is None:
        pytest.skip("Chromium is not installed: the portfolios are HTML only")
    assert len(made["pdfs"]) == len(made["pages"]) == len(cohort.LEARNERS)  # ivan's too: his gaps are a record
    data = (course.root / "portfolio" / "amira.pdf").read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 20_000


def test_cohort_matrix_and_iqa_sample(course, made):
    matrix = pd.read_csv(course.root / "portfolio" / "cohort-matrix.csv").set_index("learner_id")
    assert matrix.loc["amira", "MCS outcome"] == "Achieved" and matrix.loc["lena", "MCS outcome"] == "Not yet achieved"
    assert matrix.loc["ben", "MCS-3"] == "Met" and matrix.loc["ben", "ICR-6"] == "To mark"
    assert matrix.loc["amira", "CIS-1"] == "Met" and matrix.loc["amira", "ICR-1"] == "Met"
    assert matrix.loc["amira", "ICR outcome"] == "Achieved" and matrix.loc["lena", "ICR outcome"] == "Not yet achieved"
    sample = pd.read_csv(course.root / "portfolio" / "iqa-sample.csv")
    assert sample["learner_id"].is_unique and len(sample) >= 3
    assert set(sample["tutor"]) == {"R. Jones", "T. Patel"}  # every tutor is sampled
    assert "amira" in set(sample["learner_id"])  # the only learner who achieved a unit: her own stratum
    html = (course.root / "portfolio" / "iqa-sample.html").read_text()
    assert "href='amira.html'" in html


def test_moodle_import_file_follows_moodles_csv_grade_import_format(course, made):
    # Moodle (grade/import/csv): UTF-8, a header row, a fixed number of fields a row; grades numeric with
    # '.' decimals; a scale grade must be one of the scale's words exactly; one user column mapped to ID number.
    raw = made["moodle"].read_bytes()
    raw.decode("utf-8")
    lines = raw.decode().splitlines()
    assert all(line.startswith('"') and line.endswith('"') for line in lines)  # every field quoted
    rows = list(csv.reader(lines))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["ID number", "First name", "Last name"] and len(set(header)) == len(header)
    assert all(len(r) == len(header) for r in body)
    assert [r[0] for r in body] == sorted(set(r[0] for r in body)) and all(r[0] for r in body)
    words = set(exports.scale(course))
    for i, name in enumerate(header):
        values = [r[i] for r in body if r[i] != ""]
        if name.endswith("(Real)"):
            assert all(float(v) >= 0 and "," not in v for v in values)
        elif name.startswith("Unit ") and name.endswith("outcome"):
            assert set(values) <= words and len(values) == len(body)
        if name.endswith("(Feedback)"):
            assert header[i - 1] == name.replace(" (Feedback)", "") or header[i - 1].endswith("(Real)")
    amira = dict(zip(header, next(r for r in body if r[0] == "amira"), strict=True))
    assert amira["Unit MCS outcome"] == "Achieved" and amira["Unit OCS outcome"] == "Not yet achieved"
    assert amira["Unit CIS outcome"] == "Achieved"
    title = course.manifest["assignments"]["retail_kpis"]["title"]
    assert amira[f"{title} (Real)"] == "20"
    outcomes_csv = pd.read_csv(made["unit_outcomes"])
    assert len(outcomes_csv) == 4 * len(cohort.LEARNERS)


def test_a_tutors_change_to_a_number_mark_is_reported_as_the_tutors(course, tmp_path):
    from grading import report
    from grading.course import Course

    shutil.copytree(course.root, tmp_path / "copy")
    copy = Course.open(tmp_path / "copy")
    with Gradebook(copy.db_url, copy.manifest["course_id"]) as gb:
        grade = gb.find_grade("kpis-1-1-conversion-york", "retail_kpis", "retail_kpis", "carl")
        grade.manual_score = 1.0  # the tutor accepts carl's answer after all
        gb.db.commit()
    totals = pd.read_csv(report.build(copy, "retail_kpis")["totals_csv"]).set_index("learner")
    assert totals.loc["carl", "autograded"] == 0 and totals.loc["carl", "changed_by_tutor"] == 1
    assert totals.loc["carl", "total"] == 1
