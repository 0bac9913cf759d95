// SPDX-License-Identifier: MIT
// expected/riscv/isa-probes.yaml loads against the real catalogue, covers every extension, agrees
// with the catalogue's guest_visible; the loader, given a valid table of a small catalogue with
// exactly one defect, rejects it with file:line.
#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "fails_with.h"
#include "read_text.h"
#include "riscv/expect/expectations.h"
#include "riscv/expect/isa_probes.h"

namespace kvmct {
namespace {

TEST(IsaProbes, RealTableCoversTheCatalogue) {
  Result<Expectations> e = Expectations::load_dir(KVMCT_EXPECTED_ROOT "/riscv");
  ASSERT_TRUE(e) << e.error().to_string();
  Result<IsaProbes> p = IsaProbes::parse(read_text(std::string(KVMCT_EXPECTED_ROOT "/riscv") + "/isa-probes.yaml"),
                                         "isa-probes.yaml", e->catalogue);
  ASSERT_TRUE(p) << p.error().to_string();
  int probed = 0;
  for (const Extension& ext : e->catalogue.extensions()) {
    const IsaProbe* probe = p->find(ext.name);
    ASSERT_NE(probe, nullptr) << ext.name;
    // An extension the catalogue calls invisible is only ever probed as a HINT.
    if (!ext.guest_visible && probe->kind == IsaProbe::Kind::Probe)
      EXPECT_TRUE(probe->hint) << ext.name << " is not guest_visible but has a non-hint probe";
    probed += probe->kind == IsaProbe::Kind::Probe;
  }
  EXPECT_GE(probed, 25) << "issue 5: at least 25 extensions probed";
  EXPECT_EQ(p->find("ZAAMO")->probe, "amoadd_w");
  EXPECT_EQ(p->find("ZKR")->on, "vmm-exit");
  EXPECT_EQ(p->find("F")->disable_also, std::vector<std::string>{"D"});
}

Catalogue small_catalogue() {
  return *Catalogue::parse(
      "extensions:\n"
      "  - {name: A, id: 0, since: \"5.19\", host: [a]}\n"
      "  - {name: D, id: 1, since: \"5.19\", host: [d]}\n"
      "  - {name: F, id: 2, since: \"5.19\", host: [f]}\n"
      "  - {name: ZKR, id: 3, since: \"6.8\", host: [zkr]}\n"
      "  - {name: SVADE, id: 4, since: \"6.13\", host: [svade], guest_visible: false, why: w}\n"
      "  - {name: ZICBOM, id: 5, since: \"6.6\", host: [zicbom]}\n"
      "  - {name: ZIHINTPAUSE, id: 6, since: \"6.6\", host: [zihintpause]}\n",
      "cat.yaml");
}

// The valid table, entry i on line i + 2.
const std::vector<std::pair<std::string, std::string>> kEntries = {
    {"A", "{probe: amoadd_w}"},
    {"D", "{probe: fadd_d, on: executed}"},
    {"F", "{probe: fadd_s, disable_also: [D]}"},
    {"ZKR", "{probe: csrrw_seed, on: vmm-exit, disabled: illegal-instruction}"},
    {"SVADE", "{none: \"no instruction\"}"},
    {"ZICBOM", "{deferred: \"needs cache ops\"}"},
    {"ZIHINTPAUSE", "{probe: pause, hint: true}"},
};

Result<IsaProbes> parse_text(const std::string& text) {
  static const Catalogue cat = small_catalogue();
  return IsaProbes::parse(text, "p.yaml", cat);
}

Result<IsaProbes> parse(const std::vector<std::pair<std::string, std::string>>& entries, const std::string& tail = "") {
  std::string text = "probes:\n";
  for (const auto& [name, entry] : entries) text += "  " + name + ": " + entry + "\n";
  return parse_text(text + tail);
}

// kEntries with `name`'s entry replaced; without it when `entry` is empty.
Result<IsaProbes> with_entry(const std::string& name, const std::string& entry) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [n, e] : kEntries)
    if (n != name) out.emplace_back(n, e);
    else if (!entry.empty()) out.emplace_back(n, entry);
  return parse(out);
}

