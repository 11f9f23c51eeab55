"""Input checks shared by every retailkit function.

One place decides what counts as a valid number, so every function rejects bad input the same way and
with the same words. Messages are written for a learner: they name the argument, show the value and say
what was expected.

A value may be a single number, a list, a numpy array or a pandas Series. ``number`` turns it into a
float numpy array after checking it; ``result`` gives the answer back in the shape the learner passed in
(a float for single numbers, a Series with the same index for a Series, an array otherwise).
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd


def _where(values: np.ndarray, mask: np.ndarray, original) -> tuple[str, float]:
    """Position (or index label) and value of the first element where ``mask`` is true."""
    flat = np.flatnonzero(np.ravel(mask))[0]
    value = np.ravel(values)[flat]
    if values.ndim == 0:
        return "", value
    label = original.index[flat] if isinstance(original, pd.Series) else int(flat)
    if isinstance(label, np.generic):
        label = label.item()
    return f"[{label!r}]", value


def _show(value: float) -> str:
    """A number as a learner would write it: 52 rather than 52.0."""
    if np.isfinite(value) and float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def number(
    value,
    name: str,
    *,
    minimum: float | None = 0.0,
    positive: bool = False,
    maximum: float | None = None,
    whole: bool = False,
) -> np.ndarray:
    """Check ``value`` and return it as a float numpy array (0-d for a single number).

    Rejects text, booleans, tables, missing values (NaN), infinities, values below ``minimum``, values of
    0 or below when ``positive`` is set, values above ``maximum``, and fractions when ``whole`` is set.
    """
    if isinstance(value, pd.DataFrame):
        raise TypeError(
            f"{name} must be one column of numbers (a Series), not a whole table; "
            f"pick a column, e.g. table['{name}']"
        )
    if value is None or isinstance(value, (str, bytes, bool, np.bool_)):
        raise TypeError(f"{name} must be a number, got {name}={value!r}")
    if isinstance(value, pd.Series):
        if pd.api.types.is_bool_dtype(value.dtype) or not (
            pd.api.types.is_numeric_dtype(value.dtype)
        ):
            raise TypeError(f"{name} must hold numbers, but its type is {value.dtype}")
        array = value.to_numpy(dtype=float, na_value=np.nan)
    else:
        if isinstance(value, numbers.Number) and not isinstance(value, numbers.Real):
            raise TypeError(f"{name} must be a real number, got {name}={value!r}")
        try:
            array = np.asarray(value)
        except (TypeError, ValueError) as error:
            raise TypeError(f"{name} must be a number or a list of numbers, got {value!r}") from error
        if array.dtype == bool or not (
            np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)
        ):
            raise TypeError(f"{name} must be a number or a list of numbers, got {name}={value!r}")
        array = array.astype(float)
    if array.size == 0:
        raise ValueError(f"{name} is empty: give at least one value")

    def reject(mask: np.ndarray, problem: str) -> None:
        if np.any(mask):
            where, bad = _where(array, mask, value)
            raise ValueError(f"{name} {problem}, got {name}{where}={_show(bad)}")

    reject(np.isnan(array), "has a missing value (NaN); fill or drop missing values first")
    reject(np.isinf(array), "must be a finite number")
    if positive:
        reject(array <= 0, "must be greater than 0")
    elif minimum is not None:
        reject(array < minimum, f"must be {_show(minimum)} or more")
    if maximum is not None:
        reject(array > maximum, f"must be {_show(maximum)} or less")
    if whole:
        reject(array != np.round(array), "must be a whole number")
    return array


def not_above(small: np.ndarray, big: np.ndarray, small_name: str, big_name: str, why: str = "") -> None:
    """Raise if any ``small`` is above ``big`` (e.g. transactions above footfall)."""
    small_b, big_b = np.broadcast_arrays(small, big)
    mask = small_b > big_b
    if np.any(mask):
        i = np.flatnonzero(np.ravel(mask))[0]
        reason = f" ({why})" if why else ""
        raise ValueError(
            f"{big_name} must be >= {small_name}{reason}, got "
            f"{big_name}={_show(np.ravel(big_b)[i])}, {small_name}={_show(np.ravel(small_b)[i])}"
        )


def result(answer: np.ndarray, *originals):
    """Give ``answer`` back in the form of the inputs.

    A Series if any input was a Series (its index is kept), a float if every input was a single
    number, otherwise a numpy array. Inputs of different lengths are rejected with their names.
    """
    series = [s for s in originals if isinstance(s, pd.Series)]
    if series:
        index = series[0].index
        for other in series[1:]:
            if not other.index.equals(index):
                raise ValueError(
                    "the Series you passed have different row labels (index); "
                    "take them from the same table, or use .reset_index(drop=True) on each"
                )
        return pd.Series(np.broadcast_to(answer, (len(index),)), index=index, name=None)
    if np.ndim(answer) == 0:
        return float(answer)
    return np.asarray(answer)


def same_shape(**arrays: np.ndarray) -> None:
    """Raise if the named arrays cannot be matched up element by element."""
    try:
        np.broadcast_shapes(*(np.shape(a) for a in arrays.values()))
    except ValueError:
        sizes = ", ".join(f"{k} has {np.size(v)}" for k, v in arrays.items())
        raise ValueError(f"the inputs must have the same number of values: {sizes}") from None


def ratings(values, name: str, low: int, high: int) -> np.ndarray:
    """Check a sequence of survey ratings: whole numbers from ``low`` to ``high``, none missing."""
    if np.ndim(values) == 0 and not isinstance(values, (pd.Series, np.ndarray)):
        values = [values]
    array = number(values, name, minimum=None)
    where_off = (array < low) | (array > high) | (array != np.round(array))
    if np.any(where_off):
        where, bad = _where(array, where_off, values)
        raise ValueError(
            f"{name} must be whole numbers from {low} to {high}, got {name}{where}={_show(bad)}"
        )
    return np.ravel(array)


def columns(table, needed: dict[str, str], table_name: str = "transactions") -> None:
    """Raise if ``table`` is not a DataFrame or lacks a named column.

    ``needed`` maps each argument name to the column name the learner gave.
    """
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"{table_name} must be a table (pandas DataFrame), got {type(table).__name__}")
    for argument, column in needed.items():
        if column not in table.columns:
            have = ", ".join(map(str, table.columns))
            raise ValueError(
                f"{table_name} has no column {column!r} (given as {argument}); its columns are: {have}"
            )
