#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Reproduces docs/kernel-developer.md: the acceptance checks of `kvmct kvm-module` (issue 6)
# and the warm loop's timing. Needs what `tools/kvmct run` needs (root or user namespaces).
#   a. unmodified linux-source-7.2           -> kvm-module --run passes (exit 0)
#   b. ZAAMO may be disabled (patch)         -> fails (exit 1) naming IsaExt*.Zaamo
#   c. disabled ZICBOZ keeps cbo.zero (patch) -> fails (exit 1) naming IsaExtExecutes.Zicboz
#   d. warm loop: edit one file of a built tree, build, boot, full suite on one cell: 3 times
# Usage: docs/examples/kernel-dev-loop.sh [WORKDIR]   (default: a fresh mktemp -d)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
kvmct="$repo/tools/kvmct"
examples="$repo/docs/examples"
work=${1:-$(mktemp -d -t kvmct-kdev-XXXXXX)}
mkdir -p "$work"
say() { printf 'kernel-dev-loop: %s\n' "$*"; }
fail() { say "FAILED: $*"; exit 1; }

# The kernel's own source package, the tree a developer edits (only the KVM part is written).
unpack() { rm -rf "$1"; "$kvmct" -q kvm-module --source debian --unpack "$1"; }

# expect EXIT NAME... -- ARGS: run kvm-module --run, check the exit status and that every NAME
# appears in the output of a failing run.
expect() {
    local want=$1; shift
    local names=()
    while [ "$1" != "--" ]; do names+=("$1"); shift; done
    shift
    local log="$work/$(basename "$2").log" rc=0
    local t0=$SECONDS
    "$kvmct" kvm-module "$@" >"$log" 2>&1 || rc=$?
    say "kvm-module $* -> exit $rc in $((SECONDS - t0)) s (log $log)"
    [ "$rc" -eq "$want" ] || fail "expected exit $want"
    for n in "${names[@]}"; do
        grep -q -- "$n" "$log" || fail "output does not name $n"
        say "  names $n: $(grep -m1 -- "$n" "$log" | sed 's/^ *//')"
    done
    grep '^kvmct: [0-9]* passed' "$log" | sed 's/^/kernel-dev-loop:   /'
}

say "a. unmodified source"
unpack "$work/linux-kvm"
expect 0 -- --source "$work/linux-kvm" --run

say "b. ZAAMO may be disabled"
unpack "$work/zaamo"
patch -s -p1 -d "$work/zaamo" <"$examples/kvm-zaamo-disable-allowed.patch"
expect 1 "not ok [0-9]* Zaamo" IsaExtNeverDisable.Zaamo IsaExtDisable.Zaamo \
    -- --source "$work/zaamo" --run

say "c. disabling ZICBOZ leaves cbo.zero executable"
unpack "$work/zicboz"
patch -s -p1 -d "$work/zicboz" <"$examples/kvm-zicboz-cbze-ignores-isa.patch"
expect 1 IsaExtExecutes.Zicboz -- --source "$work/zicboz" --run

say "d. warm loop on $work/linux-kvm: edit arch/riscv/kvm/isa.c, build, boot, full suite"
times=()
for i in 1 2 3; do
    echo "/* kvmct warm loop edit $i */" >>"$work/linux-kvm/arch/riscv/kvm/isa.c"
    t0=$(date +%s.%N)
    "$kvmct" kvm-module --source "$work/linux-kvm" --run >"$work/warm-$i.log" 2>&1 \
        || fail "warm loop $i: exit $? (log $work/warm-$i.log)"
    t=$(echo "$(date +%s.%N) - $t0" | bc)
    times+=("$t")
    say "  warm loop $i: $(printf '%.1f' "$t") s total; $(grep -m1 "make + strip" \
        "$work/warm-$i.log" | sed 's/^ *//'); QEMU $(grep -m1 -o 'PASS ([^)]*) in [0-9.]* s' \
        "$work/warm-$i.log")"
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)
say "warm loop median of 3: $(printf '%.1f' "$median") s (target: under 60 s)"
say "all acceptance checks passed (work directory $work)"