TEST(IsaProbes, LoadsEveryKind) {
  Result<IsaProbes> p = parse(kEntries);
  ASSERT_TRUE(p) << p.error().to_string();
  EXPECT_EQ(p->all().size(), kEntries.size());
  EXPECT_EQ(p->find("NOPE"), nullptr);
  const IsaProbe& a = *p->find("A");
  EXPECT_EQ(a.kind, IsaProbe::Kind::Probe);
  EXPECT_EQ(a.probe, "amoadd_w");
  EXPECT_EQ(a.on, "executed");
  EXPECT_EQ(a.disabled, "illegal-instruction");
  EXPECT_FALSE(a.hint);
  EXPECT_TRUE(a.disable_also.empty());
  EXPECT_EQ(a.line, 2);
  EXPECT_EQ(p->find("F")->disable_also, std::vector<std::string>{"D"});
  EXPECT_EQ(p->find("ZKR")->on, "vmm-exit");
  EXPECT_TRUE(p->find("ZIHINTPAUSE")->hint);
  EXPECT_EQ(p->find("SVADE")->kind, IsaProbe::Kind::None);
  EXPECT_EQ(p->find("SVADE")->why, "no instruction");
  EXPECT_EQ(p->find("ZICBOM")->kind, IsaProbe::Kind::Deferred);
  EXPECT_EQ(p->find("ZICBOM")->why, "needs cache ops");
}

TEST(IsaProbes, RootMapsExtensionsToEntries) {
  EXPECT_TRUE(FailsWith(parse(kEntries, "extras: 1\n"), "p.yaml:9: unknown key 'extras' in the probe file"));
  EXPECT_TRUE(FailsWith(parse_text("{}\n"), "p.yaml:1: the probe file lacks the required key 'probes'"));
  EXPECT_TRUE(FailsWith(parse_text("probes:\n  - A\n"), "p.yaml:2: 'probes' must map extension names to entries"));
}

TEST(IsaProbes, UnknownExtension) {
  EXPECT_TRUE(FailsWith(parse(kEntries, "  NOPE: {probe: x}\n"), "p.yaml:9: NOPE is not in cat.yaml"));
}

TEST(IsaProbes, UnknownKey) {
  EXPECT_TRUE(FailsWith(with_entry("A", "{probe: amoadd_w, typo: 1}"), "p.yaml:2: unknown key 'typo' in probe entry A"));
}

TEST(IsaProbes, ExactlyOneKind) {
  for (const char* entry : {"{probe: amoadd_w, none: y}", "{none: x, deferred: y}", "{hint: true}"})
    EXPECT_TRUE(FailsWith(with_entry("A", entry), "p.yaml:2: probe entry A needs exactly one of probe, none, deferred"))
        << entry;
}

TEST(IsaProbes, NoneAndDeferredTakeNoOtherKeys) {
  EXPECT_TRUE(FailsWith(with_entry("SVADE", "{none: x, hint: true}"),
                        "p.yaml:6: probe entry SVADE: none/deferred take no other keys"));
  EXPECT_TRUE(FailsWith(with_entry("ZICBOM", "{deferred: x, on: executed}"),
                        "p.yaml:7: probe entry ZICBOM: none/deferred take no other keys"));
}

TEST(IsaProbes, OnIsExecutedOrVmmExit) {
  EXPECT_TRUE(FailsWith(with_entry("ZKR", "{probe: csrrw_seed, on: trap}"), "p.yaml:5: 'on' must be executed or vmm-exit"));
}

TEST(IsaProbes, DisabledIsAlwaysIllegalInstruction) {
  // A register at 0 must hide the extension; a kernel that does not is a deviation in overrides.yaml.
  for (const char* disabled : {"executes", "trap"})
    EXPECT_TRUE(FailsWith(with_entry("ZKR", std::string("{probe: csrrw_seed, disabled: ") + disabled + "}"),
                          "p.yaml:5: 'disabled' must be illegal-instruction (a kernel that lets the guest execute "
                          "goes into expected/riscv/overrides.yaml as a deviation)"))
        << disabled;
}

TEST(IsaProbes, DisableAlsoNamesCatalogueExtensions) {
  EXPECT_TRUE(FailsWith(with_entry("F", "{probe: fadd_s, disable_also: [D, NOPE]}"), "p.yaml:4: NOPE is not in cat.yaml"));
}

TEST(IsaProbes, AnExtensionIsListedOnce) {
  EXPECT_TRUE(FailsWith(parse(kEntries, "  A: {probe: add}\n"), "p.yaml:9: A is listed twice"));
}

TEST(IsaProbes, EveryCatalogueExtensionHasAnEntry) {
  EXPECT_TRUE(FailsWith(with_entry("F", ""), "p.yaml:1: F has no entry: give it a probe, or say why none or deferred"));
}

}  // namespace
}  // namespace kvmct
