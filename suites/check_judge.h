// SPDX-License-Identifier: MIT
// The suite side of the one judge: judge_check() decides, this records the record into the
// running case and turns its state into GoogleTest's: fail -> a failure, known -> a known SKIP.
#pragma once

#include <optional>
#include <string>

#include "expect/check_record.h"
#include "test_record.h"

namespace kvmct {

// Judges `input` (its `test` is filled in), appends the record to the running case and
// fails the case at file:line when the state is fail. Returns the record; when it is known,
// the caller must end the case as a known SKIP: KVMCT_JUDGE does.
// `subject` names what the check is about in messages ("ZAAMO"); `facts` is added to them.
CheckRecord judge(CheckInput input, const std::optional<KnownCause>& cause, const std::string& subject,
                  const std::string& facts, const char* file, int line);

// The skip reason of a known record: "known deviation (overrides.yaml:14): reason; observed ...".
std::string known_skip_reason(const CheckRecord& record, const std::string& subject);

}  // namespace kvmct

// Judges once (judge() above) and ends the case as a known SKIP when the record is known.
#define KVMCT_JUDGE(input, cause, subject, facts)                                                          \
  if (const ::kvmct::CheckRecord kvmct_record = ::kvmct::judge((input), (cause), (subject), (facts), __FILE__, \
                                                               __LINE__);                                  \
      kvmct_record.state != ::kvmct::CheckState::Known)                                                    \
    ;                                                                                                      \
  else                                                                                                     \
    KVMCT_SKIP(::kvmct::SkipKind::Known) << ::kvmct::known_skip_reason(kvmct_record, (subject))
