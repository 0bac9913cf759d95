// SPDX-License-Identifier: MIT
// What the result document says about the running case beyond pass/fail: its subject, the
// judge's check records, the kind of its skip and the known cause (docs/results.md).
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "expect/check_record.h"
#include "report/json.h"

namespace kvmct {

// Why a case skipped. absent: the register or extension does not exist on this kernel and
// host; host_lacks: the host lacks an extension the case needs; known: a known deviation or
// bug excused a failing check; not_applicable: the case does not apply by design;
// unsupported: the platform cannot run it.
enum class SkipKind { Absent, HostLacks, Known, NotApplicable, Unsupported };
const char* to_string(SkipKind kind);

// A skip decided by a helper and taken by its caller with KVMCT_SKIP(s.kind) << s.reason.
struct Skip {
  SkipKind kind;
  std::string reason;
};

struct TestRecord {
  Json subject;                 // {"kind": "isa_ext", "name", "id"}, or null
  Json checks = Json::array();  // CheckRecord::to_json() of every judged check, in order
  std::optional<SkipKind> skip_kind;
  std::optional<KnownCause> known;
  Json unknown_ids;  // ISA_EXT ids KVM has and the catalogue lacks, as a list; null when not measured
};

// The record of the case that is running; ResultDocument resets it when a case starts.
TestRecord& current_test();
// "IsaExtDisable.Zaamo": the display name of the running case, as tests[].name spells it.
std::string current_test_name();
// Notes the kind of the skip that follows; returns true so KVMCT_SKIP can sit in a condition.
bool note_skip(SkipKind kind);

}  // namespace kvmct

// GTEST_SKIP() with a kind for the result document: KVMCT_SKIP(SkipKind::Absent) << reason.
#define KVMCT_SKIP(kind)   \
  switch (0)               \
  case 0:                  \
  default:                 \
    if (!::kvmct::note_skip(kind)) \
      ;                    \
    else                   \
      GTEST_SKIP()
