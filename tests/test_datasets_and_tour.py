"""The case-study data generator, the KPI table built from it and the demo tour."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import retailkit as rk
from retailkit import datasets


def test_same_seed_same_table_other_seed_other_table():
    a, b = datasets.baskets(n=5_000, seed=3), datasets.baskets(n=5_000, seed=3)
    pd.testing.assert_frame_equal(a, b)
    assert not datasets.baskets(n=5_000, seed=4).equals(a)


def test_baskets_are_sensible():
    table = datasets.baskets(n=50_000)
    assert (table["units"] >= 1).all()
    assert (table["sales"] > 0).all() and (table["cost"] > 0).all()
    assert table["week"].between(1, 52).all()
    weekly = table.groupby("week")["sales"].sum()
    assert weekly.idxmax() in (50, 51, 52), "Christmas is the peak"
    assert weekly.loc[48:52].mean() > 1.5 * weekly.loc[10:20].mean()


def test_footfall_never_below_transactions():
    table = datasets.baskets(n=50_000)
    weekly = datasets.store_weeks(table)
    counts = table.groupby(["store_id", "week"], observed=True).size().rename("t").reset_index()
    merged = counts.merge(weekly, on=["store_id", "week"])
    assert (merged["footfall"] >= merged["t"]).all()


def test_kpi_table_agrees_with_hand_calculation():
    table = datasets.baskets(n=20_000)
    stores = datasets.stores()
    kpis = rk.kpi_table(table, datasets.store_weeks(table), stores)
    row = kpis.iloc[7]
    mine = table[(table["store_id"] == row["store_id"]) & (table["week"] == row["week"])]
    assert row["transactions"] == len(mine)
    assert row["atv"] == pytest.approx(mine["sales"].sum() / len(mine))
    assert row["upt"] == pytest.approx(mine["units"].sum() / len(mine))
    assert row["gross_margin_pct"] == pytest.approx(1 - mine["cost"].sum() / mine["sales"].sum())
    area = stores.set_index("store_id").loc[row["store_id"], "area_sqft"]
    assert row["sales_per_sqft"] == pytest.approx(mine["sales"].sum() / area)
    online = kpis[kpis["store_id"] == "HHWEB"]
    assert online["sales_per_sqft"].isna().all()
    assert kpis.loc[kpis["store_id"] != "HHWEB", "sales_per_sqft"].notna().all()


def test_kpi_table_refuses_missing_columns_and_footfall():
    table = datasets.baskets(n=2_000)
    with pytest.raises(ValueError, match="baskets has no column 'cost'"):
        rk.kpi_table(table.drop(columns="cost"))
    weekly = datasets.store_weeks(table).iloc[1:]
    with pytest.raises(ValueError, match="store_weeks has no footfall for"):
        rk.kpi_table(table, weekly)


def test_stores_table():
    stores = datasets.stores()
    assert set(stores["format"]) == {"high street", "retail park", "outlet", "online"}
    np.testing.assert_allclose(stores["area_m2"] * 10.7639, stores["area_sqft"], atol=1)


def test_tour_prints_a_kpi_row_per_store():
    out = subprocess.run([sys.executable, "-m", "retailkit.tour"], capture_output=True, text=True, check=True)
    for store in datasets.stores()["name"]:
        assert store in out.stdout
    assert "£" in out.stdout and "%" in out.stdout
