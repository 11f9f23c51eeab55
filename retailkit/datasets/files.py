"""Where the shipped tables live, and reading and writing them: ``data_folder``, ``write``, ``load``.

A learner may have **their own variant** of the case study: the same shops and story, generated from the
learner's own seed. ``current_variant()`` says which one this kernel works on, and ``load(name)`` reads it:

1. ``$RETAILKIT_VARIANT`` (a whole number): set by the grader for each learner, or by JupyterHub;
2. else a file ``retailkit-variant.txt`` in the notebook's folder, holding the number (a per-learner
   release made by the tutor has one);
3. else none: the shared, canonical tables in ``datasets/``.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from retailkit.datasets.constants import TABLES
from retailkit.datasets.generator import generated
from retailkit.datasets.schema import SCHEMA, typed

PROJECT = Path(__file__).resolve().parents[2]  # the project folder, when retailkit runs from a checkout
# (only retailkit/ and datasets/ are visible in the grading sandbox: look for nothing else there)
PACKAGED_DATA = Path(__file__).resolve().parent / "data"  # data shipped inside an installed package


def data_folder() -> Path:
    """The folder the canonical tables live in.

    In order: ``$RETAILKIT_DATA`` if set; else the project's ``datasets/`` when retailkit runs from a
    checkout; else the data shipped inside the installed package (``retailkit/datasets/data/``).

    Raises
    ------
    FileNotFoundError
        If none of these exists (an installed package without the course data).
    """
    if "RETAILKIT_DATA" in os.environ:
        return Path(os.environ["RETAILKIT_DATA"])
    checkout = PROJECT / "datasets"
    # Installed, PROJECT is site-packages, where "datasets" may be someone's Python package: not ours.
    if checkout.is_dir() and not (checkout / "__init__.py").exists():
        return checkout
    if PACKAGED_DATA.is_dir():
        return PACKAGED_DATA
    raise FileNotFoundError("cannot find the course data: retailkit is installed without it and is not a "
                            "checkout of the project. Set the RETAILKIT_DATA environment variable to the "
                            "folder that holds the tables (ask your tutor for the course data).")


def table_path(folder: Path, name: str) -> Path:
    """The file of table ``name`` in ``folder`` (transactions are gzipped)."""
    return folder / (f"{name}.csv.gz" if name == "transactions" else f"{name}.csv")


def write(tables: dict[str, pd.DataFrame], folder) -> list[Path]:
    """Save generated tables as CSV in ``folder`` (created if needed), formatted the same on any machine.

    Money is rounded to the penny, dates are ``YYYY-MM-DD``, times ``YYYY-MM-DD HH:MM:SS``,
    missing values are empty. The transactions table is gzipped (timestamp 0, so its bytes are stable).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in TABLES:
        table = tables[name].copy()
        for col, kind in SCHEMA[name].items():
            if kind == "date":
                table[col] = table[col].dt.strftime("%Y-%m-%d").fillna("")
            elif kind == "datetime":
                table[col] = table[col].dt.strftime("%Y-%m-%d %H:%M:%S").fillna("")
        path = table_path(folder, name)
        compression = {"method": "gzip", "mtime": 0, "compresslevel": 6} if path.suffix == ".gz" else None
        table.to_csv(path, index=False, lineterminator="\n", compression=compression)
        paths.append(path)
    return paths


VARIANT_FILE = "retailkit-variant.txt"


def current_variant() -> int | None:
    """The seed of the learner's own variant of the case study, or None for the shared data.

    Raises
    ------
    ValueError
        If ``$RETAILKIT_VARIANT`` or ``retailkit-variant.txt`` holds anything but a whole number.

    Examples
    --------
    >>> import os
    >>> os.environ["RETAILKIT_VARIANT"] = "123456"
    >>> current_variant()
    123456
    >>> del os.environ["RETAILKIT_VARIANT"]
    """
    text, where = os.environ.get("RETAILKIT_VARIANT"), "the RETAILKIT_VARIANT setting"
    if text is None and Path(VARIANT_FILE).is_file():
        text, where = Path(VARIANT_FILE).read_text(), f"the file {VARIANT_FILE}"
    if text is None or not text.strip():
        return None
    if not text.strip().isdigit():
        raise ValueError(f"{where} should hold your variant number (a whole number), got {text.strip()[:20]!r}: "
                         "ask your tutor for a fresh copy of the assignment")
    return int(text.strip())


