// SPDX-License-Identifier: MIT
// The KVM_ARM_GET_REG_WRITABLE_MASKS ioctl itself (kvm_vm_ioctl_get_reg_writable_masks, sys_regs.c,
// read in 6.12.117 and 7.2.13): the same answer at every point of a VM's life and on every VM;
// range != 0 and non-zero reserved words refused before the buffer is touched; EFAULT for bad
// buffers; every slot cleared before the masks are written.
#include <gtest/gtest.h>

#include <cerrno>
#include <functional>
#include <string>

#include "arm64/arm_ioctls.h"
#include "arm64/writable_masks.h"
#include "check_judge.h"
#include "guarded_buffer.h"
#include "mask_tables.h"
#include "suite_context.h"

namespace kvmct::arm64 {
namespace {

constexpr const char* kIoctl = "KVM_ARM_GET_REG_WRITABLE_MASKS";
constexpr size_t kMaskBytes = kWritableMaskWords * sizeof(uint64_t);  // 1536
constexpr uint8_t kUntouchedFill = 0x5a;
constexpr uint8_t kZeroFill = 0xa5;

std::string outcome(const Status& s) { return s ? "ok" : Error::errno_name(s.err()); }

// Judges an ioctl outcome ("ok", "EINVAL") against the one the kernel source gives.
void judge_outcome(const std::string& check, const Status& s, const std::string& expected, const std::string& rule) {
  if (!s) testing::Test::RecordProperty(check + "_error", s.error().to_string());
  KVMCT_JUDGE((CheckInput{check, "", outcome(s), {expected}, rule}), std::nullopt, kIoctl, mask_tables().facts);
}

// "same", or the first slot where two answers differ.
std::string compare(const WritableMasks& got, const WritableMasks& reference) {
  for (size_t i = 0; i < got.size(); ++i)
    if (got[i] != reference[i]) return "slot " + std::to_string(i) + " " + hex(got[i]) + " vs " + hex(reference[i]);
  return "same";
}

// Ends the case as a skip (kind absent) on a kernel older than the ioctl.
#define KVMCT_SKIP_WITHOUT_IOCTL()                                            \
  if (const std::optional<Skip>& absent = mask_tables().absent; !absent) { \
  } else                                                                      \
    KVMCT_SKIP(absent->kind) << absent->reason

// A VM with no vCPU; its masks are the reference every later answer must equal.
struct Reference {
  Result<Vm> vm = Error{0, "no VM"};
  Result<WritableMasks> masks = Error{0, "not read"};
};
Reference reference() {
  Reference r;
  Result<KvmSystem> kvm = KvmSystem::open();
  if (!kvm) return {kvm.error(), kvm.error()};
  r.vm = kvm->create_vm();
  if (!r.vm) return {r.vm.error(), r.vm.error()};
  r.masks = writable_masks(*r.vm);
  return r;
}

constexpr const char* kLifecycleRule =
    "the kvm argument is unused: no lock, no state test (sys_regs.c kvm_vm_ioctl_get_reg_writable_masks)";

TEST(WritableMasks, BeforeAnyVcpu) {
  KVMCT_SKIP_WITHOUT_IOCTL();
  Reference ref = reference();
  ASSERT_TRUE(ref.vm) << ref.vm.error().to_string();
  judge_outcome("before_vcpu", ref.masks ? Status(Ok{}) : Status(ref.masks.error()), "ok", kLifecycleRule);
}

// Before a vCPU, after KVM_ARM_VCPU_INIT and after an immediate_exit KVM_RUN of the same VM.
TEST(WritableMasks, SameAfterVcpuInitAndRun) {
  KVMCT_SKIP_WITHOUT_IOCTL();
  Result<KvmSystem> kvm = KvmSystem::open();
  ASSERT_TRUE(kvm) << kvm.error().to_string();
  Result<Vm> vm = kvm->create_vm();
  ASSERT_TRUE(vm) << vm.error().to_string();
  Result<WritableMasks> before = writable_masks(*vm);
  ASSERT_TRUE(before) << before.error().to_string();
  Result<Vcpu> vcpu = vm->create_vcpu(0);
  ASSERT_TRUE(vcpu) << vcpu.error().to_string();
  Result<kvm_vcpu_init> target = preferred_target(*vm);
  ASSERT_TRUE(target) << target.error().to_string();
  ASSERT_TRUE(vcpu_init(*vcpu, *target));
  Result<WritableMasks> after_init = writable_masks(*vm);
  ASSERT_TRUE(after_init) << after_init.error().to_string();
  KVMCT_JUDGE((CheckInput{"after_vcpu_init", "", compare(*after_init, *before), {"same"}, kLifecycleRule}),
              std::nullopt, kIoctl, mask_tables().facts);
  // immediate_exit: KVM_RUN returns EINTR after kvm_arch_vcpu_run_pid_change marked the VM as run.
  vcpu->state()->immediate_exit = 1;
  judge_outcome("immediate_exit_run", vcpu->run(), "EINTR", "api.rst 5 immediate_exit: KVM_RUN returns EINTR");
  Result<WritableMasks> after_run = writable_masks(*vm);
  ASSERT_TRUE(after_run) << after_run.error().to_string();
  KVMCT_JUDGE((CheckInput{"after_run", "", compare(*after_run, *before), {"same"}, kLifecycleRule}), std::nullopt,
              kIoctl, mask_tables().facts);
}

TEST(WritableMasks, SameOnTwoVms) {
  KVMCT_SKIP_WITHOUT_IOCTL();
  Reference first = reference();
  ASSERT_TRUE(first.masks) << first.masks.error().to_string();
  Reference second = reference();
  ASSERT_TRUE(second.masks) << second.masks.error().to_string();
  KVMCT_JUDGE((CheckInput{"second_vm", "", compare(*second.masks, *first.masks), {"same"}, kLifecycleRule}),
              std::nullopt, kIoctl, mask_tables().facts);
}

// A buffer pre-filled with 0xA5 that ends exactly at a guard page: the call succeeds, every slot
// no table register fills reads 0 and no slot keeps the fill (clear_user of all 1536 bytes).
TEST(WritableMasks, UnusedSlotsZeroFilled) {
  KVMCT_SKIP_WITHOUT_IOCTL();
  const MaskTables& t = mask_tables();
  Result<std::array<uint64_t, kFeatureIdRangeSize>> expected = t.expected();
  ASSERT_TRUE(expected) << expected.error().to_string();
  Reference ref = reference();
  ASSERT_TRUE(ref.vm) << ref.vm.error().to_string();
  Result<GuardedBuffer> buf = GuardedBuffer::create(kMaskBytes);
  ASSERT_TRUE(buf) << buf.error().to_string();
  buf->fill(kZeroFill);
  reg_mask_range arg{};
  arg.addr = buf->address();
  judge_outcome("call", get_reg_writable_masks(*ref.vm, &arg), "ok", "a 1536-byte buffer is exactly enough");
  std::string unused = "zero", filled = "none";
  const uint64_t fill_word = 0x0101010101010101ULL * kZeroFill;
  for (size_t i = 0; i < kWritableMaskWords; ++i) {
    if ((*expected)[i] == 0 && buf->words()[i] != 0 && unused == "zero")
      unused = "slot " + std::to_string(i) + " " + hex(buf->words()[i]);
    if (buf->words()[i] == fill_word && filled == "none") filled = "slot " + std::to_string(i);
  }
  KVMCT_JUDGE((CheckInput{"unused_slots", "", unused, {"zero"},
                          "clear_user of the whole range before put_user of each register with a mask (" +
                              t.tables.file() + ")"}),
              std::nullopt, kIoctl, t.facts);
  KVMCT_JUDGE((CheckInput{"fill_left", "", filled, {"none"}, "clear_user of all 192 words"}), std::nullopt, kIoctl,
              t.facts);
}

// One refused argument: EINVAL, and the pre-filled buffer is untouched (the check precedes clear_user).
class RefusedArgumentTest : public testing::Test {
 public:
  RefusedArgumentTest(std::string check, std::function<void(reg_mask_range&)> spoil)
      : check_(std::move(check)), spoil_(std::move(spoil)) {}
  void TestBody() override {
    KVMCT_SKIP_WITHOUT_IOCTL();
    Reference ref = reference();
    ASSERT_TRUE(ref.vm) << ref.vm.error().to_string();
    Result<GuardedBuffer> buf = GuardedBuffer::create(kMaskBytes);
    ASSERT_TRUE(buf) << buf.error().to_string();
    buf->fill(kUntouchedFill);
    reg_mask_range arg{};
    arg.addr = buf->address();
    spoil_(arg);
    const std::string rule = "range != 0 or reserved != 0 -> EINVAL before clear_user (sys_regs.c)";
    judge_outcome(check_, get_reg_writable_masks(*ref.vm, &arg), "EINVAL", rule);
    const size_t at = buf->first_not(kUntouchedFill);
    KVMCT_JUDGE((CheckInput{"buffer", "", at == buf->accessible() ? "untouched" : "changed at byte " + std::to_string(at),
                            {"untouched"}, rule}),
                std::nullopt, kIoctl, mask_tables().facts);
  }

