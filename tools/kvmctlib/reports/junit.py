# SPDX-License-Identifier: MIT
# One JUnit XML file per cell, from the cell document, so CI systems show every test and a
# broken cell shows up as an errored test carrying the runner's console excerpt.
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ..judge.records import Cell

# XML 1.0 cannot carry most control characters, and a console excerpt may hold any.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("?", text)


def render(doc: Cell) -> str:
    cell = doc.name
    tests = doc.tests
    runner = doc.runner
    suite = ET.Element("testsuite", name=cell)
    props = ET.SubElement(suite, "properties")
    for key, value in (("arch", doc.arch),
                       ("kernel.package", doc.kernel.get("package", "")),
                       ("kernel.version", doc.kernel.get("version", "")),
                       ("kernel.release", doc.kernel.get("release", "")),
                       ("qemu.version", doc.qemu.get("version", "")),
                       ("qemu.cpu", doc.qemu.get("cpu", "")),
                       ("console_log", doc.console_log)):
        ET.SubElement(props, "property", name=key, value=str(value))
    if doc.kvm_mode:
        ET.SubElement(props, "property", name="kvm_mode", value=doc.kvm_mode)
    failures = skipped = errors = 0
    for test in tests:
        case_el = ET.SubElement(suite, "testcase", name=test.case or test.name,
                                classname=f"{cell}.{test.suite}" if test.suite else cell,
                                time=f"{(test.duration_ms or 0) / 1000:.3f}")
        status, message = test.status, test.message
        if status == "fail":
            failures += 1
            ET.SubElement(case_el, "failure",
                          message=_clean(message.split("\n")[0])).text = _clean(message)
        elif status == "skip":
            skipped += 1
            ET.SubElement(case_el, "skipped", message=_clean(message))
    if runner.status == "broken":
        errors += 1
        case_el = ET.SubElement(suite, "testcase", name="cell", classname=cell, time="0")
        for problem in runner.errors:
            ET.SubElement(case_el, "error", type=problem.kind,
                          message=_clean(problem.message)).text = _clean(problem.excerpt)
    suite.set("tests", str(len(tests) + errors))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("skipped", str(skipped))
    suite.set("time", f"{runner.duration_s:.3f}")
    ET.indent(suite)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suite, encoding="unicode") + "\n"
