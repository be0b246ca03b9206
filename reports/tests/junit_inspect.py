"""Parse a junit.xml with the standard library's XML parser and print what a CI server would see."""
import json
import sys
import xml.etree.ElementTree as ET

root = ET.parse(sys.argv[1]).getroot()
suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
out = {"root": root.tag, "root_attrib": dict(root.attrib), "suites": []}
for suite in suites:
    cases = []
    for case in suite.findall("testcase"):
        kinds = [child.tag for child in case if child.tag in ("failure", "error", "skipped")]
        outcome = case.find("failure")
        if outcome is None:
            outcome = case.find("error")
        if outcome is None:
            outcome = case.find("skipped")
        cases.append({
            "name": case.get("name"),
            "classname": case.get("classname"),
            "time": float(case.get("time")),
            "kinds": kinds,
            "message": None if outcome is None else outcome.get("message"),
            "body": None if outcome is None else (outcome.text or ""),
            "system_out": case.findtext("system-out") or "",
        })
    out["suites"].append({
        "attrib": dict(suite.attrib),
        "properties": {p.get("name"): p.get("value") for p in suite.findall("properties/property")},
        "children": [child.tag for child in suite],
        "cases": cases,
    })
json.dump(out, sys.stdout)
