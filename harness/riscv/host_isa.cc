// SPDX-License-Identifier: MIT
// Reading the host ISA from the flattened device tree with libfdt.
#include "riscv/host_isa.h"

extern "C" {
#include <libfdt.h>
}

#include <algorithm>
#include <cctype>

#include "core/file_bytes.h"

namespace kvmct::riscv {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

// A property holding a list of NUL-terminated strings.
std::vector<std::string> string_list(const void* blob, int node, const char* prop) {
  int len = 0;
  const char* p = static_cast<const char*>(fdt_getprop(blob, node, prop, &len));
  std::vector<std::string> out;
  if (!p || len <= 0) return out;
  for (const char* end = p + len; p < end; p += std::char_traits<char>::length(p) + 1) out.push_back(lower(p));
  return out;
}

}  // namespace

std::set<std::string> HostIsa::parse_isa_string(std::string_view isa) {
  std::set<std::string> out;
  std::string s = lower(isa);
  if (s.rfind("rv32", 0) == 0 || s.rfind("rv64", 0) == 0) s = s.substr(4);
  size_t pos = 0;
  // Single letters up to the first underscore or multi-letter prefix (z, s, x).
  while (pos < s.size() && s[pos] != '_' && s[pos] != 'z' && s[pos] != 's' && s[pos] != 'x') {
    if (std::isalpha(static_cast<unsigned char>(s[pos]))) out.insert(std::string(1, s[pos]));
    ++pos;
  }
  while (pos < s.size()) {
    if (s[pos] == '_') {
      ++pos;
      continue;
    }
    size_t end = s.find('_', pos);
    out.insert(s.substr(pos, end == std::string::npos ? std::string::npos : end - pos));
    pos = end == std::string::npos ? s.size() : end;
  }
  if (out.count("g")) out.insert({"i", "m", "a", "f", "d", "zicsr", "zifencei"});
  return out;
}

Result<HostIsa> HostIsa::from_fdt(const void* blob, size_t size) {
  if (size < sizeof(fdt_header) || fdt_check_header(blob) != 0 || fdt_totalsize(blob) > size)
    return Error{0, "device tree: not a valid flattened device tree (" + std::to_string(size) + " bytes)"};
  int cpus = fdt_path_offset(blob, "/cpus");
  if (cpus < 0) return Error{0, "device tree: no /cpus node"};
  HostIsa isa;
  bool first = true;
  int node;
  fdt_for_each_subnode(node, blob, cpus) {
    int len = 0;
    const char* type = static_cast<const char*>(fdt_getprop(blob, node, "device_type", &len));
    if (!type || std::string_view(type) != "cpu") continue;
    const char* status = static_cast<const char*>(fdt_getprop(blob, node, "status", &len));
    if (status && std::string_view(status) != "okay" && std::string_view(status) != "ok") continue;
    std::set<std::string> hart;
    std::vector<std::string> exts = string_list(blob, node, "riscv,isa-extensions");
    const std::vector<std::string> isa_prop = string_list(blob, node, "riscv,isa");
    if (!exts.empty()) {
      hart.insert(exts.begin(), exts.end());
      isa.source = "riscv,isa-extensions";
    } else if (!isa_prop.empty()) {
      hart = parse_isa_string(isa_prop.front());
      isa.source = "riscv,isa";
    } else {
      return Error{0, "device tree: cpu node " + std::string(fdt_get_name(blob, node, nullptr)) +
                          " has neither riscv,isa-extensions nor riscv,isa"};
    }
    if (first) {
      isa.extensions = std::move(hart);
      if (!isa_prop.empty()) isa.isa_string = isa_prop.front();
      first = false;
    } else {
      std::set<std::string> common;
      std::set_intersection(isa.extensions.begin(), isa.extensions.end(), hart.begin(), hart.end(),
                            std::inserter(common, common.end()));
      isa.extensions = std::move(common);
    }
    ++isa.harts;
  }
  if (isa.harts == 0) return Error{0, "device tree: /cpus has no enabled cpu node"};
  return isa;
}

Result<HostIsa> HostIsa::read(const std::string& path) {
  Result<std::vector<char>> blob = read_file_bytes(path);
  if (!blob) return blob.error();
  Result<HostIsa> isa = from_fdt(blob->data(), blob->size());
  if (!isa) return Error{0, path + ": " + isa.error().what};
  return isa;
}

}  // namespace kvmct::riscv
