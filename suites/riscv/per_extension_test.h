// SPDX-License-Identifier: MIT
// Table-driven tests: KVMCT_PER_EXTENSION_TEST(IsaExtDisable) { ... } becomes one named
// GoogleTest case per catalogue extension (IsaExtDisable.Zaamo), registered at start-up
// once the catalogue is loaded, so adding an extension to the YAML adds its cases.
#pragma once

#include <gtest/gtest.h>

#include <functional>

#include "report/json.h"
#include "riscv/expect/catalogue.h"

namespace kvmct {

using PerExtensionBody = std::function<void(const Extension&)>;

// Remembers a test body; returns true so it can initialise a static.
bool add_per_extension_test(const char* suite, PerExtensionBody body, const char* file, int line);
// Registers every remembered body for every extension of the catalogue.
void register_per_extension_tests(const Catalogue& catalogue);
// tests[].subject of a case about one extension: {"kind": "isa_ext", "name", "id"}.
Json isa_ext_subject(const Extension& ext);

}  // namespace kvmct

#define KVMCT_PER_EXTENSION_TEST(suite)                                                                     \
  static void suite##_body(const ::kvmct::Extension& ext);                                                 \
  [[maybe_unused]] static const bool suite##_registered =                                                  \
      ::kvmct::add_per_extension_test(#suite, suite##_body, __FILE__, __LINE__);                          \
  static void suite##_body(const ::kvmct::Extension& ext)
