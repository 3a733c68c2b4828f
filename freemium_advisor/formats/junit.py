"""``check --format junit``: JUnit XML, a test case per feature and per catalog check.

A finding at or above ``--fail-on`` is a ``<failure>``; a finding below it is written to the
test case's ``system-out``; a suppressed one too, saying why. A feature's test case with a
finding has the property ``evidence``: what its advice rests on (``answered``, ``inferred`` or ``none``, the
``evidence`` of the feature in the JSON). A file is a test suite. XML 1.0 allows no control
character: names and messages show them as escapes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from freemium_advisor.base.escaping import text_line
from freemium_advisor.reading.checkcatalog import load_checks


def _case(suite: ET.Element, classname: str, name: str, findings, run,
          evidence: str | None = None) -> tuple[int, int]:
    case = ET.SubElement(suite, "testcase", classname=text_line(classname), name=text_line(name))
    if evidence is not None:
        properties = ET.SubElement(case, "properties")
        ET.SubElement(properties, "property", name="evidence", value=evidence)
    failures = 0
    notes = []
    for f in findings:
        line = text_line(f"{f.file}:{f.line}:{f.column}: {f.severity} [{f.check}] {f.message}")
        if f.suppression is not None:
            notes.append(f"suppressed ({f.suppression.kind}: {text_line(f.suppression.explained())}): {line}")
        elif run.fails(f):
            failures += 1
            failure = ET.SubElement(case, "failure", type=f.check, message=text_line(f.message))
            failure.text = line
        else:
            notes.append(line)
    if notes:
        ET.SubElement(case, "system-out").text = "\n".join(notes)
    return 1, failures


def render_check(run, options=None) -> str:
    """A ``testsuites`` document: one suite per file, cases for features and catalog checks."""
    root = ET.Element("testsuites", name="freemium-advisor check")
    catalog = [s for s in load_checks() if s.scope != "feature"]
    total = failed = 0
    for analysis in run.results:
        suite = ET.SubElement(root, "testsuite", name=text_line(analysis.path))
        everything = analysis.findings + analysis.suppressed
        tests = failures = 0
        for a in analysis.assessments:
            mine = [f for f in everything if f.feature == a.feature.id and f.check != "stale-waiver"
                    and f.check != "expired-waiver"]
            t, fl = _case(suite, analysis.path, f"feature {a.feature.id}", mine, run,
                          a.evidence if mine else None)
            tests, failures = tests + t, failures + fl
        for spec in catalog:
            mine = [f for f in everything if f.check == spec.id]
            t, fl = _case(suite, analysis.path, f"check {spec.id}", mine, run)
            tests, failures = tests + t, failures + fl
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        total, failed = total + tests, failed + failures
    root.set("tests", str(total))
    root.set("failures", str(failed))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
