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
  std::string isa;
  std::string status = "okay";
};

std::vector<char> make_fdt(const std::vector<Hart>& harts) {
  std::vector<char> buf(16384);
  void* fdt = buf.data();
  fdt_create(fdt, static_cast<int>(buf.size()));
  fdt_finish_reservemap(fdt);
  fdt_begin_node(fdt, "");
  fdt_begin_node(fdt, "cpus");
  for (size_t i = 0; i < harts.size(); ++i) {
    fdt_begin_node(fdt, ("cpu@" + std::to_string(i)).c_str());
    fdt_property_string(fdt, "device_type", "cpu");
    fdt_property_string(fdt, "status", harts[i].status.c_str());
    fdt_property_string(fdt, "riscv,isa", harts[i].isa.c_str());
    if (!harts[i].extensions.empty()) {
      std::string list;
      for (const std::string& e : harts[i].extensions) list += e + '\0';
      fdt_property(fdt, "riscv,isa-extensions", list.data(), static_cast<int>(list.size()));
    }
    fdt_end_node(fdt);
  }
  fdt_end_node(fdt);
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
  for (const char* e : {"i", "m", "a", "f", "d", "c", "zicsr", "zifencei"}) EXPECT_TRUE(isa->has(e)) << e;
}

TEST(HostIsa, ParsesIsaStrings) {
  EXPECT_EQ(HostIsa::parse_isa_string("rv64imafdch_zicbom_svadu"),
            (std::set<std::string>{"i", "m", "a", "f", "d", "c", "h", "zicbom", "svadu"}));
  EXPECT_TRUE(HostIsa::parse_isa_string("RV64GC").count("zifencei"));
  EXPECT_EQ(HostIsa::parse_isa_string("rv64imsstc"), (std::set<std::string>{"i", "m", "sstc"}));
}

TEST(HostIsa, RejectsGarbageWithReason) {
  std::vector<char> junk(64, 'x');
  Result<HostIsa> isa = HostIsa::from_fdt(junk.data(), junk.size());
  ASSERT_FALSE(isa);
  EXPECT_NE(isa.error().what.find("not a valid flattened device tree"), std::string::npos);
}

}  // namespace
}  // namespace kvmct::riscv
