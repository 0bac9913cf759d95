# SPDX-License-Identifier: MIT
# How a command registers itself: a name, its one-line help, the arguments it adds to its
# own parser and what it executes. cli.py lists the commands and treats them all alike.
from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Callable

from ..log import Progress
from ..paths import Cache


@dataclass(frozen=True)
class Context:
    cache: Cache
    progress: Progress
    argv: list[str]  # the whole kvmct command line, as recorded in run.json
    extra: list[str]  # options `kvm-module --run` hands on to `run`
    main: Callable[[list[str]], int]  # runs another kvmct command line


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    execute: Callable[[argparse.Namespace, Context], int]
    description: str | None = None
    takes_extra: bool = False  # accepts options it does not know (handed on to `run`)


def no_arguments(p: argparse.ArgumentParser) -> None:
    """For commands without options of their own."""
