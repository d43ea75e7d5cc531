"""JUnit XML: one test case per rule and file, failing with its findings."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from copilot.findings.model import Finding


def render(findings: list[Finding], files: list[str]) -> str:
    suite = ET.Element("testsuite", name="devops-copilot")
    by_file: dict[str, list[Finding]] = {path: [] for path in files}
    for f in findings:
        by_file.setdefault(f.location.path, []).append(f)
    failures = 0
    for path, items in sorted(by_file.items()):
        case = ET.SubElement(suite, "testcase", classname="devops-copilot", name=path)
        for f in items:
            failures += 1
            failure = ET.SubElement(
                case,
                "failure",
                type=f.rule_id,
                message=f"{f.rule_id} [{f.severity.label}] {f.message}",
            )
            failure.text = f"{f.location.path}:{f.location.line}:{f.location.column}: {f.title}"
    suite.set("tests", str(len(by_file)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    ET.indent(suite)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suite, encoding="unicode") + "\n"
    )