 private:
  std::string check_;
  std::function<void(reg_mask_range&)> spoil_;
};

// One bad buffer or argument pointer: EFAULT.
class FaultTest : public testing::Test {
 public:
  using Make = std::function<Status(const Vm&)>;
  explicit FaultTest(Make call) : call_(std::move(call)) {}
  void TestBody() override {
    KVMCT_SKIP_WITHOUT_IOCTL();
    Reference ref = reference();
    ASSERT_TRUE(ref.vm) << ref.vm.error().to_string();
    judge_outcome("efault", call_(*ref.vm), "EFAULT",
                  "copy_from_user of the argument (arm.c), clear_user of 1536 bytes at addr (sys_regs.c)");
  }

 private:
  Make call_;
};

Status masks_into(const Vm& vm, uint64_t addr) {
  reg_mask_range arg{};
  arg.addr = addr;
  return get_reg_writable_masks(vm, &arg);
}

void register_fault(const char* name, FaultTest::Make call) {
  testing::RegisterTest("WritableMasksFault", name, nullptr, name, __FILE__, __LINE__,
                        [call]() -> testing::Test* { return new FaultTest(call); });
}

}  // namespace

void register_writable_mask_contract_tests() {
  for (uint32_t range : {1u, 2u, 0xffffffffu}) {
    const std::string name = "Range" + (range == 0xffffffffu ? std::string("0xffffffff") : std::to_string(range));
    testing::RegisterTest("WritableMasksRange", name.c_str(), nullptr, name.c_str(), __FILE__, __LINE__,
                          [range]() -> testing::Test* {
                            return new RefusedArgumentTest("range", [range](reg_mask_range& a) { a.range = range; });
                          });
  }
  for (int word = 0; word < 13; ++word) {
    const std::string name = "Reserved" + std::to_string(word);
    testing::RegisterTest("WritableMasksReserved", name.c_str(), nullptr, name.c_str(), __FILE__, __LINE__,
                          [word]() -> testing::Test* {
                            return new RefusedArgumentTest("reserved",
                                                           [word](reg_mask_range& a) { a.reserved[word] = 1; });
                          });
  }
  register_fault("NullBuffer", [](const Vm& vm) { return masks_into(vm, 0); });
  register_fault("UnmappedBuffer", [](const Vm& vm) -> Status {
    Result<uint64_t> addr = unmapped_address();
    if (!addr) return addr.error();
    return masks_into(vm, *addr);
  });
  register_fault("ReadOnlyBuffer", [](const Vm& vm) -> Status {
    Result<GuardedBuffer> buf = GuardedBuffer::create(kMaskBytes);
    if (!buf) return buf.error();
    if (Status s = buf->make_read_only(); !s) return s;
    return masks_into(vm, buf->address());
  });
  register_fault("LastWordInGuardPage", [](const Vm& vm) -> Status {
    Result<GuardedBuffer> buf = GuardedBuffer::create(kMaskBytes, sizeof(uint64_t));
    if (!buf) return buf.error();
    return masks_into(vm, buf->address());
  });
  register_fault("UnmappedArgument", [](const Vm& vm) -> Status {
    Result<uint64_t> addr = unmapped_address();
    if (!addr) return addr.error();
    return get_reg_writable_masks(vm, reinterpret_cast<const reg_mask_range*>(*addr));
  });
}

}  // namespace kvmct::arm64
