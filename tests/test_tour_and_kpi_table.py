"""The KPI table built from the case-study data, and the demo tour."""

import subprocess
import sys

import pytest

import retailkit as rk
from retailkit import datasets


@pytest.fixture(scope="module")
def small(small_data):
    return {name: small_data(name) for name in ("transactions", "footfall", "rota", "stores")}


def test_kpi_table_agrees_with_hand_calculation(small):
    tx = small["transactions"]
    kpis = rk.kpi_table(tx, datasets.store_weeks(small["footfall"], small["rota"]), small["stores"])
    row = kpis.iloc[7]
    mine = tx[(tx["store_id"] == row["store_id"]) & (tx["week"] == row["week"])]
    receipts = mine.loc[(mine["line_no"] == 1) & (mine["type"] == "sale"), "transaction_id"].nunique()
    assert row["transactions"] == receipts
    assert row["atv"] == pytest.approx(mine["sales_ex_vat"].sum() / receipts)
    assert row["upt"] == pytest.approx(mine["units"].sum() / receipts)
    assert row["gross_margin_pct"] == pytest.approx(1 - mine["cost"].sum() / mine["sales_ex_vat"].sum())
    ff = small["footfall"]
    visits = ff[(ff["store_id"] == row["store_id"]) & (ff["week"] == row["week"])]["footfall"].sum()
    assert row["conversion_rate"] == pytest.approx(receipts / visits)
    area = small["stores"].set_index("store_id").loc[row["store_id"], "area_sqft"]
    assert row["sales_per_sqft"] == pytest.approx(mine["sales_ex_vat"].sum() / area)
    online = kpis[kpis["store_id"] == "HHWEB"]
    assert online["sales_per_sqft"].isna().all()
    assert kpis.loc[kpis["store_id"] != "HHWEB", "sales_per_sqft"].notna().all()


def test_refunds_are_netted_but_not_counted_as_transactions():
    import pandas as pd
    t = pd.DataFrame({"store_id": ["A", "A", "A"], "line_no": [1, 1, 1], "type": ["sale", "sale", "refund"],
                      "units": [2, 1, -1], "sales_ex_vat": [20.0, 10.0, -10.0], "cost": [8.0, 4.0, -4.0]})
    row = rk.kpi_table(t, by=["store_id"]).iloc[0]
    assert row["transactions"] == 2 and row["units"] == 2 and row["sales"] == 20.0


def test_kpi_table_refuses_missing_columns_and_footfall(small):
    tx = small["transactions"]
    with pytest.raises(ValueError, match="transactions has no column 'cost'"):
        rk.kpi_table(tx.drop(columns="cost"))
    weekly = datasets.store_weeks(small["footfall"], small["rota"]).iloc[1:]
    with pytest.raises(ValueError, match="store_weeks has no footfall for"):
        rk.kpi_table(tx, weekly)


def test_tour_prints_a_kpi_row_per_store():
    out = subprocess.run([sys.executable, "-m", "retailkit.tour"], capture_output=True, text=True, check=True)
    for store in datasets.load("stores")["name"]:
        assert store in out.stdout
    assert "£" in out.stdout and "%" in out.stdout
    assert "Warning" not in out.stderr
