// SPDX-License-Identifier: MIT
// Parsing the arm64 host's own facts: /proc/cpuinfo Features, and the KVM mode from the
// kernel command line or KVM's boot record.
#include <gtest/gtest.h>

#include <cerrno>

#include "arm64/host_cpu.h"

namespace kvmct::arm64 {
namespace {

const char* const kTwoCpus =
    "processor\t: 0\n"
    "BogoMIPS\t: 125.00\n"
    "Features\t: fp asimd evtstrm aes sve cpuid paca pacg\n"
    "CPU implementer\t: 0x00\n"
    "\n"
    "processor\t: 1\n"
    "BogoMIPS\t: 125.00\n"
    "Features\t: fp asimd evtstrm aes cpuid paca pacg\n"
    "CPU implementer\t: 0x00\n";

TEST(HostCpu, FeaturesAreCommonToEveryCpu) {
  Result<HostCpu> cpu = HostCpu::parse_cpuinfo(kTwoCpus, "cpuinfo");
  ASSERT_TRUE(cpu) << cpu.error().to_string();
  EXPECT_EQ(cpu->cpus, 2);
  EXPECT_TRUE(cpu->has("fp"));
  EXPECT_TRUE(cpu->has("pacg"));
  EXPECT_FALSE(cpu->has("sve")) << "only CPU 0 lists sve";
  EXPECT_FALSE(cpu->has("BogoMIPS"));
  EXPECT_EQ(cpu->features.size(), 7u);
}

TEST(HostCpu, NoFeaturesLineIsAnError) {
  Result<HostCpu> cpu = HostCpu::parse_cpuinfo("processor\t: 0\nisa\t: rv64imafdc\n", "cpuinfo");
  ASSERT_FALSE(cpu);
  EXPECT_EQ(cpu.err(), ENOENT);
  EXPECT_EQ(cpu.error().what, "cpuinfo: no 'Features' line (not an arm64 /proc/cpuinfo?)");
}

TEST(HostCpu, IdRegistersNeedAnArm64Build) {
#if !defined(__aarch64__)
  EXPECT_EQ(read_id_registers_at_el0().err(), ENOSYS);
#else
  EXPECT_TRUE(read_id_registers_at_el0());
#endif
}

TEST(KvmMode, FromTheCommandLine) {
  EXPECT_EQ(kvm_mode_from_cmdline({"console=ttyAMA0", "kvm-arm.mode=nvhe"}), "nvhe");
  EXPECT_EQ(kvm_mode_from_cmdline({"kvm-arm.mode=protected"}), "protected");
  EXPECT_EQ(kvm_mode_from_cmdline({"id_aa64mmfr1.vh=0"}), "nvhe");
  EXPECT_EQ(kvm_mode_from_cmdline({"kvm-arm.mode=protected", "id_aa64mmfr1.vh=0"}), "protected");
  EXPECT_EQ(kvm_mode_from_cmdline({"console=ttyAMA0", "quiet"}), "") << "the command line does not say";
}

TEST(KvmMode, FromKvmsBootRecord) {
  EXPECT_EQ(kvm_mode_from_kernel_log("6,301,1234,-;kvm [1]: VHE mode initialized successfully\n"), "vhe");
  EXPECT_EQ(kvm_mode_from_kernel_log("6,301,1234,-;kvm [1]: Hyp nVHE mode initialized successfully\n"), "nvhe");
  EXPECT_EQ(kvm_mode_from_kernel_log("kvm [1]: Protected nVHE mode initialized successfully\n"), "protected");
  EXPECT_EQ(kvm_mode_from_kernel_log("kvm [1]: VHE+NV2 mode initialized successfully\n"), "vhe");
  EXPECT_EQ(kvm_mode_from_kernel_log("kvm [1]: Hyp hVHE mode initialized successfully\n"), "hvhe");
  EXPECT_EQ(kvm_mode_from_kernel_log("kvm [1]: HYP mode not available\n"), "");
  EXPECT_EQ(kvm_mode_from_kernel_log(""), "");
}

}  // namespace
}  // namespace kvmct::arm64
