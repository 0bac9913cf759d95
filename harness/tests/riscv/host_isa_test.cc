// SPDX-License-Identifier: MIT
// Host ISA from device trees built here with libfdt's sequential writer.
#include <gtest/gtest.h>

extern "C" {
#include <libfdt.h>
}

#include <string>
#include <vector>

#include "riscv/host_isa.h"

namespace kvmct::riscv {
namespace {

struct Hart {
  std::vector<std::string> extensions;  // empty: only riscv,isa
  std::string isa;                      // empty: no riscv,isa property
  std::string status = "okay";
  std::string device_type = "cpu";
};

std::vector<char> make_fdt(const std::vector<Hart>& harts, bool with_cpus = true) {
  std::vector<char> buf(16384);
  void* fdt = buf.data();
  fdt_create(fdt, static_cast<int>(buf.size()));
  fdt_finish_reservemap(fdt);
  fdt_begin_node(fdt, "");
  if (with_cpus) fdt_begin_node(fdt, "cpus");
  for (size_t i = 0; i < harts.size(); ++i) {
    fdt_begin_node(fdt, ("cpu@" + std::to_string(i)).c_str());
    fdt_property_string(fdt, "device_type", harts[i].device_type.c_str());
    fdt_property_string(fdt, "status", harts[i].status.c_str());
    if (!harts[i].isa.empty()) fdt_property_string(fdt, "riscv,isa", harts[i].isa.c_str());
    if (!harts[i].extensions.empty()) {
      std::string list;
      for (const std::string& e : harts[i].extensions) list += e + '\0';
      fdt_property(fdt, "riscv,isa-extensions", list.data(), static_cast<int>(list.size()));
    }
    fdt_end_node(fdt);
  }
  if (with_cpus) fdt_end_node(fdt);
  fdt_end_node(fdt);
  fdt_finish(fdt);
  return buf;
}

TEST(HostIsa, ReadsIsaExtensionsAndIntersectsHarts) {
  auto blob = make_fdt({{{"i", "m", "a", "zaamo", "zalrsc", "zabha"}, "rv64ima_zaamo_zalrsc_zabha"},
                        {{"i", "m", "a", "zaamo", "zalrsc"}, "rv64ima_zaamo_zalrsc"}});
  Result<HostIsa> isa = HostIsa::from_fdt(blob.data(), blob.size());
  ASSERT_TRUE(isa) << isa.error().to_string();
  EXPECT_EQ(isa->harts, 2);
  EXPECT_EQ(isa->source, "riscv,isa-extensions");
  EXPECT_TRUE(isa->has("zaamo"));
  EXPECT_FALSE(isa->has("zabha")) << "an extension of only one hart is not the host's";
}

TEST(HostIsa, FallsBackToIsaStringAndSkipsDisabledHarts) {
  auto blob = make_fdt({{{}, "rv64imafdc_zicsr_zifencei"}, {{}, "rv64i", "disabled"}});
  Result<HostIsa> isa = HostIsa::from_fdt(blob.data(), blob.size());
  ASSERT_TRUE(isa) << isa.error().to_string();
  EXPECT_EQ(isa->harts, 1);
  EXPECT_EQ(isa->source, "riscv,isa");
  EXPECT_EQ(isa->isa_string, "rv64imafdc_zicsr_zifencei");
  for (const char* e : {"i", "m", "a", "f", "d", "c", "zicsr", "zifencei"}) EXPECT_TRUE(isa->has(e)) << e;
}

TEST(HostIsa, CountsOnlyEnabledCpuNodes) {
  auto blob = make_fdt({{{"i", "m"}, "", "ok"}, {{"i", "m", "a"}, "", "okay", "cache"}, {{"i", "a"}, "", "fail"}});
  Result<HostIsa> isa = HostIsa::from_fdt(blob.data(), blob.size());
  ASSERT_TRUE(isa) << isa.error().to_string();
  EXPECT_EQ(isa->harts, 1) << "status \"ok\" is enabled; a non-cpu node and a failed hart are not harts";
  EXPECT_EQ(isa->extensions, (std::set<std::string>{"i", "m"}));
  EXPECT_EQ(isa->isa_string, "");
}

TEST(HostIsa, ErrorsSayWhatIsMissing) {
  auto no_cpus = make_fdt({}, false);
  EXPECT_EQ(HostIsa::from_fdt(no_cpus.data(), no_cpus.size()).error().what, "device tree: no /cpus node");
  auto no_isa = make_fdt({{{}, ""}});
  EXPECT_EQ(HostIsa::from_fdt(no_isa.data(), no_isa.size()).error().what,
            "device tree: cpu node cpu@0 has neither riscv,isa-extensions nor riscv,isa");
  auto none_enabled = make_fdt({{{}, "rv64i", "disabled"}});
  EXPECT_EQ(HostIsa::from_fdt(none_enabled.data(), none_enabled.size()).error().what,
            "device tree: /cpus has no enabled cpu node");
  auto blob = make_fdt({{{}, "rv64i"}});
  EXPECT_FALSE(HostIsa::from_fdt(blob.data(), fdt_totalsize(blob.data()) - 1)) << "a blob shorter than its header says";
  EXPECT_TRUE(HostIsa::from_fdt(blob.data(), fdt_totalsize(blob.data())));
}

TEST(HostIsa, ParsesIsaStrings) {
  EXPECT_EQ(HostIsa::parse_isa_string("rv64imafdch_zicbom_svadu"),
            (std::set<std::string>{"i", "m", "a", "f", "d", "c", "h", "zicbom", "svadu"}));
  EXPECT_TRUE(HostIsa::parse_isa_string("RV64GC").count("zifencei"));
  EXPECT_EQ(HostIsa::parse_isa_string("rv64imsstc"), (std::set<std::string>{"i", "m", "sstc"}));
  EXPECT_EQ(HostIsa::parse_isa_string("rv32imac__xtheadvector"), (std::set<std::string>{"i", "m", "a", "c", "xtheadvector"}));
}

TEST(HostIsa, RejectsGarbageWithReason) {
  std::vector<char> junk(64, 'x');
  Result<HostIsa> isa = HostIsa::from_fdt(junk.data(), junk.size());
  ASSERT_FALSE(isa);
  EXPECT_NE(isa.error().what.find("not a valid flattened device tree"), std::string::npos);
}

}  // namespace
}  // namespace kvmct::riscv
