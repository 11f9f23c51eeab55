"""What-if widgets: the sums without a browser, and the controls reacting to a change."""

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

import retailkit as rk  # noqa: E402
from retailkit import plots, widgets  # noqa: E402


def test_margin_gmroi_agrees_with_the_kpi_functions():
    r = widgets.margin_gmroi(price=20, cost=8, stock_units=120, weekly_units=10)
    assert r["margin_pct"] == rk.gross_margin_pct(20, 8)
    assert r["gmroi"] == pytest.approx(rk.gmroi((20 - 8) * 520, 120 * 8))
    assert r["stock_turn"] == pytest.approx(520 / 120)
    assert widgets.margin_gmroi(20, 8, 120, 0)["weeks_of_cover"] is None


def test_till_staffing_meets_the_standard_with_the_tills_it_says():
    r = widgets.till_staffing(arrivals=200, handle_time=80, tills=4)
    needed = widgets.till_staffing(arrivals=200, handle_time=80, tills=r["tills_needed"])
    assert needed["meets_standard"]
    fewer = widgets.till_staffing(arrivals=200, handle_time=80, tills=r["tills_needed"] - 1)
    assert not fewer.get("meets_standard", False)
    jammed = widgets.till_staffing(arrivals=400, handle_time=80, tills=2)
    assert not jammed["stable"] and "cannot keep up" in jammed["message"]


def test_servqual_gaps_for_a_store_and_for_all():
    one = widgets.servqual_gaps("HH04")
    every = widgets.servqual_gaps()
    assert one["respondents"] < every["respondents"]
    assert min(one["gaps"]) <= one["weighted"] <= max(one["gaps"])
    with pytest.raises(ValueError, match="no SERVQUAL answers for store 'XX'"):
        widgets.servqual_gaps("XX")


def test_kpi_dashboard_table_totals_match_the_kpi_table():
    t = widgets.kpi_dashboard_table("HH02", 48, 51)
    assert t.loc["Total", "transactions"] == t.drop(index="Total")["transactions"].sum()
    assert t.loc["Total", "sales"] == pytest.approx(t.drop(index="Total")["sales"].sum())
    with pytest.raises(ValueError, match="first_week \\(50\\) is after last_week \\(40\\)"):
        widgets.kpi_dashboard_table("HH02", 50, 40)


@pytest.mark.parametrize(("build", "control", "value"), [
    (widgets.margin_explorer, 1, 30.0), (widgets.till_explorer, 3, 5), (widgets.servqual_explorer, 1, "HH01"),
    (widgets.kpi_dashboard, 3, "atv"), (widgets.business_case_explorer, 1, 2.0),
    (lambda: widgets.target_explorer(_LOG), 1, 2.1), (widgets.goodwill_explorer, 2, 35),
])
def test_explorers_react_to_their_controls(build, control, value):
    box = build()
    before = box.result
    box.children[control].value = value
    after = box.result
    assert after is not before
    if isinstance(before, dict) and "message" in before:
        assert before["message"] != after["message"]


def test_business_case_agrees_with_the_finance_functions():
    r = widgets.business_case(people=4, course_price=300, cover_hours=7.5, wage=12.21, footfall=40_000,
                              profit_per_sale=11.5, uplift=0.005, years=3, rate=0.08)
    cost, benefit = 4 * (300 + 7.5 * 12.21), 40_000 * 0.005 * 11.5
    assert r["cost"] == pytest.approx(cost) and r["benefit"] == pytest.approx(benefit)
    assert r["roi"] == pytest.approx(rk.roi(benefit, cost))
    assert r["payback_months"] == pytest.approx(rk.payback_period(cost, [benefit / 12] * 36))
    assert r["npv"] == pytest.approx(rk.npv(0.08, [benefit] * 3, investment=cost))
    assert widgets.business_case(4, 300, 7.5, 12.21, 40_000, 11.5, 0.0)["payback_months"] is None  # no benefit


_LOG = __import__("pandas").DataFrame({"name": ["Ann", "Ann", "Bo", "Bo"], "week": [1, 2, 1, 2],
                                      "upt": [2.0, 2.6, 2.4, 2.2], "transactions": [50, 40, 30, 20]})


