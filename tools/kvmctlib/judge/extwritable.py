# SPDX-License-Identifier: MIT
# The RISC-V "writable mask" (issue 12): RISC-V has no ioctl that says what a VMM may change, so
# it is what trying showed. Per cell and present ISA extension, from its check records: may a
# VMM disable it (`disable`: SET 0 before the first run answered ok) and enable it (`enable`:
# SET 1 answered ok), with the state the suite's judge gave each record.
from __future__ import annotations

from dataclasses import dataclass

from .records import Cell, Check
from .subjects import SQUARE_STATE

TOGGLES = ("disable", "enable")


@dataclass(frozen=True)
class Toggle:
    observed: str  # "ok" or the errno KVM answered; "" when not tried (absent, default 0)
    expected: str
    state: str  # ok | diff | known | na

    @property
    def allowed(self) -> bool | None:
        """True: KVM let the VMM do it; False: refused; None: not tried."""
        return None if not self.observed else self.observed == "ok"


@dataclass(frozen=True)
class ExtToggles:
    ext_id: int
    name: str
    cell: str
    default: str  # the `default` record's observed value ("1": on in a fresh vCPU)
    toggles: dict[str, Toggle]  # keyed by TOGGLES


def _toggle(record: Check | None) -> Toggle:
    if record is None:
        return Toggle("", "", "na")
    return Toggle(record.observed, record.expected, SQUARE_STATE[record.state])


def cell_toggles(cell: Cell) -> list[ExtToggles]:
    """The extensions present in the cell, in id order."""
    out = []
    for e in sorted(cell.isa_extensions, key=lambda e: e.id):
        if not e.present:
            continue
        default = e.checks["default"].observed if "default" in e.checks else ""
        out.append(ExtToggles(e.id, e.name, cell.name, default,
                              {t: _toggle(e.checks.get(t)) for t in TOGGLES}))
    return out


def allowed(rows: list[ExtToggles], toggle: str) -> list[str]:
    """The names of the extensions whose `toggle` KVM allowed."""
    return [r.name for r in rows if r.toggles[toggle].allowed]


def refused(rows: list[ExtToggles], toggle: str) -> list[str]:
    return [r.name for r in rows if r.toggles[toggle].allowed is False]
