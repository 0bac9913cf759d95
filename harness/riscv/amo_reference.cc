// SPDX-License-Identifier: MIT
// AMO semantics from the spec text: load the old value, store op(old, rs2), rd = old
// sign-extended. Signed min/max compare two's complement values of the access width.
#include "riscv/amo_reference.h"

#include <algorithm>

#include "expect/yaml_file.h"

namespace kvmct::riscv {

namespace {

constexpr const char* kOpNames[] = {"swap", "add", "xor", "and", "or", "min", "max", "minu", "maxu"};
constexpr const char* kOrderingSuffix[] = {"", ".aq", ".rl", ".aqrl"};
constexpr const char* kOrderingName[] = {"", "Aq", "Rl", "Aqrl"};

char width_letter(unsigned width) {
  switch (width) {
    case 1: return 'b';
    case 2: return 'h';
    case 4: return 'w';
    default: return 'd';
  }
}

uint64_t mask_of(unsigned width) { return width >= 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * width)) - 1; }

int64_t sign_extend(uint64_t v, unsigned width) {
  const unsigned shift = 64 - 8 * width;
  return static_cast<int64_t>(v << shift) >> shift;
}

}  // namespace

std::string AmoInsn::mnemonic() const {
  return std::string("amo") + kOpNames[static_cast<int>(op)] + "." + width_letter(width) +
         kOrderingSuffix[static_cast<int>(ordering)];
}

std::string AmoInsn::test_name() const {
  std::string name = std::string("Amo") + kOpNames[static_cast<int>(op)];
  name += static_cast<char>(width_letter(width) - 'a' + 'A');
  return name + kOrderingName[static_cast<int>(ordering)];
}

std::vector<AmoInsn> zaamo_instructions() {
  std::vector<AmoInsn> out;
  for (int op = 0; op <= static_cast<int>(AmoOp::Maxu); op++)
    for (unsigned width : {4u, 8u})
      for (int ord = 0; ord <= static_cast<int>(AmoOrdering::AqRl); ord++)
        out.push_back({static_cast<AmoOp>(op), width, static_cast<AmoOrdering>(ord)});
  return out;
}

AmoOutcome amo_reference(AmoOp op, unsigned width, uint64_t mem, uint64_t rs2) {
  const uint64_t mask = mask_of(width);
  const uint64_t old = mem & mask;
  const uint64_t src = rs2 & mask;
  const int64_t old_s = sign_extend(old, width), src_s = sign_extend(src, width);
  uint64_t result = 0;
  switch (op) {
    case AmoOp::Swap: result = src; break;
    case AmoOp::Add: result = old + src; break;
    case AmoOp::Xor: result = old ^ src; break;
    case AmoOp::And: result = old & src; break;
    case AmoOp::Or: result = old | src; break;
    case AmoOp::Min: result = static_cast<uint64_t>(std::min(old_s, src_s)); break;
    case AmoOp::Max: result = static_cast<uint64_t>(std::max(old_s, src_s)); break;
    case AmoOp::Minu: result = std::min(old, src); break;
    case AmoOp::Maxu: result = std::max(old, src); break;
  }
  return {static_cast<uint64_t>(old_s), (mem & ~mask) | (result & mask)};
}

Result<AmoVectors> AmoVectors::parse(std::string_view text, const std::string& file) {
  YamlFile yaml(file);
  return parse_yaml<AmoVectors>(yaml, [&]() -> AmoVectors {
    const YAML::Node root = yaml.load(text);
    yaml.only_keys(root, {"w", "d"}, "the vector file");
    auto u64 = [&](const YAML::Node& n, std::string_view what, uint64_t limit) {
      uint64_t v = 0;
      if (!n.IsScalar() || n.Scalar().empty() || n.Scalar()[0] == '-' || !YAML::convert<uint64_t>::decode(n, v))
        yaml.fail(n, std::string(what) + " must be an unsigned integer (write negative values as hex)");
      if (v > limit) yaml.fail(n, std::string(what) + " " + n.Scalar() + " does not fit the width");
      return v;
    };
    auto width = [&](const char* key, unsigned bytes) {
      const YAML::Node node = yaml.required(root, key, "the vector file");
      const std::string what = std::string("'") + key + "'";
      yaml.only_keys(node, {"values", "rs2_upper", "mem_upper"}, what);
      Width w;
      const YAML::Node values = yaml.required(node, "values", what);
      if (!values.IsSequence() || values.size() == 0) yaml.fail(values, what + " values must be a non-empty list");
      for (const YAML::Node& v : values) {
        const uint64_t value = u64(v, "a value", mask_of(bytes));
        if (std::find(w.values.begin(), w.values.end(), value) != w.values.end())
          yaml.fail(v, "value " + v.Scalar() + " is listed twice");
        w.values.push_back(value);
      }
      const uint64_t upper_limit = bytes >= 8 ? 0 : mask_of(8 - bytes);
      if (const YAML::Node n = node["rs2_upper"]) w.rs2_upper = u64(n, "rs2_upper", upper_limit);
      if (const YAML::Node n = node["mem_upper"]) w.mem_upper = u64(n, "mem_upper", upper_limit);
      return w;
    };
    AmoVectors out;
    out.w = width("w", 4);
    out.d = width("d", 8);
    return out;
  });
}

std::vector<AmoVector> AmoVectors::vectors(unsigned width) const {
  const Width& src = width == 8 ? d : w;
  const unsigned shift = 8 * width;
  std::vector<AmoVector> out;
  for (uint64_t mem : src.values)
    for (uint64_t rs2 : src.values) {
      if (width >= 8) out.push_back({mem, rs2});
      else out.push_back({mem | (src.mem_upper << shift), rs2 | (src.rs2_upper << shift)});
    }
  return out;
}

}  // namespace kvmct::riscv
