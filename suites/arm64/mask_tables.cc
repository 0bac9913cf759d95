// SPDX-License-Identifier: MIT
// Selecting the ID-register tables for the running kernel, once, for every mask case.
#include "mask_tables.h"

#include <memory>

#include "arm64/writable_masks.h"
#include "suite_context.h"

namespace kvmct::arm64 {

namespace {
std::unique_ptr<MaskTables>& the_tables() {
  static std::unique_ptr<MaskTables> t;
  return t;
}
}  // namespace

const IdRegRelease* MaskTables::case_release() const {
  if (selection) return &selection->release;
  if (absent && !tables.releases().empty()) return &tables.releases().front();
  return nullptr;
}

const MaskTables& mask_tables() { return *the_tables(); }

Status load_mask_tables() {
  const SuiteEnvironment& env = context().env();
  Result<ExpectedFile> file = env.expected_file("id-registers.yaml");
  if (!file) return file.error();
  Result<IdRegTables> tables = IdRegTables::parse(file->text, file->name);
  if (!tables) return tables.error();
  auto t = std::make_unique<MaskTables>();
  t->tables = std::move(*tables);
  t->host_aarch32_el0 = host_has_aarch32_el0();
  const std::optional<KernelVersion>& kernel = env.kernel();
  if (!kernel) {
    t->selection = Error{0, t->tables.file() + ": kernel release '" + env.release() + "' has no version to select by"};
  } else {
    if (*kernel < kWritableMasksSince)
      t->absent = Skip{SkipKind::Absent, "kernel " + kernel->to_string() +
                                             " predates KVM_ARM_GET_REG_WRITABLE_MASKS (Linux " +
                                             kWritableMasksSince.to_string() + ")"};
    t->selection = t->tables.select(*kernel);
  }
  t->facts = "kernel " + env.release();
  if (t->selection) {
    t->facts += ", tables " + t->selection->release.name() + " (" +
                (t->selection->release.provenance == TableProvenance::Verified ? "verified" : "derived") + ")";
    if (t->selection->newer_than_tables) t->facts += ", kernel newer than the tables";
  }
  if (t->host_aarch32_el0) t->facts += *t->host_aarch32_el0 ? ", host AArch32 EL0" : ", host without AArch32 EL0";
  the_tables() = std::move(t);
  return Ok{};
}

Result<std::array<uint64_t, kFeatureIdRangeSize>> MaskTables::expected() const {
  if (!selection) return selection.error();
  if (!host_aarch32_el0) return host_aarch32_el0.error();
  return expected_masks(selection->release, *host_aarch32_el0);
}

}  // namespace kvmct::arm64
