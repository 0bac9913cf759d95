// SPDX-License-Identifier: MIT
// The three KVM objects, each owning its fd: the system (/dev/kvm), a VM, a vCPU.
// Each ioctl is wrapped exactly once here; failures come back as values naming the ioctl
// and its object. Nothing here exits or aborts.
#pragma once

#include <linux/kvm.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/fd.h"
#include "core/result.h"

namespace kvmct {

// Turns a ONE_REG id into a readable name for error messages; arch code provides it.
using RegNamer = std::function<std::string(uint64_t id)>;

class Vcpu {
 public:
  Vcpu(Vcpu&&) noexcept = default;
  Vcpu& operator=(Vcpu&&) noexcept = default;

  unsigned id() const { return id_; }
  int fd() const { return fd_.get(); }

  // KVM_GET_ONE_REG / KVM_SET_ONE_REG for registers of up to 8 bytes; the id's size field
  // decides how many bytes move, so a wrong-size id reaches the kernel unchanged.
  Result<uint64_t> get_reg(uint64_t id) const;
  // KVM_GET_ONE_REG of any size (a vector register is vlenb bytes): the one wrapper of the ioctl.
  Result<std::vector<uint8_t>> get_reg_bytes(uint64_t id) const;
  Status set_reg(uint64_t id, uint64_t value);
  // KVM_GET_REG_LIST with room for `capacity` ids; E2BIG leaves the needed count in *needed.
  Result<std::vector<uint64_t>> reg_list(uint64_t capacity, uint64_t* needed = nullptr) const;
  // All ids, sized by a first probing call.
  Result<std::vector<uint64_t>> reg_list() const;
  Status set_mp_state(uint32_t state);
  // One KVM_RUN. The exit is left in state(); decoding it is arch code's job.
  Status run();
  kvm_run* state() const { return run_.as<kvm_run>(); }

  std::string reg_name(uint64_t id) const { return namer_ ? namer_(id) : std::to_string(id); }

 private:
  friend class Vm;
  Vcpu(unsigned id, Fd fd, Mapping run, RegNamer namer)
      : id_(id), fd_(std::move(fd)), run_(std::move(run)), namer_(std::move(namer)) {}
  unsigned id_;
  Fd fd_;
  Mapping run_;
  RegNamer namer_;
};

class Vm {
 public:
  Vm(Vm&&) noexcept = default;
  Vm& operator=(Vm&&) noexcept = default;

  int fd() const { return fd_.get(); }
  Result<Vcpu> create_vcpu(unsigned id);
  // KVM_SET_USER_MEMORY_REGION: guest-physical [gpa, gpa + memory.size()) backed by memory.
  Status set_memory(uint32_t slot, uint64_t gpa, const Mapping& memory, uint32_t flags = 0);
  Result<int> check_extension(long cap) const;
  // KVM_ENABLE_CAP on the VM (api.rst 4.37): `cap` with args[0] = arg0, flags 0.
  Status enable_cap(uint32_t cap, uint64_t arg0 = 0);

 private:
  friend class KvmSystem;
  Vm(Fd fd, size_t run_size, RegNamer namer) : fd_(std::move(fd)), run_size_(run_size), namer_(std::move(namer)) {}
  Fd fd_;
  size_t run_size_;
  RegNamer namer_;
};

class KvmSystem {
 public:
  static Result<KvmSystem> open(const std::string& path = "/dev/kvm");

  Result<int> api_version() const;
  Result<int> check_extension(long cap) const;
  Result<int> vcpu_mmap_size() const;
  Result<Vm> create_vm(RegNamer namer = {}) const;

 private:
  explicit KvmSystem(Fd fd) : fd_(std::move(fd)) {}
  Fd fd_;
};

}  // namespace kvmct
