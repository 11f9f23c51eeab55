"""Service standards, complaint/CRM logs and mystery shopping, on the case study and by hand."""

import pandas as pd
import pytest

import retailkit as rk
from retailkit.datasets import load


@pytest.fixture(scope="module")
def standards():
    return rk.standards_from_table(load("service_standards"))


def test_a_standard_must_be_measurable_and_owned():
    with pytest.raises(ValueError, match="comparison must be one of"):
        rk.ServiceStandard("till_wait", "about", 180, "seconds", "Store manager")
    with pytest.raises(ValueError, match="needs a metric and an owner"):
        rk.ServiceStandard("till_wait", "<=", 180, "seconds", "")
    with pytest.raises(ValueError, match="target_share must be 1 or less"):
        rk.ServiceStandard("till_wait", "<=", 180, "seconds", "Store manager", target_share=90)


def test_compliance_by_hand_and_rag():
    wait = rk.ServiceStandard("till_wait", "<=", 180, "seconds", "Store manager", target_share=0.8)
    obs = pd.DataFrame({"metric": "till_wait", "value": [60, 200, 120, 90, 180, 300, 30, 20],
                        "period": ["Jan"] * 4 + ["Feb"] * 4})
    out = rk.compliance(obs, [wait], period="period").set_index("period")
    assert out.loc["Jan", "compliance"] == 0.75 and out.loc["Jan", "status"] == "amber"
    assert out.loc["Feb", "compliance"] == 0.75
    assert rk.compliance(obs, [wait])["met"].iloc[0] == 6


def test_standards_without_data_say_so(standards):
    obs = pd.DataFrame({"metric": ["till_wait"], "value": [100.0]})
    out = rk.compliance(obs, standards).set_index("standard_id")
    assert out.loc["S01", "status"] == "green" and out.loc["S03", "status"] == "no data"


def test_complaints_against_the_case_study_standards(standards):
    log = load("complaints")
    out = rk.compliance(rk.complaint_metrics(log), standards).set_index("standard_id")
    assert out.loc["S03", "cases"] == len(log)
    assert out.loc["S04", "cases"] == log["closed_at"].notna().sum()
    assert out.loc["S05", "compliance"] == pytest.approx(log["first_contact_resolution"].mean())
    assert set(out.loc[["S03", "S04", "S05"], "status"]) <= {"green", "amber", "red"}


def test_complaint_log_analysis():
    log = load("complaints")
    summary = rk.complaint_summary(log)
    assert summary["complaints"] == len(log)
    assert summary["logged twice (duplicates)"] == 1
    assert summary["still open"] == log["closed_at"].isna().sum()
    table = rk.pareto(log)
    assert table["complaints"].is_monotonic_decreasing and table["cumulative_share"].iloc[-1] == 1.0
    assert table["vital_few"].iloc[0] and not table["vital_few"].iloc[-1]
    trend = rk.volume_trend(log)
    assert trend.sum() == len(log) and trend.idxmax().month in (12, 1)
    times = rk.response_times(log)
    assert times.loc["90th percentile", "days_to_resolve"] >= times.loc["50th percentile", "days_to_resolve"]
    assert (rk.repeat_complainants(log) >= 2).all()


def test_mystery_shop_scores_rank_the_shops(standards):
    scores = rk.mystery_shop_scores(load("mystery_shop"), standards)
    per_store = scores.groupby("store_id", observed=True)["score"].mean()
    assert per_store.idxmax() == "HH03" and per_store.idxmin() == "HH04"
    assert scores["checked"].eq(6).all()


def test_mystery_shop_refuses_unknown_standards(standards):
    visits = pd.DataFrame({"visit_id": ["V1"], "store_id": ["HH01"], "standard_id": ["S99"], "observed": [1.0]})
    with pytest.raises(ValueError, match=r"standards that were not given: \['S99'\]"):
        rk.mystery_shop_scores(visits, standards)


def test_empty_log_is_refused():
    with pytest.raises(ValueError, match="log is empty"):
        rk.pareto(pd.DataFrame({"category": []}))


def test_compliance_rejects_bad_arguments():
    obs = pd.DataFrame({"metric": ["till_wait"], "value": [100.0]})
    with pytest.raises(TypeError, match="list of ServiceStandard"):
        rk.compliance(obs, ["till_wait <= 180"])
    wait = rk.ServiceStandard("till_wait", "<=", 180, "seconds", "Store manager")
    with pytest.raises(ValueError, match="observations has no column 'value'"):
        rk.compliance(obs.rename(columns={"value": "seconds"}), [wait])
    with pytest.raises(ValueError, match="till_wait has a missing value"):
        wait.met([100, float("nan")])
    with pytest.raises(ValueError, match="compliance_share must be 1 or less"):
        rk.rag_status(85, 0.9)
