// SPDX-License-Identifier: MIT
// ioctl wrappers for /dev/kvm, VM and vCPU file descriptors.
#include "core/kvm.h"

#include <fcntl.h>
#include <sys/ioctl.h>

#include <cerrno>
#include <cstring>

namespace kvmct {

Result<KvmSystem> KvmSystem::open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) return errno_error("open " + path);
  return KvmSystem(Fd(fd));
}

Result<int> KvmSystem::api_version() const {
  int r = ::ioctl(fd_.get(), KVM_GET_API_VERSION, 0);
  if (r < 0) return errno_error("KVM_GET_API_VERSION");
  return r;
}

Result<int> KvmSystem::check_extension(long cap) const {
  int r = ::ioctl(fd_.get(), KVM_CHECK_EXTENSION, cap);
  if (r < 0) return errno_error("KVM_CHECK_EXTENSION " + std::to_string(cap));
  return r;
}

Result<int> KvmSystem::vcpu_mmap_size() const {
  int r = ::ioctl(fd_.get(), KVM_GET_VCPU_MMAP_SIZE, 0);
  if (r < 0) return errno_error("KVM_GET_VCPU_MMAP_SIZE");
  return r;
}

Result<Vm> KvmSystem::create_vm(RegNamer namer) const {
  Result<int> run_size = vcpu_mmap_size();
  if (!run_size) return run_size.error();
  int fd;
  do {
    fd = ::ioctl(fd_.get(), KVM_CREATE_VM, 0);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return errno_error("KVM_CREATE_VM");
  return Vm(Fd(fd), static_cast<size_t>(*run_size), std::move(namer));
}

Result<Vcpu> Vm::create_vcpu(unsigned id) {
  int fd = ::ioctl(fd_.get(), KVM_CREATE_VCPU, static_cast<unsigned long>(id));
  if (fd < 0) return errno_error("KVM_CREATE_VCPU " + std::to_string(id));
  Fd vcpu_fd(fd);
  Result<Mapping> run = Mapping::of_fd(vcpu_fd, run_size_, "kvm_run of vCPU " + std::to_string(id));
  if (!run) return run.error();
  return Vcpu(id, std::move(vcpu_fd), std::move(*run), namer_);
}

Status Vm::set_memory(uint32_t slot, uint64_t gpa, const Mapping& memory, uint32_t flags) {
  kvm_userspace_memory_region region{};
  region.slot = slot;
  region.flags = flags;
  region.guest_phys_addr = gpa;
  region.memory_size = memory.size();
  region.userspace_addr = reinterpret_cast<uint64_t>(memory.data());
  if (::ioctl(fd_.get(), KVM_SET_USER_MEMORY_REGION, &region) < 0)
    return errno_error("KVM_SET_USER_MEMORY_REGION slot " + std::to_string(slot));
  return Ok{};
}

Result<int> Vm::check_extension(long cap) const {
  int r = ::ioctl(fd_.get(), KVM_CHECK_EXTENSION, cap);
  if (r < 0) return errno_error("KVM_CHECK_EXTENSION(vm) " + std::to_string(cap));
  return r;
}

Status Vm::enable_cap(uint32_t cap, uint64_t arg0) {
  kvm_enable_cap req{};
  req.cap = cap;
  req.args[0] = arg0;
  if (::ioctl(fd_.get(), KVM_ENABLE_CAP, &req) < 0) return errno_error("KVM_ENABLE_CAP(vm) " + std::to_string(cap));
  return Ok{};
}

Result<uint64_t> Vcpu::get_reg(uint64_t id) const {
  const size_t size = size_t{1} << ((id & KVM_REG_SIZE_MASK) >> KVM_REG_SIZE_SHIFT);
  if (size > sizeof(uint64_t)) return Error{EINVAL, "KVM_GET_ONE_REG " + reg_name(id) + ": register wider than 8 bytes"};
  Result<std::vector<uint8_t>> bytes = get_reg_bytes(id);
  if (!bytes) return bytes.error();
  uint64_t value = 0;
  std::memcpy(&value, bytes->data(), bytes->size());
  return value;
}

Result<std::vector<uint8_t>> Vcpu::get_reg_bytes(uint64_t id) const {
  std::vector<uint8_t> value(size_t{1} << ((id & KVM_REG_SIZE_MASK) >> KVM_REG_SIZE_SHIFT));
  kvm_one_reg reg{id, reinterpret_cast<uint64_t>(value.data())};
  if (::ioctl(fd_.get(), KVM_GET_ONE_REG, &reg) < 0) return errno_error("KVM_GET_ONE_REG " + reg_name(id));
  return value;
}

Status Vcpu::set_reg(uint64_t id, uint64_t value) {
  kvm_one_reg reg{id, reinterpret_cast<uint64_t>(&value)};
  const size_t size = size_t{1} << ((id & KVM_REG_SIZE_MASK) >> KVM_REG_SIZE_SHIFT);
  if (size > sizeof value) return Error{EINVAL, "KVM_SET_ONE_REG " + reg_name(id) + ": register wider than 8 bytes"};
  if (::ioctl(fd_.get(), KVM_SET_ONE_REG, &reg) < 0)
    return errno_error("KVM_SET_ONE_REG " + reg_name(id) + " = " + std::to_string(value));
  return Ok{};
}

Result<std::vector<uint64_t>> Vcpu::reg_list(uint64_t capacity, uint64_t* needed) const {
  std::vector<uint64_t> buf(sizeof(kvm_reg_list) / sizeof(uint64_t) + capacity);
  auto* list = reinterpret_cast<kvm_reg_list*>(buf.data());
  list->n = capacity;
  int r = ::ioctl(fd_.get(), KVM_GET_REG_LIST, list);
  if (needed) *needed = list->n;
  if (r < 0) return errno_error("KVM_GET_REG_LIST with room for " + std::to_string(capacity));
  return std::vector<uint64_t>(list->reg, list->reg + list->n);
}

Result<std::vector<uint64_t>> Vcpu::reg_list() const {
  uint64_t needed = 0;
  Result<std::vector<uint64_t>> probe = reg_list(0, &needed);
  if (probe) return probe;
  if (probe.err() != E2BIG) return probe.error();
  return reg_list(needed);
}

Status Vcpu::set_mp_state(uint32_t state) {
  kvm_mp_state mp{state};
  if (::ioctl(fd_.get(), KVM_SET_MP_STATE, &mp) < 0)
    return errno_error("KVM_SET_MP_STATE vCPU " + std::to_string(id_));
  return Ok{};
}

Status Vcpu::run() {
  if (::ioctl(fd_.get(), KVM_RUN, 0) < 0) return errno_error("KVM_RUN vCPU " + std::to_string(id_));
  return Ok{};
}

}  // namespace kvmct
