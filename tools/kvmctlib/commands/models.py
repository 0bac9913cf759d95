# SPDX-License-Identifier: MIT
# `kvmct cpus`: the CPU models and matrices of the architecture profile's table.
from __future__ import annotations

import argparse

from .. import cpus
from .base import Command, Context, no_arguments


def _execute(args: argparse.Namespace, ctx: Context) -> int:
    print(cpus.listing(cpus.load()))
    return 0


CPUS = Command("cpus", "list the CPU models and matrices (data/cpus.toml)", no_arguments,
               _execute)
