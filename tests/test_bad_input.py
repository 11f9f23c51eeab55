"""Bad input: every rejection names the argument and the value, in words a learner understands."""

import math

import numpy as np
import pandas as pd
import pytest

import retailkit as rk
from tests.test_kpi_common import ELEMENTWISE


def test_an_impossible_combination_names_both_arguments_and_values():
    with pytest.raises(ValueError, match="footfall must be") as error:
        rk.conversion_rate(transactions=52, footfall=40)
    assert str(error.value) == (
        "footfall must be >= transactions (a store cannot have more sales than visitors), "
        "got footfall=40, transactions=52"
    )


@pytest.mark.parametrize("name", ELEMENTWISE)
@pytest.mark.parametrize(
    ("bad", "error", "words"),
    [
        (float("nan"), ValueError, "missing value"),
        (math.inf, ValueError, "finite"),
        ("12", TypeError, "must be a number"),
        (None, TypeError, "must be a number"),
        (True, TypeError, "must be a number"),
        ([1, "x"], TypeError, "must be a number"),
        ([], ValueError, "empty"),
        (pd.DataFrame({"a": [1]}), TypeError, "not a whole table"),
    ],
)
def test_each_argument_rejects_bad_values_by_name(name, bad, error, words):
    kwargs, _ = ELEMENTWISE[name]
    for argument in kwargs:
        with pytest.raises(error, match=words) as caught:
            getattr(rk, name)(**{**kwargs, argument: bad})
        assert argument in str(caught.value)


NEGATIVE_ALLOWED = {("gmroi", "gross_margin")}


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_negative_counts_and_money_are_rejected(name):
    kwargs, _ = ELEMENTWISE[name]
    for argument in kwargs:
        if (name, argument) in NEGATIVE_ALLOWED:
            continue
        with pytest.raises(ValueError, match=rf"{argument}.* got {argument}=-1\b"):
            getattr(rk, name)(**{**kwargs, argument: -1})


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: rk.conversion_rate(transactions=0, footfall=0), "footfall must be greater than 0"),
        (lambda: rk.conversion_rate(transactions=2.5, footfall=10), "transactions must be a whole number"),
        (lambda: rk.average_transaction_value(sales=100, transactions=0), "transactions must be greater"),
        (lambda: rk.gross_margin_pct(sales=0, cost_of_sales=0), "sales must be greater than 0"),
        (lambda: rk.markup_pct(sales=10, cost_of_sales=0), "cost_of_sales must be greater than 0"),
        (lambda: rk.gmroi(gross_margin=100, average_inventory_cost=0), "average_inventory_cost must be"),
        (lambda: rk.sell_through_rate(units_sold=0, units_received=0), "nothing to sell through"),
        (lambda: rk.sell_through_rate(units_sold=600, units_received=500),
         "opening_stock \\+ units_received must be >= units_sold"),
        (lambda: rk.weeks_of_cover(stock_units=10, weekly_sales_units=0), "cover cannot|greater than 0"),
        (lambda: rk.retention_rate(customers_start=100, customers_end=90, new_customers=95),
         "customers_end must be >= new_customers"),
        (lambda: rk.retention_rate(customers_start=100, customers_end=300, new_customers=50),
         "cannot keep more customers"),
        (lambda: rk.churn_rate(customers_start=100, customers_lost=101), "customers_start must be >="),
        (lambda: rk.customer_lifetime_value(average_order_value=20, purchase_frequency=2, lifespan=3,
                                            margin=40), "margin must be 1 or less, got margin=40"),
        (lambda: rk.first_contact_resolution_rate(resolved_first_contact=5, contacts=4), "contacts must"),
    ],
)
def test_impossible_combinations(call, words):
    with pytest.raises(ValueError, match=words):
        call()


def test_the_offending_element_is_located_in_a_series():
    footfall = pd.Series([100, -5, 80], index=["HH01", "HH02", "HH03"])
    with pytest.raises(ValueError, match=r"footfall must be greater than 0, got footfall\['HH02'\]=-5"):
        rk.conversion_rate(transactions=[1, 1, 1], footfall=footfall)


def test_the_offending_element_is_located_in_a_list():
    with pytest.raises(ValueError, match=r"has a missing value .* got sales\[1\]=nan"):
        rk.average_transaction_value(sales=[10, np.nan], transactions=[1, 1])


def test_nullable_series_with_missing_values_are_rejected():
    sales = pd.Series([10, None], dtype="Int64")
    with pytest.raises(ValueError, match="missing value"):
        rk.average_transaction_value(sales=sales, transactions=pd.Series([1, 1]))


def test_text_series_is_rejected_with_its_type():
    with pytest.raises(TypeError, match="sales must hold numbers"):
        rk.average_transaction_value(sales=pd.Series(["£10", "£12"]), transactions=[1, 1])


@pytest.mark.parametrize(("func", "bad", "words"), [
    (rk.net_promoter_score, [9, 11], r"ratings must be whole numbers from 0 to 10, got ratings\[1\]=11"),
    (rk.net_promoter_score, [9, -1], "from 0 to 10"),
    (rk.net_promoter_score, [9, 7.5], "from 0 to 10"),
    (rk.net_promoter_score, [9, np.nan], "missing value"),
    (rk.net_promoter_score, [], "empty"),
    (rk.csat, [0, 5], "from 1 to 5"),
    (rk.csat, [6], "from 1 to 5"),
    (rk.customer_effort_score, [8], "from 1 to 7"),
    (rk.average_inventory, [100, -1], "levels must be 0 or more"),
    (rk.average_inventory, 100, "list of stock valuations"),
    (lambda d: rk.sla_compliance(d, target=5), [1, -2], "durations must be 0 or more"),
])
def test_survey_and_sequence_rejections(func, bad, words):
    with pytest.raises((ValueError, TypeError), match=words):
        func(bad)


def test_csat_options_are_checked():
    with pytest.raises(ValueError, match="satisfied_from must be 5 or less"):
        rk.csat([4, 5], satisfied_from=6)
    assert rk.csat([6, 7, 3], scale_max=7, satisfied_from=6) == pytest.approx(2 / 3)


def test_sla_compliance_target_checks_and_timedeltas():
    with pytest.raises(ValueError, match="target must be greater than 0"):
        rk.sla_compliance([1, 2], target=0)
    waits = pd.to_timedelta(["2h", "20h", "30h", "24h"])
    assert rk.sla_compliance(pd.Series(waits), target="24h") == pytest.approx(0.75)
    with pytest.raises(TypeError, match="length of time"):
        rk.sla_compliance(pd.Series(waits), target="soon")
