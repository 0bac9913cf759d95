// SPDX-License-Identifier: MIT
// AMO semantics from the spec text: load the old value, store op(old, rs2), rd = old
// sign-extended. Signed min/max compare two's complement values of the access width.
// AMOCAS (Zacas, Zabha): load the old value, store rs2 only if it equals rd's value of the
// access width, rd = old sign-extended; AMOCAS.Q uses even/odd register pairs on RV64.
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
    case 16: return 'q';
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

namespace {
std::vector<AmoInsn> amo_table(unsigned narrow, unsigned wide) {
  std::vector<AmoInsn> out;
  for (int op = 0; op <= static_cast<int>(AmoOp::Maxu); op++)
    for (unsigned width : {narrow, wide})
      for (int ord = 0; ord <= static_cast<int>(AmoOrdering::AqRl); ord++)
        out.push_back({static_cast<AmoOp>(op), width, static_cast<AmoOrdering>(ord)});
  return out;
}
}  // namespace

std::vector<AmoInsn> zaamo_instructions() { return amo_table(4, 8); }
std::vector<AmoInsn> zabha_instructions() { return amo_table(1, 2); }

std::vector<AmoInsn> amo_instructions() {
  std::vector<AmoInsn> out = zaamo_instructions();
  const std::vector<AmoInsn> narrow = zabha_instructions();
  out.insert(out.end(), narrow.begin(), narrow.end());
  return out;
}

std::string CasInsn::mnemonic() const {
  return std::string("amocas.") + width_letter(width) + kOrderingSuffix[static_cast<int>(ordering)];
}

std::string CasInsn::test_name() const {
  return std::string("Amocas") + static_cast<char>(width_letter(width) - 'a' + 'A') +
         kOrderingName[static_cast<int>(ordering)];
}

std::string CasInsn::extension() const { return width < 4 ? "ZABHA" : "ZACAS"; }

std::vector<CasInsn> cas_instructions() {
  std::vector<CasInsn> out;
  for (unsigned width : {1u, 2u, 4u, 8u, 16u})
    for (int ord = 0; ord <= static_cast<int>(AmoOrdering::AqRl); ord++)
      out.push_back({width, static_cast<AmoOrdering>(ord)});
  return out;
}

AmoOutcome cas_reference(unsigned width, uint64_t mem, uint64_t cmp, uint64_t swap) {
  const uint64_t mask = mask_of(width);
  const uint64_t old = mem & mask;
  const uint64_t stored = old == (cmp & mask) ? (mem & ~mask) | (swap & mask) : mem;
  return {static_cast<uint64_t>(sign_extend(old, width)), stored};
}

CasQOutcome cas_q_reference(U128 mem, U128 cmp, U128 swap) { return {mem, mem == cmp ? swap : mem}; }

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
    yaml.only_keys(root, {"b", "h", "w", "d"}, "the vector file");
    auto u64 = [&](const YAML::Node& n, std::string_view what, uint64_t limit) {
      uint64_t v = 0;
      // decode refuses non-scalars, empty text and a leading '-' for unsigned types (convert.h).
      if (!YAML::convert<uint64_t>::decode(n, v))
        yaml.fail(n, std::string(what) + " must be an unsigned integer (write negative values as hex)");
      if (v > limit) yaml.fail(n, std::string(what) + " " + n.Scalar() + " does not fit the width");
      return v;
    };
    auto width = [&](const char* key, unsigned bytes) {
      const YAML::Node node = yaml.required(root, key, "the vector file");
      const std::string what = std::string("'") + key + "'";
      yaml.only_keys(node, {"values", "rs2_upper", "mem_upper", "cmp_upper"}, what);
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
      if (const YAML::Node n = node["cmp_upper"]) w.cmp_upper = u64(n, "cmp_upper", upper_limit);
      return w;
    };
    AmoVectors out;
    out.w = width("w", 4);
    out.d = width("d", 8);
    out.b = width("b", 1);
    out.h = width("h", 2);
    return out;
  });
}

namespace {
const AmoVectors::Width& width_of(const AmoVectors& v, unsigned width) {
  switch (width) {
    case 1: return v.b;
    case 2: return v.h;
    case 4: return v.w;
    default: return v.d;
  }
}
}  // namespace

std::vector<AmoVector> AmoVectors::vectors(unsigned width) const {
  const Width& src = width_of(*this, width);
  const unsigned shift = 8 * width;
  std::vector<AmoVector> out;
  for (uint64_t mem : src.values)
    for (uint64_t rs2 : src.values) {
      if (width >= 8) out.push_back({mem, rs2});
      else out.push_back({mem | (src.mem_upper << shift), rs2 | (src.rs2_upper << shift)});
    }
  return out;
}

std::vector<CasVector> AmoVectors::cas_vectors(unsigned width) const {
  const Width& src = width_of(*this, width);
  const unsigned shift = 8 * width;
  const uint64_t upper = width >= 8 ? 0 : src.cmp_upper << shift;
  const uint64_t sign_bit = uint64_t{1} << (shift - 1);
  std::vector<CasVector> out;
  for (const AmoVector& v : vectors(width)) {
    const uint64_t value = v.mem & mask_of(width);
    out.push_back({v.mem, upper | value, v.rs2});
    out.push_back({v.mem, upper | (value ^ sign_bit), v.rs2});
  }
  return out;
}

std::vector<CasQVector> AmoVectors::cas_q_vectors() const {
  const std::vector<uint64_t>& v = d.values;
  const size_t n = v.size();
  constexpr uint64_t kBit63 = uint64_t{1} << 63;
  std::vector<CasQVector> out;
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++) {
      const U128 mem{v[i], v[(i + 1) % n]}, swap{v[j], v[(j + 1) % n]};
      out.push_back({mem, mem, swap});
      out.push_back({mem, {mem.lo ^ kBit63, mem.hi}, swap});
      out.push_back({mem, {mem.lo, mem.hi ^ kBit63}, swap});
    }
  return out;
}

}  // namespace kvmct::riscv
