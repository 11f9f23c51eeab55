"""retailkit: retail and customer-service KPIs and models for the iCQ Level 3 Diploma in Retail Skills.

Every public function is importable from here, e.g. ``from retailkit import conversion_rate``.
Rates and shares are fractions (0.25, not 25); money is in GBP.
"""

from retailkit.customers import (
    churn_rate,
    csat,
    customer_effort_score,
    customer_lifetime_value,
    net_promoter_score,
    purchase_frequency,
    repeat_purchase_rate,
    retention_rate,
    rfm_scores,
)
from retailkit.sales import (
    average_transaction_value,
    conversion_rate,
    kpi_table,
    like_for_like_growth,
    sales_per_area,
    sales_per_labour_hour,
    units_per_transaction,
)
from retailkit.service import first_contact_resolution_rate, sla_compliance
from retailkit.stock import (
    average_inventory,
    gmroi,
    gross_margin,
    gross_margin_pct,
    markup_pct,
    sell_through_rate,
    shrinkage_rate,
    stock_turn,
    weeks_of_cover,
)

__version__ = "0.1.0"

__all__ = [
    "conversion_rate",
    "average_transaction_value",
    "units_per_transaction",
    "sales_per_area",
    "sales_per_labour_hour",
    "like_for_like_growth",
    "gross_margin",
    "gross_margin_pct",
    "markup_pct",
    "average_inventory",
    "gmroi",
    "sell_through_rate",
    "stock_turn",
    "weeks_of_cover",
    "shrinkage_rate",
    "net_promoter_score",
    "csat",
    "customer_effort_score",
    "retention_rate",
    "churn_rate",
    "repeat_purchase_rate",
    "purchase_frequency",
    "customer_lifetime_value",
    "rfm_scores",
    "first_contact_resolution_rate",
    "sla_compliance",
    "kpi_table",
]
