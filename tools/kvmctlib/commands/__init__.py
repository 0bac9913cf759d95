# SPDX-License-Identifier: MIT
# Commands: run, bench, report, diff, catalogue, cpus, composed from the stages above.
