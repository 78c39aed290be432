"""Read access to Booknetic's tables (booknetic.md), plus the Zoom add-on's rows in {prefix}bkntc_data.

Booknetic's rows are the source of truth; we never copy them. Every read takes the tenant id and
filters by it, so one tenant can never see another's rows.
"""
