# SPDX-License-Identifier: MIT
# ci/validation-mutants' own logic on a synthetic loader: which checks it finds (not a
# definition, not text in comments or strings), the operands of their guards, and the schema.
from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from kvmctlib.paths import repo_root

LOADER = """\
void YamlFile::fail(const Node& at) const { throw YamlError("x"); }
// y.fail(n, "in a comment");
void load(const YamlFile& y, const Node& n) {
  y.only_keys(n, {"a"}, "it");
  if (n.size() != 1 || n.IsMap()) y.fail(n, "one (a) item");
  for (const auto& e : n)
    if (e.ok() && !e.done())
      y.fail(e, "a string with fail(x) inside");
  const char* s = "y.fail(n)";
}
"""


def script() -> ModuleType:
    path = repo_root() / "ci" / "validation-mutants"
    loader = importlib.machinery.SourceFileLoader("validation_mutants", str(path))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[loader.name] = module  # dataclasses look their module up
    loader.exec_module(module)
    return module


def test_finds_checks_and_guard_operands(tmp_path: Path) -> None:
    vm = script()
    (tmp_path / "loader.cc").write_text(LOADER)
    found = [(m.line, m.replacement, LOADER[m.start:m.end]) for m in vm.find_mutants(tmp_path, "loader.cc")]
    assert found == [
        (1, "(void)0", 'throw YamlError("x")'),
        (4, "(void)0", 'y.only_keys(n, {"a"}, "it")'),
        (5, "(void)0", 'y.fail(n, "one (a) item")'),
        (5, "false", "n.size() != 1"),
        (5, "false", "n.IsMap()"),
        (8, "(void)0", 'y.fail(e, "a string with fail(x) inside")'),
        (7, "true", "e.ok()"),
        (7, "true", "!e.done()"),
    ]


def test_schema_switches_each_mutant_by_number(tmp_path: Path) -> None:
    vm = script()
    (tmp_path / "loader.cc").write_text(LOADER)
    mutants = vm.find_mutants(tmp_path, "loader.cc")
    out = vm.instrument(LOADER, list(enumerate(mutants)))
    assert out.startswith(vm.PRELUDE)
    body = out[len(vm.PRELUDE):]
    assert body.count("\n") == LOADER.count("\n"), "line numbers stay those of the source"
    assert 'if ((kvmct_mutant_on(3) ? false : (n.size() != 1)) || (kvmct_mutant_on(4) ? false : (n.IsMap()))) ' \
           '(kvmct_mutant_on(2) ? (void)0 : y.fail(n, "one (a) item"));' in body
    assert '(kvmct_mutant_on(0) ? (void)0 : throw YamlError("x"));' in body
