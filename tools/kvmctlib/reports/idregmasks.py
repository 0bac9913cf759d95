# SPDX-License-Identifier: MIT
# The HTML report's place for issue 12's ID-register writable-mask picture (KVM_ARM_GET_REG_
# WRITABLE_MASKS against the fields the host has): until then, the id_reg_field records as a
# table, or a line saying that no cell reported any. Shown for cells that read ID registers.
from __future__ import annotations

import html
from pathlib import Path
from typing import Callable

from ..judge import subjects
from ..judge.records import Cell

KIND = "id_reg_field"
# The generic subject table of htmlreport, passed in so this file depends on no renderer.
Table = Callable[[tuple[Cell, ...], str, Path | None], list[str]]


def applies(cells: tuple[Cell, ...]) -> bool:
    """Cells that read the host's ID registers or checked ID-register fields (arm64)."""
    return any(d.host is not None and d.host.id_registers for d in cells) or \
        KIND in subjects.kinds(cells)


def section(arch: str, cells: tuple[Cell, ...], base: Path | None, table: Table) -> list[str]:
    a = html.escape(arch)
    out = [f'<section class="id-reg-masks" id="id-reg-masks-{a}" data-arch="{a}">',
           f"<h3>ID-register writable masks ({a})</h3>"]
    if KIND in subjects.kinds(cells):
        out += table(cells, KIND, base)
    else:
        out.append("<p>No cell reported ID-register field records (subject kind "
                   "<code>id_reg_field</code>). The writable masks of "
                   "<code>KVM_ARM_GET_REG_WRITABLE_MASKS</code>, checked field by field "
                   "against the host's ID registers, are pictured here.</p>")
    out.append("</section>")
    return out
