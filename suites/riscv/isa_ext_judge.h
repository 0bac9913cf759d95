// SPDX-License-Identifier: MIT
// The judge of every per-extension ISA_EXT check (presence, default, disable, enable,
// after_run, executes_default, executes_disabled): consults expected/riscv/overrides.yaml for
// this kernel, records into the case and into isa_extensions[].checks, and asserts.
#pragma once

#include <optional>
#include <string>

#include "check_judge.h"
#include "riscv/expect/catalogue.h"

namespace kvmct {

// The deviation of overrides.yaml excusing `check` of `ext` on the running kernel, if any.
std::optional<KnownCause> isa_ext_deviation(const Extension& ext, const std::string& check);
// Adds a judged record to the extension's isa_extensions[].checks, keyed by its check.
void record_isa_ext_check(const Extension& ext, const CheckRecord& record);

// CheckInput{check, "", observed, {expected}, rule}, judged for `ext`.
CheckRecord judge_isa_ext(const Extension& ext, const std::string& check, const std::string& observed,
                          const std::string& expected, const std::string& rule, const std::string& facts,
                          const char* file, int line);

}  // namespace kvmct

// Judges one check of `ext`; fail -> a failure naming extension, check, observed, expected
// and rule; known -> the case ends as a SKIP of kind known that prints the reason.
#define KVMCT_JUDGE_ISA_EXT(ext, check, observed, expected, rule, facts)                                     \
  if (const ::kvmct::CheckRecord kvmct_record =                                                             \
          ::kvmct::judge_isa_ext((ext), (check), (observed), (expected), (rule), (facts), __FILE__, __LINE__); \
      kvmct_record.state != ::kvmct::CheckState::Known)                                                     \
    ;                                                                                                       \
  else                                                                                                      \
    KVMCT_SKIP(::kvmct::SkipKind::Known) << ::kvmct::known_skip_reason(kvmct_record, (ext).name)
