"""The case-study retailer, Harbour & Hale, and a seeded generator for all of its data.

Harbour & Hale is a fictional UK homeware and gifts retailer with four shops of different formats (high
street, retail park, outlet) and an online channel, trading over 52 weeks from Monday 6 January 2025.
Every table is made by :func:`generate` from one seed, so the same seed always gives the same tables
(with the pinned numpy and pandas), and no real person's data is involved: staff have made-up first
names, customers have only an id.

``load(name)`` reads the canonical tables shipped in ``datasets/`` with the right types; ``write`` saves
a generated set (for example one variant per learner). ``load("cdnow")`` reads a real public dataset
shipped beside them (see ``datasets/README.md``).

The package's modules: ``constants`` (the case-study facts), ``schema`` (the tables' columns and types),
``generator`` and ``feedback`` (the seeded generator, as a list of named steps), ``files`` (the data folder,
``write``, ``load``), ``summaries`` (``store_weeks``, ``shift_weeks``); ``python -m retailkit.datasets``
rebuilds the shipped files.
"""

from retailkit.datasets.constants import (
    CANONICAL_SEED,
    CATEGORIES,
    RETAILER,
    SMALL,
    SQ_FT_PER_M2,
    START,
    SUNDAY_LARGE_SHOP_SQFT,
    TABLES,
    VAT_RATE,
)
from retailkit.datasets.files import current_variant, data_folder, load, variant_note, write
from retailkit.datasets.generator import generate
from retailkit.datasets.summaries import shift_weeks, store_weeks

__all__ = ["RETAILER", "TABLES", "CANONICAL_SEED", "SMALL", "generate", "write", "load", "data_folder",
           "current_variant", "variant_note",
           "store_weeks", "shift_weeks", "START", "VAT_RATE", "CATEGORIES", "SQ_FT_PER_M2", "SUNDAY_LARGE_SHOP_SQFT"]
