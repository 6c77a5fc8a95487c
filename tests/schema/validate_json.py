#!/usr/bin/env python3
"""Validates the golden JSON reports and --summary-json documents against docs/report-schema.json and
docs/summary-schema.json.

Usage: validate_json.py SRC_DIR

1. Both schemas must be valid JSON Schema 2020-12, and the $defs that docs/summary-schema.json copies from
   docs/report-schema.json (it is self-contained: no cross-file $ref to resolve) must be identical to them.
2. Every golden expectation that parses as JSON is validated: each `stdout` and each file under `files/` of
   SRC_DIR/tests/golden/cases/*/ and SRC_DIR/tests/data/bad/*/. A top-level object with `data_quality` is a
   report; one with `kpis` and `passed` (and no `data_quality`) is a summary; anything else is ignored.
   Finding no report or no summary at all is a failure, so the test cannot pass by finding nothing.
3. The schema must bite: the first report (and summary) with an unknown top-level key added, or with `kpis`
   removed, must fail.

Exit 0: all valid; 1: a failure; 77 (skipped): jsonschema is not installed, unless GLYPHSIEVE_REQUIRE_BROWSER=1
(CI: scripts/install-deps --browser installs python3-jsonschema), then 1.
Standard library and jsonschema only; written for jsonschema 4.10 (Debian 12), so no `referencing`.
"""
import copy
import json
import os
import re
import sys
from pathlib import Path

try:
    import jsonschema
except ImportError:
    if os.environ.get("GLYPHSIEVE_REQUIRE_BROWSER") == "1":
        print("schema: jsonschema is not installed (python3-jsonschema; scripts/install-deps --browser) "
              "and GLYPHSIEVE_REQUIRE_BROWSER=1", file=sys.stderr)
        sys.exit(1)
    print("schema: skipped: jsonschema is not installed (python3-jsonschema; scripts/install-deps --browser)")
    sys.exit(77)

# The golden files are normalised by tests/golden/run_case.sh: a timing `"seconds": 0.123` is written as
# `"seconds": X`, which is not JSON. Put a number back before parsing (0.0 passes every `seconds` rule).
SECONDS_X = re.compile(r'"seconds": X\b')

# The $defs docs/summary-schema.json holds as copies of docs/report-schema.json's.
SHARED_DEFS = ("kpis", "stage", "gate", "provenance", "resource", "sha256")


def load_schema(path):
    with open(path, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def path_text(parts):
    out = "$"
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else f".{p}"
    return out


def errors_of(validator, doc):
    """Every error, leaves first (the branches of anyOf/oneOf are in error.context)."""
    found = []

    def walk(error):
        if error.context:
            for sub in error.context:
                walk(sub)
        found.append(error)

    for error in sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path))):
        walk(error)
    return found


def report_errors(validator, doc):
    lines = []
    for e in errors_of(validator, doc):
        message = e.message if len(e.message) <= 300 else e.message[:297] + "..."
        lines.append(f"  at {path_text(e.absolute_path)}: {message} "
                     f"(schema {'/'.join(map(str, e.absolute_schema_path))})")
    return lines


def candidates(src):
    for base in ("tests/golden/cases", "tests/data/bad"):
        for case in sorted((src / base).glob("*")):
            if not case.is_dir():
                continue
            stdout = case / "stdout"
            if stdout.is_file():
                yield stdout
            files = case / "files"
            if files.is_dir():
                yield from sorted(p for p in files.rglob("*") if p.is_file() and not p.is_symlink())


class Unparseable(Exception):
    pass


def parse(path):
    """The file's JSON, or None when it is not JSON. Raises Unparseable for what looks like a report or a
    summary (an object mentioning "kpis") but does not parse, rather than silently skipping it."""
    try:
        text = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return None
    if not text.lstrip().startswith("{"):
        return None
    try:
        return json.loads(SECONDS_X.sub('"seconds": 0.0', text))
    except json.JSONDecodeError as e:
        if '"kpis"' in text:
            raise Unparseable(str(e)) from e
        return None


def kind_of(doc):
    if not isinstance(doc, dict):
        return None
    if "data_quality" in doc:
        return "report"
    if "kpis" in doc and "passed" in doc:
        return "summary"
    return None


def main(argv):
    if len(argv) != 2:
        print("usage: validate_json.py SRC_DIR", file=sys.stderr)
        return 2
    src = Path(argv[1])
    failed = False

    try:
        validators = {"report": load_schema(src / "docs/report-schema.json"),
                      "summary": load_schema(src / "docs/summary-schema.json")}
    except jsonschema.exceptions.SchemaError as e:
        print(f"schema: FAIL: not a valid 2020-12 schema: {e.message} at "
              f"{'/'.join(map(str, e.absolute_path))}")
        return 1
    except (OSError, json.JSONDecodeError) as e:
        print(f"schema: FAIL: cannot load the schemas: {e}")
        return 1
    report_defs = validators["report"].schema["$defs"]
    summary_defs = validators["summary"].schema["$defs"]
    for name in SHARED_DEFS:
        if summary_defs.get(name) != report_defs.get(name):
            print(f"schema: FAIL: $defs/{name} of docs/summary-schema.json differs from docs/report-schema.json's")
            failed = True
    extra = sorted(set(summary_defs) - set(SHARED_DEFS))
    if extra:
        print(f"schema: FAIL: docs/summary-schema.json has $defs not shared with the report: {', '.join(extra)}")
        failed = True

    first = {}
    counts = {"report": 0, "summary": 0}
    for path in candidates(src):
        shown = path.relative_to(src)
        try:
            doc = parse(path)
        except Unparseable as e:
            print(f"schema: FAIL {shown}: looks like a report or summary but is not JSON: {e}")
            failed = True
            continue
        kind = kind_of(doc)
        if kind is None:
            continue
        counts[kind] += 1
        first.setdefault(kind, (path, doc))
        problems = report_errors(validators[kind], doc)
        if problems:
            print(f"schema: FAIL {shown} ({kind}):")
            print("\n".join(problems))
            failed = True
        else:
            print(f"schema: ok {shown} ({kind})")

    for kind in ("report", "summary"):
        if counts[kind] == 0:
            print(f"schema: FAIL: no golden JSON {kind} found under tests/golden/cases/*/ or tests/data/bad/*/ "
                  f"(stdout or files/)")
            failed = True

    # The schema must reject what json.cpp does not write: an unknown key, a missing required one.
    for kind, (path, doc) in sorted(first.items()):
        validator = validators[kind]
        added = copy.deepcopy(doc)
        added["not_a_report_key"] = 1
        removed = copy.deepcopy(doc)
        del removed["kpis"]
        for what, bad in (("an unknown top-level key", added), ("no kpis", removed)):
            if validator.is_valid(bad):
                print(f"schema: FAIL: {path.relative_to(src)} ({kind}) with {what} still validates")
                failed = True
            else:
                print(f"schema: ok {path.relative_to(src)} ({kind}) with {what} is rejected")

    print(f"schema: {counts['report']} reports, {counts['summary']} summaries: {'FAILED' if failed else 'ok'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
