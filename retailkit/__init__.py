"""retailkit: retail and customer-service KPIs and models for the iCQ Level 3 Diploma in Retail Skills.

Topic modules: sales, stock, customers, service, servqual, staffing, risk, finance, consumer_rights,
datasets, answers; ``friendly`` turns Python's errors into one plain line for learners
(``rk.friendly_errors()`` in a notebook's setup cell).

Every public function is importable from here, e.g. ``from retailkit import conversion_rate``.
Rates and shares are fractions (0.25, not 25); money is in GBP.
"""

from retailkit.consumer_rights import Remedies, remedies
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
    visits_after,
)
from retailkit.finance import npv, payback_period, roi
from retailkit.friendly import friendly_errors
from retailkit.risk import contingency_gaps, risk_band, risk_register, risk_score
from retailkit.sales import (
    average_transaction_value,
    conversion_rate,
    kpi_table,
    like_for_like_growth,
    sales_per_area,
    sales_per_labour_hour,
    units_per_transaction,
)
from retailkit.service import (
    ServiceStandard,
    complaint_metrics,
    complaint_summary,
    compliance,
    find_duplicates,
    first_contact_resolution_rate,
    mystery_shop_scores,
    pareto,
    rag_status,
    repeat_complainants,
    response_times,
    sla_compliance,
    standards_from_table,
    volume_trend,
)
from retailkit.servqual import DIMENSIONS, ITEMS, diagnose, dimension_gaps, item_gaps, weighted_score
from retailkit.staffing import (
    average_speed_of_answer,
    erlang_c,
    servers_required,
    service_level,
    staffing_plan,
    traffic_intensity,
)
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
    "visits_after",
    "first_contact_resolution_rate",
    "sla_compliance",
    "kpi_table",
    # service models
    "ServiceStandard",
    "standards_from_table",
    "rag_status",
    "compliance",
    "complaint_metrics",
    "pareto",
    "volume_trend",
    "response_times",
    "repeat_complainants",
    "find_duplicates",
    "complaint_summary",
    "mystery_shop_scores",
    "DIMENSIONS",
    "ITEMS",
    "item_gaps",
    "dimension_gaps",
    "weighted_score",
    "diagnose",
    "traffic_intensity",
    "erlang_c",
    "service_level",
    "average_speed_of_answer",
    "servers_required",
    "staffing_plan",
    "risk_score",
    "risk_band",
    "risk_register",
    "contingency_gaps",
    "roi",
    "payback_period",
    "npv",
    "Remedies",
    "remedies",
    "friendly_errors",
]
