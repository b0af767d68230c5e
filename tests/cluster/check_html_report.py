#!/usr/bin/python3
"""check_html_report.py REPORT.html --bad-host HOST [--out DIR] - issue #16, acceptance 4: a run's results.html
opened in headless Chromium (Debian's `chromium`).

  1. Chromium's DOM of the page (--dump-dom, after its own HTML parser): the Content-Security-Policy meta refuses
     everything; no script, img, link, iframe, object or embed; the first verdict row fails HOST and comes before
     any chart; in every link heatmap HOST's row and column cells (and only those) carry class failing-host and a
     red outline (stroke #d00000), HOST's labels are red.
  2. Pixels: a full-page screenshot (DIR/report.png) is not blank; the first heatmap, screenshotted on its own
     (DIR/heatmap.png), shows the outline colour on the left edge of every HOST cell and on no other cell.
  3. Requests: Chromium's net log (DIR/netlog*.json) of the report holds no request the page made. The detector is
     checked first on a copy of the report with an <img> to an unroutable address planted in it: without the CSP
     the net log shows that request (which also tells what a page's own requests look like in the log: their
     traffic annotation), with the report's CSP it does not.
Exit 0 when all hold, 1 naming what does not, 77 when Chromium or Pillow is missing.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser

FAIL_RGB = (0xD0, 0x00, 0x00)
PLANTED = "http://192.0.2.9/railcheck-planted.png"  # TEST-NET-1: never routed
VOID = {"meta", "br", "img", "link", "input", "hr", "col", "area", "base", "embed", "source", "track", "wbr"}
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
         "--disable-default-apps", "--disable-domain-reliability", "--no-pings", "--metrics-recording-only"]


class Element:
    def __init__(self, tag, attrs, parent, index):
        self.tag, self.attrs, self.parent, self.index = tag, dict(attrs), parent, index
        self.children, self.text = [], ""

    def classes(self):
        return (self.attrs.get("class") or "").split()

    def find_all(self, tag):
        out = []
        for c in self.children:
            if c.tag == tag:
                out.append(c)
            out.extend(c.find_all(tag))
        return out


class Dom(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", [], None, 0)
        self.stack, self.count = [self.root], 0

    def handle_starttag(self, tag, attrs):
        self.count += 1
        e = Element(tag, attrs, self.stack[-1], self.count)
        self.stack[-1].children.append(e)
        if tag not in VOID:
            self.stack.append(e)

    def handle_startendtag(self, tag, attrs):
        self.count += 1
        self.stack[-1].children.append(Element(tag, attrs, self.stack[-1], self.count))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].text += data


problems = []


def check(ok, what):
    print(("ok:   " if ok else "FAIL: ") + what)
    if not ok:
        problems.append(what)


def chromium_run(browser, profile, args, url, timeout=90):
    cmd = [browser] + FLAGS + ["--user-data-dir=" + profile] + args + [url]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


def net_requests(netlog_path):
    """(url, traffic annotation) of every request in a Chromium net log."""
    with open(netlog_path) as f:
        text = f.read()
    # A net log cut off at exit may miss its closing brackets.
    try:
        log = json.loads(text)
    except json.JSONDecodeError:
        log = json.loads(text.rstrip().rstrip(",") + "]}")
    out = []
    for event in log.get("events", []):
        params = event.get("params") or {}
        if "url" in params and "traffic_annotation" in params:
            out.append((params["url"], params["traffic_annotation"]))
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("report")
    parser.add_argument("--bad-host", required=True)
    parser.add_argument("--out", default=None, help="where the screenshots, DOM and net logs go")
    args = parser.parse_args()
    browser = shutil.which("chromium") or shutil.which("chromium-headless-shell")
    if not browser:
        print("SKIP: Chromium is not installed (Debian: apt-get install chromium)")
        return 77
    try:
        from PIL import Image
    except ImportError:
        print("SKIP: Pillow is not installed (Debian: apt-get install python3-pil)")
        return 77
    report = os.path.abspath(args.report)
    out = os.path.abspath(args.out or tempfile.mkdtemp(prefix="railcheck-report-"))
    os.makedirs(out, exist_ok=True)
    profile = tempfile.mkdtemp(prefix="railcheck-chromium-")
    bad = args.bad_host
    with open(report, encoding="utf-8") as f:
        page = f.read()

    # 1. Chromium's DOM.
    dumped = chromium_run(browser, profile, ["--dump-dom"], "file://" + report)
    check(dumped.returncode == 0 and "<svg" in dumped.stdout, "Chromium opened the report and dumped its DOM")
    with open(os.path.join(out, "dom.html"), "w", encoding="utf-8") as f:
        f.write(dumped.stdout)
    dom = Dom()
    dom.feed(dumped.stdout)
    metas = [m for m in dom.root.find_all("meta") if m.attrs.get("http-equiv") == "Content-Security-Policy"]
    check(len(metas) == 1 and "default-src 'none'" in metas[0].attrs.get("content", ""),
          "the page carries a Content-Security-Policy with default-src 'none'")
    for tag in ("script", "img", "link", "iframe", "object", "embed"):
        check(not dom.root.find_all(tag), "no <%s> in the page" % tag)
    rows = [r for r in dom.root.find_all("tr") if r.attrs.get("data-status")]
    first_svg = min((s.index for s in dom.root.find_all("svg")), default=None)
    check(bool(rows) and rows[0].attrs.get("data-status") == "fail" and rows[0].attrs.get("data-host") == bad,
          "the first verdict row fails %s" % bad)
    check(bool(rows) and first_svg is not None and rows[0].index < first_svg, "the verdicts come before any chart")
    heatmaps = [s for s in dom.root.find_all("svg") if "heatmap" in s.classes()]
    check(any("bw_gbps" in h.attrs.get("data-metric", "") for h in heatmaps), "a bandwidth heatmap is drawn")
    for h in heatmaps:
        name = "%s rail %s" % (h.attrs.get("data-metric"), h.attrs.get("data-rail"))
        cells = [r for r in h.find_all("rect") if "cell" in r.classes()]
        hosts = {c.attrs.get("data-src") for c in cells}
        wrong = []
        for c in cells:
            on_bad = bad in (c.attrs.get("data-src"), c.attrs.get("data-dst"))
            marked = "failing-host" in c.classes() and c.attrs.get("stroke", "").lower() == "#d00000"
            if on_bad != marked:
                wrong.append("%s->%s" % (c.attrs.get("data-src"), c.attrs.get("data-dst")))
        check(bad in hosts and not wrong,
              "%s: %s's %d cells and only those are outlined red%s" %
              (name, bad, 2 * len(hosts) - 1, (" (wrong: " + ", ".join(wrong) + ")") if wrong else ""))
        labels = [t for t in h.find_all("text") if t.attrs.get("data-host") == bad]
        check(len(labels) == 2 and all(t.attrs.get("fill", "").lower() == "#d00000" for t in labels),
              "%s: %s's row and column labels are red" % (name, bad))

    # 2. Pixels.
    shot = os.path.join(out, "report.png")
    chromium_run(browser, profile, ["--window-size=1400,2400", "--screenshot=" + shot], "file://" + report)
    if os.path.exists(shot):
        colours = Image.open(shot).convert("RGB").getcolors(maxcolors=1 << 20) or []
        check(len(colours) > 50, "the screenshot %s shows the page (%d colours)" % (shot, len(colours)))
    else:
        check(False, "Chromium wrote the screenshot %s" % shot)
    match = re.search(r'<svg [^>]*class="heatmap".*?</svg>', page, re.S)
    if match:
        svg = match.group(0)
        width = int(re.search(r'width="(\d+)"', svg).group(1))
        height = int(re.search(r'height="(\d+)"', svg).group(1))
        svg_path = os.path.join(out, "heatmap.svg")
        with open(svg_path, "w", encoding="utf-8") as f:
            f.write(svg)
        heat_png = os.path.join(out, "heatmap.png")
        chromium_run(browser, profile, ["--window-size=%d,%d" % (width + 20, height + 20), "--screenshot=" + heat_png],
                     "file://" + svg_path)
        image = Image.open(heat_png).convert("RGB")
        wrong = []
        for rect in re.finditer(r'<rect ([^>]*class="cell[^"]*"[^>]*)>', svg):
            attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', rect.group(1)))
            x, y, h = int(attrs["x"]), int(attrs["y"]), int(attrs["height"])
            pixel = image.getpixel((x, y + h // 2))
            red = all(abs(pixel[i] - FAIL_RGB[i]) <= 12 for i in range(3))
            if red != (bad in (attrs["data-src"], attrs["data-dst"])):
                wrong.append("%s->%s %s" % (attrs["data-src"], attrs["data-dst"], pixel))
        check(not wrong, "heatmap.png: the outline shows on %s's cells and no other (%s)" %
              (bad, ", ".join(wrong) if wrong else "every cell's left edge sampled"))
    else:
        check(False, "the report holds a heatmap to screenshot")

    # 3. Requests: the detector on a planted request, then the report itself.
    def netlog_of(html, name):
        path = os.path.join(out, name + ".html")
        with open(path, "w", encoding="utf-8") as f:
            f.write(html)
        log = os.path.join(out, "netlog-" + name + ".json")
        chromium_run(browser, profile, ["--dump-dom", "--log-net-log=" + log], "file://" + path)
        return net_requests(log)

    planted = page.replace("<body>", '<body><img src="%s" alt="planted" />' % PLANTED, 1)
    open_page = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*/>', "", planted)
    seen = netlog_of(open_page, "planted-no-csp")
    page_annotations = {a for url, a in seen if url == PLANTED}
    check(bool(page_annotations), "detector: without the CSP, the planted <img> shows in the net log as a request")
    blocked = netlog_of(planted, "planted-with-csp")
    check(not any(url == PLANTED for url, _ in blocked), "with the report's CSP the planted <img> is never requested")
    report_log = os.path.join(out, "netlog-report.json")
    chromium_run(browser, profile, ["--dump-dom", "--log-net-log=" + report_log], "file://" + report)
    own = sorted({url for url, a in net_requests(report_log) if a in page_annotations})
    check(not own, "the report made no request%s" % ((": " + ", ".join(own)) if own else ""))
    shutil.rmtree(profile, ignore_errors=True)
    print("report check: %s (files in %s)" % ("FAIL" if problems else "ok", out))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
