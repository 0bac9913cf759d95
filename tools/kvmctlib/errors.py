# SPDX-License-Identifier: MIT
# The one base class of failures kvmct expects and explains: cli.py prints their message as
# one line and exits 2; any other exception is a bug and keeps its traceback.
from __future__ import annotations


class KvmctError(Exception):
    """A failure of the request or the environment, with a message that says what to do."""