def variant_note() -> str:
    """One line for the notebook: which numbers this learner is working on.

    >>> variant_note()
    'You are working on the shared case-study data (the same numbers for everyone).'
    """
    seed = current_variant()
    if seed is None:
        return "You are working on the shared case-study data (the same numbers for everyone)."
    return (f"You are working on your own variant of the case study: number {seed}. Your figures differ "
            "from your classmates', so compare methods with them, not answers.")


def load(name: str, variant: str | int | None = None) -> pd.DataFrame:
    """Read one table of the case study, with the right types.

    Parameters
    ----------
    name : str
        One of ``TABLES`` (e.g. ``"transactions"``, ``"stock"``), or ``"cdnow"`` for the real CDNOW
        customer purchases.
    variant : str or int, optional
        None for the learner's own variant when there is one (see ``current_variant``), else the
        canonical tables in ``datasets/``; ``"canonical"`` for those whatever the variant; ``"small"``
        for the small test set in ``datasets/small/``; a whole number makes a learner's own version from
        that seed (in memory, the same every time); any other name reads ``datasets/variants/<variant>/``
        (files saved with
        ``write(generate(seed), folder)``).

    Returns
    -------
    DataFrame
        Dates parsed, text codes as categories, counts as integers, missing answers as <NA>.

    Raises
    ------
    ValueError
        If the table name is unknown, or the file's columns or values are not what the data dictionary
        says.
    FileNotFoundError
        If the file is missing.
    """
    if name == "cdnow":
        return load_cdnow()
    if name not in SCHEMA:
        raise ValueError(f"there is no table called {name!r}; the tables are: {', '.join(TABLES)}")
    if variant is None:
        variant = current_variant()
    elif variant == "canonical":
        variant = None
    if isinstance(variant, (int, np.integer)) and not isinstance(variant, bool):
        return generated(int(variant))[name].copy()
    folder = data_folder()
    if variant == "small":
        folder = folder / "small"
    elif variant is not None:
        folder = folder / "variants" / str(variant)
    path = table_path(folder, name)
    if not path.exists():
        raise FileNotFoundError(f"the {name} table is missing: no file at {path}. Ask your tutor for the "
                                f"course data, or run `make data` to rebuild it.")
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    raw = raw.replace("", np.nan) if len(raw) else raw
    for col, kind in SCHEMA[name].items():
        if kind == "str" and col in raw:
            raw[col] = raw[col].fillna("")
        if kind == "bool" and col in raw:
            bad = ~raw[col].isin(["True", "False"])
            if bad.any():
                raise ValueError(f"column {col!r} of {path} should hold True or False, "
                                 f"found {raw.loc[bad, col].iloc[0]!r}")
            raw[col] = raw[col] == "True"
    return typed(name, raw, str(path))


def load_cdnow() -> pd.DataFrame:
    """CDNOW: real purchases by 2,357 customers of an online CD shop, Jan 1997 - Jun 1998 (US dollars)."""
    path = data_folder() / "real" / "cdnow_transactions.csv"
    if not path.exists():
        raise FileNotFoundError(f"the CDNOW data is missing: no file at {path}")
    raw = pd.read_csv(path)
    expected = ["_id", "id", "date", "cds_bought", "spent"]
    if list(raw.columns) != expected:
        raise ValueError(f"{path} should have the columns {expected}, found {list(raw.columns)}")
    return pd.DataFrame({
        "customer_id": raw["id"].astype(int),
        "date": pd.to_datetime(raw["date"].astype(str), format="%Y%m%d"),
        "cds_bought": raw["cds_bought"].astype(int),
        "spent_usd": raw["spent"].astype(float),
    })
