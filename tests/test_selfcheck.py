"""The learners' self-check: specific feedback from salted hashes, never the answer itself."""

import json
import re
from pathlib import Path

import pytest

from retailkit.selfcheck import FILE, check, classify, make_entry, verdict

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted((ROOT / "notebooks").glob(f"*/{FILE}"))

CONVERSION = make_entry("kpis-1-1-conversion-york", 0.19512, 3, "fraction", "Conversion = transactions / footfall.")
MARGIN = make_entry("kpis-2-1-margin-outlet", 42.645, 1, "percent", "Margin = (sales - cost) / sales.")


@pytest.mark.parametrize(("entry", "answer", "kind"), [
    (CONVERSION, 0.195, "correct"), (CONVERSION, 0.19512, "correct"), (CONVERSION, 0.2, "rounded"),
    (CONVERSION, 19.5, "percent"), (CONVERSION, 19.51, "percent"),
    (CONVERSION, 5.125, "inverse"), (CONVERSION, -0.195, "sign"), (CONVERSION, 0.204, "wrong"),
    (CONVERSION, 0, "wrong"), (MARGIN, 42.6, "correct"), (MARGIN, 43, "rounded"), (MARGIN, 0.426, "fraction"),
    (MARGIN, 42.7, "wrong"),
])
def test_kinds_of_answer(entry, answer, kind):
    assert classify(entry, answer)[0] == kind


def test_check_prints_plain_feedback(tmp_path, capsys):
    (tmp_path / FILE).write_text(json.dumps({"notebook": "x", "tasks": {"kpis-1-1-conversion-york": CONVERSION}}))
    assert check("kpis-1-1-conversion-york", 0.195, folder=tmp_path) is None
    out = capsys.readouterr().out
    assert "Task 1.1: these checks passed" in out and "all tests passed" not in out.lower()
    assert verdict("kpis-1-1-conversion-york", 19.5, folder=tmp_path)[0] == "percent"
    assert "25 % is 0.25" in verdict("kpis-1-1-conversion-york", 19.5, folder=tmp_path)[1]
    assert verdict("kpis-1-1-conversion-york", None, folder=tmp_path)[0] == "blank"
    assert verdict("kpis-1-1-conversion-york", "0.195", folder=tmp_path)[0] == "correct"
    assert verdict("kpis-1-1-conversion-york", "19.5%", folder=tmp_path)[0] == "correct"
    kind, text = verdict("kpis-1-1-conversion-york", "about a fifth", folder=tmp_path)
    assert kind == "invalid" and "type just the number" in text
    assert verdict("kpis-9-9-nothing", 1.0, folder=tmp_path)[0] == "unknown"


def test_check_never_raises_where_there_is_no_file(tmp_path, capsys):
    check("kpis-1-1-conversion-york", 0.195, folder=tmp_path)
    assert "still recorded" in capsys.readouterr().out


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.parent.name)
def test_shipped_files_hold_hashes_not_answers(path):
    data = json.loads(path.read_text())
    for entry in data["tasks"].values():
        shown = json.dumps({k: v for k, v in entry.items() if k not in ("label", "hashes")})
        shown = re.sub(r"(Task|Tasks|Move) \d+\.\d+", "", shown)  # a task's number is not an answer
        assert not re.search(r"\d\.\d", shown), "a decimal number is in the self-check file"
        assert set(entry) == {"label", "decimals", "form", "hint", "salt", "hashes"}
        assert re.fullmatch(r"[0-9a-f]{20}", entry["hashes"]["correct"])
