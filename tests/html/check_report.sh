#!/usr/bin/env bash
# End-to-end test of the HTML report in a real browser (ctest: html.report, label "html").
# Usage: check_report.sh BINARY SOURCE_DIR OUT_DIR
#
# For sample/listings.csv and tests/html/hostile_listings.csv (a title and a seller that are markup), runs
#   glyphsieve pipeline ... --report report.html --report-format html   and
#   glyphsieve report -i scored.csv --format json;
# and it takes the committed golden HTML report of the sample (tests/golden/cases/report_html_sample) as it
# is, with the JSON report of the same scored CSV for the counts. For each page it
# renders report.html in headless Chromium (--dump-dom, then a screenshot OUT_DIR/<name>.png, the test's
# artifact) and checks:
#   - Chromium exits 0 and logs no console message (the page has no scripts, so any message is an
#     error: a blocked or failed load, a parse problem) and loads nothing but report.html itself;
#   - the page is self-contained: no <script>, <link>, <img> (or other embedding element), no src/srcset
#     or on* attribute, no http(s):// or url(...) in an attribute (but xmlns) or a stylesheet (url(#id)
#     is allowed: it names an element of the page) and no @import;
#   - the rendered DOM has no <script> or <img> element and no on* attribute, and for the hostile input
#     holds the title and the seller as text (serialised as &lt;script&gt;alert('x')&lt;/script&gt;);
#   - the charts are there: an <svg class="chart scatter"> whose <circle class="point"> count is
#     .frontier.plotted of report.json and whose "point frontier" circles are .frontier.listings,
#     and an <svg class="chart ranges"> and an <svg class="chart quality">.
# Exits 77 (skipped) when chromium is not on PATH, unless GLYPHSIEVE_REQUIRE_BROWSER=1 (scripts/test
# sets it): then that is a failure. scripts/install-deps --browser installs Chromium.
# HTML_CHECK_ONLY=DIR skips the two glyphsieve runs and checks DIR/<name>/report.html and report.json
# instead (<name>: sample, hostile), for working on this script or on the page by hand.
set -euo pipefail

