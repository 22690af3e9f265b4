"""Facts read off report A/78/292 that several tests check the graph against."""

from __future__ import annotations

from typing import Final

# Footnote 1: the 27 Member States whose submissions the report incorporates (ISO 3166-1 alpha-3).
REPORTING_STATES: Final = frozenset(
    {
        "DZA", "ARG", "BLR", "BEN", "BDI", "CPV", "CHL", "CHN", "COL", "HRV", "CYP", "GTM", "HND",
        "KWT", "MEX", "NIC", "PRY", "PER", "PHL", "PRT", "QAT", "MDA", "SEN", "SRB", "TUR", "TKM",
        "UKR",
    }
)  # fmt: skip
