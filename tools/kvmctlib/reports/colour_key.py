# SPDX-License-Identifier: MIT
# The colour key every HTML grid opens with: one swatch per state the grid colours.
from __future__ import annotations

import html


def swatches(items: list[tuple[str, str]]) -> str:
    """`<p class="legend">` with a swatch of each (colour, meaning)."""
    spans = "".join(f'<span><i style="background:{c}"></i>{html.escape(t)}</span>' for c, t in items)
    return f'<p class="legend">{spans}</p>'
