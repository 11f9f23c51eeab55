"""Hand-ins as people make them (generated here): names, renames, VLE folders, duplicates, bad zips."""

import os
import stat
import zipfile

import pytest

from grading import pipeline, submissions
from grading.course import Course

NB = b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'


def nb(tag: str) -> bytes:
    return NB.replace(b'"metadata": {}', b'"metadata": {"who": "' + tag.encode() + b'"}')


@pytest.fixture
def course(tmp_path):
    return Course.open(tmp_path / "course")


def _zip(path, entries):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


def test_any_name_any_layout_is_collected(course, tmp_path):
    names = tmp_path / "names.csv"
    names.write_text("name,learner_id\nFatima Khan,fk001\n", encoding="utf-8")
    hand_in = _zip(tmp_path / "in.zip", {
        "Siân O'Brien/retail_kpis.ipynb": nb("sian"),
        "cohort/José María.ipynb": nb("jose"),
        "Ольга Петрова/Retail_KPIs.ipynb": nb("olga"),
        "dave/retail_kpis (1).ipynb": nb("dave"),
        "erin/Retail_KPIs copy.ipynb": nb("erin"),
        "Fatima Khan_12345_assignsubmission_file_/My work.ipynb": nb("fatima"),
        "all/group1/gita/retail_kpis.ipynb": nb("gita"),
        "all/group2/hugo/retail_kpis/retail_kpis.ipynb": nb("hugo"),
    })
    got = pipeline.collect(course, "retail_kpis", hand_in)
    assert got.problems == []
    assert sorted(got.learners) == ["dave", "erin", "fatima-khan", "gita", "hugo", "jose-maria", "sian-obrien",
                                    "ольга-петрова"]
    assert got.names["sian-obrien"] == "Siân O'Brien" and got.names["fatima-khan"] == "Fatima Khan"
    got = pipeline.collect(course, "retail_kpis", hand_in, names)  # with a names file, every name must be in it
    assert got.learners == ["fk001"] and any("'José María' is not in the names file" in p for p in got.problems)
    got = pipeline.collect(course, "retail_kpis", _zip(tmp_path / "moodle.zip", {
        "Fatima Khan_12345_assignsubmission_file_/My work.ipynb": nb("fatima")}), names)
    assert got.learners == ["fk001"] and got.problems == []
    kept = course.root / "submitted" / "sian-obrien" / "retail_kpis" / "retail_kpis.ipynb"
    assert kept.read_bytes() == nb("sian")


def test_two_different_files_for_one_learner_are_reported_not_chosen(course, tmp_path):
    got = pipeline.collect(course, "retail_kpis", _zip(tmp_path / "in.zip", {
        "ivy/retail_kpis.ipynb": nb("one"), "ivy/retail_kpis (1).ipynb": nb("two"),
        "jon/retail_kpis.ipynb": nb("jon"), "jon/retail_kpis (1).ipynb": nb("jon")}))
    assert got.learners == ["jon"]
    assert len(got.problems) == 1 and "ivy: not taken, 2 different files" in got.problems[0]
    assert not (course.root / "submitted" / "ivy").exists()


def test_bad_zip_entries_are_reported_and_the_rest_collected(course, tmp_path):
    path = tmp_path / "in.zip"
    big = os.urandom(submissions.MAX_FILE + 1024)
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("good/retail_kpis.ipynb", nb("good"))
        zf.writestr(zipfile.ZipInfo("crc/retail_kpis.ipynb"), b"X" * 4000)
        zf.writestr("bomb/retail_kpis.ipynb", b"\0" * 30_000_000, compress_type=zipfile.ZIP_DEFLATED)
        link = zipfile.ZipInfo("link/retail_kpis.ipynb")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")
        zf.writestr("large/retail_kpis.ipynb", big)
        zf.writestr("../escape/retail_kpis.ipynb", nb("x"))
    data = bytearray(path.read_bytes())
    at = data.find(b"X" * 4000)
    data[at + 10] = ord("Y")  # damage one stored entry: its CRC no longer matches
    path.write_bytes(bytes(data))
    got = pipeline.collect(course, "retail_kpis", path)
    assert got.learners == ["good"]
    text = "\n".join(got.problems)
    for words in ("crc/retail_kpis.ipynb: not taken, it is damaged", "bomb/retail_kpis.ipynb: not taken, it unpacks",
                  "link/retail_kpis.ipynb: not taken, it is a link", "large/retail_kpis.ipynb: not taken, it is larger",
                  "points outside the hand-in"):
        assert words in text, words


def test_links_in_a_folder_are_not_followed(course, tmp_path):
    hand_in = tmp_path / "in"
    (hand_in / "kim").mkdir(parents=True)
    (hand_in / "kim" / "retail_kpis.ipynb").write_bytes(nb("kim"))
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "retail_kpis.ipynb").write_bytes(nb("secret"))
    (hand_in / "lee").symlink_to(secret)
    (hand_in / "max").mkdir()
    (hand_in / "max" / "retail_kpis.ipynb").symlink_to(secret / "retail_kpis.ipynb")
    got = pipeline.collect(course, "retail_kpis", hand_in)
    assert got.learners == ["kim"] and len(got.problems) == 2


def test_a_submission_is_never_lost(course, tmp_path):
    first = _zip(tmp_path / "a.zip", {"nia/retail_kpis.ipynb": nb("v1")})
    second = _zip(tmp_path / "b.zip", {"nia/retail_kpis.ipynb": nb("v2")})
    pipeline.collect(course, "retail_kpis", first)
    kept = submissions.backup(course)
    pipeline.collect(course, "retail_kpis", second)
    archived = list((course.root / "archive" / "nia").rglob("retail_kpis.ipynb"))
    assert [p.read_bytes() for p in archived] == [nb("v1")]
    path = course.root / "submitted" / "nia" / "retail_kpis" / "retail_kpis.ipynb"
    kept = submissions.backup(course)
    path.write_bytes(b"overwritten by some tool")
    assert submissions.verify(course, kept) and path.read_bytes() == nb("v2")


def test_learner_ids_from_any_name():
    assert submissions.learner_id("Siân O'Brien") == "sian-obrien"
    assert submissions.learner_id("Zoë  Ng-Smith") == "zoe-ng-smith"
    assert submissions.learner_id("王芳") == "王芳"
