"""The tables' columns and types: what ``load`` checks and converts, and what ``write`` formats."""

from __future__ import annotations

import numpy as np
import pandas as pd

from retailkit.datasets.constants import DIMENSIONS

SCHEMA: dict[str, dict[str, str]] = {
    "stores": {"store_id": "category", "name": "str", "town": "str", "format": "category",
               "region": "category", "area_sqft": "int", "area_m2": "float", "opens": "str",
               "closes": "str", "sunday_opens": "str", "sunday_closes": "str", "tills": "int"},
    "promotions": {"promo_id": "str", "name": "str", "start_date": "date", "end_date": "date",
                   "store_id": "str", "category": "str", "discount": "float"},
    "service_standards": {"standard_id": "str", "area": "str", "standard": "str", "metric": "str",
                          "comparison": "str", "threshold": "float", "unit": "str",
                          "target_share": "float", "measured_in": "str", "owner": "str"},
    "staff": {"staff_id": "str", "first_name": "str", "store_id": "category", "role": "category",
              "contracted_hours": "float", "start_date": "date"},
    "rota": {"staff_id": "str", "store_id": "category", "week": "int", "week_start": "date",
             "rostered_hours": "float", "worked_hours": "float", "absence_hours": "float"},
    "customers": {"customer_id": "str", "join_date": "date", "left_date": "date",
                  "home_store_id": "category", "segment": "category", "age_band": "category",
                  "email_opt_in": "bool"},
    "footfall": {"store_id": "category", "date": "date", "week": "int", "hour": "int",
                 "footfall": "int"},
    "transactions": {"transaction_id": "str", "line_no": "int", "type": "category",
                     "datetime": "datetime", "week": "int", "store_id": "category", "till": "Int64",
                     "staff_id": "str", "customer_id": "str", "category": "category", "units": "int",
                     "sales_inc_vat": "float", "sales_ex_vat": "float", "discount_inc_vat": "float",
                     "cost": "float", "promo_id": "str"},
    "stock": {"store_id": "category", "category": "category", "week": "int", "week_start": "date",
              "opening_units": "int", "opening_cost": "float", "received_units": "int",
              "received_cost": "float", "sold_units": "int", "cost_of_sales": "float",
              "sales_ex_vat": "float", "markdown_inc_vat": "float", "closing_book_units": "int",
              "closing_book_cost": "float", "counted_units": "Int64", "counted_cost": "float"},
    "till_queue": {"store_id": "category", "date": "date", "week": "int", "interval_start": "str",
                   "arrivals": "int", "mean_service_seconds": "float", "tills_open": "int"},
    "surveys": {"response_id": "str", "transaction_id": "str", "customer_id": "str",
                "store_id": "category", "visit_date": "date", "response_date": "date", "nps": "Int64",
                "csat": "Int64", "effort": "Int64", "comment": "str"},
    "servqual": {"response_id": "str", "customer_id": "str", "store_id": "category", "date": "date",
                 **{f"E_Q{i}": "int" for i in range(1, 23)}, **{f"P_Q{i}": "int" for i in range(1, 23)},
                 **{f"w_{d}": "int" for d in DIMENSIONS}},
    "complaints": {"complaint_id": "str", "store_id": "category", "customer_id": "str",
                   "transaction_id": "str", "channel": "category", "category": "category",
                   "opened_at": "datetime", "acknowledged_at": "datetime", "closed_at": "datetime",
                   "first_contact_resolution": "bool", "outcome": "category", "compensation_gbp": "float",
                   "handled_by": "str"},
    "mystery_shop": {"visit_id": "str", "store_id": "category", "visit_date": "date",
                     "visit_time": "str", "standard_id": "str", "observed": "float", "comment": "str"},
    "review_log": {"entry_id": "str", "store_id": "category", "date": "date", "standard_id": "str",
                   "kind": "category", "note": "str", "measure": "str", "value": "float",
                   "recorded_by": "str"},
    "team_feedback": {"item_id": "str", "store_id": "category", "date": "date", "week": "int",
                      "raised_by": "str", "topic": "category", "note": "str", "agreed": "int"},
    "shifts": {"staff_id": "str", "store_id": "category", "date": "date", "week": "int", "start": "str",
               "end": "str", "hours": "float"},
    "risks": {"risk_id": "str", "store_id": "category", "risk": "str", "likelihood": "int", "impact": "int",
              "contingency": "str", "owner": "str"},
    "follow_ups": {"follow_up_id": "str", "customer_id": "str", "store_id": "category", "trigger": "category",
                   "trigger_date": "date", "group": "category", "action": "str", "cost_gbp": "float",
                   "visits_8_weeks": "int", "nps_after": "Int64"},
}


