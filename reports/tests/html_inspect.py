"""Parse report.html strictly (it is well-formed XML by design) and print what the tests check."""
import json
import re
import sys
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"


def local(tag):
    return tag.split("}", 1)[-1]


def text(el):
    return "".join(el.itertext())


root = ET.parse(sys.argv[1]).getroot()  # raises on any unbalanced or unescaped markup
out = {
    "title": root.findtext("head/title"),
    "tags": sorted({local(el.tag) for el in root.iter()}),
    "text": text(root.find("body")),
    "hrefs": sorted({el.get("href") for el in root.iter() if el.get("href") is not None}),
    "srcs": [el.get("src") for el in root.iter() if el.get("src") is not None],
    "rows": {},
    "outcome": None,
    "svgs": {},
}
for el in root.iter():
    if el.tag == "tr" and (el.get("id") or "").startswith("test-"):
        out["rows"][el.get("id")] = text(el)
    if el.tag == "div" and "outcome" in (el.get("class") or "").split():
        out["outcome"] = {"class": el.get("class"), "text": text(el)}
    if el.tag == SVG + "svg":
        rects = []
        for r in el.iter(SVG + "rect"):
            rects.append({"fill": r.get("fill"), "stroke": r.get("stroke"), "title": r.findtext(SVG + "title")})
        links = [a.get("href") for a in el.iter(SVG + "a")]
        out["svgs"][el.get("aria-label")] = {"rects": rects, "links": links, "text": text(el)}
# Histogram bars say "<range>: N samples"; their sum must equal the sample count.
hist = out["svgs"].get("Round-trip time histogram", {"rects": []})
out["histogram_total"] = sum(int(m.group(1)) for r in hist["rects"] if r["title"]
                             for m in [re.search(r": (\d+) samples$", r["title"])] if m)
json.dump(out, sys.stdout)
