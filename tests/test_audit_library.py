"""Findings of the independent library audit: documented keyword names, and the shrinkage basis.

SERVQUAL and Consumer Rights Act findings are tested in tests/test_servqual.py and
tests/test_consumer_rights.py.
"""

import inspect

import pytest

import retailkit as rk
from retailkit import servqual

PUBLIC = sorted(name for name in rk.__all__ if inspect.isfunction(getattr(rk, name)))
# Public numeric functions of the servqual module that are not re-exported at the top level (not the plots).
EXTRA = {f"servqual.{name}": getattr(servqual, name) for name in servqual.__all__
         if inspect.isfunction(getattr(servqual, name)) and name not in rk.__all__ and not name.startswith("plot_")}
FUNCTIONS = {**{name: getattr(rk, name) for name in PUBLIC}, **EXTRA}


def documented_parameters(func):
    """Names in the numpy-style "Parameters" section (``a, b : type`` lines give two names)."""
    lines = inspect.getdoc(func).splitlines()
    start = lines.index("Parameters")
    assert set(lines[start + 1]) == {"-"}, "the Parameters header must be underlined with dashes"
    names = []
    body = lines[start + 2:]
    for i, line in enumerate(body):
        if i + 1 < len(body) and body[i + 1] and set(body[i + 1]) == {"-"}:
            break  # the next section header (Returns, Raises, ...)
        if line and not line[0].isspace():
            names += [part.strip() for part in line.split(" : ")[0].split(",")]
    return names


def test_the_registry_covers_every_public_function():
    assert len(PUBLIC) > 40 and {"net_promoter_score", "csat", "customer_effort_score"} <= set(PUBLIC)


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_documented_parameter_names_are_accepted_as_keywords(name):
    func = FUNCTIONS[name]
    documented = documented_parameters(func)
    assert documented, f"{name} documents no parameters"
    signature = inspect.signature(func)
    for parameter in documented:
        signature.bind_partial(**{parameter: object()})  # TypeError if the name is not a parameter
    undocumented = [p for p in signature.parameters if p not in documented]
    assert not undocumented, f"{name} does not document {undocumented}"


@pytest.mark.parametrize(("call", "expected"), [
    (lambda: rk.net_promoter_score(ratings=[9, 9, 10, 10, 10, 7, 8, 8, 3, 6]), 30.0),
    (lambda: rk.csat(ratings=[4, 5, 3, 5, 4, 2, 5, 4], scale_max=5, satisfied_from=4), 0.75),
    (lambda: rk.customer_effort_score(ratings=[7, 6, 5, 6, 1], scale_max=7), 5.0),
])
def test_survey_scores_take_ratings_by_keyword(call, expected):
    assert call() == pytest.approx(expected)


def test_survey_score_errors_still_name_ratings():
    with pytest.raises(ValueError, match=r"ratings must be whole numbers from 0 to 10, got ratings\[1\]=11"):
        rk.net_promoter_score(ratings=[9, 11])


def test_shrinkage_docstring_explains_one_basis_with_an_example_of_each():
    doc = inspect.getdoc(rk.shrinkage_rate)
    for words in ("ONE basis", "all at cost", "cost of sales", "all at selling price", "understates"):
        assert words in doc, f"shrinkage_rate docstring does not say {words!r}"
    assert doc.count(">>> shrinkage_rate(") >= 2


def test_shrinkage_is_the_same_on_either_basis_and_lower_when_mixed():
    # 40 % margin (cost = 0.6 x selling price): £1,500 lost at cost is £2,500 at selling price.
    at_cost = rk.shrinkage_rate(recorded_stock_value=48_000, actual_stock_value=46_500, sales=60_000)
    at_price = rk.shrinkage_rate(recorded_stock_value=80_000, actual_stock_value=77_500, sales=100_000)
    mixed = rk.shrinkage_rate(recorded_stock_value=48_000, actual_stock_value=46_500, sales=100_000)
    assert at_cost == pytest.approx(0.025) and at_price == pytest.approx(0.025)
    assert mixed == pytest.approx(0.6 * at_cost)


@pytest.mark.parametrize(("kwargs", "error"), [
    (dict(recorded_stock_value=1_000, actual_stock_value=900, sales=0), ValueError),
    (dict(recorded_stock_value=-1, actual_stock_value=900, sales=5_000), ValueError),
    (dict(recorded_stock_value="1000", actual_stock_value=900, sales=5_000), TypeError),
    (dict(recorded_stock_value=[1_000, 2_000], actual_stock_value=[900, 1_800, 50], sales=5_000), ValueError),
])
def test_shrinkage_errors_name_the_argument_and_the_one_basis_rule(kwargs, error):
    with pytest.raises(error) as caught:
        rk.shrinkage_rate(**kwargs)
    message = str(caught.value)
    assert any(name in message for name in kwargs)
    assert "one basis" in message and "cost of sales" in message and "selling price" in message
