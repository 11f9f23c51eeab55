"""Summaries of the loaded tables that the course uses often."""

from __future__ import annotations

import pandas as pd


def store_weeks(footfall: pd.DataFrame, rota: pd.DataFrame) -> pd.DataFrame:
    """Footfall and labour hours worked for each store and week, ready for ``kpi_table``.

    Sums the hourly door counts (online: sessions) and the rota's worked hours per store and week.
    """
    visits = footfall.groupby(["store_id", "week"], observed=True)["footfall"].sum()
    hours = rota.groupby(["store_id", "week"], observed=True)["worked_hours"].sum().rename("labour_hours")
    return pd.concat([visits, hours], axis=1).fillna(0).reset_index()
