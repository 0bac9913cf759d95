// SPDX-License-Identifier: MIT
// Errors as values: every harness call returns Result<T>, carrying errno and what was
// attempted ("KVM_SET_ONE_REG ISA_EXT.SINGLE(ZAAMO)"), so negative tests can match errno.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <variant>

namespace kvmct {

// "0x" and lower-case hex digits: how every message spells addresses and register values.
std::string hex(uint64_t value);

struct Error {
  int err = 0;           // errno value, 0 for errors that are not system call failures
  std::string what;      // the operation and its object, e.g. "KVM_GET_ONE_REG CONFIG(isa)"

  std::string to_string() const {
    if (err == 0) return what;
    return what + ": " + errno_name(err) + " (" + std::strerror(err) + ")";
  }
  static std::string errno_name(int err);
};

// A value or an Error. Kept minimal on purpose: C++20 has no std::expected.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error error) : v_(std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(v_); }
  // errno of the failure, 0 on success: lets tests write EXPECT_EQ(r.err(), EINVAL).
  int err() const { return ok() ? 0 : error().err; }

 private:
  std::variant<T, Error> v_;
};

struct Ok {};
using Status = Result<Ok>;

inline Error errno_error(std::string what) { return Error{errno, std::move(what)}; }

}  // namespace kvmct
