"""Checks that every KPI function must pass, run over a registry of all of them.

Modelled on scikit-learn's metric registry tests: a dict of every function with a valid example, and
one test that every public name is in the registry, so a new KPI cannot skip the common checks.
"""

import inspect

import numpy as np
import pandas as pd
import pytest

import retailkit as rk

# Element-wise KPIs: a valid example (keyword arguments) and its answer.
ELEMENTWISE = {
    "conversion_rate": (dict(transactions=300, footfall=1200), 0.25),
    "average_transaction_value": (dict(sales=7500, transactions=300), 25.0),
    "units_per_transaction": (dict(units=750, transactions=300), 2.5),
    "sales_per_area": (dict(sales=1_500_000, area=5_000), 300.0),
    "sales_per_labour_hour": (dict(sales=24_000, labour_hours=400), 60.0),
    "like_for_like_growth": (dict(current=210_000, previous=200_000), 0.05),
    "gross_margin": (dict(sales=10_000, cost_of_sales=6_000), 4_000.0),
    "gross_margin_pct": (dict(sales=40, cost_of_sales=24), 0.4),
    "markup_pct": (dict(sales=40, cost_of_sales=25), 0.6),
    "gmroi": (dict(gross_margin=120_000, average_inventory_cost=40_000), 3.0),
    "sell_through_rate": (dict(units_sold=300, units_received=500, opening_stock=100), 0.5),
    "stock_turn": (dict(cost_of_sales=240_000, average_inventory_cost=40_000), 6.0),
    "weeks_of_cover": (dict(stock_units=240, weekly_sales_units=60), 4.0),
    "shrinkage_rate": (dict(recorded_stock_value=52_000, actual_stock_value=50_500, sales=100_000), 0.015),
    "retention_rate": (dict(customers_start=2_000, customers_end=2_100, new_customers=300), 0.9),
    "churn_rate": (dict(customers_start=2_000, customers_lost=200), 0.1),
    "repeat_purchase_rate": (dict(repeat_customers=450, customers=1_500), 0.3),
    "purchase_frequency": (dict(orders=6_000, customers=1_500), 4.0),
    "customer_lifetime_value": (dict(average_order_value=25, purchase_frequency=4, lifespan=5,
                                     margin=0.4), 200.0),
    "first_contact_resolution_rate": (dict(resolved_first_contact=120, contacts=200), 0.6),
    "roi": (dict(benefit=2_500, cost=2_000), 0.25),
    "risk_score": (dict(likelihood=4, impact=3), 12.0),
    "traffic_intensity": (dict(arrivals=200, handle_time=90, period=3600), 5.0),
    "erlang_c": (dict(traffic=10, servers=14), 0.1741319),
    "service_level": (dict(arrivals=100, handle_time=180, servers=14, target_wait=20, period=1800), 0.88835),
    "average_speed_of_answer": (dict(arrivals=100, handle_time=180, servers=14, period=1800), 7.835937),
    "servers_required": (dict(arrivals=100, handle_time=180, target_wait=20, target_service_level=0.8,
                              period=1800), 14.0),
}

# Arguments that are bounded (shares, 1-5 scores) or fixed by definition: not scaled in the tests below.
FIXED = {"margin", "target_service_level", "likelihood", "impact", "period", "handle_time"}

# Functions that take a whole sequence (all answers for a group) and return one number.
AGGREGATES = {
    "net_promoter_score": (([9, 9, 10, 10, 10, 7, 8, 8, 3, 6],), 30.0),
    "csat": (([4, 5, 3, 5, 4, 2, 5, 4],), 0.75),
    "customer_effort_score": (([7, 6, 5, 6, 1],), 5.0),
    "sla_compliance": (([1, 3, 5, 8, 2], 5), 0.8),
    "average_inventory": (([50_000, 30_000],), 40_000.0),
}

TABLES = {"rfm_scores", "kpi_table", "visits_after"}

# Service models with their own shapes of input; each has its own test module.
MODELS = {"standards_from_table", "rag_status", "compliance", "complaint_metrics", "pareto", "volume_trend",
          "response_times", "repeat_complainants", "find_duplicates", "complaint_summary", "mystery_shop_scores",
          "item_gaps", "dimension_gaps", "weighted_score", "diagnose", "staffing_plan", "risk_band",
          "risk_register", "contingency_gaps", "payback_period", "npv", "remedies"}

