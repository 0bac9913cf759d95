# SPDX-License-Identifier: MIT
# STUB (helper D) until helper S lands the real module: `run --kernel built:NAME` loads a kernel
# `tools/kvmct kernel --source ...` built into kernels/NAME/. CONTRACT.md section 1.
from __future__ import annotations

from .kernels import Kernel
from ..errors import KvmctError
from ..log import Progress
from ..paths import Cache


class NotBuilt(KvmctError, LookupError):
    pass


def load(cache: Cache, name: str, progress: Progress) -> Kernel:
    raise NotBuilt(f"--kernel built:{name}: not built (kernels built from source are not "
                   "available in this tree yet: `tools/kvmct kernel --source PATH` builds them)")