say() { echo "html: $*"; }
if (($# != 3)); then
  echo "usage: check_report.sh BINARY SOURCE_DIR OUT_DIR" >&2
  exit 2
fi
bin=$1 src=$2 out=$3
[[ $bin == /* ]] || bin=$PWD/$bin
src=$(cd "$src" && pwd)

for tool in chromium python3; do
  if ! command -v "$tool" >/dev/null; then
    if [[ ${GLYPHSIEVE_REQUIRE_BROWSER:-} == 1 ]]; then
      say "FAIL: $tool is not on PATH and GLYPHSIEVE_REQUIRE_BROWSER=1 (scripts/install-deps --browser installs it)" >&2
      exit 1
    fi
    say "skipped: $tool is not on PATH (scripts/install-deps --browser installs it)"
    exit 77
  fi
done

mkdir -p "$out"
out=$(cd "$out" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# --headless=new is the only headless mode of current Chromium (and plain --headless means it since
# 132); older ones accept it too. Sandboxing needs user namespaces that containers and CI often lack.
# The host resolver rule keeps the browser's own background requests (and any the page would make) off
# the network. --vmodule logs every file:// load and every network request, for the checks below.
timeout_s=60
chromium_flags=(
  --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run
  --no-default-browser-check --disable-background-networking --disable-component-update --disable-sync
  --disable-extensions "--host-resolver-rules=MAP * ~NOTFOUND"
  --enable-logging=stderr --v=0 "--vmodule=file_url_loader_factory=1,network_delegate=1"
)
run_chromium() { # LOG STDOUT ARGS...: Chromium's exit status, 124 when it timed out
  local log=$1 stdout=$2
  shift 2
  local rc=0
  timeout -k 10 "$timeout_s" chromium "${chromium_flags[@]}" "$@" >"$stdout" 2>"$log" || rc=$?
  ((rc == 137)) && rc=124 # it ignored SIGTERM and took the SIGKILL 10 s later
  return "$rc"
}

failed=0
check_case() { # NAME INPUT [HTML]: HTML given: check that page (the committed golden one), with the JSON
  #             report of INPUT (a scored CSV) for the counts, instead of running the pipeline on INPUT
  local name=$1 input=$2 page=${3:-} dir=$tmp/$1 rc=0
  local fails=0
  fail() {
    say "$name: FAIL: $*" >&2
    fails=$((fails + 1))
  }
  mkdir -p "$dir"
  if [[ -n $page ]]; then
    cp "$page" "$dir/report.html"
    (cd "$dir" && "$bin" report -i "$input" --format json -o report.json -q) >"$dir/report.out" 2>&1 || rc=$?
    if ((rc != 0)); then
      fail "glyphsieve report --format json on $input: expected exit 0, got $rc; its output:"
      sed 's/^/    /' "$dir/report.out" >&2
      return 1
    fi
  elif [[ -n ${HTML_CHECK_ONLY:-} ]]; then
    say "$name: HTML_CHECK_ONLY: checking $HTML_CHECK_ONLY/$name/report.{html,json}, glyphsieve not run"
    cp "$HTML_CHECK_ONLY/$name/report.html" "$HTML_CHECK_ONLY/$name/report.json" "$dir/"
  else
    (cd "$dir" && "$bin" pipeline -i "$input" -o scored.csv --dedup --quantize-capacity \
      --report report.html --report-format html -q) >"$dir/pipeline.out" 2>&1 || rc=$?
    if ((rc != 0)); then
      fail "glyphsieve pipeline on $input: expected exit 0, got $rc; its output:"
      sed 's/^/    /' "$dir/pipeline.out" >&2
      return 1
    fi
    (cd "$dir" && "$bin" report -i scored.csv --format json -o report.json -q) >"$dir/report.out" 2>&1 || rc=$?
    if ((rc != 0)); then
      fail "glyphsieve report --format json: expected exit 0, got $rc; its output:"
      sed 's/^/    /' "$dir/report.out" >&2
      return 1
    fi
  fi

  local url=file://$dir/report.html png=$out/$name.png
  rm -f "$png"
  rc=0
  run_chromium "$dir/dump.log" "$dir/dom.html" --user-data-dir="$dir/profile" --dump-dom "$url" || rc=$?
  if ((rc == 124)); then
    # A script that reached the page and called alert() blocks headless Chromium until it is killed.
    fail "chromium --dump-dom: expected it to finish, but it ran past $timeout_s s (an alert() on the page?)"
  elif ((rc != 0)); then
    fail "chromium --dump-dom: expected exit 0, got $rc (log: $out/$name.dump.log)"
  fi
  : >"$dir/screenshot.log"
  if ((rc == 124)); then
    say "$name: screenshot not taken: it would time out too" >&2
  else
    rc=0
    run_chromium "$dir/screenshot.log" "$dir/screenshot.out" --user-data-dir="$dir/profile" \
      --screenshot="$png" --window-size=1280,5000 --hide-scrollbars "$url" || rc=$?
    if ((rc == 124)); then
      fail "chromium --screenshot: expected it to finish, but it ran past $timeout_s s"
    elif ((rc != 0)); then
      fail "chromium --screenshot: expected exit 0, got $rc (log: $out/$name.screenshot.log)"
    fi
  fi

  local hostile=0 stats=""
  [[ $name == hostile ]] && hostile=1
  rc=0
  stats=$(python3 - "$name" "$url" "$dir/report.html" "$dir/dom.html" "$dir/report.json" "$hostile" "$png" \
    "$dir/dump.log" "$dir/screenshot.log" <<'PY'
import html.parser
import json
import re
import sys
from urllib.parse import urlsplit

name, url, src_path, dom_path, json_path, hostile, png = sys.argv[1:8]
logs = sys.argv[8:]
problems = []


def fail(msg):
    problems.append(msg)


def snippet(text, at, width=60):
    return repr(text[max(0, at - width):at + width])


# Elements that load or run something, on the page or in the DOM Chromium built from it.
EMBEDDING = {"script", "link", "img", "image", "iframe", "frame", "object", "embed", "audio", "video",
             "source", "track", "picture", "base", "portal"}
URLISH = re.compile(r"https?://|url\(\s*['\"]?(?!#)|javascript:|@import", re.I)


class Doc(html.parser.HTMLParser):
    """Start tags (with their SVG ancestry), text nodes and stylesheet text of one HTML document."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.elements = []  # (tag, attrs, line, svg classes of the enclosing <svg>s)
        self.text = []
        self.style = []
        self.svgs = []  # class token sets of the open <svg> elements
        self.in_style = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        classes = set((dict(attrs).get("class") or "").split())
        self.elements.append((tag, attrs, self.getpos()[0], [*self.svgs] + ([classes] if tag == "svg" else [])))
        if tag == "svg":
            self.svgs.append(classes)
        self.in_style = tag == "style"

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "svg":
            self.svgs.pop()
        self.in_style = False

    def handle_endtag(self, tag):
        if tag == "svg" and self.svgs:
            self.svgs.pop()
        if tag == "style":
            self.in_style = False

    def handle_data(self, data):
        (self.style if self.in_style else self.text).append(data)


def read(path, what):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except (OSError, UnicodeDecodeError) as e:
        fail(f"cannot read {what} ({path}): {e}")
        return ""


def self_contained(doc, where):
    """No element, attribute or stylesheet that loads, links out or runs anything."""
    for tag, attrs, line, _ in doc.elements:
        if tag in EMBEDDING:
            fail(f"{where} line {line}: expected no <{tag}> element, found one")
        for attr, value in attrs:
            value = value or ""
            if attr == "xmlns" or attr.startswith("xmlns:"):  # a namespace name, never fetched
                continue
            if attr in ("src", "srcset", "background", "poster", "action", "formaction") or attr.startswith("on"):
                fail(f"{where} line {line}: expected no {attr}= attribute, found <{tag} {attr}={value[:60]!r}>")
            elif URLISH.search(value):
                fail(f"{where} line {line}: expected no URL in attributes, found <{tag} {attr}={value[:80]!r}>")
            elif attr in ("href", "xlink:href") and tag != "a" and not value.startswith("#"):
                fail(f"{where} line {line}: expected href to name an element (#id), found <{tag} {attr}={value[:80]!r}>")
    css = "".join(doc.style)
    for m in URLISH.finditer(css):
        fail(f"{where}: expected no URL or @import in <style>, found {snippet(css, m.start())}")


# 1. The page as glyphsieve wrote it.
source = read(src_path, "report.html")
for m in re.finditer(r"<\s*(script|link|img)\b", source, re.I):
    fail(f"report.html: expected no <{m.group(1)}, found {snippet(source, m.start())}")
self_contained(Doc(source), "report.html")

# 2. The DOM Chromium built from it.
dom_text = read(dom_path, "the DOM dumped by chromium")
if "<html" not in dom_text:
    fail(f"chromium --dump-dom: expected an HTML document, found {dom_text[:200]!r}")
dom = Doc(dom_text)
self_contained(dom, "DOM")
if hostile == "1":
    # Chromium serialises a text node escaping & < > (and U+00A0 as &nbsp;) only; quotes stay as they are.
    for raw, serialised in (("<script>alert('x')</script>", "&lt;script&gt;alert('x')&lt;/script&gt;"),
                            ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;")):
        if serialised not in dom_text:
            found = [snippet(dom_text, m.start(), 50) for m in re.finditer(r"alert\(", dom_text)][:3]
            fail(f"DOM: expected the text {serialised!r}, found {found or 'no alert( at all'}")
        if not any(raw in t for t in dom.text):
            fail(f"DOM: expected a text node holding {raw!r}, found none")

# 3. The charts, against report.json.
svg_classes = [svgs[-1] for tag, _, _, svgs in dom.elements if tag == "svg"]  # an <svg>'s own classes
for kind in ("scatter", "ranges", "quality"):
    if not any({"chart", kind} <= c for c in svg_classes):
        found = sorted({" ".join(sorted(c)) for c in svg_classes})
        fail(f'DOM: expected an <svg class="chart {kind}">, found svg classes {found or "none"}')
points = frontier = 0
for tag, attrs, _, svgs in dom.elements:
    classes = set((dict(attrs).get("class") or "").split())
    if tag == "circle" and "point" in classes and any({"chart", "scatter"} <= s for s in svgs):
        points += 1
        frontier += "frontier" in classes
try:
    with open(json_path, encoding="utf-8") as f:
        report = json.load(f)
    plotted = report["frontier"]["plotted"]
    listings = report["frontier"]["listings"]
    if points != plotted:
        fail(f'scatter chart: expected {plotted} <circle class="point"> (report.json .frontier.plotted), found {points}')
    if frontier != len(listings):
        fail(f'scatter chart: expected {len(listings)} "point frontier" circles (report.json .frontier.listings), '
             f"found {frontier}")
except (OSError, ValueError, KeyError, TypeError) as e:
    fail(f"report.json: expected .frontier.plotted and .frontier.listings, found none ({type(e).__name__}: {e})")

# 4. Chromium's logs. The page has no scripts, so any console message at all is a failure (this Chromium
# logs every console message as INFO:CONSOLE, whatever its level; older ones wrote CONSOLE(line)).
console = re.compile(r":CONSOLE[:(\]]|\bUncaught\b|Failed to load resource|net::ERR_.*file:")
loaded = re.compile(r"FileURLLoader::Start: (\S+)")
requested = re.compile(r"NotifyBeforeURLRequest: (\S+)")
# Chromium's own background requests (time, accounts, updates, dictionaries), not the page's.
browser_hosts = re.compile(r"(^|\.)(google\.com|googleapis\.com|gvt1\.com|gstatic\.com|googleusercontent\.com)$")
for log in logs:
    lines = read(log, "chromium's log").splitlines()
    what = log.rsplit("/", 1)[-1]
    if not lines:  # the screenshot is not taken after the DOM dump timed out
        continue
    bad = [l for l in lines if console.search(l)]
    if bad:
        fail(f"{what}: expected no console messages, found {len(bad)}:\n    " + "\n    ".join(bad[:10]))
    files = [m.group(1) for l in lines for m in loaded.finditer(l)]
    if url not in files:
        print(f"html: {name}: note: {what} has no FileURLLoader line for the page: subresource loads not checked",
              file=sys.stderr)
    for f in files:
        if f.split("#")[0] != url:
            fail(f"{what}: expected Chromium to load report.html and nothing else, found a load of {f}")
    for m in (m for l in lines for m in requested.finditer(l)):
        if not browser_hosts.search(urlsplit(m.group(1)).hostname or ""):
            fail(f"{what}: expected no network request, found {m.group(1)}")

# 5. The screenshot.
try:
    with open(png, "rb") as f:
        head = f.read(8)
    if head != b"\x89PNG\r\n\x1a\n":
        fail(f"screenshot {png}: expected a PNG, found {head!r}")
except OSError as e:
    fail(f"screenshot: expected {png}, found none ({e.strerror})")

for p in problems:
    print(f"html: {name}: FAIL: {p}", file=sys.stderr)
print(points, frontier)
sys.exit(1 if problems else 0)
PY
  ) || rc=$?
  if ((rc != 0)); then
    fails=$((fails + 1))
  fi
  if ((fails > 0)); then
    # Keep what the failure is about next to the screenshot.
    for f in report.html report.json dom.html dump.log screenshot.log; do
      [[ -f $dir/$f ]] && cp "$dir/$f" "$out/$name.$f"
    done
    say "$name: failed; report, DOM and Chromium's logs are in $out/$name.*" >&2
    return 1
  fi
  read -r points frontier <<<"$stats"
  say "$name: $points points, $frontier on the frontier, screenshot $png"
}

check_case sample "$src/sample/listings.csv" || failed=1
# The golden HTML report of the sample, as committed (tests/golden/cases/report_html_sample: `report` of
# sample/sample_quant.csv), rendered as it is.
check_case golden "$src/sample/sample_quant.csv" "$src/tests/golden/cases/report_html_sample/files/report.html" ||
  failed=1
check_case hostile "$src/tests/html/hostile_listings.csv" || failed=1
exit "$failed"
