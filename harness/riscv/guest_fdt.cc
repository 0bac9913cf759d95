// SPDX-License-Identifier: MIT
// Guest device tree with libfdt's sequential-write API.
#include "riscv/guest_fdt.h"

#include <libfdt.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>

#include "riscv/vcpu_exit.h"

namespace kvmct::riscv {

namespace {

// Canonical order of single-letter extensions (unprivileged spec, "ISA Extension Naming").
constexpr std::string_view kLetterOrder = "imafdqcbkjtpvh";

size_t rank(const std::string& ext) {
  if (ext.size() != 1) return kLetterOrder.size();
  size_t pos = kLetterOrder.find(ext[0]);
  return pos == std::string_view::npos ? kLetterOrder.size() : pos;
}

class FdtWriter {
 public:
  explicit FdtWriter(size_t size) : blob_(size) { check(fdt_create(blob_.data(), size), "fdt_create"); }
  void begin(const char* name) { check(fdt_begin_node(blob_.data(), name), name); }
  void end() { check(fdt_end_node(blob_.data()), "end node"); }
  void u32(const char* name, uint32_t v) { check(fdt_property_u32(blob_.data(), name, v), name); }
  void str(const char* name, const std::string& v) { check(fdt_property_string(blob_.data(), name, v.c_str()), name); }
  void raw(const char* name, const void* data, size_t len) {
    check(fdt_property(blob_.data(), name, data, static_cast<int>(len)), name);
  }
  void reg64(const char* name, uint64_t addr, uint64_t size) {
    const fdt64_t cells[2] = {cpu_to_fdt64(addr), cpu_to_fdt64(size)};
    raw(name, cells, sizeof cells);
  }
  void string_list(const char* name, const std::vector<std::string>& items) {
    std::string packed;
    for (const std::string& s : items) packed.append(s).push_back('\0');
    raw(name, packed.data(), packed.size());
  }
  void reserve_map_done() { check(fdt_finish_reservemap(blob_.data()), "fdt_finish_reservemap"); }
  Result<std::vector<uint8_t>> finish() {
    check(fdt_finish(blob_.data()), "fdt_finish");
    if (error_) return *error_;
    blob_.resize(fdt_totalsize(blob_.data()));
    return std::move(blob_);
  }

 private:
  void check(int r, const char* what) {
    if (r < 0 && !error_) error_ = Error{0, std::string("building guest device tree: ") + what + ": " + fdt_strerror(r)};
  }
  std::vector<uint8_t> blob_;
  std::optional<Error> error_;
};

}  // namespace

std::string isa_string(const std::vector<std::string>& extensions) {
  std::string letters, multi;
  for (const std::string& e : extensions) {
    if (e.size() == 1) letters += e;
    else multi += "_" + e;
  }
  return "rv64" + letters + multi;
}

Result<std::vector<uint8_t>> build_guest_fdt(const GuestFdtSpec& spec) {
  FdtWriter w(16 * 1024);
  w.reserve_map_done();
  w.begin("");
  w.u32("#address-cells", 2);
  w.u32("#size-cells", 2);
  w.str("compatible", "kvmct,guest");
  w.str("model", "kvmct guest payload");
  w.begin("chosen");
  w.end();
  const std::string memory = "memory@" + hex(spec.ram_base).substr(2);
  w.begin(memory.c_str());
  w.str("device_type", "memory");
  w.reg64("reg", spec.ram_base, spec.ram_size);
  w.end();
  w.begin("cpus");
  w.u32("#address-cells", 1);
  w.u32("#size-cells", 0);
  for (unsigned hart = 0; hart < spec.harts; hart++) {
    const std::string cpu = "cpu@" + std::to_string(hart);
    w.begin(cpu.c_str());
    w.str("device_type", "cpu");
    w.u32("reg", hart);
    w.str("compatible", "riscv");
    w.str("status", "okay");
    w.str("riscv,isa-base", "rv64i");
    w.str("riscv,isa", isa_string(spec.isa_extensions));
    w.string_list("riscv,isa-extensions", spec.isa_extensions);
    w.end();
  }
  w.end();
  w.end();
  return w.finish();
}

Result<std::vector<std::string>> enabled_isa_extensions(const Vcpu& vcpu, const IsaExtNamer& namer) {
  Result<std::vector<uint64_t>> ids = vcpu.reg_list();
  if (!ids) return ids.error();
  std::vector<std::string> out;
  for (uint64_t raw : *ids) {
    const RegId id(raw);
    if (!id.is_isa_ext_single()) continue;
    Result<uint64_t> on = vcpu.get_reg(raw);
    if (!on) return on.error();
    if (*on != 1) continue;
    std::optional<std::string> name = namer ? namer(id.index()) : std::nullopt;
    if (!name) continue;
    std::transform(name->begin(), name->end(), name->begin(), [](unsigned char c) { return std::tolower(c); });
    out.push_back(*name);
  }
  std::sort(out.begin(), out.end(), [](const std::string& a, const std::string& b) {
    return rank(a) != rank(b) ? rank(a) < rank(b) : a < b;
  });
  return out;
}

}  // namespace kvmct::riscv
