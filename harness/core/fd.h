// SPDX-License-Identifier: MIT
// Owning file descriptor and memory mapping: each closes or unmaps exactly once.
#pragma once

#include <cstddef>
#include <string>
#include <utility>

#include "core/result.h"

namespace kvmct {

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  Fd& operator=(Fd&& o) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd();

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

class Mapping {
 public:
  Mapping() = default;
  Mapping(Mapping&& o) noexcept
      : addr_(std::exchange(o.addr_, nullptr)), size_(std::exchange(o.size_, 0)) {}
  Mapping& operator=(Mapping&& o) noexcept;
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  ~Mapping();

  // Anonymous private memory, e.g. guest RAM.
  static Result<Mapping> anonymous(size_t size);
  // A shared mapping of fd, e.g. the vCPU's struct kvm_run.
  static Result<Mapping> of_fd(const Fd& fd, size_t size, std::string what);

  void* data() const { return addr_; }
  size_t size() const { return size_; }
  template <class T>
  T* as() const { return static_cast<T*>(addr_); }

 private:
  Mapping(void* addr, size_t size) : addr_(addr), size_(size) {}
  void* addr_ = nullptr;
  size_t size_ = 0;
};

}  // namespace kvmct