# Notebook helpers, not KPIs: each has its own test module (tests/test_friendly.py).
HELPERS = {"friendly_errors"}


def test_every_public_function_is_in_a_registry():
    public = {name for name in rk.__all__ if inspect.isfunction(getattr(rk, name))}
    assert public == set(ELEMENTWISE) | set(AGGREGATES) | TABLES | MODELS | HELPERS


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_scalar_example_gives_a_float(name):
    kwargs, expected = ELEMENTWISE[name]
    got = getattr(rk, name)(**kwargs)
    assert isinstance(got, float)
    assert got == pytest.approx(expected)


class TestElementwiseLists:
    """Each KPI applied to a whole column must equal the KPI applied row by row."""

    @staticmethod
    def wrap(values):
        return list(values)

    @staticmethod
    def check_type(got, kwargs):
        assert isinstance(got, np.ndarray)

    @pytest.mark.parametrize("name", ELEMENTWISE)
    def test_elementwise(self, name):
        kwargs, expected = ELEMENTWISE[name]
        scales = [1, 2, 3]
        columns = {k: self.wrap([v if k in FIXED else v * s for s in scales]) for k, v in kwargs.items()}
        got = getattr(rk, name)(**columns)
        self.check_type(got, columns)
        row_by_row = [
            getattr(rk, name)(**{k: (v if k in FIXED else v * s) for k, v in kwargs.items()})
            for s in scales
        ]
        np.testing.assert_allclose(np.asarray(got, dtype=float), row_by_row)


class TestElementwiseArrays(TestElementwiseLists):
    @staticmethod
    def wrap(values):
        return np.array(values)


class TestElementwiseSeries(TestElementwiseLists):
    @staticmethod
    def wrap(values):
        return pd.Series(values, index=["HH01", "HH02", "HH03"])

    @staticmethod
    def check_type(got, kwargs):
        # A Series keeps its index, so results line up with the learner's table.
        assert isinstance(got, pd.Series)
        assert list(got.index) == ["HH01", "HH02", "HH03"]


def test_series_and_scalar_mix_keeps_index():
    footfall = pd.Series([1000, 800], index=["HH01", "HH02"])
    got = rk.conversion_rate(transactions=pd.Series([250, 200], index=footfall.index), footfall=footfall)
    assert list(got.index) == ["HH01", "HH02"]
    got = rk.sales_per_area(sales=pd.Series([500.0, 900.0], index=footfall.index), area=100)
    assert got.tolist() == [5.0, 9.0]


def test_series_with_different_index_are_refused():
    a = pd.Series([250, 200], index=["HH01", "HH02"])
    b = pd.Series([1000, 800], index=["HH02", "HH03"])
    with pytest.raises(ValueError, match="different row labels"):
        rk.conversion_rate(transactions=a, footfall=b)


def test_inputs_of_different_length_are_refused_by_name():
    with pytest.raises(ValueError, match="transactions has 2, footfall has 3"):
        rk.conversion_rate(transactions=[1, 2], footfall=[10, 20, 30])


@pytest.mark.parametrize("name", AGGREGATES)
@pytest.mark.parametrize("kind", [list, np.array, pd.Series])
def test_aggregates_accept_any_sequence(name, kind):
    args, expected = AGGREGATES[name]
    got = getattr(rk, name)(kind(args[0]), *args[1:])
    assert isinstance(got, float)
    assert got == pytest.approx(expected)


def test_aggregates_work_with_groupby():
    answers = pd.DataFrame({"store": ["A"] * 4 + ["B"] * 4, "nps": [10, 9, 3, 8, 10, 10, 10, 0]})
    scores = answers.groupby("store")["nps"].agg(rk.net_promoter_score)
    assert scores.to_dict() == {"A": 25.0, "B": 50.0}


@pytest.mark.parametrize("name", sorted(ELEMENTWISE) + sorted(AGGREGATES) + sorted(TABLES) + sorted(MODELS))
def test_docstring_has_formula_parameters_and_example(name):
    doc = inspect.getdoc(getattr(rk, name))
    for section in ("Parameters", "Returns", "Examples", ">>>"):
        assert section in doc, f"{name} docstring lacks {section}"