def test_target_setting_counts_the_weeks_met_and_the_gap_by_hand():
    r = widgets.target_setting(_LOG, 2.2)
    assert r["met"].to_dict() == {"Ann": 0.5, "Bo": 1.0} and r["team_met"] == 0.75  # 2.2 meets 2.2
    assert r["gap_a_week"] == pytest.approx(0.2 * 50 / 2)
    assert widgets.target_setting(_LOG, 1.0)["gap_a_week"] == 0
    low, high = widgets.target_setting(_LOG, 2.3), widgets.target_setting(_LOG, 2.7)
    assert low["team_met"] > high["team_met"] and low["gap_a_week"] < high["gap_a_week"]  # the trade-off
    with pytest.raises(ValueError, match="target must be greater than 0, got target=0"):
        widgets.target_setting(_LOG, 0)
    with pytest.raises(ValueError, match="log has no column 'atv'"):
        widgets.target_setting(_LOG, 2.5, value="atv")
    with pytest.raises(ValueError, match="log has no rows"):
        widgets.target_setting(_LOG.iloc[:0], 2.5)


def test_goodwill_break_even_is_where_the_gain_is_zero():
    r = widgets.goodwill(cost=11.8, yearly_profit=27.55, rise=0.0)
    assert r["break_even"] == pytest.approx(11.8 / 27.55) and r["gain"] == pytest.approx(-11.8)
    assert widgets.goodwill(11.8, 27.55, r["break_even"])["gain"] == pytest.approx(0)
    assert widgets.goodwill(11.8, 27.55, 1.0)["gain"] == pytest.approx(27.55 - 11.8)
    with pytest.raises(ValueError, match="yearly_profit"):
        widgets.goodwill(10, 0, 0.1)
    with pytest.raises(ValueError, match="rise"):
        widgets.goodwill(10, 50, 1.5)
    with pytest.raises(ValueError, match="cost"):
        widgets.goodwill(-1, 50, 0.1)


def test_business_case_names_a_bad_assumption():
    with pytest.raises(ValueError, match="people"):
        widgets.business_case(people=0, course_price=300, cover_hours=4, wage=12.21, footfall=1000,
                              profit_per_sale=10, uplift=0.01)
    with pytest.raises(ValueError, match="must cost something"):
        widgets.business_case(people=2, course_price=0, cover_hours=0, wage=12.21, footfall=1000,
                              profit_per_sale=10, uplift=0.01)


def test_house_style_trend_names_the_leader(small_data):
    tables = {n: small_data(n) for n in ("transactions", "footfall", "rota")}
    table = rk.kpi_table(tables["transactions"], rk.datasets.store_weeks(tables["footfall"], tables["rota"]))
    ax = plots.kpi_trend(table, "conversion_rate")
    assert ax.get_title().endswith("has the highest conversion rate")
    assert "%" in ax.get_yticklabels()[1].get_text() or ax.yaxis.get_major_formatter().__class__.__name__ == \
        "PercentFormatter"
    with pytest.raises(ValueError, match="no column 'nope'"):
        plots.kpi_trend(table, "nope")


@pytest.mark.parametrize(("call", "words"), [
    (lambda: widgets.margin_gmroi(price=0, cost=8, stock_units=120, weekly_units=10), "price must be greater than 0"),
    (lambda: widgets.margin_gmroi(price=20, cost=8, stock_units=120, weekly_units=-1), "weekly_units must be 0"),
    (lambda: widgets.till_staffing(arrivals=100, handle_time=60, tills=1.5), "tills must be a whole number"),
    (lambda: widgets.till_staffing(arrivals=100, handle_time=60, tills=2, target_service_level=1.2),
     "target_service_level must be 0.999 or less"),
    (lambda: widgets.kpi_dashboard_table("HH02", 0, 10), "first_week must be 1 or more"),
    (lambda: widgets.kpi_dashboard_table("NOPE", 1, 4), "no sales for store 'NOPE'"),
])
def test_widget_sums_reject_bad_input_by_name(call, words):
    with pytest.raises(ValueError, match=words):
        call()


def test_the_dashboard_shows_headings_a_learner_reads_and_whole_control_labels():
    html = widgets.kpi_dashboard_view(widgets.kpi_dashboard_table("HH02", 48, 51)).to_html()
    assert "Conversion" in html and "ATV (GBP)" in html and "Week" in html and "conversion_rate" not in html
    assert "£" in html and "%" in html
    controls = [c for c in widgets.till_explorer().children if getattr(c, "description", "")]
    assert controls and all(c.style.description_width == "initial" for c in controls)
