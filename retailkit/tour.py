"""A short tour: make the case-study data and print the year's KPI table for each store.

Run with ``python -m retailkit.tour`` (``make demo`` does this).
"""

from __future__ import annotations

from retailkit import datasets, kpi_table


def annual_kpis(seed: int = 2026):
    """The year's KPI table, one row per store, from the case-study data for ``seed``."""
    baskets = datasets.baskets(seed=seed)
    weekly = datasets.store_weeks(baskets, seed=seed)
    per_store = weekly.groupby("store_id", observed=True)[["footfall", "labour_hours"]].sum().reset_index()
    stores = datasets.stores()
    table = kpi_table(baskets, store_weeks=per_store, stores=stores, by=["store_id"])
    return stores[["store_id", "name", "format"]].merge(table, on="store_id")


def formatted(table):
    """The KPI table as text, with GBP and percentages shown the way a store manager reads them."""
    show = table[["name", "format"]].copy()
    show["Transactions"] = table["transactions"].map("{:,.0f}".format)
    show["Sales (GBP ex VAT)"] = table["sales"].map("£{:,.0f}".format)
    show["Conversion"] = table["conversion_rate"].map("{:.1%}".format)
    show["ATV"] = table["atv"].map("£{:.2f}".format)
    show["UPT"] = table["upt"].map("{:.2f}".format)
    show["Margin"] = table["gross_margin_pct"].map("{:.1%}".format)
    show["Sales/labour hr"] = table["sales_per_labour_hour"].map("£{:.2f}".format)
    show["Sales/sq ft"] = table["sales_per_sqft"].map(lambda v: "n/a (online)" if v != v else f"£{v:,.0f}")
    return show.rename(columns={"name": "Store", "format": "Format"}).to_string(index=False)


def main() -> None:
    print(f"{datasets.RETAILER}: a year's trading, KPIs per store (fictional data, seed 2026)\n")
    print(formatted(annual_kpis()))
    print("\nConversion = transactions / footfall; ATV = sales / transactions; UPT = units / transactions;")
    print("margin = (sales - cost of sales) / sales. See README.md for every KPI and its function.")


if __name__ == "__main__":
    main()