# ----------------------------------------------------------------------------------------------------
# Typing a table
# ----------------------------------------------------------------------------------------------------
def typed(name: str, table: pd.DataFrame, source: str = "") -> pd.DataFrame:
    """Check ``table`` has exactly the schema's columns and give each its type."""
    schema = SCHEMA[name]
    missing = [c for c in schema if c not in table.columns]
    extra = [c for c in table.columns if c not in schema]
    where = f" in {source}" if source else ""
    if missing or extra:
        raise ValueError(f"the {name} table{where} has the wrong columns: missing {missing or 'none'}, "
                         f"unexpected {extra or 'none'}")
    out = pd.DataFrame(index=table.index)
    for col, kind in schema.items():
        values = table[col]
        try:
            out[col] = _as(kind, values)
        except (ValueError, TypeError) as error:
            raise ValueError(f"column {col!r} of the {name} table{where} should hold {kind} values: "
                             f"{error}") from None
    return out


def _as(kind: str, values: pd.Series) -> pd.Series:
    """``values`` as the schema's ``kind``; left alone when already of that type."""
    dtype = values.dtype
    if kind == "str":
        if pd.api.types.is_string_dtype(dtype) and not values.isna().any():
            return values
        return values.fillna("").astype(str)
    if kind == "category":
        if not isinstance(dtype, pd.CategoricalDtype):
            return values.astype(str).astype("category")
        values = values.cat.remove_unused_categories()  # as read back from a file: seen values, sorted
        return values.cat.reorder_categories(sorted(values.cat.categories))
    if kind == "bool":
        return values.astype(bool)
    if kind == "date":
        return pd.to_datetime(values, format="%Y-%m-%d")
    if kind == "datetime":
        return pd.to_datetime(values, format="%Y-%m-%d %H:%M:%S")
    if kind == "int" and pd.api.types.is_integer_dtype(dtype) and not isinstance(dtype, pd.Int64Dtype):
        return values.astype("int64")
    nums = values if pd.api.types.is_numeric_dtype(dtype) else pd.to_numeric(values)
    if kind == "float":
        return nums.astype(float)
    if kind == "int" and nums.isna().any():
        raise ValueError(f"it has a missing value in row {int(np.argmax(nums.isna().to_numpy()))}")
    if (nums.dropna() % 1 != 0).any():
        raise ValueError("it has a value that is not a whole number")
    return nums.astype("int64" if kind == "int" else "Int64")


# ----------------------------------------------------------------------------------------------------
# Columns the generator makes: ids and categories
# ----------------------------------------------------------------------------------------------------
def make_ids(prefix: str, numbers: np.ndarray, width: int) -> np.ndarray:
    """Ids such as ``T0000001``: ``prefix`` and each number padded with zeros to ``width`` digits."""
    return np.array([f"{prefix}{i:0{width}d}" for i in numbers.tolist()], dtype=object)


def from_codes(values: np.ndarray, labels) -> pd.Categorical:
    """A categorical column from integer codes (positions in ``labels``)."""
    return pd.Categorical.from_codes(values, categories=list(labels))
