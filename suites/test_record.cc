// SPDX-License-Identifier: MIT
// The running case's record.
#include "test_record.h"

#include "ktap_listener.h"

namespace kvmct {

const char* to_string(SkipKind kind) {
  switch (kind) {
    case SkipKind::Absent: return "absent";
    case SkipKind::HostLacks: return "host_lacks";
    case SkipKind::Known: return "known";
    case SkipKind::NotApplicable: return "not_applicable";
    case SkipKind::Unsupported: return "unsupported";
  }
  return "?";
}

TestRecord& current_test() {
  static TestRecord record;
  return record;
}

std::string current_test_name() {
  const testing::TestInfo* info = testing::UnitTest::GetInstance()->current_test_info();
  if (!info) return "";
  return display_suite_name(info->test_suite_name()) + "." + display_case_name(*info);
}

bool note_skip(SkipKind kind) {
  current_test().skip_kind = kind;
  return true;
}

}  // namespace kvmct
