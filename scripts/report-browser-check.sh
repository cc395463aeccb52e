#!/usr/bin/env bash
# Renders the evidence report of testdata/demo in headless Chromium and checks
# what a reader sees: the summary figures, a failing control with its file and
# line, the exceptions register, and that the page loads nothing from outside.
# Saves a screenshot (SCREENSHOT, default /tmp/report-screenshot.png) and a PDF
# print of the page next to the bundle.
#
# Needs chromium and python3. VIGIE names the binary to run (default: the
# release build, built if missing).
set -euo pipefail
cd "$(dirname "$0")/.."

screenshot=${SCREENSHOT:-/tmp/report-screenshot.png}
vigie=${VIGIE:-}
if [ -z "$vigie" ]; then
  cargo build --release --locked --quiet
  vigie=target/release/vigie
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

SOURCE_DATE_EPOCH=1714564800 "$vigie" report testdata/demo --output "$work/bundle"
page="file://$work/bundle/report.html"
chrome=(chromium --headless --no-sandbox --disable-gpu --no-first-run
  --disable-extensions --user-data-dir="$work/profile")

"${chrome[@]}" --dump-dom "$page" >"$work/dom.html" 2>"$work/chromium.log"
"${chrome[@]}" --window-size=1280,2000 --screenshot="$screenshot" "$page" 2>>"$work/chromium.log"
"${chrome[@]}" --no-pdf-header-footer --print-to-pdf="$work/report.pdf" "$page" 2>>"$work/chromium.log"

python3 - "$work/dom.html" "$work/bundle/evidence.json" "$screenshot" "$work/report.pdf" <<'EOF'
import json
import sys
from html.parser import HTMLParser

dom_path, evidence_path, screenshot, pdf = sys.argv[1:]
dom = open(dom_path, encoding="utf-8").read()
evidence = json.load(open(evidence_path, encoding="utf-8"))
problems = []


class Page(HTMLParser):
    """Collects the rendered page's text per element id, the summary cells and
    every attribute that could load something."""

    def __init__(self):
        super().__init__()
        self.stack = []  # (tag, id) of open elements
        self.text = {}  # id -> text inside it
        self.status = {}  # id -> data-status
        self.cells = []  # (data-status, text) of summary cells
        self.cell = None
        self.loads = []
        self.tags = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.add(tag)
        for name in ("src", "href", "xlink:href", "srcset", "poster", "data", "action"):
            value = (attrs.get(name) or "").strip()
            if value and not value.startswith("#"):
                self.loads.append(f"<{tag} {name}={value!r}>")
        if "data-status" in attrs and attrs.get("id"):
            self.status[attrs["id"]] = attrs["data-status"]
        if tag == "td" and "data-status" in attrs:
            self.cell = [attrs["data-status"], ""]
        if tag not in ("br", "meta", "rect", "img", "input", "hr"):
            self.stack.append((tag, attrs.get("id")))

    def handle_endtag(self, tag):
        if tag == "td" and self.cell is not None:
            self.cells.append(tuple(self.cell))
            self.cell = None
        while self.stack:
            open_tag, _ = self.stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        for _, element_id in self.stack:
            if element_id:
                self.text[element_id] = self.text.get(element_id, "") + data
        if self.cell is not None:
            self.cell[1] += data


page = Page()
page.feed(dom)

# Summary: the figures of evidence.json, in the rendered table.
expected = []
for framework in evidence["frameworks"]:
    s = framework["summary"]
    expected += [("pass", s["pass"]), ("fail", s["fail"]), ("manual", s["manual"]),
                 ("not-applicable", s["notApplicable"]), ("not-checked", s["notChecked"])]
shown = [(status, int(text)) for status, text in page.cells]
if shown != expected:
    problems.append(f"summary cells {shown} differ from evidence.json {expected}")
if "<svg" not in dom or "Controls by outcome" not in dom:
    problems.append("the summary chart is missing")

# A failing control, with the file and line of its finding.
control = "control-cis-k8s-5-2-2"
if page.status.get(control) != "fail":
    problems.append(f"{control} is not shown as failing: {page.status.get(control)}")
if "testdata/demo/platform/debug/toolbox.json:15:11" not in page.text.get(control, ""):
    problems.append(f"{control} does not show toolbox.json:15:11")
if page.status.get("control-pss-baseline-pss002") != "pass":
    problems.append("PSS002 is not shown as passing")

# The exceptions register.
register = page.text.get("exceptions", "")
for needle in ("node-exporter reads the node", "platform-security@example.com", "2027-06-30"):
    if needle not in register:
        problems.append(f"exceptions register lacks {needle!r}")

# Nothing external: no script, no linked resource, no remote URL in styles.
if page.loads:
    problems.append(f"attributes that load something: {page.loads}")
for tag in ("script", "link", "img", "iframe", "object", "embed"):
    if tag in page.tags:
        problems.append(f"the page has a <{tag}> element")
lowered = dom.lower()
for needle in ("url(", "@import"):
    if needle in lowered:
        problems.append(f"the page's CSS holds {needle}")

for path, magic in ((screenshot, b"\x89PNG"), (pdf, b"%PDF")):
    try:
        head = open(path, "rb").read(4)
    except OSError as error:
        head = b""
        problems.append(f"{path}: {error}")
    if head and head != magic:
        problems.append(f"{path} is not a {magic!r} file")

if problems:
    print("report browser check failed:", *problems, sep="\n  ", file=sys.stderr)
    sys.exit(1)
print(f"report browser check: ok ({len(shown)} summary figures, screenshot {screenshot})")
EOF
